package alidns_test

import (
	"net/http"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/alidns"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// FuzzAlidnsResponses feeds the provider arbitrary answers (status,
// Retry-After, body) to every call: decoding and error mapping must never
// panic, loop, leave an error unclassified or repeat a credential.
func FuzzAlidnsResponses(f *testing.F) {
	secret := map[string][]byte{"accessKeyId": []byte("LTAI5tFuzzAccessKeyId01"), "accessKeySecret": []byte("fuzzAlibabaAccessKeySecret0123456789")}
	var values []string
	for _, v := range secret {
		values = append(values, string(v))
	}
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return alidns.Factory(alidns.Options{Endpoint: endpoint, HTTPClient: hc})(secret, nil)
	}, values, []providertest.FuzzSeed{
		{Status: 200, Body: `{"RequestId":"5E2C0000-0001-4A00-8000-000000000001","TotalCount":1,"PageNumber":1,"PageSize":100,"Domains":{"Domain":[{"DomainId":"00c5-1","DomainName":"example.com","PunyCode":"example.com"}]}}`},
		{Status: 200, Body: `{"RequestId":"5E2C","TotalCount":1,"PageNumber":1,"PageSize":100,"DomainRecords":{"Record":[{"RecordId":"1000000000000007919","RR":"home","DomainName":"example.com","Type":"A","Value":"81.2.69.160","TTL":600,"Line":"default","Status":"ENABLE"}]}}`},
		{Status: 200, Body: `{"RequestId":"5E2C","RecordId":"1000000000000007919"}`},
		{Status: 200, Body: `{"RequestId":"5E2C","TotalCount":1073741824,"PageNumber":1,"PageSize":100,"DomainRecords":{"Record":[{"RecordId":"1","RR":"home","Type":"A","Line":"default"}]}}`},
		{Status: 404, Body: `{"RequestId":"5E2C","HostId":"127.0.0.1","Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found."}`},
		{Status: 400, Body: `{"RequestId":"5E2C","Code":"Throttling.User","Message":"Request was denied due to user flow control."}`},
		{Status: 400, Body: `{"RequestId":"5E2C","Code":"InvalidDomainName.NoExist","Message":"The specified domain name does not exist."}`},
		{Status: 400, Body: `{"RequestId":"5E2C","Code":"QuotaExceeded.TTL","Message":"The specified TTL is invalid. A valid TTL must be in the range of 600 to 86400."}`},
	})
}

package dnspod_test

import (
	"net/http"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/dnspod"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// FuzzDNSPodResponses feeds the provider arbitrary answers (status,
// Retry-After, body) to every call: decoding and error mapping must never
// panic, loop, leave an error unclassified or repeat a credential.
func FuzzDNSPodResponses(f *testing.F) {
	secret := map[string][]byte{"loginToken": []byte("13490,fuzzdnspodtoken0123456789abcdef")}
	var values []string
	for _, v := range secret {
		values = append(values, string(v))
	}
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return dnspod.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, secret, nil)
	}, values, []providertest.FuzzSeed{
		{Status: 200, Body: `{"status":{"code":"1","message":"Action completed successful","created_at":"2024-01-01 00:00:00"},"info":{"domain_total":1},"domains":[{"id":2317346,"name":"example.com","punycode":"example.com","status":"enable"}]}`},
		{Status: 200, Body: `{"status":{"code":"1","message":"ok"},"info":{"records_num":"1","record_total":"1"},"records":[{"id":"16894439","name":"home","line":"默认","line_id":"0","type":"A","ttl":"600","value":"81.2.69.160","enabled":"1"}]}`},
		{Status: 200, Body: `{"status":{"code":"1","message":"ok"},"record":{"id":"16894439","name":"home","status":"enable"}}`},
		// Record.List of a whole zone (ListZoneRecords), remarks holding
		// markers; Record.Remark's answers: the status alone, or "8 记录 ID 错误".
		{Status: 200, Body: `{"status":{"code":"1","message":"ok"},"info":{"sub_domains":"2","record_total":"2","records_num":"2"},"records":[{"id":"16894439","name":"home","line":"默认","line_id":"0","type":"A","ttl":"600","value":"81.2.69.160","enabled":"1","remark":"ddns-operator/3f2c6a4e/default/home"},{"id":"16894440","name":"@","line":"默认","line_id":"0","type":"A","ttl":"600","value":"81.2.69.161","enabled":"1","remark":null}]}`},
		{Status: 200, Body: `{"status":{"code":"1","message":"Action completed successful","created_at":"2015-01-18 17:32:23"}}`},
		{Status: 200, Body: `{"status":{"code":"8","message":"Record id invalid","created_at":"2015-01-18 17:32:23"}}`},
		{Status: 200, Body: `{"status":{"code":"1","message":"ok"},"info":{"records_num":"1073741824"},"records":[{"id":"1","name":"home","type":"A","line_id":"0"}]}`},
		{Status: 200, Body: `{"status":{"code":"-1","message":"Login fail, please check login info"}}`},
		{Status: 200, Body: `{"status":{"code":"-2","message":"API usage is limited"}}`},
		{Status: 200, Body: `{"status":{"code":"6","message":"Domain id invalid"}}`},
		{Status: 200, Body: `{"status":{"code":"29","message":"TTL too small"}}`},
	})
}

package tencentcloud_test

import (
	"net/http"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/tencentcloud"
)

// FuzzTencentCloudResponses feeds the provider arbitrary answers (status,
// Retry-After, body) to every call: decoding and error mapping must never
// panic, loop, leave an error unclassified or repeat a credential.
func FuzzTencentCloudResponses(f *testing.F) {
	secret := map[string][]byte{"secretId": []byte("AKIDfuzzTencentSecretId0123456789"), "secretKey": []byte("fuzzTencentSecretKey0123456789ab")}
	var values []string
	for _, v := range secret {
		values = append(values, string(v))
	}
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return tencentcloud.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, secret, nil)
	}, values, []providertest.FuzzSeed{
		{Status: 200, Body: `{"Response":{"DomainCountInfo":{"DomainTotal":1},"DomainList":[{"DomainId":1,"Name":"example.com","Punycode":"example.com"}],"RequestId":"ab4f1426-ea15-42ea-8183-dc1b44151166"}}`},
		{Status: 200, Body: `{"Response":{"RecordCountInfo":{"SubdomainCount":1,"ListCount":1,"TotalCount":1},"RecordList":[{"RecordId":556507778,"Value":"81.2.69.160","Status":"ENABLE","Name":"home","Line":"默认","LineId":"0","Type":"A","TTL":600}],"RequestId":"ab4f"}}`},
		{Status: 200, Body: `{"Response":{"RecordId":556507778,"RequestId":"ab4f"}}`},
		// A whole zone's A records (ListZoneRecords), remarks holding markers.
		{Status: 200, Body: `{"Response":{"RecordCountInfo":{"SubdomainCount":2,"ListCount":2,"TotalCount":2},"RecordList":[{"RecordId":556507778,"Value":"81.2.69.160","Status":"ENABLE","Name":"home","Line":"默认","LineId":"0","Type":"A","TTL":600,"Remark":"ddns-operator/3f2c6a4e/default/home"},{"RecordId":556507779,"Value":"81.2.69.161","Status":"ENABLE","Name":"@","Line":"默认","LineId":"0","Type":"A","TTL":600,"Remark":null}],"RequestId":"ab4f"}}`},
		{Status: 200, Body: `{"Response":{"Error":{"Code":"InvalidParameter.RemarkTooLong","Message":"备注过长（不能超过200个字）。"},"RequestId":"ab4f"}}`},
		{Status: 200, Body: `{"Response":{"RecordCountInfo":{"TotalCount":1073741824},"RecordList":[{"RecordId":1,"Name":"home","Type":"A","LineId":"0"}],"RequestId":"ab4f"}}`},
		{Status: 200, Body: `{"Response":{"Error":{"Code":"AuthFailure.SecretIdNotFound","Message":"The SecretId is not found."},"RequestId":"ab4f"}}`},
		{Status: 200, Body: `{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"Your current request times equals to MaxRequestPerSecond."},"RequestId":"ab4f"}}`},
		{Status: 200, Body: `{"Response":{"Error":{"Code":"ResourceNotFound.NoDataOfRecord","Message":"记录列表为空。"},"RequestId":"ab4f"}}`},
		{Status: 500, Body: `{"Response":{"Error":{"Code":"InternalError","Message":"An internal error has occurred."},"RequestId":"ab4f"}}`},
	})
}

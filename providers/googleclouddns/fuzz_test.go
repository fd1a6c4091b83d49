package googleclouddns_test

import (
	"net/http"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/googleclouddns"
	"github.com/ddns-operator/ddns-operator/providers/googleclouddns/googleclouddnsfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// FuzzGoogleCloudDNSResponses feeds the provider arbitrary answers to
// every call, the token request included: decoding and error mapping must
// never panic, loop, leave an error unclassified or repeat a credential.
func FuzzGoogleCloudDNSResponses(f *testing.F) {
	key := googleclouddnsfake.KeyJSON(true)
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return googleclouddns.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, secret(key), nil)
	}, []string{key}, []providertest.FuzzSeed{
		{Status: 200, Body: `{"access_token":"ya29.c.fuzz","expires_in":3599,"token_type":"Bearer"}`},
		{Status: 200, Body: `{"kind":"dns#managedZonesListResponse","managedZones":[{"name":"zone-1","dnsName":"example.com.","visibility":"public"}],"nextPageToken":"5"}`},
		{Status: 200, Body: `{"kind":"dns#resourceRecordSetsListResponse","rrsets":[{"name":"home.example.com.","type":"A","ttl":300,"rrdatas":["81.2.69.160","81.2.69.161"]}]}`},
		{Status: 200, Body: `{"kind":"dns#change","id":"5","status":"pending"}`},
		{Status: 400, Body: `{"error":"invalid_grant","error_description":"Invalid JWT Signature."}`},
		{Status: 403, Body: `{"error":{"code":403,"message":"Forbidden","status":"PERMISSION_DENIED","errors":[{"reason":"forbidden"}]}}`},
		{Status: 409, Body: `{"error":{"code":409,"message":"already exists","errors":[{"reason":"alreadyExists"}]}}`},
		{Status: 412, Body: `{"error":{"code":412,"message":"Precondition not met","errors":[{"reason":"conditionNotMet"}]}}`},
		{Status: 429, Body: `{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}`},
	})
}

package hetzner_test

import (
	"net/http"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/hetzner"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// FuzzHetznerResponses feeds the provider, SDK included, arbitrary answers
// to every call: decoding and error mapping must never panic, loop, leave
// an error unclassified or repeat the token.
func FuzzHetznerResponses(f *testing.F) {
	const token = "hcloudfuzz0123456789abcdef0123456789abcdef0123456789abcdef012345"
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return hetzner.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, secret(token), nil)
	}, []string{token}, []providertest.FuzzSeed{
		{Status: 200, Body: `{"zones":[{"id":4711,"name":"example.com","ttl":3600,"mode":"primary"}],"meta":{"pagination":{"page":1,"per_page":50,"next_page":null,"last_page":1,"total_entries":1}}}`},
		{Status: 200, Body: `{"zones":[{"id":4711,"name":"example.com"}],"meta":{"pagination":{"page":1,"per_page":1,"next_page":2,"last_page":9,"total_entries":9}}}`},
		{Status: 200, Body: `{"rrset":{"id":"home/A","name":"home","type":"A","ttl":null,"records":[{"value":"81.2.69.160","comment":"ddns-operator:uid:ns/home"}],"zone":4711}}`},
		{Status: 201, Body: `{"rrset":{"id":"home/A","name":"home","type":"A","ttl":600,"records":[{"value":"81.2.69.160","comment":""}]},"action":{"id":13,"command":"create_rrset","status":"success","progress":100,"error":null}}`},
		{Status: 201, Body: `{"action":{"id":14,"command":"set_rrset_records","status":"error","progress":100,"error":{"code":"action_failed","message":"Action failed"}}}`},
		{Status: 401, Body: `{"error":{"code":"unauthorized","message":"unable to authenticate","details":{}}}`},
		{Status: 404, Body: `{"error":{"code":"not_found","message":"rrset not found","details":{}}}`},
		{Status: 422, Body: `{"error":{"code":"invalid_input","message":"invalid input in field 'ttl'","details":{"fields":[{"name":"ttl","messages":["must be greater than or equal to 60"]}]}}}`},
		{Status: 429, Body: `{"error":{"code":"rate_limit_exceeded","message":"limit of 3600 requests per hour reached","details":{}}}`},
	})
}

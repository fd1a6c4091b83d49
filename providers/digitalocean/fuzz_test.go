package digitalocean_test

import (
	"net/http"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/digitalocean"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// FuzzDigitalOceanResponses feeds the provider arbitrary answers to every
// call: decoding and error mapping must never panic, loop, leave an error
// unclassified or repeat the token.
func FuzzDigitalOceanResponses(f *testing.F) {
	const token = "dop_v1_fuzz0123456789abcdef0123456789abcdef0123456789abcdef01234567"
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return digitalocean.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, secret(token), nil)
	}, []string{token}, []providertest.FuzzSeed{
		{Status: 200, Body: `{"domains":[{"name":"example.com","ttl":1800}],"links":{},"meta":{"total":1}}`},
		{Status: 200, Body: `{"domain_records":[{"id":28448429,"type":"A","name":"home","data":"81.2.69.160","ttl":1800}],"links":{"pages":{"next":"https://api.digitalocean.com/v2/domains/example.com/records?page=2"}},"meta":{"total":9}}`},
		{Status: 200, Body: `{"domain":{"name":"example.com","ttl":1800}}`},
		{Status: 201, Body: `{"domain_record":{"id":28448430,"type":"A","name":"home","data":"81.2.69.160","ttl":1800}}`},
		{Status: 401, Body: `{"id":"unauthorized","message":"Unable to authenticate you"}`},
		{Status: 404, Body: `{"id":"not_found","message":"The resource you were accessing could not be found."}`},
		{Status: 422, Body: `{"id":"unprocessable_entity","message":"TTL must be at least 30 seconds."}`},
		{Status: 429, Body: `{"id":"too_many_requests","message":"API Rate limit exceeded."}`},
	})
}

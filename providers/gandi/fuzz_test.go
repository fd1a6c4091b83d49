package gandi_test

import (
	"net/http"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/gandi"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// FuzzGandiResponses feeds the provider arbitrary answers to every call:
// decoding and error mapping must never panic, loop, leave an error
// unclassified or repeat the token.
func FuzzGandiResponses(f *testing.F) {
	const token = "pat_fuzz-0123456789abcdef0123456789ab"
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return gandi.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, secret(token), nil)
	}, []string{token}, []providertest.FuzzSeed{
		{Status: 200, Body: `[{"fqdn":"example.com","domain_href":"https://api.gandi.net/v5/livedns/domains/example.com"}]`},
		{Status: 200, Body: `{"rrset_name":"home","rrset_type":"A","rrset_ttl":300,"rrset_values":["81.2.69.160","81.2.69.161"]}`},
		{Status: 200, Body: `[{"rrset_name":"_ddns-owner-a.home","rrset_type":"TXT","rrset_ttl":300,"rrset_values":["\"ddns-operator:uid:ns/home\""]}]`},
		{Status: 201, Body: `{"message":"DNS Record Created"}`},
		{Status: 400, Body: `{"code":400,"message":"Bad Request","object":"HTTPBadRequest","cause":"Bad Request","errors":[{"location":"body","name":"rrset_ttl","description":"Must be between 300 and 2592000."}]}`},
		{Status: 401, Body: `{"code":401,"message":"Unauthorized","object":"HTTPUnauthorized","cause":"Unauthorized"}`},
		{Status: 404, Body: `{"code":404,"message":"Can't find the DNS record","object":"dns-record","cause":"Not Found"}`},
		{Status: 409, Body: `{"code":409,"message":"A DNS Record already exists with same value","object":"HTTPConflict","cause":"Conflict"}`},
		{Status: 429, RetryAfter: "30", Body: `{"code":429,"message":"Too many requests","object":"HTTPTooManyRequests","cause":"Too Many Requests"}`},
	})
}

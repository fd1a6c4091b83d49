package ovh_test

import (
	"net/http"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/ovh"
	"github.com/ddns-operator/ddns-operator/providers/ovh/ovhfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// FuzzOVHResponses feeds the provider, SDK included, arbitrary answers to
// every call (the time query too): decoding and error mapping must never
// panic, loop, leave an error unclassified or repeat a credential.
func FuzzOVHResponses(f *testing.F) {
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return ovh.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, secret(ovhfake.ApplicationSecret), nil)
	}, []string{ovhfake.ApplicationSecret, ovhfake.ConsumerKey}, []providertest.FuzzSeed{
		{Status: 200, Body: `1759302000`},
		{Status: 200, Body: `["example.com","example.org"]`},
		{Status: 200, Body: `[5088000001,5088000002]`},
		{Status: 200, Body: `{"id":5088000001,"zone":"example.com","subDomain":"home","fieldType":"A","target":"81.2.69.160","ttl":0}`},
		{Status: 200, Body: `{"ttl":3600,"serial":2025100100}`},
		{Status: 200, Body: `null`},
		{Status: 400, Body: `{"errorCode":"INVALID_SIGNATURE","httpCode":"400 Bad Request","message":"Invalid signature"}`},
		{Status: 403, Body: `{"errorCode":"INVALID_CREDENTIAL","httpCode":"403 Forbidden","message":"This credential is not valid"}`},
		{Status: 404, Body: `{"class":"Client::NotFound","message":"This service does not exist"}`},
		{Status: 429, Body: `{"class":"Client::TooManyRequests","message":"Too many requests"}`},
	})
}

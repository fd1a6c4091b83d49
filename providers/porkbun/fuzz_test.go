package porkbun_test

import (
	"net/http"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/porkbun"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// FuzzPorkbunResponses feeds the provider arbitrary answers: decoding and
// error mapping must never panic, loop, leave an error unclassified or
// repeat the secret key.
func FuzzPorkbunResponses(f *testing.F) {
	const sec = "sk1_fuzzporkbunsecret0123456789abcdef"
	data := secret("pk1_fuzzporkbunkey", sec)
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return porkbun.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, data, nil)
	}, []string{sec}, []providertest.FuzzSeed{
		{Status: 200, Body: `{"status":"SUCCESS","domains":[{"domain":"example.com","status":"ACTIVE","tld":"com"}]}`},
		{Status: 200, Body: `{"status":"SUCCESS","records":[{"id":"106926659","name":"home.example.com","type":"A","content":"81.2.69.160","ttl":"600","prio":"0","notes":"ddns-operator:x:default/home"}]}`},
		{Status: 200, Body: `{"status":"SUCCESS","id":106926652}`},
		{Status: 400, Body: `{"status":"ERROR","message":"Invalid API key. (002)"}`},
		{Status: 400, Body: `{"status":"ERROR","message":"Domain is not opted in to API access."}`},
		{Status: 400, Body: `{"status":"ERROR","message":"Invalid domain."}`},
		{Status: 400, Body: `{"status":"ERROR","message":"Invalid record ID."}`},
		{Status: 503, Body: "<html><head><title>503 Service Temporarily Unavailable</title></head></html>"},
	})
}

package cloudflare_test

import (
	"net/http"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// FuzzCloudflareResponses feeds the provider arbitrary answers (status,
// Retry-After, body) to every call: decoding and error mapping must never
// panic, loop, leave an error unclassified or repeat a credential.
func FuzzCloudflareResponses(f *testing.F) {
	secret := map[string][]byte{"apiToken": []byte("fuzzCloudflareToken0123456789abcdefGHIJ")}
	var values []string
	for _, v := range secret {
		values = append(values, string(v))
	}
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return cloudflare.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, secret, nil)
	}, values, []providertest.FuzzSeed{
		{Status: 200, Body: `{"success":true,"errors":[],"messages":[],"result":[{"id":"023e105f4ecef8ad9ca31a8372d0c353","name":"example.com","status":"active"}],"result_info":{"page":1,"per_page":50,"count":1,"total_count":1,"total_pages":1}}`},
		{Status: 200, Body: `{"success":true,"errors":[],"messages":[],"result":[{"id":"372e67954025e0ba6aaa6d586b9e0b59","name":"home.example.com","type":"A","content":"81.2.69.160","ttl":600,"proxied":false}],"result_info":{"page":1,"per_page":100,"count":1,"total_count":1,"total_pages":1}}`},
		{Status: 200, Body: `{"success":true,"errors":[],"messages":[],"result":{"id":"372e67954025e0ba6aaa6d586b9e0b59","name":"home.example.com","type":"A","content":"81.2.69.160","ttl":600}}`},
		{Status: 200, Body: `{"success":true,"result":[{"id":"a","name":"home.example.com","type":"A"}],"result_info":{"page":1,"per_page":1,"total_pages":99999}}`},
		{Status: 403, Body: `{"success":false,"errors":[{"code":9109,"message":"Invalid access token"}],"messages":[],"result":null}`},
		{Status: 400, Body: `{"success":false,"errors":[{"code":1004,"message":"DNS Validation Error","error_chain":[{"code":9021,"message":"TTL must be between 60 and 86400 seconds, or 1 for Automatic."}]}],"result":null}`},
		{Status: 429, RetryAfter: "7", Body: `{"success":false,"errors":[{"code":971,"message":"Please wait and consider throttling your request speed"}],"result":null}`},
		{Status: 404, Body: `{"success":false,"errors":[{"code":81044,"message":"Record does not exist."}],"result":null}`},
	})
}

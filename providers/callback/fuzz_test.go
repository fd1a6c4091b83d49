package callback_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/callback"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// FuzzResponses answers callbacks with arbitrary statuses and bodies.
func FuzzResponses(f *testing.F) {
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return callback.Descriptor.New(providers.Env{HTTPClient: hc},
			map[string][]byte{"url": []byte(endpoint + "/hook?token=cb-fuzz-token-1&ip=#{ip}")}, nil)
	}, []string{"cb-fuzz-token-1"}, []providertest.FuzzSeed{{Status: 204}, {Status: 302, Body: "moved"}})
}

// FuzzTemplates checks any URL and body: a Secret is either refused with
// a credentials error, or every request built from it is a valid request
// whose JSON body (when JSON) is valid JSON.
func FuzzTemplates(f *testing.F) {
	f.Add("https://h.example.net/u?ip=#{ip}&d=#{domain}", `{"ip":"#{ip}","ttl":#{ttl}}`)
	f.Add("http://#{domain}:8080/#{recordType}", "a=#{ip}&b=#{timestamp}")
	f.Add("https://h.example.net/#{ipv6Addr}", `["#{ipv4Addr}", #{timestamp}]`)
	f.Fuzz(func(t *testing.T, url, body string) {
		r, err := callback.FromSecretData(map[string][]byte{"url": []byte(url), "body": []byte(body)})
		if err != nil {
			if providers.KindOf(err) != providers.KindCredentials {
				t.Fatalf("refusal of kind %s: %v", providers.KindOf(err), err)
			}
			return
		}
		for _, v := range []callback.Values{
			{"ip": "81.2.69.160", "domain": "home.example.com", "recordType": "A", "ttl": "600", "ipv4Addr": "81.2.69.160", "timestamp": "1"},
			{"ip": "2a02:2e0:3fe:1001:302::1", "domain": "_x.example.com", "recordType": "AAAA", "ttl": "1", "ipv6Addr": "2a02:2e0:3fe:1001:302::1", "timestamp": "1"},
		} {
			req, err := r.Build(context.Background(), v, "")
			if err != nil {
				t.Fatalf("an accepted template builds no request for %v: %v", v, err)
			}
			if req.Header.Get("Content-Type") == "application/json" {
				b, _ := io.ReadAll(req.Body)
				if !json.Valid(b) {
					t.Fatalf("an accepted JSON body template made invalid JSON %q", b)
				}
			}
		}
	})
}

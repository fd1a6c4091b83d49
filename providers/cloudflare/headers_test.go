package cloudflare_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare"
)

// Every request names the operator in User-Agent (the Env's, else
// DefaultUserAgent), asks for JSON and carries the credential as the API
// documents it: a token as a Bearer Authorization, the Global API Key as
// X-Auth-Key with X-Auth-Email, never both.
// (The SDK the provider once used sent "Cloudflare/Go <version>".)
func TestRequestHeaders(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ua     string
		secret map[string][]byte
		want   map[string]string
	}{
		{name: "token, operator's agent", ua: "ddns-operator/1.2.3 (+https://github.com/ddns-operator/ddns-operator)", secret: tokenSecret(secretToken),
			want: map[string]string{"User-Agent": "ddns-operator/1.2.3 (+https://github.com/ddns-operator/ddns-operator)", "Authorization": "Bearer " + secretToken, "X-Auth-Key": "", "X-Auth-Email": ""}},
		{name: "global key, default agent", secret: keySecret(secretKey, secretMail),
			want: map[string]string{"User-Agent": cloudflare.DefaultUserAgent, "Authorization": "", "X-Auth-Key": secretKey, "X-Auth-Email": secretMail}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var got http.Header
			var path string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				got, path = r.Header.Clone(), r.URL.Path
				mu.Unlock()
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"success":true,"errors":[],"messages":[],"result":[{"id":"023e105f4ecef8ad9ca31a8372d0c353","name":"example.com"}],"result_info":{"page":1,"per_page":50,"total_pages":1}}`))
			}))
			t.Cleanup(srv.Close)
			p, err := cloudflare.Descriptor.New(providers.Env{Endpoint: srv.URL + "/", UserAgent: tc.ua}, tc.secret, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.FindZone(context.Background(), "home.example.com", ""); err != nil {
				t.Fatalf("FindZone: %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			want := map[string]string{"Accept": "application/json"}
			for k, v := range tc.want {
				want[k] = v
			}
			for k, v := range want {
				if g := got.Get(k); g != v {
					t.Errorf("%s: %q, want %q", k, g, v)
				}
			}
			// The endpoint's trailing slash is not doubled.
			if path != "/zones" {
				t.Errorf("path %q, want /zones", path)
			}
		})
	}
}

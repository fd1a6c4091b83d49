package cloudflare_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare"
)

var (
	seenMu sync.Mutex
	seen   []string
)

// record checks an error produced by a test holds no credential and keeps
// it for the final sweep in TestMain.
func record(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		assertNoSecret(t, e.Error())
	}
	assertNoSecret(t, fmt.Sprintf("%+v", err))
	seenMu.Lock()
	seen = append(seen, err.Error())
	seenMu.Unlock()
}

func assertNoSecret(t *testing.T, s string) {
	t.Helper()
	for _, secret := range []string{secretToken, secretKey, secretMail} {
		if strings.Contains(s, secret) {
			t.Errorf("%q contains a credential", s)
		}
	}
}

// TestMain sweeps every error the tests recorded once more: no credential
// value may appear in any of them.
func TestMain(m *testing.M) {
	code := m.Run()
	seenMu.Lock()
	defer seenMu.Unlock()
	for _, s := range seen {
		for _, secret := range []string{secretToken, secretKey, secretMail} {
			if strings.Contains(s, secret) {
				fmt.Fprintf(os.Stderr, "error %q contains a credential\n", s)
				code = 1
			}
		}
	}
	os.Exit(code)
}

// canned answers every request with one status, headers and body.
func canned(t *testing.T, status int, header map[string]string, body string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for k, v := range header {
			w.Header().Set(k, v)
		}
		if _, set := header["Content-Type"]; !set {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func cfErr(code int, msg string) string {
	return fmt.Sprintf(`{"success":false,"errors":[{"code":%d,"message":%q}],"messages":[],"result":null}`, code, msg)
}

var zone = providers.Zone{ID: "023e105f4ecef8ad9ca31a8372d0c353", Name: "example.com"}

func TestErrorMapping(t *testing.T) {
	ttlBody := `{"result":null,"success":false,"errors":[{"code":1004,"message":"DNS Validation Error","error_chain":[{"code":9021,"message":"TTL must be between 60 and 86400 seconds, or 1 for Automatic."}]}],"messages":[]}`
	for _, tc := range []struct {
		name       string
		status     int
		header     map[string]string
		body       string
		kind       providers.Kind
		code       string
		contains   string
		retryAfter time.Duration
	}{
		{name: "invalid token", status: 403, body: cfErr(9109, "Invalid access token"), kind: providers.KindAuth, code: "9109", contains: "Invalid access token"},
		{name: "token without permission", status: 401, body: cfErr(10000, "Authentication error"), kind: providers.KindAuth, code: "10000"},
		{name: "unknown global key", status: 403, body: cfErr(9103, "Unknown X-Auth-Key or X-Auth-Email"), kind: providers.KindAuth, code: "9103"},
		{name: "missing headers", status: 400, body: cfErr(9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers"), kind: providers.KindAuth, code: "9106"},
		{name: "malformed authorization", status: 400, body: `{"success":false,"errors":[{"code":6003,"message":"Invalid request headers","error_chain":[{"code":6111,"message":"Invalid format for Authorization header"}]}],"messages":[],"result":null}`, kind: providers.KindAuth, code: "6111", contains: "Invalid format for Authorization header"},
		{name: "throttled with seconds", status: 429, header: map[string]string{"Retry-After": "30"}, body: cfErr(971, "Please wait and consider throttling your request speed"), kind: providers.KindRateLimited, code: "971", retryAfter: 30 * time.Second},
		{name: "throttled with a date", status: 429, header: map[string]string{"Retry-After": time.Now().Add(2 * time.Minute).UTC().Format(http.TimeFormat)}, body: cfErr(10100, "More than 1200 requests per 300 seconds reached. Please wait and consider throttling your request speed"), kind: providers.KindRateLimited, code: "10100", retryAfter: time.Minute},
		{name: "throttled without header", status: 429, body: cfErr(971, "Please wait and consider throttling your request speed"), kind: providers.KindRateLimited},
		{name: "internal error", status: 500, body: cfErr(10002, "Internal server error"), kind: providers.KindTransient},
		{name: "bad gateway html", status: 502, header: map[string]string{"Content-Type": "text/html"}, body: "<html>bad gateway</html>", kind: providers.KindTransient},
		{name: "garbled success", status: 200, body: `{"success":true,"result":[`, kind: providers.KindTransient},
		{name: "invalid ttl", status: 400, body: ttlBody, kind: providers.KindInvalid, code: "9021", contains: "between 60 and 86400"},
		{name: "identical record", status: 400, body: cfErr(81058, "An identical record already exists."), kind: providers.KindInvalid, code: "81058"},
		{name: "record gone", status: 404, body: cfErr(81044, "Record does not exist."), kind: providers.KindNotFound, code: "81044"},
		{name: "unknown zone id", status: 400, body: `{"success":false,"errors":[{"code":7003,"message":"Could not route to /zones/x/dns_records, perhaps your object identifier is invalid?"},{"code":7000,"message":"No route for that URI"}],"messages":[],"result":null}`, kind: providers.KindZoneNotFound, code: "7003"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := canned(t, tc.status, tc.header, tc.body)
			p, err := cloudflare.Descriptor.New(providers.Env{Endpoint: srv.URL}, tokenSecret(secretToken), nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.UpdateRecord(context.Background(), zone, providers.Record{ID: "372e67954025e0ba6aaa6d586b9e0b59", Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600})
			record(t, err)
			if err == nil {
				t.Fatal("no error")
			}
			t.Logf("%s: %v", providers.KindOf(err), err)
			if k := providers.KindOf(err); k != tc.kind {
				t.Fatalf("error %q is of kind %s, want %s", err, k, tc.kind)
			}
			var pe *providers.Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *providers.Error", err)
			}
			if tc.code != "" && pe.Code != tc.code {
				t.Errorf("code = %q, want %q", pe.Code, tc.code)
			}
			if !strings.Contains(err.Error(), tc.contains) {
				t.Errorf("error %q does not contain %q", err, tc.contains)
			}
			got, _ := providers.RetryAfterOf(err)
			if tc.retryAfter == 0 && got != 0 || tc.retryAfter != 0 && (got < tc.retryAfter || got > 3*tc.retryAfter) {
				t.Errorf("retry after = %v, want about %v", got, tc.retryAfter)
			}
			if strings.Contains(err.Error(), srv.URL) || strings.Contains(err.Error(), "dns_records/372e") {
				t.Errorf("error %q repeats the request URL", err)
			}
		})
	}
}

func TestDeleteOfAGoneRecordIsNotAnError(t *testing.T) {
	srv := canned(t, 404, nil, cfErr(81044, "Record does not exist."))
	p, _ := cloudflare.Descriptor.New(providers.Env{Endpoint: srv.URL}, tokenSecret(secretToken), nil)
	if err := p.DeleteRecord(context.Background(), zone, providers.Record{ID: "372e67954025e0ba6aaa6d586b9e0b59"}); err != nil {
		t.Fatalf("DeleteRecord: %v", err)
	}
}

func TestTransportErrorsAreTransient(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	p, _ := cloudflare.Descriptor.New(providers.Env{Endpoint: url}, keySecret(secretKey, secretMail), nil)
	_, err := p.FindZone(context.Background(), "home.example.com", "")
	record(t, err)
	if k := providers.KindOf(err); err == nil || k != providers.KindTransient {
		t.Fatalf("error %v is of kind %s, want transient", err, k)
	}
	if strings.Contains(err.Error(), url) {
		t.Fatalf("error %q repeats the request URL", err)
	}
}

func TestTimeoutIsTransient(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-block }))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(block) })
	p, _ := cloudflare.Descriptor.New(providers.Env{Endpoint: srv.URL, HTTPClient: &http.Client{Timeout: 50 * time.Millisecond}}, tokenSecret(secretToken), nil)
	_, err := p.ListRecords(context.Background(), zone, "home.example.com", "A")
	record(t, err)
	if k := providers.KindOf(err); err == nil || k != providers.KindTransient {
		t.Fatalf("error %v is of kind %s, want transient", err, k)
	}
}

// A hostile or buggy server that echoes the credential back must not get it
// into an error message.
func TestEchoedCredentialIsScrubbed(t *testing.T) {
	srv := canned(t, 403, nil, cfErr(9109, "Invalid access token "+secretToken))
	p, _ := cloudflare.Descriptor.New(providers.Env{Endpoint: srv.URL}, tokenSecret(secretToken), nil)
	_, err := p.FindZone(context.Background(), "home.example.com", "")
	record(t, err)
	if providers.KindOf(err) != providers.KindAuth || !strings.Contains(err.Error(), "[redacted]") {
		t.Fatalf("error %q: want an auth error with the token redacted", err)
	}
}

package dnspod_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/dnspod"
	"github.com/ddns-operator/ddns-operator/providers/dnspod/dnspodfake"
)

// stub answers every request with status and body, as the API or the front
// end before it might.
func stub(t *testing.T, status int, header http.Header, body string) providers.Provider {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	p, err := dnspod.Descriptor.New(providers.Env{Endpoint: srv.URL}, secret(dnspodfake.LoginToken), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func envelope(code, message string) string {
	return `{"status":{"code":"` + code + `","message":"` + message + `","created_at":"2024-01-01 00:00:00"}}`
}

// The error mapping end to end: what reaches the provider over HTTP and the
// kind it becomes.
func TestErrorMapping(t *testing.T) {
	for _, tc := range []struct {
		name       string
		status     int
		header     http.Header
		body       string
		want       providers.Kind
		retryAfter time.Duration
		inMessage  string
	}{
		{name: "login failed", status: 200, body: envelope("-1", "Login fail, please check login info"), want: providers.KindAuth, inMessage: "Login fail"},
		{name: "too many login failures", status: 200, body: envelope("-8", "Login failed too many times"), want: providers.KindAuth},
		{name: "account locked", status: 200, body: envelope("83", "Account locked"), want: providers.KindAuth},
		{name: "api limited", status: 200, body: envelope("-2", "API usage is limited"), want: providers.KindRateLimited, inMessage: "API usage is limited"},
		{name: "service paused", status: 200, body: envelope("-99", "Service paused"), want: providers.KindTransient},
		{name: "unknown error", status: 200, body: envelope("3", "Unknown error"), want: providers.KindTransient},
		{name: "numeric code", status: 200, body: `{"status":{"code":-1,"message":"Login fail"}}`, want: providers.KindAuth},
		{name: "HTTP 429 with Retry-After", status: 429, header: http.Header{"Retry-After": {"30"}}, body: "slow down", want: providers.KindRateLimited, retryAfter: 30 * time.Second},
		{name: "HTTP 429 without Retry-After", status: 429, body: "", want: providers.KindRateLimited},
		{name: "HTTP 502 page", status: 502, body: "<html>502 Bad Gateway</html>", want: providers.KindTransient},
		{name: "HTTP 503 with an envelope", status: 503, body: envelope("1", "ok"), want: providers.KindTransient},
		{name: "HTTP 200 HTML", status: 200, body: "<html>maintenance</html>", want: providers.KindTransient},
		{name: "HTTP 200 truncated JSON", status: 200, body: `{"status":{"code":"1"`, want: providers.KindTransient},
		{name: "HTTP 200 without status", status: 200, body: `{"domains":[]}`, want: providers.KindTransient},
		{name: "success with a garbled domain list", status: 200, body: `{"status":{"code":"1","message":"ok"},"domains":"nope"}`, want: providers.KindTransient},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := stub(t, tc.status, tc.header, tc.body)
			_, err := p.FindZone(t.Context(), "home.example.com", "")
			if err == nil {
				t.Fatal("no error")
			}
			if got := providers.KindOf(err); got != tc.want {
				t.Fatalf("error %q is %s, want %s", err, got, tc.want)
			}
			if d, _ := providers.RetryAfterOf(err); d != tc.retryAfter {
				t.Fatalf("retry after %v, want %v", d, tc.retryAfter)
			}
			if !strings.Contains(err.Error(), tc.inMessage) {
				t.Fatalf("error %q lost the API's message %q", err, tc.inMessage)
			}
		})
	}
}

// Record.List's "10 没有记录" (sent when error_on_empty is not honoured) and
// Domain.List's "9 没有任何域名" are empty results, not errors.
func TestNoDataCodesAreEmptyResults(t *testing.T) {
	p := stub(t, 200, nil, envelope("10", "No records"))
	got, err := p.ListRecords(t.Context(), providers.Zone{ID: "1", Name: "example.com"}, "home.example.com", "A")
	if err != nil || len(got) != 0 {
		t.Fatalf("ListRecords = %v, %v", got, err)
	}
	p = stub(t, 200, nil, envelope("9", "No domains"))
	if _, err := p.FindZone(t.Context(), "home.example.com", ""); providers.KindOf(err) != providers.KindZoneNotFound {
		t.Fatalf("FindZone on an account without domains = %v, want zone not found", err)
	}
}

func TestTransportErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	p, err := dnspod.Descriptor.New(providers.Env{Endpoint: url}, secret(dnspodfake.LoginToken), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.FindZone(t.Context(), "home.example.com", "")
	if providers.KindOf(err) != providers.KindTransient {
		t.Fatalf("connection refused: %v", err)
	}
	if strings.Contains(err.Error(), url) {
		t.Fatalf("error %q repeats the request URL", err)
	}

	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) })
	p, _ = dnspod.Descriptor.New(providers.Env{Endpoint: slow.URL, HTTPClient: &http.Client{Timeout: 50 * time.Millisecond}}, secret(dnspodfake.LoginToken), nil)
	_, err = p.FindZone(t.Context(), "home.example.com", "")
	if providers.KindOf(err) != providers.KindTransient || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("timeout: %v", err)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = p.ListRecords(ctx, providers.Zone{ID: "1", Name: "example.com"}, "home.example.com", "A")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

package gandi

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
)

func TestRefusal(t *testing.T) {
	for _, tc := range []struct {
		name       string
		status     int
		retryAfter string
		body       string
		kind       providers.Kind
		text       string
		after      time.Duration
	}{
		{"unauthorized", 401, "", `{"code":401,"message":"The server could not verify that you authorized to access the document you requested.","object":"HTTPUnauthorized","cause":"Unauthorized"}`, providers.KindAuth, "could not verify", 0},
		{"forbidden", 403, "", `{"code":403,"message":"Access was denied to this resource.","object":"HTTPForbidden","cause":"Forbidden"}`, providers.KindAuth, "denied", 0},
		{"TTL too small", 400, "", `{"code":400,"message":"Bad Request","object":"HTTPBadRequest","cause":"Bad Request","errors":[{"location":"body","name":"rrset_ttl","description":"Must be between 300 and 2592000."}]}`, providers.KindInvalid, "rrset_ttl: Must be between 300", 0},
		{"not found", 404, "", `{"code":404,"message":"Can't find the DNS record","object":"dns-record","cause":"Not Found"}`, providers.KindNotFound, "Can't find", 0},
		{"conflict", 409, "", `{"code":409,"message":"A DNS Record already exists with same value","object":"HTTPConflict","cause":"Conflict"}`, providers.KindTransient, "already exists", 0},
		{"throttled", 429, "12", `{"code":429,"message":"Too many requests","object":"HTTPTooManyRequests","cause":"Too Many Requests"}`, providers.KindRateLimited, "Too many", 12 * time.Second},
		{"throttled without a body", 429, "", ``, providers.KindRateLimited, "too many requests", 0},
		{"server error", 500, "", `<html>oops</html>`, providers.KindTransient, "internal server error", 0},
		{"bad gateway", 502, "", `{"code":502,"message":"Bad gateway","object":"HTTPBadGateway","cause":"Bad Gateway"}`, providers.KindTransient, "Bad gateway", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			if tc.retryAfter != "" {
				h.Set("Retry-After", tc.retryAfter)
			}
			err := refusal("list domains", tc.status, h, []byte(tc.body))
			if providers.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.text) || !strings.HasPrefix(err.Error(), "list domains: ") {
				t.Fatalf("refusal = %v (kind %s), want kind %s with %q", err, providers.KindOf(err), tc.kind, tc.text)
			}
			if d, _ := providers.RetryAfterOf(err); d != tc.after {
				t.Fatalf("retry after %s, want %s", d, tc.after)
			}
		})
	}
	if err := zoneError(refusal("read", 404, http.Header{}, nil), "example.com"); providers.KindOf(err) != providers.KindZoneNotFound || !strings.Contains(err.Error(), "example.com") {
		t.Fatalf("a 404 from a domain's endpoint = %v", err)
	}
}

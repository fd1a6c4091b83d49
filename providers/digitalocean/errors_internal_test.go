package digitalocean

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
)

func TestRefusal(t *testing.T) {
	reset := strconv.FormatInt(time.Now().Add(20*time.Second).Unix(), 10)
	for _, tc := range []struct {
		name          string
		status        int
		header        map[string]string
		body          string
		kind          providers.Kind
		text          string
		minAfter, max time.Duration
	}{
		{"unauthorized", 401, nil, `{"id":"unauthorized","message":"Unable to authenticate you"}`, providers.KindAuth, "Unable to authenticate", 0, 0},
		{"forbidden", 403, nil, `{"id":"Forbidden","message":"You are not authorized to perform this operation"}`, providers.KindAuth, "not authorized", 0, 0},
		{"TTL too small", 422, nil, `{"id":"unprocessable_entity","message":"TTL must be at least 30 seconds."}`, providers.KindInvalid, "at least 30", 0, 0},
		{"not found", 404, nil, `{"id":"not_found","message":"The resource you were accessing could not be found."}`, providers.KindNotFound, "could not be found", 0, 0},
		{"throttled, reset in 20s", 429, map[string]string{"RateLimit-Reset": reset}, `{"id":"too_many_requests","message":"API Rate limit exceeded."}`, providers.KindRateLimited, "Rate limit", 19 * time.Second, 22 * time.Second},
		{"throttled, Retry-After", 429, map[string]string{"Retry-After": "5"}, `{"id":"too_many_requests","message":"API Rate limit exceeded."}`, providers.KindRateLimited, "Rate limit", 5 * time.Second, 5 * time.Second},
		{"throttled, no time", 429, nil, ``, providers.KindRateLimited, "too many requests", 0, 0},
		{"server error", 500, nil, `{"id":"server_error","message":"Unexpected server-side error"}`, providers.KindTransient, "Unexpected", 0, 0},
		{"an HTML 503", 503, nil, `<html>down</html>`, providers.KindTransient, "service unavailable", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tc.header {
				h.Set(k, v)
			}
			err := refusal("list domains", tc.status, h, []byte(tc.body))
			if providers.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("refusal = %v (kind %s), want kind %s with %q", err, providers.KindOf(err), tc.kind, tc.text)
			}
			if d, _ := providers.RetryAfterOf(err); d < tc.minAfter || d > tc.max {
				t.Fatalf("retry after %s, want %s..%s", d, tc.minAfter, tc.max)
			}
		})
	}
}

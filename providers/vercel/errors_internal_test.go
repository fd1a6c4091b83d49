package vercel

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

func TestAnswerError(t *testing.T) {
	reset := strconv.FormatInt(time.Now().Add(30*time.Second).Unix(), 10)
	for _, tc := range []struct {
		name    string
		status  int
		header  http.Header
		body    string
		want    providers.Kind
		says    string
		waitMin time.Duration
	}{
		{"invalid token", 403, nil, `{"error":{"code":"forbidden","message":"Not authorized","invalidToken":true}}`, providers.KindAuth, "invalid or expired", 0},
		{"no access to the team", 403, nil, `{"error":{"code":"forbidden","message":"Not authorized"}}`, providers.KindAuth, "spec.vercel.teamId", 0},
		{"missing", 404, nil, `{"error":{"code":"not_found","message":"DNS record not found"}}`, providers.KindNotFound, "not found", 0},
		{"throttled until reset", 429, http.Header{"X-Ratelimit-Reset": {reset}}, `{"error":{"code":"rate_limited","message":"Rate limit exceeded"}}`, providers.KindRateLimited, "Rate limit", 20 * time.Second},
		{"throttled with Retry-After", 429, http.Header{"Retry-After": {"7"}}, `{"error":{"code":"rate_limited","message":"Rate limit exceeded"}}`, providers.KindRateLimited, "Rate limit", 7 * time.Second},
		{"TTL refused", 400, nil, "{\"error\":{\"code\":\"bad_request\",\"message\":\"Invalid request: `ttl` is invalid.\"}}", providers.KindInvalid, "smallest TTL is 60", 0},
		{"server error", 500, nil, `{"error":{"code":"internal_server_error","message":"An unexpected internal error occurred"}}`, providers.KindTransient, "unexpected internal error", 0},
		{"HTML gateway page", 502, nil, `<html>Bad Gateway</html>`, providers.KindTransient, "502", 0},
		{"token echoed", 400, nil, `{"error":{"code":"bad_request","message":"bad vcp_secret"}}`, providers.KindInvalid, "[redacted]", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.header == nil {
				tc.header = http.Header{}
			}
			err := answerError(&jsonapi.Response{Status: tc.status, Header: tc.header, Body: []byte(tc.body)}, "vercel list records", "vcp_secret")
			if providers.KindOf(err) != tc.want || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("answerError = %v (%s), want %s saying %q", err, providers.KindOf(err), tc.want, tc.says)
			}
			if d, _ := providers.RetryAfterOf(err); d < tc.waitMin {
				t.Fatalf("retry-after %s, want at least %s", d, tc.waitMin)
			}
			if strings.Contains(err.Error(), "vcp_secret") {
				t.Fatalf("error %q holds the token", err)
			}
		})
	}
}

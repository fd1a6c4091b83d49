package googleclouddns

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/ddns-operator/ddns-operator/providers"
)

func TestRefusal(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		kind   providers.Kind
		text   string
	}{
		{"unauthenticated", 401, `{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}`, providers.KindAuth, "invalid authentication"},
		{"no permission", 403, `{"error":{"code":403,"message":"Forbidden","status":"PERMISSION_DENIED","errors":[{"reason":"forbidden"}]}}`, providers.KindAuth, "Forbidden"},
		{"the API is off", 403, `{"error":{"code":403,"message":"Cloud DNS API has not been used in project 4711 before or it is disabled.","status":"PERMISSION_DENIED","errors":[{"reason":"accessNotConfigured"}]}}`, providers.KindAuth, "disabled"},
		{"throttled as 403", 403, `{"error":{"code":403,"message":"Rate Limit Exceeded","errors":[{"reason":"rateLimitExceeded"}]}}`, providers.KindRateLimited, "Rate Limit"},
		{"throttled", 429, `{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}`, providers.KindRateLimited, "Quota"},
		{"a set changed meanwhile", 412, `{"error":{"code":412,"message":"Precondition not met for 'entity.change.deletions[0]'","errors":[{"reason":"conditionNotMet"}]}}`, providers.KindTransient, "changed since"},
		{"a set made meanwhile", 409, `{"error":{"code":409,"message":"The resource 'entity.change.additions[0]' named 'home.example.com. (A)' already exists","errors":[{"reason":"alreadyExists"}]}}`, providers.KindTransient, "already exists"},
		{"a bad value", 400, `{"error":{"code":400,"message":"Invalid value for 'entity.change.additions[0].rrdata[0]': '1.2.3'","errors":[{"reason":"invalid"}]}}`, providers.KindInvalid, "Invalid value"},
		{"not found", 404, `{"error":{"code":404,"message":"The 'parameters.managedZone' resource named 'x' does not exist.","errors":[{"reason":"notFound"}]}}`, providers.KindNotFound, "does not exist"},
		{"backend", 503, `<html>unavailable</html>`, providers.KindTransient, "service unavailable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := refusal("list managed zones", tc.status, http.Header{}, []byte(tc.body))
			if providers.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("refusal = %v (kind %s), want kind %s with %q", err, providers.KindOf(err), tc.kind, tc.text)
			}
		})
	}
}

func TestTokenError(t *testing.T) {
	key := &ServiceAccountKey{ClientEmail: "ddns@p.iam.gserviceaccount.com"}
	for _, tc := range []struct {
		name string
		err  error
		kind providers.Kind
		text string
	}{
		{"a key Google does not know", &oauth2.RetrieveError{Response: &http.Response{StatusCode: 400}, ErrorCode: "invalid_grant", ErrorDescription: "Invalid JWT Signature."}, providers.KindAuth, "service account ddns@p.iam.gserviceaccount.com: invalid_grant Invalid JWT Signature."},
		{"throttled", &oauth2.RetrieveError{Response: &http.Response{StatusCode: 429}}, providers.KindRateLimited, "too many requests"},
		{"backend", &oauth2.RetrieveError{Response: &http.Response{StatusCode: 500}, ErrorCode: "internal_failure"}, providers.KindTransient, "internal_failure"},
		{"unreachable", errors.New("dial tcp: connection refused"), providers.KindTransient, "connection refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tokenError(tc.err, key)
			if providers.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("tokenError = %v (kind %s), want kind %s with %q", err, providers.KindOf(err), tc.kind, tc.text)
			}
		})
	}
}

package porkbun

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

func TestAnswerError(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   providers.Kind
		says   string
	}{
		{"wrong key", 400, `{"status":"ERROR","message":"Invalid API key. (002)"}`, providers.KindAuth, "Invalid API key"},
		{"API access off", 400, `{"status":"ERROR","message":"Domain is not opted in to API access."}`, providers.KindAuth, "Turn on API Access for example.com"},
		{"unknown domain", 400, `{"status":"ERROR","message":"Invalid domain."}`, providers.KindZoneNotFound, "not a domain of this account"},
		{"record gone", 400, `{"status":"ERROR","message":"Invalid record ID."}`, providers.KindNotFound, "Invalid record ID"},
		{"TTL refused", 400, `{"status":"ERROR","message":"TTL too low."}`, providers.KindInvalid, "600"},
		{"other refusal", 400, `{"status":"ERROR","message":"Invalid type."}`, providers.KindInvalid, "Invalid type"},
		{"throttled page", 429, `<html>429</html>`, providers.KindRateLimited, "429"},
		{"front end down", 503, `<html>503 Service Temporarily Unavailable</html>`, providers.KindTransient, "503"},
		{"error envelope with 500", 500, `{"status":"ERROR","message":"Internal error"}`, providers.KindTransient, "Internal error"},
		{"secret echoed", 400, `{"status":"ERROR","message":"bad key sk1_secret-value"}`, providers.KindInvalid, "[redacted]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := &jsonapi.Response{Status: tc.status, Header: http.Header{}, Body: []byte(tc.body)}
			var st status
			decodeErr := jsonapi.Decode(resp, &st, "porkbun dns/retrieve")
			err := answerError(resp, st, decodeErr, "porkbun dns/retrieve", "example.com", "sk1_secret-value")
			if providers.KindOf(err) != tc.want || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("answerError = %v (%s), want %s saying %q", err, providers.KindOf(err), tc.want, tc.says)
			}
			if strings.Contains(err.Error(), "sk1_secret-value") {
				t.Fatalf("error %q holds the secret", err)
			}
		})
	}
}

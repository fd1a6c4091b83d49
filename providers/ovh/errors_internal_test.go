package ovh

import (
	"errors"
	"strings"
	"testing"

	goovh "github.com/ovh/go-ovh/ovh"

	"github.com/ddns-operator/ddns-operator/providers"
)

func TestMapError(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		kind providers.Kind
		text string
	}{
		{"a wrong application secret", &goovh.APIError{Code: 400, Message: "Invalid signature"}, providers.KindAuth, "Invalid signature"},
		{"a wrong consumer key", &goovh.APIError{Code: 403, Message: "This credential is not valid"}, providers.KindAuth, "credential"},
		{"a call the consumer key may not make", &goovh.APIError{Code: 403, Message: "This call has not been granted"}, providers.KindAuth, "granted"},
		{"IAM", &goovh.APIError{Code: 403, Class: "Client::Forbidden", Message: "User is not authorized",
			Details: map[string]string{"unauthorizedActionsByIAM": "dnsZone:apiovh:record/create"}}, providers.KindAuth, "dnsZone:apiovh:record/create"},
		{"TTL too small", &goovh.APIError{Code: 400, Class: "Client::BadRequest", Message: "[ttl] Given data (30) is less than minimum (60)"}, providers.KindInvalid, "minimum (60)"},
		{"not found", &goovh.APIError{Code: 404, Class: "Client::NotFound", Message: "The requested object (id = 5) does not exist"}, providers.KindNotFound, "does not exist"},
		{"throttled", &goovh.APIError{Code: 429, Class: "Client::TooManyRequests", Message: "Too many requests"}, providers.KindRateLimited, "Too many"},
		{"server error", &goovh.APIError{Code: 500, Class: "Server::InternalServerError", Message: "Internal server error"}, providers.KindTransient, "Internal"},
		{"a proxy page", &goovh.APIError{Code: 502, Message: "<html>bad gateway</html>"}, providers.KindTransient, "bad gateway"},
		{"a reset", errors.New("read tcp: connection reset by peer"), providers.KindTransient, "reset"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := mapError("list zones", tc.err)
			if providers.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("mapError = %v (kind %s), want kind %s with %q", err, providers.KindOf(err), tc.kind, tc.text)
			}
		})
	}
	if mapError("x", nil) != nil {
		t.Fatal("mapError(nil) is an error")
	}
}

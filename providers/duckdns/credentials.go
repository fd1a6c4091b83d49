package duckdns

import (
	"regexp"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// TokenKey is the Secret key holding the account's token.
const TokenKey = "token"

// tokenShape is a DuckDNS token: a UUID.
var tokenShape = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// FromSecretData reads the token, trimming whitespace and newlines, and
// checks its shape so a value pasted wrong is named before DuckDNS
// answers KO.
func FromSecretData(data map[string][]byte) (string, error) {
	raw, ok := data[TokenKey]
	if !ok {
		return "", providers.MissingKey(TokenKey)
	}
	v := strings.TrimSpace(string(raw))
	switch {
	case v == "":
		return "", providers.MalformedKey(TokenKey, "it is empty")
	case !tokenShape.MatchString(v):
		return "", providers.MalformedKey(TokenKey, "a DuckDNS token is a UUID such as 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0, as duckdns.org shows it")
	}
	return v, nil
}

package gcore

import (
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// TokenKey is the Secret key holding the permanent API token.
const TokenKey = "apiToken"

// Token is a Gcore permanent API token ("ID$SECRET").
type Token string

// String redacts the token so a stray %v cannot print it.
func (Token) String() string { return "gcore.Token{redacted}" }

// GoString redacts the token for %#v.
func (t Token) GoString() string { return t.String() }

// FromSecretData reads the token from a Secret's data, trimming
// whitespace around it.
func FromSecretData(data map[string][]byte) (Token, error) {
	raw, ok := data[TokenKey]
	if !ok {
		return "", providers.MissingKey(TokenKey)
	}
	v := strings.TrimSpace(string(raw))
	switch {
	case v == "":
		return "", providers.MalformedKey(TokenKey, "it is empty")
	case strings.HasPrefix(strings.ToLower(v), "apikey "):
		return "", providers.MalformedKey(TokenKey, `it starts with "APIKey ": store the token alone`)
	case strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return "", providers.MalformedKey(TokenKey, "it contains whitespace or control characters")
	}
	return Token(v), nil
}

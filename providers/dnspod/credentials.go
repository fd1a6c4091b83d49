package dnspod

import (
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// LoginTokenKey is the Secret key holding the DNSPod Token as "ID,TOKEN".
const LoginTokenKey = "loginToken"

// Credentials are a DNSPod Token: its numeric ID and its secret value.
type Credentials struct {
	ID    string
	Token string
}

// String redacts the token so a stray %v cannot print it.
func (Credentials) String() string { return "dnspod.Credentials{redacted}" }

// GoString redacts the token for %#v.
func (c Credentials) GoString() string { return c.String() }

// loginToken is the login_token parameter: "ID,TOKEN".
func (c Credentials) loginToken() string { return c.ID + "," + c.Token }

// FromSecretData reads the token from a Secret's data. The value is
// "ID,TOKEN" as the DNSPod console shows it; whitespace and newlines around
// it and around either part are trimmed.
func FromSecretData(data map[string][]byte) (Credentials, error) {
	raw, ok := data[LoginTokenKey]
	if !ok {
		return Credentials{}, providers.MissingKey(LoginTokenKey)
	}
	v := strings.TrimSpace(string(raw))
	if v == "" {
		return Credentials{}, providers.MalformedKey(LoginTokenKey, "it is empty")
	}
	id, token, found := strings.Cut(v, ",")
	if !found {
		return Credentials{}, providers.MalformedKey(LoginTokenKey, `it must be "ID,TOKEN": the token's numeric ID, a comma, and the token`)
	}
	id, token = strings.TrimSpace(id), strings.TrimSpace(token)
	switch {
	case id == "" || strings.ContainsFunc(id, func(r rune) bool { return r < '0' || r > '9' }):
		return Credentials{}, providers.MalformedKey(LoginTokenKey, "the part before the comma must be the token's numeric ID")
	case token == "":
		return Credentials{}, providers.MalformedKey(LoginTokenKey, "the token after the comma is empty")
	case strings.ContainsFunc(token, func(r rune) bool { return r <= ' ' || r == 0x7f || r == ',' }):
		return Credentials{}, providers.MalformedKey(LoginTokenKey, "the token after the comma contains whitespace, a comma or control characters")
	}
	return Credentials{ID: id, Token: token}, nil
}

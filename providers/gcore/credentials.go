package gcore

import (
	"github.com/ddns-operator/ddns-operator/providers/internal/secretdata"
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
	v, err := secretdata.Token(data, TokenKey, "APIKey")
	return Token(v), err
}

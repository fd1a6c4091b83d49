package vercel

import (
	"github.com/ddns-operator/ddns-operator/providers/internal/secretdata"
)

// TokenKey is the Secret key holding the access token.
const TokenKey = "apiToken"

// Token is a Vercel access token.
type Token string

// String redacts the token so a stray %v cannot print it.
func (Token) String() string { return "vercel.Token{redacted}" }

// GoString redacts the token for %#v.
func (t Token) GoString() string { return t.String() }

// FromSecretData reads the token from a Secret's data, trimming
// whitespace around it.
func FromSecretData(data map[string][]byte) (Token, error) {
	v, err := secretdata.Token(data, TokenKey, "Bearer")
	return Token(v), err
}

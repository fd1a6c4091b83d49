package godaddy

import (
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// The Secret keys the provider reads.
const (
	// KeyKey holds the API key (its public half).
	KeyKey = "apiKey"
	// SecretKey holds the API key's secret.
	SecretKey = "apiSecret"
)

// Credentials are a GoDaddy API key and its secret.
type Credentials struct {
	Key    string
	Secret string
}

// String redacts the secret so a stray %v cannot print it.
func (Credentials) String() string { return "godaddy.Credentials{redacted}" }

// GoString redacts the secret for %#v.
func (c Credentials) GoString() string { return c.String() }

// FromSecretData reads the key and secret from a Secret's data, trimming
// whitespace around each. Neither may hold a colon: the header joins them
// with one.
func FromSecretData(data map[string][]byte) (Credentials, error) {
	var c Credentials
	for _, k := range []struct {
		key string
		dst *string
	}{{KeyKey, &c.Key}, {SecretKey, &c.Secret}} {
		raw, ok := data[k.key]
		if !ok {
			return Credentials{}, providers.MissingKey(k.key)
		}
		v := strings.TrimSpace(string(raw))
		switch {
		case v == "":
			return Credentials{}, providers.MalformedKey(k.key, "it is empty")
		case strings.Contains(v, ":"):
			return Credentials{}, providers.MalformedKey(k.key, `it contains ":"; store the key and the secret under their own keys, not as "KEY:SECRET"`)
		case strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }):
			return Credentials{}, providers.MalformedKey(k.key, "it contains whitespace or control characters")
		}
		*k.dst = v
	}
	return c, nil
}

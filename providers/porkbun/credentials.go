package porkbun

import (
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// The Secret keys the provider reads.
const (
	// APIKeyKey holds the API key, "pk1_" and 64 hex digits.
	APIKeyKey = "apiKey"
	// SecretAPIKeyKey holds the secret API key, "sk1_" and 64 hex digits.
	SecretAPIKeyKey = "secretApiKey"
)

// Credentials are a Porkbun API key pair.
type Credentials struct {
	APIKey       string
	SecretAPIKey string
}

// String redacts the pair so a stray %v cannot print it.
func (Credentials) String() string { return "porkbun.Credentials{redacted}" }

// GoString redacts the pair for %#v.
func (c Credentials) GoString() string { return c.String() }

// FromSecretData reads the key pair from a Secret's data, trimming
// whitespace around each value.
func FromSecretData(data map[string][]byte) (Credentials, error) {
	var c Credentials
	for _, k := range []struct {
		key, wrongPrefix string
		dst              *string
	}{{APIKeyKey, "sk1_", &c.APIKey}, {SecretAPIKeyKey, "pk1_", &c.SecretAPIKey}} {
		raw, ok := data[k.key]
		if !ok {
			return Credentials{}, providers.MissingKey(k.key)
		}
		v := strings.TrimSpace(string(raw))
		switch {
		case v == "":
			return Credentials{}, providers.MalformedKey(k.key, "it is empty")
		case strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }):
			return Credentials{}, providers.MalformedKey(k.key, "it contains whitespace or control characters")
		case strings.HasPrefix(v, k.wrongPrefix):
			// Porkbun's API keys start with pk1_, secret keys with sk1_.
			return Credentials{}, providers.MalformedKey(k.key, "it holds the other key of the pair: apiKey is the key starting with pk1_, secretApiKey the one starting with sk1_")
		}
		*k.dst = v
	}
	return c, nil
}

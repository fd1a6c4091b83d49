package porkbun

import (
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/secretdata"
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
	key, err := secretdata.Value(data, APIKeyKey)
	if err != nil {
		return Credentials{}, err
	}
	secret, err := secretdata.Value(data, SecretAPIKeyKey)
	if err != nil {
		return Credentials{}, err
	}
	// Porkbun's API keys start with pk1_, secret keys with sk1_.
	if strings.HasPrefix(key, "sk1_") || strings.HasPrefix(secret, "pk1_") {
		return Credentials{}, providers.MalformedKey(APIKeyKey, "it holds the other key of the pair: apiKey is the key starting with pk1_, secretApiKey the one starting with sk1_")
	}
	return Credentials{APIKey: key, SecretAPIKey: secret}, nil
}

package godaddy

import (
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/secretdata"
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
	key, err := secretdata.Value(data, KeyKey)
	if err != nil {
		return Credentials{}, err
	}
	secret, err := secretdata.Value(data, SecretKey)
	if err != nil {
		return Credentials{}, err
	}
	for k, v := range map[string]string{KeyKey: key, SecretKey: secret} {
		if strings.Contains(v, ":") {
			return Credentials{}, providers.MalformedKey(k, `it contains ":"; store the key and the secret under their own keys, not as "KEY:SECRET"`)
		}
	}
	return Credentials{Key: key, Secret: secret}, nil
}

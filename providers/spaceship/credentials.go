package spaceship

import (
	"github.com/ddns-operator/ddns-operator/providers/internal/secretdata"
)

// The Secret keys the provider reads.
const (
	// KeyKey holds the API key.
	KeyKey = "apiKey"
	// SecretKey holds the API secret.
	SecretKey = "apiSecret"
)

// Credentials are a Spaceship API key and its secret.
type Credentials struct {
	Key    string
	Secret string
}

// String redacts the secret so a stray %v cannot print it.
func (Credentials) String() string { return "spaceship.Credentials{redacted}" }

// GoString redacts the secret for %#v.
func (c Credentials) GoString() string { return c.String() }

// FromSecretData reads the key and secret from a Secret's data, trimming
// whitespace around each.
func FromSecretData(data map[string][]byte) (Credentials, error) {
	key, err := secretdata.Value(data, KeyKey)
	if err != nil {
		return Credentials{}, err
	}
	secret, err := secretdata.Value(data, SecretKey)
	if err != nil {
		return Credentials{}, err
	}
	return Credentials{Key: key, Secret: secret}, nil
}

package dyndns2

import (
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// The Secret keys the provider reads.
const (
	// UsernameKey holds the update user name. It is not a credential on
	// its own and stays readable in messages.
	UsernameKey = "username"
	// PasswordKey holds its password (or the service's update key).
	PasswordKey = "password"
)

// Credentials are the basic-authentication pair of a dyndns2 account.
type Credentials struct {
	Username string
	Password string
}

// String redacts both values so a stray %v cannot print them.
func (c Credentials) String() string {
	return "dyndns2.Credentials{redacted}"
}

// GoString redacts the password for %#v.
func (c Credentials) GoString() string { return c.String() }

// FromSecretData reads the user name and password from a Secret's data,
// trimming whitespace and newlines around them. The user name may not hold
// a colon: basic authentication separates the two with one.
func FromSecretData(data map[string][]byte) (Credentials, error) {
	var c Credentials
	for _, k := range []struct {
		name string
		into *string
	}{{UsernameKey, &c.Username}, {PasswordKey, &c.Password}} {
		raw, ok := data[k.name]
		if !ok {
			return Credentials{}, providers.MissingKey(k.name)
		}
		v := strings.TrimSpace(string(raw))
		if v == "" {
			return Credentials{}, providers.MalformedKey(k.name, "it is empty")
		}
		if strings.ContainsFunc(v, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			return Credentials{}, providers.MalformedKey(k.name, "it contains control characters (a line break inside the value?)")
		}
		*k.into = v
	}
	if strings.Contains(c.Username, ":") {
		return Credentials{}, providers.MalformedKey(UsernameKey, "it contains a colon, which basic authentication cannot carry in a user name")
	}
	return c, nil
}

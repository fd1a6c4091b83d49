package cloudflare

import (
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Secret keys the Cloudflare provider reads.
const (
	// KeyAPIToken holds a scoped API token, sent as "Authorization: Bearer".
	// It is the preferred credential and wins when both kinds are present.
	KeyAPIToken = "apiToken"
	// KeyAPIKey holds the account's Global API Key, sent as X-Auth-Key.
	KeyAPIKey = "apiKey"
	// KeyEmail holds the account's e-mail address, sent as X-Auth-Email
	// together with the Global API Key.
	KeyEmail = "email"
)

// Credentials are the values read from the Secret. Either APIToken is set,
// or both APIKey and Email are. Its String method never prints a value.
type Credentials struct {
	// APIToken is a scoped API token.
	APIToken string
	// APIKey is the Global API Key, used with Email.
	APIKey string
	// Email is the account's e-mail address, used with APIKey.
	Email string
}

// String describes which kind of credential is held, never its value, so a
// stray %v in a log line cannot leak it.
func (c Credentials) String() string {
	if c.APIToken != "" {
		return "cloudflare credentials (api token)"
	}
	return "cloudflare credentials (global api key)"
}

// GoString is String, for %#v.
func (c Credentials) GoString() string { return c.String() }

// secrets lists the credential values, for scrubbing them out of
// messages. The e-mail is not one: it stays readable.
func (c Credentials) secrets() []string {
	var out []string
	for _, s := range []string{c.APIToken, c.APIKey} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// FromSecretData reads and validates the Secret's keys. apiToken wins when
// present; otherwise apiKey and email are both required. Values are trimmed
// of surrounding whitespace (Secrets made with echo end in a newline).
func FromSecretData(data map[string][]byte) (Credentials, error) {
	if raw, ok := data[KeyAPIToken]; ok {
		tok, err := headerValue(KeyAPIToken, raw)
		if err != nil {
			return Credentials{}, err
		}
		return Credentials{APIToken: tok}, nil
	}
	rawKey, hasKey := data[KeyAPIKey]
	rawEmail, hasEmail := data[KeyEmail]
	switch {
	case !hasKey && !hasEmail:
		return Credentials{}, providers.MissingKey(KeyAPIToken)
	case !hasKey:
		return Credentials{}, providers.MissingKey(KeyAPIKey)
	case !hasEmail:
		return Credentials{}, providers.MissingKey(KeyEmail)
	}
	key, err := headerValue(KeyAPIKey, rawKey)
	if err != nil {
		return Credentials{}, err
	}
	email, err := headerValue(KeyEmail, rawEmail)
	if err != nil {
		return Credentials{}, err
	}
	if at := strings.IndexByte(email, '@'); at <= 0 || at == len(email)-1 {
		return Credentials{}, providers.MalformedKey(KeyEmail, "it is not an e-mail address")
	}
	return Credentials{APIKey: key, Email: email}, nil
}

// headerValue trims raw and checks it can travel in an HTTP header: not
// empty, and only visible ASCII (a space, control character or non-ASCII
// byte inside means a pasting mistake, and could split headers).
func headerValue(key string, raw []byte) (string, error) {
	v := strings.TrimSpace(string(raw))
	if v == "" {
		return "", providers.MalformedKey(key, "it is empty")
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x21 || c > 0x7e {
			return "", providers.MalformedKey(key, "it holds whitespace, control or non-ASCII characters")
		}
	}
	return v, nil
}

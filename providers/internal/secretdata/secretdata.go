// Package secretdata reads credential values from a Secret's data with the
// checks every provider makes: the key is there, and its value, trimmed of
// surrounding whitespace, is neither empty nor holds whitespace or control
// characters inside. Errors name the key, never the value.
package secretdata

import (
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Value returns the trimmed value of key in data.
func Value(data map[string][]byte, key string) (string, error) {
	raw, ok := data[key]
	if !ok {
		return "", providers.MissingKey(key)
	}
	v := strings.TrimSpace(string(raw))
	switch {
	case v == "":
		return "", providers.MalformedKey(key, "it is empty")
	case strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return "", providers.MalformedKey(key, "it contains whitespace or control characters")
	}
	return v, nil
}

// Token returns the trimmed value of key in data, refusing one that
// starts with scheme and a space (a token copied with its header's
// scheme, "Bearer ...").
func Token(data map[string][]byte, key, scheme string) (string, error) {
	if raw := strings.TrimSpace(string(data[key])); scheme != "" && len(raw) > len(scheme) && strings.EqualFold(raw[:len(scheme)+1], scheme+" ") {
		return "", providers.MalformedKey(key, `it starts with "`+scheme+` ": store the token alone`)
	}
	return Value(data, key)
}

package providers

import "strings"

// SecretValue reads one key of a provider's Secret the way most API keys
// want it: present, trimmed of the whitespace and newlines that `echo` and
// editors leave around values, not empty, and free of inner whitespace and
// control characters (which no API key holds, and which a copy-paste
// mistake often does). Errors name the key and never quote the value.
func SecretValue(data map[string][]byte, key string) (string, error) {
	raw, ok := data[key]
	if !ok {
		return "", MissingKey(key)
	}
	v := strings.TrimSpace(string(raw))
	switch {
	case v == "":
		return "", MalformedKey(key, "it is empty")
	case strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return "", MalformedKey(key, "it contains whitespace or control characters")
	}
	return v, nil
}

// OptionalSecretValue is SecretValue for a key that may be absent or
// empty, which gives "".
func OptionalSecretValue(data map[string][]byte, key string) (string, error) {
	if strings.TrimSpace(string(data[key])) == "" {
		return "", nil
	}
	return SecretValue(data, key)
}

package alidns

import (
	"strings"
	"unicode"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Secret keys the Alibaba Cloud DNS provider reads.
const (
	// KeyAccessKeyID holds the AccessKey ID of a RAM user (or of an STS
	// credential, which starts with "STS.").
	KeyAccessKeyID = "accessKeyId"
	// KeyAccessKeySecret holds the AccessKey secret that signs requests.
	KeyAccessKeySecret = "accessKeySecret"
	// KeySecurityToken optionally holds an STS security token; it is sent
	// as x-acs-security-token with every request.
	KeySecurityToken = "securityToken"
)

// Credentials are the values read from the Secret. Its String method never
// prints a value.
type Credentials struct {
	// AccessKeyID identifies the key pair.
	AccessKeyID string
	// AccessKeySecret signs requests (ACS3-HMAC-SHA256).
	AccessKeySecret string
	// SecurityToken is set for temporary STS credentials only.
	SecurityToken string
}

// String describes the kind of credential, never its value, so a stray %v in
// a log line cannot leak it.
func (c Credentials) String() string {
	if c.SecurityToken != "" {
		return "alidns credentials (sts token)"
	}
	return "alidns credentials (access key)"
}

// GoString is String, for %#v.
func (c Credentials) GoString() string { return c.String() }

// secrets lists the credential values, for scrubbing them out of messages.
func (c Credentials) secrets() []string {
	var out []string
	for _, s := range []string{c.AccessKeyID, c.AccessKeySecret, c.SecurityToken} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// FromSecretData reads and validates the Secret's keys: accessKeyId and
// accessKeySecret are required, securityToken is optional. Values are
// trimmed of surrounding whitespace (Secrets made with echo end in a
// newline).
func FromSecretData(data map[string][]byte) (Credentials, error) {
	id, err := required(data, KeyAccessKeyID)
	if err != nil {
		return Credentials{}, err
	}
	secret, err := required(data, KeyAccessKeySecret)
	if err != nil {
		return Credentials{}, err
	}
	c := Credentials{AccessKeyID: id, AccessKeySecret: secret}
	if raw, ok := data[KeySecurityToken]; ok {
		tok := strings.TrimSpace(string(raw))
		if tok != "" {
			if err := printable(KeySecurityToken, tok); err != nil {
				return Credentials{}, err
			}
			c.SecurityToken = tok
		}
	}
	return c, nil
}

// required returns the trimmed value of key, or the error naming it.
func required(data map[string][]byte, key string) (string, error) {
	raw, ok := data[key]
	if !ok {
		return "", providers.MissingKey(key)
	}
	v := strings.TrimSpace(string(raw))
	if v == "" {
		return "", providers.MalformedKey(key, "value is empty")
	}
	return v, printable(key, v)
}

// printable rejects values that cannot travel in a header or be a key: inner
// whitespace, control or non-ASCII characters (a pasted line break, a
// copied label).
func printable(key, v string) error {
	for _, r := range v {
		if r > unicode.MaxASCII || unicode.IsSpace(r) || unicode.IsControl(r) {
			return providers.MalformedKey(key, "value contains whitespace, control or non-ASCII characters")
		}
	}
	return nil
}

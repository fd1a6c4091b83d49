package porkbun_test

import (
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/porkbun"
)

func TestFromSecretData(t *testing.T) {
	const key, sec = "pk1_abc123", "sk1_def456"
	for _, tc := range []struct {
		name    string
		data    map[string][]byte
		wantErr string // the key the error must name; "" for success
	}{
		{"both keys", secret(key, sec), ""},
		{"whitespace and newline trimmed", secret(" "+key+"\n", "\t"+sec+"\n"), ""},
		{"no apiKey", map[string][]byte{porkbun.SecretAPIKeyKey: []byte(sec)}, porkbun.APIKeyKey},
		{"no secretApiKey", map[string][]byte{porkbun.APIKeyKey: []byte(key)}, porkbun.SecretAPIKeyKey},
		{"empty secret", secret(key, "  "), porkbun.SecretAPIKeyKey},
		{"space inside", secret(key, "sk1_de f456"), porkbun.SecretAPIKeyKey},
		{"keys swapped", secret(sec, key), porkbun.APIKeyKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := porkbun.FromSecretData(tc.data)
			if tc.wantErr == "" {
				if err != nil || c.APIKey != key || c.SecretAPIKey != sec {
					t.Fatalf("FromSecretData = %#v, %v", c, err)
				}
				return
			}
			if providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want a credentials error naming %s", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), "def456") {
				t.Fatalf("error %q holds the secret", err)
			}
		})
	}
	c, _ := porkbun.FromSecretData(secret(key, sec))
	if s := c.String() + c.GoString(); strings.Contains(s, "def456") {
		t.Fatalf("Credentials print the secret: %s", s)
	}
}

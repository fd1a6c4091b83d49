package tencentcloud_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/tencentcloud"
)

func TestFromSecretData(t *testing.T) {
	const id, key = "AKIDexampleSecretId0000000000000000", "exampleSecretKey00000000000000000"
	for _, tc := range []struct {
		name    string
		data    map[string][]byte
		want    tencentcloud.Credentials
		wantKey string // the key the error names; "" for success
	}{
		{"both keys", secret(id, key), tencentcloud.Credentials{SecretID: id, SecretKey: key}, ""},
		{"trailing newlines from echo", secret(id+"\n", key+"\r\n"), tencentcloud.Credentials{SecretID: id, SecretKey: key}, ""},
		{"surrounding spaces and tabs", secret("  "+id+"\t", "\t"+key+" "), tencentcloud.Credentials{SecretID: id, SecretKey: key}, ""},
		{"no secretId", map[string][]byte{"secretKey": []byte(key)}, tencentcloud.Credentials{}, "secretId"},
		{"no secretKey", map[string][]byte{"secretId": []byte(id)}, tencentcloud.Credentials{}, "secretKey"},
		{"nil data", nil, tencentcloud.Credentials{}, "secretId"},
		{"empty secretId", secret("", key), tencentcloud.Credentials{}, "secretId"},
		{"whitespace-only secretKey", secret(id, " \n"), tencentcloud.Credentials{}, "secretKey"},
		{"space inside secretKey", secret(id, "abc def"), tencentcloud.Credentials{}, "secretKey"},
		{"wrong key names", map[string][]byte{"SecretId": []byte(id), "SecretKey": []byte(key)}, tencentcloud.Credentials{}, "secretId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tencentcloud.FromSecretData(tc.data)
			if tc.wantKey == "" {
				if err != nil || got != tc.want {
					t.Fatalf("FromSecretData = %+v, %v; want %+v", got, err, tc.want)
				}
				return
			}
			if providers.KindOf(err) != providers.KindCredentials {
				t.Fatalf("FromSecretData error = %v, want a credentials error", err)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("%q", tc.wantKey)) {
				t.Fatalf("error %q does not name key %q", err, tc.wantKey)
			}
			noSecrets(t, err.Error(), id, key, "abc def")
		})
	}
}

func TestCredentialsDoNotPrint(t *testing.T) {
	c := tencentcloud.Credentials{SecretID: "AKIDprintme", SecretKey: "printme-key"}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s", c, c, c, c)} {
		noSecrets(t, s, c.SecretID, c.SecretKey)
	}
}

// noSecrets fails when s contains any of the secrets or the parts of a
// signed request.
func noSecrets(t *testing.T, s string, secrets ...string) {
	t.Helper()
	for _, sec := range append(secrets, "TC3-HMAC-SHA256", "Signature=", "Credential=") {
		if sec != "" && strings.Contains(s, sec) {
			t.Errorf("%q contains %q", s, sec)
		}
	}
}

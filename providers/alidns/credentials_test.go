package alidns_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/alidns"
)

func TestFromSecretData(t *testing.T) {
	const id, secret, token = "LTAI5tExampleKeyId", "ExampleSecretValue123", "CAISExampleToken"
	for _, tc := range []struct {
		name    string
		data    map[string][]byte
		want    alidns.Credentials
		wantKey string // the key the error must name; "" for success
	}{
		{"key pair", map[string][]byte{"accessKeyId": []byte(id), "accessKeySecret": []byte(secret)}, alidns.Credentials{AccessKeyID: id, AccessKeySecret: secret}, ""},
		{"trailing newlines from echo", map[string][]byte{"accessKeyId": []byte(id + "\n"), "accessKeySecret": []byte("  " + secret + "\r\n")}, alidns.Credentials{AccessKeyID: id, AccessKeySecret: secret}, ""},
		{"with sts token", map[string][]byte{"accessKeyId": []byte(id), "accessKeySecret": []byte(secret), "securityToken": []byte(token + "\n")}, alidns.Credentials{AccessKeyID: id, AccessKeySecret: secret, SecurityToken: token}, ""},
		{"empty token is no token", map[string][]byte{"accessKeyId": []byte(id), "accessKeySecret": []byte(secret), "securityToken": []byte("\n")}, alidns.Credentials{AccessKeyID: id, AccessKeySecret: secret}, ""},
		{"missing id", map[string][]byte{"accessKeySecret": []byte(secret)}, alidns.Credentials{}, "accessKeyId"},
		{"missing secret", map[string][]byte{"accessKeyId": []byte(id)}, alidns.Credentials{}, "accessKeySecret"},
		{"empty secret", map[string][]byte{"accessKeyId": []byte(id), "accessKeySecret": []byte("")}, alidns.Credentials{}, "accessKeySecret"},
		{"whitespace-only id", map[string][]byte{"accessKeyId": []byte(" \n"), "accessKeySecret": []byte(secret)}, alidns.Credentials{}, "accessKeyId"},
		{"inner line break", map[string][]byte{"accessKeyId": []byte(id), "accessKeySecret": []byte(secret + "\nmore")}, alidns.Credentials{}, "accessKeySecret"},
		{"non-ascii token", map[string][]byte{"accessKeyId": []byte(id), "accessKeySecret": []byte(secret), "securityToken": []byte("tok€n")}, alidns.Credentials{}, "securityToken"},
		{"wrong key names", map[string][]byte{"access-key": []byte(id), "secret-key": []byte(secret)}, alidns.Credentials{}, "accessKeyId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := alidns.FromSecretData(tc.data)
			if tc.wantKey == "" {
				if err != nil || got != tc.want {
					t.Fatalf("FromSecretData = %v, %v; want the parsed credentials", got, err)
				}
				return
			}
			if err == nil {
				t.Fatal("FromSecretData succeeded, want an error")
			}
			if providers.KindOf(err) != providers.KindCredentials {
				t.Fatalf("error %q is of kind %s, want credentials", err, providers.KindOf(err))
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("%q", tc.wantKey)) {
				t.Fatalf("error %q does not name key %q", err, tc.wantKey)
			}
			noLeak(t, err.Error(), id, secret, token, "more", "tok€n")
		})
	}
}

func TestCredentialsNeverPrintValues(t *testing.T) {
	c := alidns.Credentials{AccessKeyID: "LTAI5tPrintMe", AccessKeySecret: "SecretPrintMe", SecurityToken: "TokenPrintMe"}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s", c, c, c, c)} {
		noLeak(t, s, c.AccessKeyID, c.AccessKeySecret, c.SecurityToken)
	}
}

// noLeak fails when s holds any of the secrets.
func noLeak(t *testing.T, s string, secrets ...string) {
	t.Helper()
	for _, v := range secrets {
		if v != "" && strings.Contains(s, v) {
			t.Fatalf("%q leaks a credential value", s)
		}
	}
}

package cloudflare_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare"
)

const (
	secretToken = "SeCrEtToKeN0123456789abcdefghijklmnopqr"
	secretKey   = "feedfacefeedfacefeedfacefeedfaceabcde"
	secretMail  = "owner@example.net"
)

func TestFromSecretData(t *testing.T) {
	for _, tc := range []struct {
		name    string
		data    map[string][]byte
		want    cloudflare.Credentials
		wantKey string // key named by a KindCredentials error; "" = success
		missing bool   // MissingKey rather than MalformedKey
	}{
		{name: "token", data: map[string][]byte{"apiToken": []byte(secretToken)}, want: cloudflare.Credentials{APIToken: secretToken}},
		{name: "token trimmed", data: map[string][]byte{"apiToken": []byte("  " + secretToken + "\r\n")}, want: cloudflare.Credentials{APIToken: secretToken}},
		{name: "key and email", data: map[string][]byte{"apiKey": []byte(secretKey + "\n"), "email": []byte(" " + secretMail + "\n")}, want: cloudflare.Credentials{APIKey: secretKey, Email: secretMail}},
		{name: "token wins over key", data: map[string][]byte{"apiToken": []byte(secretToken), "apiKey": []byte(secretKey), "email": []byte(secretMail)}, want: cloudflare.Credentials{APIToken: secretToken}},
		{name: "nothing", data: map[string][]byte{}, wantKey: "apiToken", missing: true},
		{name: "nil", data: nil, wantKey: "apiToken", missing: true},
		{name: "unrelated keys", data: map[string][]byte{"token": []byte(secretToken)}, wantKey: "apiToken", missing: true},
		{name: "key without email", data: map[string][]byte{"apiKey": []byte(secretKey)}, wantKey: "email", missing: true},
		{name: "email without key", data: map[string][]byte{"email": []byte(secretMail)}, wantKey: "apiKey", missing: true},
		{name: "empty token", data: map[string][]byte{"apiToken": []byte("")}, wantKey: "apiToken"},
		{name: "blank token", data: map[string][]byte{"apiToken": []byte(" \n\t")}, wantKey: "apiToken"},
		{name: "token with inner space", data: map[string][]byte{"apiToken": []byte("SeCrEt ToKeN")}, wantKey: "apiToken"},
		{name: "token with newline inside", data: map[string][]byte{"apiToken": []byte("SeCrEt\nToKeN")}, wantKey: "apiToken"},
		{name: "token non-ascii", data: map[string][]byte{"apiToken": []byte("SeCrEtToKeN€")}, wantKey: "apiToken"},
		{name: "empty key", data: map[string][]byte{"apiKey": []byte("\n"), "email": []byte(secretMail)}, wantKey: "apiKey"},
		{name: "empty email", data: map[string][]byte{"apiKey": []byte(secretKey), "email": []byte("")}, wantKey: "email"},
		{name: "email without at", data: map[string][]byte{"apiKey": []byte(secretKey), "email": []byte("owner.example.net")}, wantKey: "email"},
		{name: "email ending in at", data: map[string][]byte{"apiKey": []byte(secretKey), "email": []byte("owner@")}, wantKey: "email"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cloudflare.FromSecretData(tc.data)
			if tc.wantKey == "" {
				if err != nil {
					t.Fatalf("FromSecretData: %v", err)
				}
				if got != tc.want {
					t.Fatalf("FromSecretData = %#v, want another credential", got)
				}
				return
			}
			if err == nil {
				t.Fatal("FromSecretData succeeded, want an error")
			}
			if k := providers.KindOf(err); k != providers.KindCredentials {
				t.Fatalf("error %q is of kind %s, want credentials", err, k)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("%q", tc.wantKey)) {
				t.Fatalf("error %q does not name key %q", err, tc.wantKey)
			}
			if isMissing := strings.Contains(err.Error(), "has no key"); isMissing != tc.missing {
				t.Fatalf("error %q: missing=%v, want %v", err, isMissing, tc.missing)
			}
			record(t, err)
		})
	}
}

func TestCredentialsNeverPrintValues(t *testing.T) {
	for _, c := range []cloudflare.Credentials{
		{APIToken: secretToken},
		{APIKey: secretKey, Email: secretMail},
	} {
		for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%s", c)} { //nolint:staticcheck // every verb a log line might use
			assertNoSecret(t, s)
		}
	}
}

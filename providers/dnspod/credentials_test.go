package dnspod_test

import (
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/dnspod"
)

func TestFromSecretData(t *testing.T) {
	const tok = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	for _, tc := range []struct {
		name      string
		data      map[string][]byte
		wantID    string
		wantErr   bool
		errSubstr string
	}{
		{name: "valid", data: secret("123456," + tok), wantID: "123456"},
		{name: "trailing newline from echo", data: secret("123456," + tok + "\n"), wantID: "123456"},
		{name: "whitespace around and inside", data: secret("  123456 , " + tok + " \r\n"), wantID: "123456"},
		{name: "missing key", data: map[string][]byte{"logintoken": []byte("123456," + tok)}, wantErr: true, errSubstr: `no key "loginToken"`},
		{name: "empty value", data: secret(""), wantErr: true, errSubstr: "empty"},
		{name: "only whitespace", data: secret(" \n"), wantErr: true, errSubstr: "empty"},
		{name: "token without ID", data: secret(tok), wantErr: true, errSubstr: "ID,TOKEN"},
		{name: "non-numeric ID", data: secret("abc," + tok), wantErr: true, errSubstr: "numeric ID"},
		{name: "empty ID", data: secret("," + tok), wantErr: true, errSubstr: "numeric ID"},
		{name: "empty token", data: secret("123456,"), wantErr: true, errSubstr: "empty"},
		{name: "token with a space", data: secret("123456,abc def"), wantErr: true, errSubstr: "whitespace"},
		{name: "two commas", data: secret("123456," + tok + ",x"), wantErr: true, errSubstr: "comma"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := dnspod.FromSecretData(tc.data)
			if !tc.wantErr {
				if err != nil {
					t.Fatalf("FromSecretData: %v", err)
				}
				if c.ID != tc.wantID || c.Token != tok {
					t.Fatalf("got ID %q and a token of %d characters", c.ID, len(c.Token))
				}
				return
			}
			if providers.KindOf(err) != providers.KindCredentials {
				t.Fatalf("error %v is not a credentials error", err)
			}
			if !strings.Contains(err.Error(), tc.errSubstr) {
				t.Fatalf("error %q does not mention %q", err, tc.errSubstr)
			}
			if !strings.Contains(err.Error(), dnspod.LoginTokenKey) {
				t.Fatalf("error %q does not name the key", err)
			}
			if strings.Contains(err.Error(), tok) || strings.Contains(err.Error(), "abc def") {
				t.Fatalf("error %q quotes the value", err)
			}
		})
	}
}

func TestCredentialsDoNotPrint(t *testing.T) {
	c, err := dnspod.FromSecretData(secret("123456,secret-token-value"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{c.String(), c.GoString()} {
		if strings.Contains(s, "secret-token-value") {
			t.Fatalf("%q prints the token", s)
		}
	}
}

package dyndns2_test

import (
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/dyndns2"
	"github.com/ddns-operator/ddns-operator/providers/dyndns2/dyndns2fake"
)

// Every return code of the protocol maps to what the operator must do,
// and the message says what the service said.
func TestReturnCodes(t *testing.T) {
	for _, tc := range []struct {
		answer string
		kind   providers.Kind // -1: no error
		says   string
	}{
		{"good 81.2.69.161", -1, ""},
		{"nochg 81.2.69.161", -1, ""},
		{"GOOD 81.2.69.161", -1, ""},
		{"badauth", providers.KindAuth, "refused the user name and password"},
		{"!donator", providers.KindInvalid, "does not pay for"},
		{"notfqdn", providers.KindInvalid, "not a fully qualified host name"},
		{"nohost", providers.KindZoneNotFound, "has no host home.example.com"},
		{"numhost", providers.KindInvalid, "round-robin"},
		{"badsys", providers.KindInvalid, "system parameter"},
		{"abuse", providers.KindRateLimited, "blocked updates of home.example.com for abuse"},
		{"badagent", providers.KindRateLimited, "disabled this client"},
		{"good 127.0.0.1", providers.KindRateLimited, "good 127.0.0.1"},
		{"dnserr", providers.KindRateLimited, "fault on its side (dnserr)"},
		{"911", providers.KindRateLimited, "fault on its side (911)"},
		{"<html><body>Sign in</body></html>", providers.KindTransient, "no dyndns2 return code"},
	} {
		t.Run(tc.answer, func(t *testing.T) {
			f := dyndns2fake.New(t, "example.com")
			p := build(t, f, dyndns2fake.Password)
			z := zoneOf(t, p, "home.example.com")
			f.SetAnswer(tc.answer)
			err := check(t, p, z, "home.example.com", "A", "81.2.69.161")
			if tc.kind == -1 {
				if err != nil {
					t.Fatalf("answer %q: %v", tc.answer, err)
				}
				return
			}
			if providers.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("answer %q: error %v (%s), want %s saying %q", tc.answer, err, providers.KindOf(err), tc.kind, tc.says)
			}
			if strings.Contains(err.Error(), dyndns2fake.Password) || strings.Contains(err.Error(), dyndns2fake.Username) {
				t.Fatalf("error %q holds the password or the user name", err)
			}
		})
	}
}

// HTTP answers without a return code are classified by their status.
func TestHTTPStatus(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		kind   providers.Kind
	}{
		{401, "Error", providers.KindAuth},
		{403, "Error", providers.KindAuth},
		{404, "Error", providers.KindInvalid},
		{429, "Error", providers.KindRateLimited},
		{500, "Error", providers.KindTransient},
		{503, "Error", providers.KindTransient},
		{200, "", providers.KindTransient},
	} {
		f := dyndns2fake.New(t, "example.com")
		p := build(t, f, dyndns2fake.Password)
		z := zoneOf(t, p, "home.example.com")
		f.FailWith(tc.status, tc.body)
		if err := check(t, p, z, "home.example.com", "A", "81.2.69.161"); providers.KindOf(err) != tc.kind {
			t.Errorf("HTTP %d: error %v, want %s", tc.status, err, tc.kind)
		}
	}
}

func TestFromSecretData(t *testing.T) {
	for _, tc := range []struct {
		name string
		data map[string]string
		err  string
	}{
		{"both", map[string]string{"username": " user@example.com\n", "password": "pw-123456\n"}, ""},
		{"no username", map[string]string{"password": "pw-123456"}, `secret has no key "username"`},
		{"no password", map[string]string{"username": "user"}, `secret has no key "password"`},
		{"empty password", map[string]string{"username": "user", "password": " \n"}, `"password" is malformed: it is empty`},
		{"colon in user", map[string]string{"username": "a:b", "password": "pw-123456"}, "colon"},
		{"line break inside", map[string]string{"username": "user", "password": "pw\n123456"}, "control characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := map[string][]byte{}
			for k, v := range tc.data {
				data[k] = []byte(v)
			}
			c, err := dyndns2.FromSecretData(data)
			if tc.err == "" {
				if err != nil || c.Username != "user@example.com" || c.Password != "pw-123456" {
					t.Fatalf("FromSecretData = %v, %v", c, err)
				}
				if strings.Contains(c.String(), c.Password) {
					t.Fatalf("String() shows the password: %s", c)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) || providers.KindOf(err) != providers.KindCredentials {
				t.Fatalf("error %v, want a credentials error saying %q", err, tc.err)
			}
			if strings.Contains(err.Error(), "pw-123456") {
				t.Fatalf("error %q holds the password", err)
			}
		})
	}
}

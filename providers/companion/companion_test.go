package companion_test

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers/companion"
)

func TestName(t *testing.T) {
	for _, tc := range []struct{ name, typ, want string }{
		{"home.example.com", "A", "_ddns-owner-a.home.example.com"},
		{"Home.Example.com.", "AAAA", "_ddns-owner-aaaa.home.example.com"},
		{"example.com", "A", "_ddns-owner-a.example.com"},
		{"*.example.com", "A", "_ddns-owner-a-wildcard.example.com"},
		{"*.lab.example.com", "AAAA", "_ddns-owner-aaaa-wildcard.lab.example.com"},
	} {
		if got := companion.Name(tc.name, tc.typ); got != tc.want {
			t.Errorf("Name(%q, %q) = %q, want %q", tc.name, tc.typ, got, tc.want)
		}
	}
}

func TestUnquote(t *testing.T) {
	for in, want := range map[string]string{
		`"ddns-operator:x:ns/a"`: "ddns-operator:x:ns/a",
		`ddns-operator:x:ns/a`:   "ddns-operator:x:ns/a",
		` "a" `:                  "a",
		`"`:                      `"`,
	} {
		if got := companion.Unquote(in); got != want {
			t.Errorf("Unquote(%q) = %q, want %q", in, got, want)
		}
	}
}

package companion_test

import (
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
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

func TestChange(t *testing.T) {
	zone := providers.Zone{ID: "example.com", Name: "example.com"}
	listed := []providers.Record{
		{ID: "1", Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600},
		{ID: "2", Name: "home.example.com", Type: "A", Value: "81.2.69.161", TTL: 900},
	}
	for _, tc := range []struct {
		name    string
		r       providers.Record
		next    providers.Record
		changed bool
		kind    providers.Kind
	}{
		{"new value, TTL kept", providers.Record{ID: "2", Value: "81.2.69.170"}, providers.Record{ID: "2", Name: "home.example.com", Type: "A", Value: "81.2.69.170", TTL: 900}, true, 0},
		{"new TTL", providers.Record{ID: "1", Value: "81.2.69.160", TTL: 300}, providers.Record{ID: "1", Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 300}, true, 0},
		{"as it is", providers.Record{ID: "1", Value: "81.2.69.160", TTL: 600}, listed[0], false, 0},
		{"gone", providers.Record{ID: "3", Value: "81.2.69.160"}, providers.Record{}, false, providers.KindNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, next, changed, err := companion.Change(listed, tc.r, "demo", zone)
			if tc.kind != 0 {
				if providers.KindOf(err) != tc.kind || !strings.Contains(err.Error(), "demo: record 3 of example.com") {
					t.Fatalf("Change = %v", err)
				}
				return
			}
			if err != nil || next != tc.next || changed != tc.changed {
				t.Fatalf("Change = %+v, %t, %v", next, changed, err)
			}
		})
	}
}

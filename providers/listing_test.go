package providers

import "testing"

func TestPickZone(t *testing.T) {
	zones := []Zone{{ID: "1", Name: "example.com"}, {ID: "2", Name: "lab.example.com"}}
	for _, tc := range []struct {
		fqdn, hint, want, err string
	}{
		{fqdn: "a.lab.example.com", want: "2"},
		{fqdn: "a.example.com", want: "1"},
		{fqdn: "a.lab.example.com", hint: "example.com", want: "1"},
		{fqdn: "a.example.net", err: "demo: no site of the account holds a.example.net"},
		{fqdn: "a.example.com", hint: "other.com", err: "demo: the account has no site other.com"},
	} {
		z, err := PickZone(zones, tc.fqdn, tc.hint, "demo: site")
		if tc.err != "" {
			if KindOf(err) != KindZoneNotFound || err.Error() != tc.err {
				t.Errorf("PickZone(%s, %s) = %v, want %q", tc.fqdn, tc.hint, err, tc.err)
			}
			continue
		}
		if err != nil || z.ID != tc.want {
			t.Errorf("PickZone(%s, %s) = %+v, %v; want ID %s", tc.fqdn, tc.hint, z, err, tc.want)
		}
	}
}

func TestLastPage(t *testing.T) {
	for _, tc := range []struct {
		n, read, total, size int
		want                 bool
	}{
		{0, 10, 20, 100, true},
		{5, 10, 20, 100, false}, // a capped page: the total says more
		{5, 20, 20, 100, true},
		{100, 100, 0, 100, false},
		{7, 107, 0, 100, true},
	} {
		if got := LastPage(tc.n, tc.read, tc.total, tc.size); got != tc.want {
			t.Errorf("LastPage(%d, %d, %d, %d) = %t", tc.n, tc.read, tc.total, tc.size, got)
		}
	}
}

func TestCanonicalValue(t *testing.T) {
	for in, want := range map[string]string{
		"2A02:02E0:03FE:1001:0302:0000:0000:0001": "2a02:2e0:3fe:1001:302::1",
		" 81.2.69.160 ":        "81.2.69.160",
		"ddns-operator:x:ns/a": "ddns-operator:x:ns/a",
	} {
		if got := CanonicalValue(in); got != want {
			t.Errorf("CanonicalValue(%q) = %q", in, got)
		}
	}
}

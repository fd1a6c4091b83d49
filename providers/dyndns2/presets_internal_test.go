package dyndns2

import (
	"net/url"
	"testing"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// Each preset sends to its service's documented URL, with the parameter
// its service reads IPv6 addresses from; an Env endpoint (a gateway, a
// test) replaces scheme and host and keeps the path.
func TestPresets(t *testing.T) {
	for name, want := range map[string]struct{ server, ipv6, query string }{
		"noip":     {"https://dynupdate.no-ip.com/nic/update", "myipv6", ""},
		"dynu":     {"https://api.dynu.com/nic/update", "myipv6", ""},
		"dyndns":   {"https://members.dyndns.org/nic/update", "myip", ""},
		"ovh":      {"https://www.ovh.com/nic/update", "myip", "system=dyndns"},
		"strato":   {"https://dyndns.strato.com/nic/update", "myip", ""},
		"changeip": {"https://nic.changeip.com/nic/update", "myip", ""},
	} {
		spec := &v1alpha1.DynamicDNSRecordSpec{DynDNS2: &v1alpha1.DynDNS2Options{Service: name}}
		got, err := targetOf(providers.Env{}, spec)
		if err != nil || got.server != want.server || got.ipv6Param != want.ipv6 || got.query != want.query {
			t.Errorf("%s: %+v, %v; want %+v", name, got, err, want)
		}
		if _, err := url.Parse(got.server); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if len(Presets) != 6 {
		t.Errorf("%d presets, the test knows 6", len(Presets))
	}
	custom := &v1alpha1.DynamicDNSRecordSpec{DynDNS2: &v1alpha1.DynDNS2Options{Server: "https://dyn.example.net/update.php?key=1", IPv6Parameter: "myipv6"}}
	if got, _ := targetOf(providers.Env{}, custom); got.server != "https://dyn.example.net/update.php?key=1" || got.ipv6Param != "myipv6" {
		t.Errorf("custom server: %+v", got)
	}
	if got, _ := targetOf(providers.Env{Endpoint: "http://127.0.0.1:8080"}, custom); got.server != "http://127.0.0.1:8080/update.php" {
		t.Errorf("custom server behind an endpoint: %+v", got)
	}
	if _, err := targetOf(providers.Env{}, &v1alpha1.DynamicDNSRecordSpec{}); providers.KindOf(err) != providers.KindInvalid {
		t.Errorf("no service and no server: %v", err)
	}
}

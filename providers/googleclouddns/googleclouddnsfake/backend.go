package googleclouddnsfake

import (
	"net/netip"
	"net/url"
	"os"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the Google Cloud DNS provider d with this fake, for the
// operator's suites. It takes the descriptor so the fake does not import
// the provider, whose tests use the fake.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		srv := f.Server()
		srv.Secret = map[string]string{"serviceAccountKey": KeyJSON(true)}
		srv.BadSecret = map[string]string{"serviceAccountKey": KeyJSON(false)}
		srv.Ambient = f.Ambient
		srv.AmbientSeen = f.AmbientSeen
		return srv
	}}
}

// Ambient points the metadata client of the process at the fake
// (GCE_METADATA_HOST), as GKE's metadata server is for a pod with
// workload identity, until t ends. The variable is the process's: tests
// that call it must not run in parallel with other tests reading it.
func (f *Fake) Ambient(t testing.TB) {
	u, err := url.Parse(f.URL)
	if err != nil {
		t.Fatal(err)
	}
	old, had := os.LookupEnv("GCE_METADATA_HOST")
	if err := os.Setenv("GCE_METADATA_HOST", u.Host); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if had {
			_ = os.Setenv("GCE_METADATA_HOST", old)
		} else {
			_ = os.Unsetenv("GCE_METADATA_HOST")
		}
	})
}

// validAddress checks an A or AAAA value as Cloud DNS does.
func validAddress(typ, v string) bool {
	a, err := netip.ParseAddr(v)
	return err == nil && a.Is4() == (typ == "A") && a.String() == v
}

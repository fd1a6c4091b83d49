package duckdns_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/duckdns"
	"github.com/ddns-operator/ddns-operator/providers/duckdns/duckdnsfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// TestConformance runs the provider suite against the fake DuckDNS and
// its DNS server.
func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := duckdnsfake.New(t, zones...)
		oneLevel := "DuckDNS has one level of names, NAME.duckdns.org (TestOnlyOneLevelOfNames)"
		return f.Fill(&providertest.Fixture{
			Descriptor: duckdns.Descriptor,
			Env:        env(f),
			Secret:     map[string][]byte{duckdns.TokenKey: []byte(duckdnsfake.Token)},
			BadSecret:  map[string][]byte{duckdns.TokenKey: []byte("00000000-1111-4222-8333-444444444444")},
			FixedTTL:   true,
			WriteOnly:  true,
			RetryAfter: true,
			Skip: map[string]string{
				"create, read back, update, delete: apex":      oneLevel,
				"create, read back, update, delete: deep name": oneLevel,
				"duplicates are all reported, across pages": "DuckDNS holds one address per domain and family; several in its DNS answer " +
					"are read as one record that the next update replaces",
				"the ownership marker is stored, listed and kept": "DuckDNS keeps no ownership marker",
			},
		})
	})
}

func env(f *duckdnsfake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, Nameserver: f.DNS.Addr, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func build(t *testing.T, f *duckdnsfake.Fake, token string) (providers.Provider, providers.Zone) {
	t.Helper()
	p, err := duckdns.Descriptor.New(env(f), map[string][]byte{duckdns.TokenKey: []byte(token)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	z, err := p.FindZone(context.Background(), "home.duckdns.org", "")
	if err != nil {
		t.Fatal(err)
	}
	return p, z
}

const marker = "ddns-operator:3f2c6a4e:default/home"

// check does what the reconciler does at each check (controllers.ComputePlan).
func check(t *testing.T, p providers.Provider, z providers.Zone, name, typ, addr string) error {
	t.Helper()
	ctx := context.Background()
	got, err := p.ListRecords(ctx, z, name, typ)
	if err != nil {
		return err
	}
	want := providers.Record{Name: name, Type: typ, Value: addr, TTL: 600, Marker: marker}
	switch {
	case len(got) == 0:
		_, err = p.CreateRecord(ctx, z, want)
	case got[0].Value != addr || got[0].Marker != marker:
		want.ID = got[0].ID
		_, err = p.UpdateRecord(ctx, z, want)
	}
	return err
}

// A domain whose DNS answer holds the address gets no update, also after
// a restart; each change costs one update, which sets only its family.
func TestOneUpdatePerChangeAndNoneAtSteadyState(t *testing.T) {
	f := duckdnsfake.New(t, "duckdns.org")
	f.Seed("duckdns.org", providers.Record{Name: "home.duckdns.org", Type: "A", Value: "81.2.69.160", TTL: 60})
	f.Seed("duckdns.org", providers.Record{Name: "home.duckdns.org", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1", TTL: 60})
	for range 2 {
		p, z := build(t, f, duckdnsfake.Token)
		for range 30 {
			for typ, v := range map[string]string{"A": "81.2.69.160", "AAAA": "2a02:2e0:3fe:1001:302::1"} {
				if err := check(t, p, z, "home.duckdns.org", typ, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if f.Requests() != 0 {
		t.Fatalf("%d updates at steady state, want none", f.Requests())
	}
	p, z := build(t, f, duckdnsfake.Token)
	for range 10 {
		if err := check(t, p, z, "home.duckdns.org", "AAAA", "2a02:2e0:3fe:1001:302::2"); err != nil {
			t.Fatal(err)
		}
	}
	u := f.Updates()
	if len(u) != 1 || u[0].Get("domains") != "home" || u[0].Get("ipv6") != "2a02:2e0:3fe:1001:302::2" || u[0].Has("ip") {
		t.Fatalf("updates %v, want one setting ipv6 only of domain home", u)
	}
	if a := f.Records("duckdns.org", "home.duckdns.org", "A"); len(a) != 1 || a[0].Value != "81.2.69.160" {
		t.Fatalf("the IPv6 update changed the A record: %+v", a)
	}
	if f.Unchanged() != 0 {
		t.Fatalf("%d updates changed nothing", f.Unchanged())
	}
}

// KO names both causes DuckDNS does not tell apart, never the token.
func TestKOIsAnAuthenticationError(t *testing.T) {
	f := duckdnsfake.New(t, "duckdns.org")
	p, z := build(t, f, "00000000-1111-4222-8333-444444444444")
	err := check(t, p, z, "home.duckdns.org", "A", "81.2.69.161")
	if providers.KindOf(err) != providers.KindAuth || !strings.Contains(err.Error(), "home is not one of its domains") {
		t.Fatalf("error %v, want an authentication error naming the domain", err)
	}
	if strings.Contains(err.Error(), "00000000-1111") {
		t.Fatalf("error %q holds the token", err)
	}
}

// DuckDNS has one level of names: NAME.duckdns.org. A deeper name or the
// zone itself is refused before any request, saying which domain it
// follows.
func TestOnlyOneLevelOfNames(t *testing.T) {
	f := duckdnsfake.New(t, "duckdns.org")
	p, z := build(t, f, duckdnsfake.Token)
	for name, says := range map[string]string{"a.home.duckdns.org": "follows home.duckdns.org", "duckdns.org": "no domain of its own"} {
		err := check(t, p, z, name, "A", "81.2.69.161")
		if providers.KindOf(err) != providers.KindInvalid || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: error %v, want invalid saying %q", name, err, says)
		}
	}
	if f.Requests() != 0 {
		t.Fatalf("%d requests for names DuckDNS cannot hold", f.Requests())
	}
}

// Deleting clears the domain, which DuckDNS does for both families at
// once: refused while the other family still has an address.
func TestDeleteClearsOnlyALoneFamily(t *testing.T) {
	f := duckdnsfake.New(t, "duckdns.org")
	f.Seed("duckdns.org", providers.Record{Name: "home.duckdns.org", Type: "A", Value: "81.2.69.160", TTL: 60})
	f.Seed("duckdns.org", providers.Record{Name: "home.duckdns.org", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1", TTL: 60})
	p, z := build(t, f, duckdnsfake.Token)
	ctx := context.Background()
	rec := providers.Record{ID: "home.duckdns.org/A", Name: "home.duckdns.org", Type: "A"}
	if err := p.DeleteRecord(ctx, z, rec); providers.KindOf(err) != providers.KindInvalid || !strings.Contains(err.Error(), "AAAA record 2a02:2e0:3fe:1001:302::1") {
		t.Fatalf("deleting A beside an AAAA: %v", err)
	}
	f.SetFault(providertest.FaultNone)
	aaaa := f.Records("duckdns.org", "home.duckdns.org", "AAAA")
	f.Lock()
	f.Store.Zone("duckdns.org").Remove(aaaa[0].ID)
	f.Unlock()
	if err := p.DeleteRecord(ctx, z, rec); err != nil {
		t.Fatalf("deleting a lone A record: %v", err)
	}
	if got := f.Records("duckdns.org", "home.duckdns.org", ""); len(got) != 0 || f.Updates()[0].Get("clear") != "true" {
		t.Fatalf("after clear: %+v, %v", got, f.Updates())
	}
}

func TestFromSecretData(t *testing.T) {
	for v, want := range map[string]string{
		" " + duckdnsfake.Token + "\n": "",
		"":                             "it is empty",
		"not-a-token":                  "UUID",
	} {
		_, err := duckdns.FromSecretData(map[string][]byte{duckdns.TokenKey: []byte(v)})
		if (want == "") != (err == nil) || (err != nil && (!strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "not-a-token"))) {
			t.Errorf("token %q: %v, want %q", v, err, want)
		}
	}
	if _, err := duckdns.FromSecretData(nil); providers.KindOf(err) != providers.KindCredentials {
		t.Errorf("no token: %v", err)
	}
}

func FuzzResponses(f *testing.F) {
	dns := duckdnsfake.New(nil, "example.com")
	f.Cleanup(dns.Close)
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return duckdns.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc, Nameserver: dns.DNS.Addr},
			map[string][]byte{duckdns.TokenKey: []byte(duckdnsfake.Token)}, nil)
	}, []string{duckdnsfake.Token}, []providertest.FuzzSeed{
		{Status: 200, Body: "OK"},
		{Status: 200, Body: "KO"},
		{Status: 200, Body: "OK\n81.2.69.160\n\nUPDATED"},
	})
}

package namecheap_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/namecheap"
	"github.com/ddns-operator/ddns-operator/providers/namecheap/namecheapfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(password string) map[string][]byte {
	return map[string][]byte{namecheap.PasswordKey: []byte(password)}
}

func env(f *namecheapfake.Fake) providers.Env {
	return providers.Env{Endpoint: f.Endpoint(), HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func build(t *testing.T, f *namecheapfake.Fake, password string) providers.Provider {
	t.Helper()
	p, err := namecheap.Descriptor.New(env(f), secret(password), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var example = providers.Zone{ID: "example.com", Name: "example.com"}

func TestConformance(t *testing.T) {
	const noCRUD = "Namecheap's Dynamic DNS endpoint only sets the IPv4 address of a host set up in its console: it cannot delete a record or write AAAA (TestUpdateOnlyWhenChanged and TestRefusals cover what it can do)"
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := namecheapfake.New(t, zones...)
		f.AnyHost = true
		t.Cleanup(func() {
			t.Logf("namecheap fake: %d requests, %d writes, %d DNS queries", f.Requests(), f.Writes(), f.DNS.Queries())
		})
		return f.View().Fill(&providertest.Fixture{
			Descriptor: namecheap.Descriptor,
			Env:        env(f),
			Secret:     secret(namecheapfake.Password),
			BadSecret:  secret("00000000000000000000000000000000"),
			FixedTTL:   true,
			Skip: map[string]string{
				"create, read back, update, delete: A record":     noCRUD,
				"create, read back, update, delete: apex":         noCRUD,
				"create, read back, update, delete: deep name":    noCRUD,
				"create, read back, update, delete: AAAA record":  noCRUD,
				"the ownership marker is stored, listed and kept": "the endpoint keeps no comment: the provider has no marker (Descriptor.Marker is empty; docs/providers/namecheap.md says how adoption stays safe)",
				"wrong credentials are an authentication error":   "FindZone reads public DNS, which takes no credential; the first update checks the password (TestRefusals)",
				"throttling is a rate-limit error":                "ListRecords reads DNS, not the endpoint; the endpoint's 429 is checked on an update (TestRefusals)",
			},
		})
	})
}

// The provider reads the host's address from DNS and sends an update
// only when it differs; the update is then visible to the next read.
func TestUpdateOnlyWhenChanged(t *testing.T) {
	f := namecheapfake.New(t, "example.com")
	f.Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 300})
	p := build(t, f, namecheapfake.Password)
	ctx := t.Context()
	z, err := p.FindZone(ctx, "home.example.com", "")
	if err != nil || z.Name != "example.com" {
		t.Fatalf("FindZone = %+v, %v", z, err)
	}
	got, err := p.ListRecords(ctx, z, "home.example.com", "A")
	if err != nil || len(got) != 1 || got[0].Value != "81.2.69.160" || got[0].TTL != 0 || got[0].ID != "home.example.com/A" {
		t.Fatalf("ListRecords = %+v, %v", got, err)
	}
	rec := got[0]
	for i := 0; i < 3; i++ {
		if _, err := p.UpdateRecord(ctx, z, rec); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.Requests(); n != 0 {
		t.Fatalf("%d updates sent for an address that did not change, want none", n)
	}
	rec.Value = "81.2.69.161"
	if _, err := p.UpdateRecord(ctx, z, rec); err != nil {
		t.Fatal(err)
	}
	if n := f.Writes(); n != 1 {
		t.Fatalf("%d updates sent for one change, want 1", n)
	}
	if got, _ := p.ListRecords(ctx, z, "home.example.com", "A"); len(got) != 1 || got[0].Value != "81.2.69.161" {
		t.Fatalf("after the update DNS answers %+v", got)
	}
	if _, err := p.UpdateRecord(ctx, z, rec); err != nil || f.Writes() != 1 {
		t.Fatalf("a repeated update: %v, %d writes in all", err, f.Writes())
	}
}

// What Namecheap refuses, and how the provider says it.
func TestRefusals(t *testing.T) {
	f := namecheapfake.New(t, "example.com")
	ctx := t.Context()
	const wrong = "ffffffffffffffffffffffffffffffff"
	for _, tc := range []struct {
		name  string
		setup func()
		p     providers.Provider
		rec   providers.Record
		kind  providers.Kind
		says  string
	}{
		{"wrong password", nil, build(t, f, wrong), providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160"}, providers.KindAuth, "Passwords do not match"},
		{"host not set up", nil, build(t, f, namecheapfake.Password), providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160"}, providers.KindInvalid, "A + Dynamic DNS Record"},
		{"AAAA", nil, build(t, f, namecheapfake.Password), providers.Record{Name: "home.example.com", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1"}, providers.KindInvalid, "IPv4 (A) records only"},
		{"throttled", func() { f.SetFault(providertest.FaultRateLimited) }, build(t, f, namecheapfake.Password), providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160"}, providers.KindRateLimited, "429"},
		{"server error", func() { f.SetFault(providertest.FaultServerError) }, build(t, f, namecheapfake.Password), providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160"}, providers.KindTransient, "500"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				tc.setup()
				t.Cleanup(func() { f.SetFault(providertest.FaultNone) })
			}
			_, err := tc.p.CreateRecord(ctx, example, tc.rec)
			if providers.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("CreateRecord = %v (%s), want %s saying %q", err, providers.KindOf(err), tc.kind, tc.says)
			}
		})
	}
	err := build(t, f, namecheapfake.Password).DeleteRecord(ctx, example, providers.Record{ID: "home.example.com/A"})
	if providers.KindOf(err) != providers.KindInvalid || !strings.Contains(err.Error(), "cannot delete") {
		t.Fatalf("DeleteRecord = %v", err)
	}
}

// The password is in the update's query string: no error may hold it.
func TestPasswordNeverInErrors(t *testing.T) {
	f := namecheapfake.New(t, "example.com")
	const wrong = "0123456789abcdef0123456789abcdef"
	var errs []error
	for _, p := range []providers.Provider{build(t, f, wrong), build(t, f, namecheapfake.Password)} {
		for _, fault := range []providertest.Fault{providertest.FaultNone, providertest.FaultHTTP502, providertest.FaultTimeout, providertest.FaultConnectionReset, providertest.FaultHTMLPage} {
			f.SetFault(fault)
			ctx, cancel := context.WithTimeout(t.Context(), time.Second)
			_, err := p.CreateRecord(ctx, example, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160"})
			cancel()
			if err != nil {
				errs = append(errs, err)
			}
		}
	}
	f.SetFault(providertest.FaultNone)
	if len(errs) < 8 {
		t.Fatalf("collected only %d errors", len(errs))
	}
	for _, err := range errs {
		s := fmt.Sprintf("%v %+v", err, err)
		if strings.Contains(s, wrong) || strings.Contains(s, namecheapfake.Password) || strings.Contains(s, "password=") {
			t.Errorf("error %q holds the password or a URL with it", s)
		}
	}
}

// FuzzNamecheapResponses feeds the provider arbitrary answers from the
// endpoint, with DNS from a test server.
func FuzzNamecheapResponses(f *testing.F) {
	const password = "fuzznamecheappassword0123456789"
	dns := namecheapfake.New(f, "example.com").DNS
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return namecheap.Descriptor.New(providers.Env{Endpoint: endpoint + "/?dns=" + dns.Addr, HTTPClient: hc}, secret(password), nil)
	}, []string{password}, []providertest.FuzzSeed{
		{Status: 200, Body: `<?xml version="1.0" encoding="utf-16"?><interface-response><Command>SETDNSHOST</Command><Language>eng</Language><IP>81.2.69.160</IP><ErrCount>0</ErrCount><errors /><ResponseCount>0</ResponseCount><responses /><Done>true</Done><debug><![CDATA[]]></debug></interface-response>`},
		{Status: 200, Body: `<?xml version="1.0" encoding="utf-16"?><interface-response><Command>SETDNSHOST</Command><Language>eng</Language><ErrCount>1</ErrCount><errors><Err1>Passwords do not match</Err1></errors><ResponseCount>1</ResponseCount><responses><response><Description>Passwords do not match</Description><ResponseNumber>304156</ResponseNumber><ResponseString>Validation error; invalid ; password</ResponseString></response></responses><Done>true</Done></interface-response>`},
		{Status: 200, Body: `<interface-response><ErrCount>1</ErrCount><errors><Err1>No Records updated. A record not Found;</Err1></errors></interface-response>`},
	})
}

package dynv6_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/dynv6"
	"github.com/ddns-operator/ddns-operator/providers/dynv6/dynv6fake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(token string) map[string][]byte {
	return map[string][]byte{dynv6.TokenKey: []byte(token)}
}

func env(f *dynv6fake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := dynv6fake.New(t, zones...)
		t.Cleanup(func() { t.Logf("dynv6 fake: %d requests, %d writes", f.Requests(), f.Writes()) })
		return f.View().Fill(&providertest.Fixture{
			Descriptor: dynv6.Descriptor,
			Env:        env(f),
			Secret:     secret(dynv6fake.Token),
			// A token dynv6 does not know: 401.
			BadSecret:  secret("0000000000000000000000000000000000"),
			RetryAfter: true,
			FixedTTL:   true,
			Skip: map[string]string{
				"the ownership marker is stored, listed and kept": "dynv6's records have no comment field, so the provider keeps no marker (Descriptor.Marker is empty; docs/providers/dynv6.md says how adoption and deletion stay safe)",
			},
		})
	})
}

// A zone is a hostname whose own addresses are fields of the zone: the
// apex's A and AAAA records are read and written there, the names below
// it as records.
func TestZoneIsAHostname(t *testing.T) {
	f := dynv6fake.New(t, "myhome.dynv6.net")
	p, err := dynv6.Descriptor.New(env(f), secret(dynv6fake.Token), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	z, err := p.FindZone(ctx, "myhome.dynv6.net", "")
	if err != nil || z.Name != "myhome.dynv6.net" {
		t.Fatalf("FindZone = %+v, %v", z, err)
	}
	for _, rec := range []providers.Record{
		{Name: "myhome.dynv6.net", Type: "A", Value: "81.2.69.160"},
		{Name: "myhome.dynv6.net", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1"},
		{Name: "nas.myhome.dynv6.net", Type: "A", Value: "81.2.69.161"},
	} {
		got, err := p.CreateRecord(ctx, z, rec)
		if err != nil {
			t.Fatalf("CreateRecord(%s %s): %v", rec.Name, rec.Type, err)
		}
		if apex := rec.Name == z.Name; apex != strings.HasPrefix(got.ID, "zone/") {
			t.Fatalf("CreateRecord(%s %s) = ID %q", rec.Name, rec.Type, got.ID)
		}
	}
	if n := f.Count("update zone"); n != 2 {
		t.Fatalf("the apex's addresses took %d zone updates, want 2", n)
	}
	if n := f.Count("create record"); n != 1 {
		t.Fatalf("the name below the apex took %d record creations, want 1", n)
	}
	all, err := p.(providers.ZoneReader).ListZoneRecords(ctx, z, "A")
	if err != nil || len(all) != 2 {
		t.Fatalf("ListZoneRecords(A) = %+v, %v", all, err)
	}
}

// A wrong token is dynv6's 401, an authentication error without the
// token.
func TestWrongToken(t *testing.T) {
	f := dynv6fake.New(t, "example.com")
	const wrong = "wrongdynv6token0123456789"
	p, _ := dynv6.Descriptor.New(env(f), secret(wrong), nil)
	_, err := p.FindZone(t.Context(), "home.example.com", "")
	if providers.KindOf(err) != providers.KindAuth || strings.Contains(err.Error(), wrong) {
		t.Fatalf("FindZone with a wrong token = %v", err)
	}
	if seen := strings.Join(f.CredentialsSeen(), " "); !strings.Contains(seen, "Bearer "+wrong) {
		t.Fatalf("the fake did not see the bearer token (saw %q)", seen)
	}
}

func TestSecret(t *testing.T) {
	for _, v := range []string{"", " ", "Bearer abc", "a b"} {
		if _, err := dynv6.Descriptor.New(providers.Env{}, secret(v), nil); providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), dynv6.TokenKey) {
			t.Errorf("token %q: %v", v, err)
		}
	}
}

// FuzzDynv6Responses feeds the provider arbitrary answers.
func FuzzDynv6Responses(f *testing.F) {
	const tok = "fuzzdynv6token0123456789"
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return dynv6.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, secret(tok), nil)
	}, []string{tok}, []providertest.FuzzSeed{
		{Status: 200, Body: `[{"id":1,"name":"example.com","ipv4address":"81.2.69.160","ipv6prefix":"2a02:2e0:3fe:1001::/64"}]`},
		{Status: 200, Body: `{"id":1,"name":"example.com","ipv4address":"81.2.69.160","ipv6prefix":""}`},
		{Status: 200, Body: `[{"id":5,"zoneID":1,"type":"A","name":"home","data":"81.2.69.160"}]`},
		{Status: 200, Body: `{"id":5,"zoneID":1,"type":"A","name":"home","data":"81.2.69.160"}`},
		{Status: 401, Body: `{"error":"invalid token"}`},
		{Status: 404, Body: `{"error":"zone not found"}`},
		{Status: 422, Body: `{"error":"data is not a valid IPv4 address"}`},
	})
}

// An answer that is not the API's JSON (empty, a proxy's page, cut short)
// is a passing fault, never an empty list: an empty zone list would stall
// the record as ZoneNotFound.
func TestGarbledAnswersAreTransient(t *testing.T) {
	f := dynv6fake.New(t, "example.com")
	p, err := dynv6.Descriptor.New(env(f), secret(dynv6fake.Token), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, fault := range []providertest.Fault{providertest.FaultEmptyOK, providertest.FaultHTMLPage, providertest.FaultTruncatedJSON} {
		f.SetFault(fault)
		if _, err := p.FindZone(t.Context(), "home.example.com", ""); providers.KindOf(err) != providers.KindTransient {
			t.Errorf("%s: FindZone = %v, want a transient error", fault, err)
		}
	}
}

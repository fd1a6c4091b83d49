package dynadot_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/dynadot"
	"github.com/ddns-operator/ddns-operator/providers/dynadot/dynadotfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(password string) map[string][]byte {
	return map[string][]byte{dynadot.PasswordKey: []byte(password)}
}

func env(f *dynadotfake.Fake) providers.Env {
	return providers.Env{Endpoint: f.Endpoint(), HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func build(t *testing.T, f *dynadotfake.Fake, password string) providers.Provider {
	t.Helper()
	p, err := dynadot.Descriptor.New(env(f), secret(password), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var example = providers.Zone{ID: "example.com", Name: "example.com"}

func TestConformance(t *testing.T) {
	const noDelete = "Dynadot's DDNS endpoint creates and updates a name's record but cannot delete one (TestSetOnlyWhenChanged covers create and update)"
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := dynadotfake.New(t, zones...)
		t.Cleanup(func() {
			t.Logf("dynadot fake: %d requests, %d writes, %d DNS queries", f.Requests(), f.Writes(), f.DNS.Queries())
		})
		return f.View().Fill(&providertest.Fixture{
			Descriptor: dynadot.Descriptor,
			Env:        env(f),
			Secret:     secret(dynadotfake.Password),
			BadSecret:  secret("0000000000000000"),
			Skip: map[string]string{
				"create, read back, update, delete: A record":     noDelete,
				"create, read back, update, delete: apex":         noDelete,
				"create, read back, update, delete: deep name":    noDelete,
				"create, read back, update, delete: AAAA record":  noDelete,
				"the ownership marker is stored, listed and kept": "the endpoint keeps no comment: the provider has no marker (Descriptor.Marker is empty; docs/providers/dynadot.md says how adoption stays safe)",
				"wrong credentials are an authentication error":   "FindZone reads public DNS, which takes no credential; the first update checks the password (TestRefusals)",
				"throttling is a rate-limit error":                "ListRecords reads DNS, not the endpoint; the endpoint's 429 is checked on an update (TestRefusals)",
			},
		})
	})
}

// Create and update go through set_ddns only when DNS does not already
// hold the value and TTL; each change is one request, visible to the
// next read.
func TestSetOnlyWhenChanged(t *testing.T) {
	f := dynadotfake.New(t, "example.com")
	p := build(t, f, dynadotfake.Password)
	ctx := t.Context()
	for _, tc := range []struct {
		name, typ, value string
		ttl              int32
	}{
		{"home.example.com", "A", "81.2.69.160", 600},
		{"example.com", "A", "81.2.69.161", 300},
		{"v6.example.com", "AAAA", "2a02:2e0:3fe:1001:302::1", 600},
	} {
		before := f.Writes()
		rec, err := p.CreateRecord(ctx, example, providers.Record{Name: tc.name, Type: tc.typ, Value: tc.value, TTL: tc.ttl})
		if err != nil {
			t.Fatalf("CreateRecord(%s %s): %v", tc.name, tc.typ, err)
		}
		got, err := p.ListRecords(ctx, example, tc.name, tc.typ)
		if err != nil || len(got) != 1 || got[0] != rec || rec.TTL != tc.ttl || rec.ID != tc.name+"/"+tc.typ {
			t.Fatalf("after CreateRecord = %+v, ListRecords = %+v, %v", rec, got, err)
		}
		if _, err := p.UpdateRecord(ctx, example, rec); err != nil {
			t.Fatal(err)
		}
		rec.TTL = 0
		if _, err := p.UpdateRecord(ctx, example, rec); err != nil {
			t.Fatal(err)
		}
		if n := f.Writes() - before; n != 1 {
			t.Fatalf("%s %s: %d requests for one create and two unchanged updates, want 1", tc.name, tc.typ, n)
		}
	}
	rec, _ := p.ListRecords(ctx, example, "home.example.com", "A")
	rec[0].Value = "81.2.69.170"
	if _, err := p.UpdateRecord(ctx, example, rec[0]); err != nil {
		t.Fatal(err)
	}
	if got, _ := p.ListRecords(ctx, example, "home.example.com", "A"); len(got) != 1 || got[0].Value != "81.2.69.170" || got[0].TTL != 600 {
		t.Fatalf("after the change DNS answers %+v", got)
	}
}

func TestRefusals(t *testing.T) {
	f := dynadotfake.New(t, "example.com")
	ctx := t.Context()
	rec := providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160"}
	for _, tc := range []struct {
		name  string
		fault providertest.Fault
		p     providers.Provider
		kind  providers.Kind
		says  string
	}{
		{"wrong password", providertest.FaultNone, build(t, f, "wrongwrongwrong"), providers.KindAuth, "Invalid DDNS password"},
		{"throttled", providertest.FaultRateLimited, build(t, f, dynadotfake.Password), providers.KindRateLimited, "429"},
		{"server error", providertest.FaultServerError, build(t, f, dynadotfake.Password), providers.KindTransient, "500"},
		{"domain refused", providertest.FaultZoneNotFound, build(t, f, dynadotfake.Password), providers.KindZoneNotFound, "Domain not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.SetFault(tc.fault)
			t.Cleanup(func() { f.SetFault(providertest.FaultNone) })
			_, err := tc.p.CreateRecord(ctx, example, rec)
			if providers.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("CreateRecord = %v (%s), want %s saying %q", err, providers.KindOf(err), tc.kind, tc.says)
			}
		})
	}
	if err := build(t, f, dynadotfake.Password).DeleteRecord(ctx, example, providers.Record{ID: "home.example.com/A"}); providers.KindOf(err) != providers.KindInvalid {
		t.Fatalf("DeleteRecord = %v", err)
	}
}

// The password is in set_ddns' query string: no error may hold it.
func TestPasswordNeverInErrors(t *testing.T) {
	f := dynadotfake.New(t, "example.com")
	const wrong = "0123456789abcdef"
	var errs []error
	n := 0
	for _, p := range []providers.Provider{build(t, f, wrong), build(t, f, dynadotfake.Password)} {
		for _, fault := range []providertest.Fault{providertest.FaultAuthRejected, providertest.FaultHTTP502, providertest.FaultTimeout, providertest.FaultConnectionReset, providertest.FaultTruncatedJSON} {
			f.SetFault(fault)
			ctx, cancel := context.WithTimeout(t.Context(), time.Second)
			n++ // a new address each time, so every call reaches the endpoint
			_, err := p.CreateRecord(ctx, example, providers.Record{Name: "home.example.com", Type: "A", Value: fmt.Sprintf("81.2.69.%d", n)})
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
		if strings.Contains(s, wrong) || strings.Contains(s, dynadotfake.Password) || strings.Contains(s, "pwd=") {
			t.Errorf("error %q holds the password or a URL with it", s)
		}
	}
}

// FuzzDynadotResponses feeds the provider arbitrary answers from the
// endpoint, with DNS from a test server.
func FuzzDynadotResponses(f *testing.F) {
	const password = "fuzzdynadotpassword01"
	dns := dynadotfake.New(f, "example.com").DNS
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return dynadot.Descriptor.New(providers.Env{Endpoint: endpoint + "/?dns=" + dns.Addr, HTTPClient: hc}, secret(password), nil)
	}, []string{password}, []providertest.FuzzSeed{
		{Status: 200, Body: `{"status":"success","error_code":0,"content":["1 record(s) set"]}`},
		{Status: 200, Body: `{"status":"error","error_code":-1,"content":["Invalid DDNS password"]}`},
		{Status: 200, Body: `{"status":"error","error_code":-1,"content":[]}`},
	})
}

package rfc2136

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/rfc2136/bindtest"
)

// What the reconciler does with duplicates: update the one it keeps, then
// delete the others by ID. Each write touches only its own value, and the
// survivor's ID becomes "name/type" once it is alone.
func TestDuplicatesAreResolvedValueByValue(t *testing.T) {
	s := bindtest.StartT(t, "example.test")
	ctx := context.Background()
	p := newProvider(t, s.Addr, s.Keys["hmac-sha256"])
	z, err := p.FindZone(ctx, "home.example.test", "example.test")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"81.2.69.160", "81.2.69.161", "81.2.69.162"} {
		rr, _ := dns.NewRR("home.example.test. 120 IN A " + v)
		if err := s.Add("example.test", rr); err != nil {
			t.Fatal(err)
		}
	}
	got, err := p.ListRecords(ctx, z, "home.example.test", "A")
	if err != nil || len(got) != 3 {
		t.Fatalf("ListRecords = %v, %v", got, err)
	}
	ids := []string{got[0].ID, got[1].ID, got[2].ID}
	slices.Sort(ids)
	if ids[0] != "home.example.test/A/81.2.69.160" || ids[2] != "home.example.test/A/81.2.69.162" {
		t.Fatalf("IDs of duplicates = %v, want name/type/value", ids)
	}

	upd, err := p.UpdateRecord(ctx, z, providers.Record{ID: "home.example.test/A/81.2.69.160", Value: "81.2.69.170"})
	if err != nil {
		t.Fatalf("UpdateRecord of one duplicate: %v", err)
	}
	if upd.TTL != 120 {
		t.Fatalf("update with TTL 0 wrote TTL %d, want the set's 120 kept", upd.TTL)
	}
	if want := []string{"81.2.69.161", "81.2.69.162", "81.2.69.170"}; !slices.Equal(values(t, s), want) {
		t.Fatalf("after updating one duplicate the zone holds %v, want %v", values(t, s), want)
	}
	for _, v := range []string{"81.2.69.161", "81.2.69.162"} {
		if err := p.DeleteRecord(ctx, z, providers.Record{ID: "home.example.test/A/" + v}); err != nil {
			t.Fatalf("DeleteRecord %s: %v", v, err)
		}
	}
	got, err = p.ListRecords(ctx, z, "home.example.test", "A")
	if err != nil || len(got) != 1 || got[0].ID != "home.example.test/A" || got[0].Value != "81.2.69.170" {
		t.Fatalf("after removing duplicates ListRecords = %+v, %v; want the one record with ID home.example.test/A", got, err)
	}
}

// Two writers that both saw no record cannot both add one: the second
// create fails as transient, and the zone keeps one record.
func TestCreateDoesNotAddASecondRecord(t *testing.T) {
	s := bindtest.StartT(t, "example.test")
	ctx := context.Background()
	p := newProvider(t, s.Addr, s.Keys["hmac-sha512"])
	z := providers.Zone{ID: "example.test", Name: "example.test"}
	if _, err := p.CreateRecord(ctx, z, providers.Record{Name: "home.example.test", Type: "A", Value: "81.2.69.160"}); err != nil {
		t.Fatal(err)
	}
	_, err := p.CreateRecord(ctx, z, providers.Record{Name: "home.example.test", Type: "A", Value: "81.2.69.161"})
	if providers.KindOf(err) != providers.KindTransient {
		t.Fatalf("second create: %v (kind %s), want a transient error", err, providers.KindOf(err))
	}
	if got := values(t, s); !slices.Equal(got, []string{"81.2.69.160"}) {
		t.Fatalf("zone holds %v, want only the first record", got)
	}
}

// A refusing policy is an authentication error that says what to fix.
func TestOutsideTheZoneIsRefusedOrNotFound(t *testing.T) {
	s := bindtest.StartT(t, "example.test")
	ctx := context.Background()
	p := newProvider(t, s.Addr, s.Keys["hmac-sha256"])
	_, err := p.CreateRecord(ctx, providers.Zone{ID: "other.test", Name: "other.test"}, providers.Record{Name: "home.other.test", Type: "A", Value: "81.2.69.160"})
	if k := providers.KindOf(err); k != providers.KindAuth && k != providers.KindZoneNotFound {
		t.Fatalf("update of a zone the server lacks: %v (kind %s)", err, k)
	}
}

func values(t *testing.T, s *bindtest.Server) []string {
	t.Helper()
	rrs, err := s.Records("example.test", "home.example.test", dns.TypeA)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, rr := range rrs {
		out = append(out, rr.(*dns.A).A.String())
	}
	slices.Sort(out)
	return out
}

func TestFromSecretData(t *testing.T) {
	good := map[string][]byte{KeyTSIGKeyName: []byte("ddns-key"), KeyTSIGSecret: []byte("c2VjcmV0LXNlY3JldA==")}
	for _, tc := range []struct {
		name    string
		edit    func(map[string][]byte)
		wantErr string
		wantAlg string
	}{
		{"algorithm defaults to hmac-sha256", func(map[string][]byte) {}, "", "hmac-sha256."},
		{"hmac-sha512 in any case", func(d map[string][]byte) { d[KeyTSIGAlgorithm] = []byte("HMAC-SHA512.") }, "", "hmac-sha512."},
		{"hmac-md5 when asked", func(d map[string][]byte) { d[KeyTSIGAlgorithm] = []byte("hmac-md5") }, "", "hmac-md5.sig-alg.reg.int."},
		{"missing key name", func(d map[string][]byte) { delete(d, KeyTSIGKeyName) }, `no key "tsigKeyName"`, ""},
		{"missing secret", func(d map[string][]byte) { delete(d, KeyTSIGSecret) }, `no key "tsigSecret"`, ""},
		{"secret not base64", func(d map[string][]byte) { d[KeyTSIGSecret] = []byte("not base64!") }, `"tsigSecret" is malformed`, ""},
		{"unknown algorithm", func(d map[string][]byte) { d[KeyTSIGAlgorithm] = []byte("gss-tsig") }, `"tsigAlgorithm" is malformed`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := map[string][]byte{}
			for k, v := range good {
				d[k] = v
			}
			tc.edit(d)
			c, err := FromSecretData(d)
			if tc.wantErr != "" {
				if err == nil || providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want a credentials error containing %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "not base64!") {
					t.Fatal("error quotes the secret")
				}
				return
			}
			if err != nil || c.Algorithm != tc.wantAlg || c.KeyName != "ddns-key." {
				t.Fatalf("FromSecretData = %+v, %v; want algorithm %s", c, err, tc.wantAlg)
			}
		})
	}
}

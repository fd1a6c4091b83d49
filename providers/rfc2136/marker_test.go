package rfc2136

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/rfc2136/bindtest"
)

func TestMarkerName(t *testing.T) {
	for _, tc := range []struct{ desc, name, typ, want string }{
		{"A record", "home.example.com", "A", "_ddns-owner-a.home.example.com"},
		{"AAAA record", "home.example.com", "AAAA", "_ddns-owner-aaaa.home.example.com"},
		{"zone apex", "example.com", "A", "_ddns-owner-a.example.com"},
		{"wildcard: the prefix replaces the '*'", "*.example.com", "A", "_ddns-owner-a-wildcard.example.com"},
		{"wildcard AAAA below the apex", "*.sub.example.com", "AAAA", "_ddns-owner-aaaa-wildcard.sub.example.com"},
		{"a '*' that is not the first label is an ordinary label", "a.*.example.com", "A", "_ddns-owner-a.a.*.example.com"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			if got := markerName(tc.name, tc.typ); got != tc.want {
				t.Fatalf("markerName(%q, %q) = %q, want %q", tc.name, tc.typ, got, tc.want)
			}
		})
	}
}

// Any bytes survive the trip through the wire format, whatever miekg/dns
// escapes on the way in and out.
func TestMarkerTextSurvivesTheWire(t *testing.T) {
	for _, marker := range []string{
		"ddns-operator/3f2c6a4e-0d6b-4c55-9a3e-2b7f1f0c9d11/default/home",
		`quote " and backslash \ and a literal \065`,
		"tab\tnewline\nnul\x00 and bytes \xff\x80",
		"ünïcödé ✓",
		strings.Repeat("m", MaxMarker),
	} {
		txt, err := markerRR("home.example.com", "A", marker)
		if err != nil {
			t.Fatalf("markerRR(%q): %v", marker, err)
		}
		m := new(dns.Msg)
		m.SetQuestion("example.com.", dns.TypeTXT)
		m.Answer = []dns.RR{txt}
		wire, err := m.Pack()
		if err != nil {
			t.Fatalf("pack %q: %v", marker, err)
		}
		var back dns.Msg
		if err := back.Unpack(wire); err != nil {
			t.Fatalf("unpack %q: %v", marker, err)
		}
		if got := txtText(back.Answer[0].(*dns.TXT)); got != marker {
			t.Fatalf("marker %q came back as %q", marker, got)
		}
	}
}

// A marker longer than one TXT string is refused before anything is sent.
func TestMarkerTooLongIsInvalid(t *testing.T) {
	s := bindtest.StartT(t, "example.test")
	proxy, err := bindtest.NewProxy(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(proxy.Close)
	p := newProvider(t, proxy.Addr, s.Keys["hmac-sha256"])
	ctx := context.Background()
	z := providers.Zone{ID: "example.test", Name: "example.test"}
	long := strings.Repeat("m", MaxMarker+1)
	_, err = p.CreateRecord(ctx, z, providers.Record{Name: "home.example.test", Type: "A", Value: "81.2.69.160", Marker: long})
	if providers.KindOf(err) != providers.KindInvalid || !strings.Contains(err.Error(), "255") {
		t.Fatalf("create with a %d-byte marker: %v (kind %s), want invalid naming 255", len(long), err, providers.KindOf(err))
	}
	_, err = p.UpdateRecord(ctx, z, providers.Record{ID: "home.example.test/A", Value: "81.2.69.161", Marker: long})
	if providers.KindOf(err) != providers.KindInvalid {
		t.Fatalf("update with a %d-byte marker: %v (kind %s), want invalid", len(long), err, providers.KindOf(err))
	}
	if proxy.Updates() != 0 {
		t.Fatalf("%d updates reached the server", proxy.Updates())
	}
}

// The marker of a wildcard, and those of the apex's A and AAAA, each sit
// at their own companion name and come and go with their records.
func TestMarkersOfWildcardAndApex(t *testing.T) {
	s := bindtest.StartT(t, "example.test")
	ctx := context.Background()
	p := newProvider(t, s.Addr, s.Keys["hmac-sha256"])
	z := providers.Zone{ID: "example.test", Name: "example.test"}
	for _, r := range []providers.Record{
		{Name: "*.example.test", Type: "A", Value: "81.2.69.160", Marker: "wild"},
		{Name: "example.test", Type: "A", Value: "81.2.69.161", Marker: `apex "v4" \ ✓`},
		{Name: "example.test", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1", Marker: "apex v6"},
	} {
		if _, err := p.CreateRecord(ctx, z, r); err != nil {
			t.Fatalf("CreateRecord %s %s: %v", r.Name, r.Type, err)
		}
		got, err := p.ListRecords(ctx, z, r.Name, r.Type)
		if err != nil || len(got) != 1 || got[0].Marker != r.Marker {
			t.Fatalf("ListRecords(%s, %s) = %+v, %v; want marker %q", r.Name, r.Type, got, err, r.Marker)
		}
	}
	if txt := companions(t, s, "_ddns-owner-a-wildcard.example.test"); len(txt) != 1 || txt[0] != "wild" {
		t.Fatalf("the wildcard's companion holds %q", txt)
	}
	if err := p.DeleteRecord(ctx, z, providers.Record{ID: "example.test/A"}); err != nil {
		t.Fatal(err)
	}
	if txt := companions(t, s, "_ddns-owner-a.example.test"); len(txt) != 0 {
		t.Fatalf("after deleting the apex A its companion holds %q", txt)
	}
	if got, err := p.ListRecords(ctx, z, "example.test", "AAAA"); err != nil || len(got) != 1 || got[0].Marker != "apex v6" {
		t.Fatalf("deleting the apex A touched the AAAA: %+v, %v", got, err)
	}
}

// Deleting one of several values keeps the marker; deleting the last one
// removes it, in that same message.
func TestMarkerGoesWithTheLastValue(t *testing.T) {
	s := bindtest.StartT(t, "example.test")
	proxy, err := bindtest.NewProxy(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(proxy.Close)
	ctx := context.Background()
	p := newProvider(t, proxy.Addr, s.Keys["hmac-sha256"])
	z := providers.Zone{ID: "example.test", Name: "example.test"}
	seed(t, s, "home.example.test. 120 IN A 81.2.69.160", "home.example.test. 120 IN A 81.2.69.161", `_ddns-owner-a.home.example.test. 120 IN TXT "mine"`)

	if err := p.DeleteRecord(ctx, z, providers.Record{ID: "home.example.test/A/81.2.69.160"}); err != nil {
		t.Fatal(err)
	}
	if txt := companions(t, s, "_ddns-owner-a.home.example.test"); len(txt) != 1 {
		t.Fatalf("with a record left the companion holds %q, want the marker kept", txt)
	}
	if err := p.DeleteRecord(ctx, z, providers.Record{ID: "home.example.test/A/81.2.69.161"}); err != nil {
		t.Fatal(err)
	}
	if txt := companions(t, s, "_ddns-owner-a.home.example.test"); len(txt) != 0 {
		t.Fatalf("with no record left the companion holds %q", txt)
	}
	if proxy.Updates() != 2 {
		t.Fatalf("two deletes sent %d updates", proxy.Updates())
	}
	if err := p.DeleteRecord(ctx, z, providers.Record{ID: "home.example.test/A/81.2.69.161"}); err != nil || proxy.Updates() != 2 {
		t.Fatalf("deleting a value already gone: %v, %d updates", err, proxy.Updates())
	}
}

// A value delete built from a set that has changed since is refused by
// the server as a whole, and reported as transient.
func TestDeleteValueOfAChangedSetIsTransient(t *testing.T) {
	s := bindtest.StartT(t, "example.test")
	ctx := context.Background()
	p := newProvider(t, s.Addr, s.Keys["hmac-sha256"])
	seed(t, s, "home.example.test. 120 IN A 81.2.69.160", "home.example.test. 120 IN A 81.2.69.161", `_ddns-owner-a.home.example.test. 120 IN TXT "mine"`)
	stale, _ := newRR(providers.Record{Name: "home.example.test", Type: "A", Value: "81.2.69.160"})
	target, _ := newRR(providers.Record{Name: "home.example.test", Type: "A", Value: "81.2.69.160"})
	err := p.update(ctx, deleteValueMsg("example.test", []dns.RR{stale}, target), "delete")
	if providers.KindOf(err) != providers.KindTransient || !strings.Contains(err.Error(), "NXRRSET") {
		t.Fatalf("delete against a stale set: %v (kind %s), want transient NXRRSET", err, providers.KindOf(err))
	}
	if got := values(t, s); len(got) != 2 {
		t.Fatalf("the refused delete changed the zone: %v", got)
	}
	if txt := companions(t, s, "_ddns-owner-a.home.example.test"); len(txt) != 1 {
		t.Fatalf("the refused delete removed the marker: %q", txt)
	}
}

// A create without a marker clears a companion left without records; an
// update without one keeps the stored marker and returns it.
func TestMarkerWithoutOneWritten(t *testing.T) {
	s := bindtest.StartT(t, "example.test")
	ctx := context.Background()
	p := newProvider(t, s.Addr, s.Keys["hmac-sha256"])
	z := providers.Zone{ID: "example.test", Name: "example.test"}
	seed(t, s, `_ddns-owner-a.home.example.test. 120 IN TXT "stale"`)
	created, err := p.CreateRecord(ctx, z, providers.Record{Name: "home.example.test", Type: "A", Value: "81.2.69.160"})
	if err != nil {
		t.Fatal(err)
	}
	if txt := companions(t, s, "_ddns-owner-a.home.example.test"); len(txt) != 0 {
		t.Fatalf("a create without a marker left the companion %q", txt)
	}
	if _, err := p.UpdateRecord(ctx, z, providers.Record{ID: created.ID, Value: "81.2.69.161", Marker: "mine"}); err != nil {
		t.Fatal(err)
	}
	upd, err := p.UpdateRecord(ctx, z, providers.Record{ID: created.ID, Value: "81.2.69.162"})
	if err != nil || upd.Marker != "mine" || upd.Value != "81.2.69.162" {
		t.Fatalf("update without a marker = %+v, %v; want marker \"mine\" kept", upd, err)
	}
	if txt := companions(t, s, "_ddns-owner-a.home.example.test"); len(txt) != 1 || txt[0] != "mine" {
		t.Fatalf("the companion holds %q, want the marker kept", txt)
	}
}

// BenchmarkCreateMsg builds and packs the UPDATE of a create with a
// marker, the largest message the provider sends for one record.
func BenchmarkCreateMsg(b *testing.B) {
	r := providers.Record{Name: "home.example.com", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1", TTL: 300}
	marker := "ddns-operator/3f2c6a4e-0d6b-4c55-9a3e-2b7f1f0c9d11/default/home"
	b.ReportAllocs()
	for b.Loop() {
		r, rr, err := normalise(r, 0)
		if err != nil {
			b.Fatal(err)
		}
		txt, err := markerRR(r.Name, r.Type, marker)
		if err != nil {
			b.Fatal(err)
		}
		txt.Header().Ttl = rr.Header().Ttl
		if _, err := createMsg("example.com", rr, txt).Pack(); err != nil {
			b.Fatal(err)
		}
	}
}

func seed(t *testing.T, s *bindtest.Server, rrs ...string) {
	t.Helper()
	var parsed []dns.RR
	for _, text := range rrs {
		rr, err := dns.NewRR(text)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, rr)
	}
	if err := s.Add("example.test", parsed...); err != nil {
		t.Fatal(err)
	}
}

// companions returns the texts of the TXT records at name in example.test.
func companions(t *testing.T, s *bindtest.Server, name string) []string {
	t.Helper()
	rrs, err := s.Records("example.test", name, dns.TypeTXT)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, rr := range rrs {
		out = append(out, txtText(rr.(*dns.TXT)))
	}
	return out
}

package dnspod_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/dnspod/dnspodfake"
)

func zoneOf(t *testing.T, p providers.Provider, name string) providers.Zone {
	t.Helper()
	z, err := p.FindZone(t.Context(), name, name)
	if err != nil {
		t.Fatalf("FindZone(%s): %v", name, err)
	}
	return z
}

// Record.Modify replaces the whole record: the provider must send back the
// line, weight, MX and enabled state it read, and the remark (not a Modify
// parameter) must survive.
func TestUpdateKeepsProviderSideSettings(t *testing.T) {
	fake := dnspodfake.New(t, "example.com")
	weight := 40
	seeded := fake.SeedRec("example.com", dnspodfake.Record{Name: "home", Type: "A", Value: "81.2.69.160", TTL: 1200, Marker: "router at home", X: dnspodfake.Extra{Line: "电信", Weight: &weight, Disabled: true}})
	p := build(t, fake, dnspodfake.LoginToken, &v1alpha1.DNSPodOptions{RecordLine: "电信"})
	z := zoneOf(t, p, "example.com")

	got, err := p.ListRecords(t.Context(), z, "home.example.com", "A")
	if err != nil || len(got) != 1 || got[0].ID != seeded.ID || got[0].TTL != 1200 {
		t.Fatalf("ListRecords = %+v, %v", got, err)
	}
	upd := got[0]
	upd.Value, upd.TTL = "81.2.69.161", 0 // TTL 0: keep the record's
	out, err := p.UpdateRecord(t.Context(), z, upd)
	if err != nil {
		t.Fatalf("UpdateRecord: %v", err)
	}
	if out.Value != "81.2.69.161" || out.TTL != 1200 || out.ID != seeded.ID || out.Name != "home.example.com" {
		t.Fatalf("UpdateRecord returned %+v", out)
	}
	after, _ := fake.Get(seeded.ID)
	if after.Value != "81.2.69.161" || after.TTL != 1200 {
		t.Fatalf("value/TTL at the API = %s/%d", after.Value, after.TTL)
	}
	if after.X.Line != "电信" || after.X.LineID != "10=0" {
		t.Errorf("line changed to %q (%s)", after.X.Line, after.X.LineID)
	}
	if after.X.Weight == nil || *after.X.Weight != 40 {
		t.Errorf("weight changed to %v", after.X.Weight)
	}
	if !after.X.Disabled {
		t.Errorf("a disabled record was enabled")
	}
	if after.Marker != "router at home" {
		t.Errorf("remark changed to %q", after.Marker)
	}
	if fake.Count("Record.Modify") != 1 || fake.Count("Record.Ddns") != 0 {
		t.Errorf("Modify calls %d, Ddns calls %d", fake.Count("Record.Modify"), fake.Count("Record.Ddns"))
	}
}

func TestUpdateKeepsMXPriority(t *testing.T) {
	fake := dnspodfake.New(t, "example.com")
	seeded := fake.SeedRec("example.com", dnspodfake.Record{Name: "mail", Type: "MX", Value: "mx.example.net.", TTL: 600, X: dnspodfake.Extra{MX: 7}})
	p := build(t, fake, dnspodfake.LoginToken, nil)
	z := zoneOf(t, p, "example.com")
	if _, err := p.UpdateRecord(t.Context(), z, providers.Record{ID: seeded.ID, Name: "mail.example.com", Type: "MX", Value: "mx2.example.net.", TTL: 900}); err != nil {
		t.Fatalf("UpdateRecord: %v", err)
	}
	after, _ := fake.Get(seeded.ID)
	if after.X.MX != 7 || after.TTL != 900 || after.Value != "mx2.example.net." || after.X.Disabled {
		t.Fatalf("after update: %+v", after)
	}
}

// Only records of the spec's line are the record's; others of the same
// name and type are left alone.
func TestListRecordsOnlyTheSpecLine(t *testing.T) {
	fake := dnspodfake.New(t, "example.com")
	def := fake.Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600})
	tel := fake.SeedRec("example.com", dnspodfake.Record{Name: "home", Type: "A", Value: "81.2.69.170", TTL: 600, X: dnspodfake.Extra{Line: "电信"}})

	for _, tc := range []struct {
		opts *v1alpha1.DNSPodOptions
		want string
	}{
		{nil, def.ID},
		{&v1alpha1.DNSPodOptions{RecordLine: "默认"}, def.ID},
		{&v1alpha1.DNSPodOptions{RecordLine: "电信"}, tel.ID},
	} {
		p := build(t, fake, dnspodfake.LoginToken, tc.opts)
		got, err := p.ListRecords(t.Context(), zoneOf(t, p, "example.com"), "home.example.com", "A")
		if err != nil || len(got) != 1 || got[0].ID != tc.want {
			t.Errorf("line %+v: ListRecords = %+v, %v; want only %s", tc.opts, got, err, tc.want)
		}
	}
}

func TestCreateOnTheSpecLineAndDefaultTTL(t *testing.T) {
	fake := dnspodfake.New(t, "example.com")
	p := build(t, fake, dnspodfake.LoginToken, &v1alpha1.DNSPodOptions{RecordLine: "联通"})
	z := zoneOf(t, p, "example.com")
	r, err := p.CreateRecord(t.Context(), z, providers.Record{Name: "*.example.com", Type: "AAAA", Value: "2A02:2E0:3FE:1001:302:0:0:1"})
	if err != nil {
		t.Fatalf("CreateRecord: %v", err)
	}
	if r.Value != "2a02:2e0:3fe:1001:302::1" {
		t.Errorf("value %q is not canonical", r.Value)
	}
	stored, _ := fake.Get(r.ID)
	if stored.X.Line != "联通" || stored.Name != "*.example.com" || stored.TTL != dnspodfake.DefaultTTL {
		t.Fatalf("stored %+v", stored)
	}
}

func TestCreateWithUnknownLineIsInvalid(t *testing.T) {
	fake := dnspodfake.New(t, "example.com")
	p := build(t, fake, dnspodfake.LoginToken, &v1alpha1.DNSPodOptions{RecordLine: "火星"})
	_, err := p.CreateRecord(t.Context(), zoneOf(t, p, "example.com"), providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160"})
	if providers.KindOf(err) != providers.KindInvalid {
		t.Fatalf("error %v, want invalid", err)
	}
}

// A TTL refused by Record.Modify ("29 TTL 值太小", a message without the
// number) still names the free plan's minimum.
func TestUpdateBelowMinimumTTL(t *testing.T) {
	fake := dnspodfake.New(t, "example.com")
	seeded := fake.Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600})
	p := build(t, fake, dnspodfake.LoginToken, nil)
	seeded.TTL = 60
	_, err := p.UpdateRecord(t.Context(), zoneOf(t, p, "example.com"), seeded)
	var pe *providers.Error
	if providers.KindOf(err) != providers.KindInvalid || !errors.As(err, &pe) || pe.Code != "29" {
		t.Fatalf("error %v, want invalid with code 29", err)
	}
	if want := "600"; !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "TTL is too small") {
		t.Fatalf("error %q should keep the API's message and name %s", err, want)
	}
}

func TestUpdateOfAVanishedRecordIsNotFound(t *testing.T) {
	fake := dnspodfake.New(t, "example.com")
	p := build(t, fake, dnspodfake.LoginToken, nil)
	_, err := p.UpdateRecord(t.Context(), zoneOf(t, p, "example.com"),
		providers.Record{ID: "999", Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600})
	if providers.KindOf(err) != providers.KindNotFound {
		t.Fatalf("error %v, want not found", err)
	}
	if fake.Writes() != 0 {
		t.Fatalf("made %d writes", fake.Writes())
	}
}

func TestDeleteInAMissingZone(t *testing.T) {
	fake := dnspodfake.New(t, "example.com")
	p := build(t, fake, dnspodfake.LoginToken, nil)
	err := p.DeleteRecord(t.Context(), providers.Zone{ID: "1", Name: "gone.example"}, providers.Record{ID: "5"})
	if providers.KindOf(err) != providers.KindZoneNotFound {
		t.Fatalf("error %v, want zone not found", err)
	}
}

// Record.Create and Record.Modify take no remark: a marker is stored by one
// Record.Remark after them, and only when it changes.
func TestMarkerIsStoredByRecordRemark(t *testing.T) {
	fake := dnspodfake.New(t, "example.com")
	p := build(t, fake, dnspodfake.LoginToken, nil)
	z := zoneOf(t, p, "example.com")
	created, err := p.CreateRecord(t.Context(), z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", Marker: "mine"})
	if err != nil {
		t.Fatalf("CreateRecord: %v", err)
	}
	if got, _ := fake.Get(created.ID); got.Marker != "mine" || created.Marker != "mine" {
		t.Fatalf("created %+v, stored remark %q", created, got.Marker)
	}
	for _, tc := range []struct {
		marker, want string
		remarks      int
	}{
		{"mine", "mine", 0},   // unchanged: no Record.Remark
		{"", "mine", 0},       // empty: the remark is kept
		{"yours", "yours", 1}, // changed: one Record.Remark
	} {
		before := fake.Count("Record.Remark")
		upd := created
		upd.Marker = tc.marker
		out, err := p.UpdateRecord(t.Context(), z, upd)
		if err != nil {
			t.Fatalf("UpdateRecord with marker %q: %v", tc.marker, err)
		}
		got, _ := fake.Get(created.ID)
		if got.Marker != tc.want || out.Marker != tc.want {
			t.Errorf("marker %q: stored %q, returned %q; want %q", tc.marker, got.Marker, out.Marker, tc.want)
		}
		if n := fake.Count("Record.Remark") - before; n != tc.remarks {
			t.Errorf("marker %q: %d Record.Remark calls, want %d", tc.marker, n, tc.remarks)
		}
	}
}

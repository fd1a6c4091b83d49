package alidns_test

import (
	"fmt"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/alidns/alidnsfake"
)

func TestListZoneRecordsReadsEveryPageOfItsLine(t *testing.T) {
	f := alidnsfake.New(t, "example.com", "example.org")
	n := 2*f.PageSize + 1
	for i := 0; i < n; i++ {
		f.SeedRec("example.com", alidnsfake.Record{Name: fmt.Sprintf("n%d", i), Type: "A", Value: fmt.Sprintf("81.2.69.%d", i+1), Marker: "r", X: alidnsfake.Extra{Line: "telecom"}})
	}
	f.SeedRec("example.com", alidnsfake.Record{Name: "other-line", Type: "A", Value: "81.2.69.200"})
	f.SeedRec("example.com", alidnsfake.Record{Name: "n0", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1", X: alidnsfake.Extra{Line: "telecom"}})
	f.SeedRec("example.org", alidnsfake.Record{Name: "n0", Type: "A", Value: "81.2.69.201", X: alidnsfake.Extra{Line: "telecom"}})
	p := newProvider(t, f, goodSecret(), lineSpec("telecom"))
	got, err := p.(providers.ZoneReader).ListZoneRecords(ctx, zoneOf(t, p, "example.com"), "A")
	if err != nil {
		t.Fatalf("ListZoneRecords: %v", err)
	}
	if len(got) != n {
		t.Fatalf("ListZoneRecords returned %d records, want the %d A records on line telecom: %+v", len(got), n, got)
	}
	for _, r := range got {
		if r.Type != "A" || r.Marker != "r" || r.TTL != 600 || r.ID == "" {
			t.Fatalf("ListZoneRecords returned %+v", r)
		}
	}
	if pages := f.Count("DescribeDomainRecords"); pages != 3 {
		t.Fatalf("ListZoneRecords read %d pages, want 3 (page size %d)", pages, f.PageSize)
	}
	_, err = p.(providers.ZoneReader).ListZoneRecords(ctx, providers.Zone{ID: "gone.example", Name: "gone.example"}, "A")
	wantCode(t, err, providers.KindZoneNotFound, "IncorrectDomainUser")
}

func TestRemarkWrites(t *testing.T) {
	f := alidnsfake.New(t, "example.com")
	p := newProvider(t, f, goodSecret(), nil)
	z := zoneOf(t, p, "example.com")
	const mark = "ddns-operator:owner:default/home"

	created, err := p.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", Marker: mark})
	if err != nil || created.Marker != mark {
		t.Fatalf("CreateRecord = %+v, %v", created, err)
	}
	if stored, _ := f.Get(created.ID); stored.Marker != mark {
		t.Fatalf("stored remark %q, want %q", stored.Marker, mark)
	}
	if f.Count("AddDomainRecord") != 1 || f.Count("UpdateDomainRecordRemark") != 1 {
		t.Fatalf("create sent %d AddDomainRecord and %d UpdateDomainRecordRemark, want 1 and 1", f.Count("AddDomainRecord"), f.Count("UpdateDomainRecordRemark"))
	}

	// Nothing changes: nothing is written.
	before := f.Writes()
	if _, err := p.UpdateRecord(ctx, z, created); err != nil || f.Writes() != before {
		t.Fatalf("a no-op update: %v, %d writes", err, f.Writes()-before)
	}
	// Only the marker changes: only the remark is written.
	moved := created
	moved.Marker = mark + "-2"
	if got, err := p.UpdateRecord(ctx, z, moved); err != nil || got.Marker != moved.Marker {
		t.Fatalf("UpdateRecord of the marker = %+v, %v", got, err)
	}
	if f.Count("UpdateDomainRecord") != 0 || f.Count("UpdateDomainRecordRemark") != 2 {
		t.Fatalf("a marker update sent %d UpdateDomainRecord and %d remark calls, want 0 and 2 in all", f.Count("UpdateDomainRecord"), f.Count("UpdateDomainRecordRemark"))
	}
	// Only the value changes, no marker asked: the remark is kept.
	moved.Value, moved.Marker = "81.2.69.161", ""
	if got, err := p.UpdateRecord(ctx, z, moved); err != nil || got.Marker != mark+"-2" {
		t.Fatalf("UpdateRecord of the value = %+v, %v; want the stored marker kept", got, err)
	}
	if f.Count("UpdateDomainRecord") != 1 || f.Count("UpdateDomainRecordRemark") != 2 {
		t.Fatalf("a value update sent %d UpdateDomainRecord and %d remark calls, want 1 and 2 in all", f.Count("UpdateDomainRecord"), f.Count("UpdateDomainRecordRemark"))
	}
}

func TestCreateDuplicateMarksAnUnmarkedRecord(t *testing.T) {
	f := alidnsfake.New(t, "example.com")
	plain := f.Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160"})
	other := f.Seed("example.com", providers.Record{Name: "away.example.com", Type: "A", Value: "81.2.69.160", Marker: "someone else"})
	p := newProvider(t, f, goodSecret(), nil)
	z := zoneOf(t, p, "example.com")

	got, err := p.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", Marker: "mine"})
	if err != nil || got.ID != plain.ID || got.Marker != "mine" {
		t.Fatalf("CreateRecord over an unmarked duplicate = %+v, %v", got, err)
	}
	if stored, _ := f.Get(plain.ID); stored.Marker != "mine" {
		t.Fatalf("stored remark %q, want mine", stored.Marker)
	}
	got, err = p.CreateRecord(ctx, z, providers.Record{Name: "away.example.com", Type: "A", Value: "81.2.69.160", Marker: "mine"})
	if err != nil || got.ID != other.ID || got.Marker != "someone else" {
		t.Fatalf("CreateRecord over a marked duplicate = %+v, %v; want it returned as it is", got, err)
	}
	if stored, _ := f.Get(other.ID); stored.Marker != "someone else" {
		t.Fatalf("another owner's remark was overwritten with %q", stored.Marker)
	}
}

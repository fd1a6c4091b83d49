package alidns

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"testing"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/alidns/alidnsfake"
)

func fakeProvider(t testing.TB, f *alidnsfake.Fake, line string) *Provider {
	t.Helper()
	p, err := New(providers.Env{Endpoint: f.URL}, Credentials{AccessKeyID: alidnsfake.AccessKeyID, AccessKeySecret: alidnsfake.AccessKeySecret},
		v1alpha1.AlidnsOptions{Line: line})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return p
}

// The zone listing asks for the documented largest page, the exact type
// and the provider's line, and no fuzzy keyword.
func TestZoneListRequest(t *testing.T) {
	p := &Provider{line: "telecom"}
	got := p.zoneListQuery("example.com", "aaaa", 3)
	want := map[string]string{"DomainName": "example.com", "Type": "AAAA", "Line": "telecom", "PageNumber": "3", "PageSize": "500"}
	if !maps.Equal(got, want) {
		t.Fatalf("zoneListQuery = %v, want %v (no RRKeyWord, KeyWord or SearchMode)", got, want)
	}
}

// UpdateDomainRecordRemark for a record that is gone answers
// DomainRecordNotBelongToUser: the record is not found.
func TestSetRemarkOnARecordGone(t *testing.T) {
	f := alidnsfake.New(t, "example.com")
	err := fakeProvider(t, f, DefaultLine).setRemark(context.Background(), "4242", "mine")
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Kind != providers.KindNotFound || pe.Code != codeRecordNotOwned {
		t.Fatalf("setRemark on a missing record: %v", err)
	}
}

func BenchmarkZoneListRequest(b *testing.B) {
	p := &Provider{line: DefaultLine}
	b.ReportAllocs()
	for b.Loop() {
		_ = p.zoneListQuery("example.com", "A", 2)
	}
}

// BenchmarkListZoneRecords measures a signed DescribeDomainRecords round
// trip (request building, ACS3-HMAC-SHA256 signing, decoding) per page.
func BenchmarkListZoneRecords(b *testing.B) {
	f := alidnsfake.New(b, "example.com")
	f.PageSize = 500
	for i := 0; i < 200; i++ {
		f.SeedRec("example.com", alidnsfake.Record{Name: fmt.Sprintf("n%d", i), Type: "A", Value: fmt.Sprintf("81.2.%d.%d", 70+i/250, 1+i%250), Marker: "mine"})
	}
	p := fakeProvider(b, f, DefaultLine)
	z := providers.Zone{ID: "example.com", Name: "example.com"}
	b.ReportAllocs()
	for b.Loop() {
		if got, err := p.ListZoneRecords(context.Background(), z, "A"); err != nil || len(got) != 200 {
			b.Fatalf("ListZoneRecords = %d records, %v", len(got), err)
		}
	}
}

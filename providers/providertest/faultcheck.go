package providertest

import (
	"context"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
)

// ReadFaults are the faults every read must report as a transient error,
// not as an empty zone or an empty name: a listing that never ends, and
// 200 answers that are not the provider's (empty, HTML, cut off).
var ReadFaults = []Fault{FaultEndlessPages, FaultEmptyOK, FaultHTMLPage, FaultTruncatedJSON, FaultEndlessBody}

// CheckReadFaults makes fake answer each of ReadFaults and checks that
// FindZone, ListRecords and (when p reads zones) ListZoneRecords end
// within ten seconds with a transient error (a call that reads one page
// may succeed under FaultEndlessPages), then that they succeed again once
// the fault clears. zone must exist at the fake.
func CheckReadFaults(t *testing.T, p providers.Provider, zone string, fault func(Fault)) {
	t.Helper()
	ctx := context.Background()
	z, err := p.FindZone(ctx, "home."+zone, zone)
	if err != nil {
		t.Fatalf("FindZone before any fault: %v", err)
	}
	calls := map[string]func(context.Context) error{
		"FindZone": func(ctx context.Context) error { _, err := p.FindZone(ctx, "home."+zone, ""); return err },
		"ListRecords": func(ctx context.Context) error {
			_, err := p.ListRecords(ctx, z, "home."+zone, "A")
			return err
		},
	}
	if zr, ok := p.(providers.ZoneReader); ok {
		calls["ListZoneRecords"] = func(ctx context.Context) error { _, err := zr.ListZoneRecords(ctx, z, "A"); return err }
	}
	for _, f := range ReadFaults {
		fault(f)
		for name, call := range calls {
			cctx, cancel := context.WithTimeout(ctx, time.Minute)
			start := time.Now()
			err := call(cctx)
			cancel()
			if took := time.Since(start); took > 10*time.Second {
				t.Errorf("%s under %s took %s: a fault must not hold a call", name, f, took.Round(time.Second))
			}
			if f == FaultEndlessPages && err == nil {
				continue // a call that reads one page has nothing to page through
			}
			if err == nil || providers.KindOf(err) != providers.KindTransient {
				t.Errorf("%s under %s = %v, want a transient error", name, f, err)
			}
		}
	}
	fault(FaultNone)
	for name, call := range calls {
		if err := call(ctx); err != nil {
			t.Errorf("%s after the faults cleared: %v", name, err)
		}
	}
}

// CheckLostCreate creates a marked record while every answer to a write
// is lost (FaultLostResponse), then checks that the record exists once,
// already marked: a provider that writes the record and its marker with
// separate requests must write the marker first, or the next check finds
// an unmarked record and writes again, and again, while answers are lost.
func CheckLostCreate(t *testing.T, p providers.Provider, zone string, fault func(Fault)) {
	t.Helper()
	ctx := context.Background()
	z, err := p.FindZone(ctx, zone, zone)
	if err != nil {
		t.Fatal(err)
	}
	const mark = "ddns-operator:3f2c6a4e:default/lost"
	fault(FaultLostResponse)
	for i := 0; i < 3; i++ { // the create, then what each retry does
		got, err := p.ListRecords(ctx, z, "lost."+zone, "A")
		if err != nil {
			t.Fatalf("ListRecords while answers to writes are lost: %v", err)
		}
		if len(got) == 1 && got[0].Marker == mark {
			fault(FaultNone)
			return
		}
		if len(got) > 0 {
			t.Fatalf("after %d lost writes: %+v, want the record with its marker or nothing", i+1, got)
		}
		if _, err := p.CreateRecord(ctx, z, providers.Record{Name: "lost." + zone, Type: "A", Value: "81.2.69.175", TTL: 600, Marker: mark}); err == nil {
			t.Fatal("CreateRecord succeeded though its answer was lost")
		}
	}
	fault(FaultNone)
	t.Fatal("the record never showed up marked while answers were lost")
}

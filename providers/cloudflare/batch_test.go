package cloudflare_test

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare/cloudflarefake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func batchWriter(t *testing.T, p providers.Provider) providers.BatchWriter {
	t.Helper()
	bw, ok := p.(providers.BatchWriter)
	if !ok {
		t.Fatal("the Cloudflare provider is not a BatchWriter")
	}
	return bw
}

// A batched update without a marker or spec options keeps what the user set
// at Cloudflare, exactly as UpdateRecord does; with a marker it sets the
// comment and still keeps proxied and tags.
func TestBatchUpdateKeepsProviderSideSettings(t *testing.T) {
	ctx := context.Background()
	f := cloudflarefake.New(t, "example.com")
	seeded := f.SeedRec("example.com", cloudflarefake.Record{
		Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 300, Marker: "set by hand",
		X: cloudflarefake.Settings{Proxied: true, Tags: []string{"owner:alice"}},
	})
	v6 := f.SeedRec("example.com", cloudflarefake.Record{Name: "v6.example.com", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1", TTL: 300, Marker: "v6 by hand"})
	p := withSpec(t, f, nil)
	z := zoneOf(t, p, "example.com")
	res, err := batchWriter(t, p).ApplyBatch(ctx, z, providers.Batch{Updates: []providers.Record{
		{ID: seeded.ID, Name: "home.example.com", Type: "A", Value: "81.2.69.161"},
		{ID: v6.ID, Name: "v6.example.com", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::2", TTL: 600, Marker: "mine"},
	}})
	if err != nil {
		t.Fatalf("ApplyBatch: %v", err)
	}
	got, _ := f.Get(seeded.ID)
	if got.Value != "81.2.69.161" || !got.X.Proxied || got.TTL != 1 || got.Marker != "set by hand" || !slices.Equal(got.X.Tags, []string{"owner:alice"}) {
		t.Fatalf("after the batch the record is %+v; want the new address and the user's proxied, comment and tags kept", got)
	}
	if got, _ := f.Get(v6.ID); got.Value != "2a02:2e0:3fe:1001:302::2" || got.TTL != 600 || got.Marker != "mine" || got.X.Proxied {
		t.Fatalf("after the batch the AAAA record is %+v", got)
	}
	want := []providers.Record{
		{ID: seeded.ID, Name: "home.example.com", Type: "A", Value: "81.2.69.161", TTL: 0, Marker: "set by hand"},
		{ID: v6.ID, Name: "v6.example.com", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::2", TTL: 600, Marker: "mine"},
	}
	if !slices.Equal(res.Updated, want) || len(res.Created) != 0 {
		t.Fatalf("ApplyBatch = %+v, want Updated %+v", res, want)
	}
}

// Creates come back in input order with their IDs, and the spec's options
// apply to them as to CreateRecord.
func TestBatchCreatesInOrder(t *testing.T) {
	f := cloudflarefake.New(t, "example.com")
	on := true
	p := withSpec(t, f, nil)
	z := zoneOf(t, p, "example.com")
	proxied := withSpec(t, f, &v1alpha1.CloudflareOptions{Proxied: &on})
	var creates []providers.Record
	for _, name := range []string{"c", "a", "b"} {
		creates = append(creates, providers.Record{Name: name + ".example.com", Type: "A", Value: "81.2.69.160", Marker: "m-" + name})
	}
	res, err := batchWriter(t, proxied).ApplyBatch(context.Background(), z, providers.Batch{Creates: creates})
	if err != nil {
		t.Fatalf("ApplyBatch: %v", err)
	}
	for i, c := range res.Created {
		got, ok := f.Get(c.ID)
		if c.Name != creates[i].Name || c.Marker != creates[i].Marker || !ok || !got.X.Proxied || got.TTL != 1 {
			t.Fatalf("created[%d] = %+v (stored %+v), want %s proxied", i, c, got, creates[i].Name)
		}
	}
	if len(res.Created) != len(creates) {
		t.Fatalf("ApplyBatch created %d records, want %d", len(res.Created), len(creates))
	}
}

// A batch past MaxBatch, or one naming a record without an ID, is refused
// before any request; an empty batch sends nothing.
func TestBatchRefusedBeforeAnyRequest(t *testing.T) {
	f := cloudflarefake.New(t, "example.com")
	p := withSpec(t, f, nil)
	z := zoneOf(t, p, "example.com")
	bw := batchWriter(t, p)
	if bw.MaxBatch() != 200 {
		t.Fatalf("MaxBatch() = %d, want Cloudflare's Free-plan limit 200", bw.MaxBatch())
	}
	big := make([]providers.Record, bw.MaxBatch()+1)
	for i := range big {
		big[i] = providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160"}
	}
	before := f.Requests()
	for name, b := range map[string]providers.Batch{
		"too many writes":       {Creates: big},
		"delete without an ID":  {Deletes: []providers.Record{{Name: "home.example.com", Type: "A"}}},
		"update without an ID":  {Updates: []providers.Record{{Name: "home.example.com", Type: "A", Value: "81.2.69.160"}}},
		"value of another type": {Creates: []providers.Record{{Name: "home.example.com", Type: "A", Value: "2a02:2e0:3fe:1001:302::1"}}},
	} {
		_, err := bw.ApplyBatch(context.Background(), z, b)
		record(t, err)
		if providers.KindOf(err) != providers.KindInvalid {
			t.Errorf("%s: ApplyBatch = %v, want an invalid error", name, err)
		}
	}
	if _, err := bw.ApplyBatch(context.Background(), z, providers.Batch{}); err != nil {
		t.Fatalf("empty batch: %v", err)
	}
	if f.Requests() != before {
		t.Fatalf("refused batches sent %d requests", f.Requests()-before)
	}
}

// A batch whose answer is lost is a transient error (the caller reads the
// zone again); a failing batch changes nothing and maps like other calls.
func TestBatchErrors(t *testing.T) {
	f := cloudflarefake.New(t, "example.com")
	p := withSpec(t, f, nil)
	z := zoneOf(t, p, "example.com")
	bw := batchWriter(t, p)
	f.SetFault(providertest.FaultLostResponse)
	_, err := bw.ApplyBatch(context.Background(), z, providers.Batch{Creates: []providers.Record{{Name: "lost.example.com", Type: "A", Value: "81.2.69.160"}}})
	record(t, err)
	if providers.KindOf(err) != providers.KindTransient || len(f.Records("example.com", "", "")) != 1 {
		t.Fatalf("lost answer: %v, records %+v; want a transient error and the create applied", err, f.Records("example.com", "", ""))
	}
	f.SetFault(providertest.FaultNone)
	_, err = bw.ApplyBatch(context.Background(), z, providers.Batch{
		Deletes: []providers.Record{{ID: f.Records("example.com", "", "")[0].ID}},
		Creates: []providers.Record{{Name: "short.example.com", Type: "A", Value: "81.2.69.161", TTL: 59}},
	})
	record(t, err)
	if providers.KindOf(err) != providers.KindInvalid || !strings.Contains(err.Error(), "60") || len(f.Records("example.com", "", "")) != 1 {
		t.Fatalf("invalid TTL in a batch: %v, records %+v", err, f.Records("example.com", "", ""))
	}
}

// A comment past the Free plan's 100 characters is invalid, and the error
// names the limit.
func TestMarkerTooLong(t *testing.T) {
	f := cloudflarefake.New(t, "example.com")
	p := withSpec(t, f, nil)
	z := zoneOf(t, p, "example.com")
	long := strings.Repeat("é", cloudflarefake.MaxCommentLength+1)
	_, err := p.CreateRecord(context.Background(), z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", Marker: long})
	record(t, err)
	if providers.KindOf(err) != providers.KindInvalid || !strings.Contains(err.Error(), "100 characters") {
		t.Fatalf("CreateRecord with a %d-character marker = %v, want an invalid error naming 100", cloudflarefake.MaxCommentLength+1, err)
	}
	if _, err := p.CreateRecord(context.Background(), z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", Marker: long[:2*cloudflarefake.MaxCommentLength]}); err != nil {
		t.Fatalf("a marker of exactly %d characters: %v", cloudflarefake.MaxCommentLength, err)
	}
}

// ListZoneRecords reads every page, reports proxied records with TTL 0 as
// ListRecords does, and keeps to the type asked for.
func TestListZoneRecords(t *testing.T) {
	f := cloudflarefake.New(t, "example.com")
	f.PageSize = 3
	for i := 0; i < 7; i++ {
		f.SeedRec("example.com", cloudflarefake.Record{Name: "n" + string(rune('a'+i)), Type: "A", Value: "81.2.69.16" + string(rune('0'+i)), TTL: 300})
	}
	f.SeedRec("example.com", cloudflarefake.Record{Name: "proxied", Type: "A", Value: "81.2.69.170", Marker: "mine", X: cloudflarefake.Settings{Proxied: true}})
	f.SeedRec("example.com", cloudflarefake.Record{Name: "v6", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1", TTL: 300})
	p := withSpec(t, f, nil)
	z := zoneOf(t, p, "example.com")
	before := f.Count("listRecords")
	got, err := p.(providers.ZoneReader).ListZoneRecords(context.Background(), z, "a")
	if err != nil {
		t.Fatalf("ListZoneRecords: %v", err)
	}
	if pages := f.Count("listRecords") - before; pages != 3 {
		t.Fatalf("ListZoneRecords read %d pages of 3 records for 8 records, want 3", pages)
	}
	if len(got) != 8 {
		t.Fatalf("ListZoneRecords = %d records, want 8: %+v", len(got), got)
	}
	for _, r := range got {
		if r.Type != "A" {
			t.Fatalf("ListZoneRecords(A) returned %+v", r)
		}
		if r.Name == "proxied.example.com" && (r.TTL != 0 || r.Marker != "mine") {
			t.Fatalf("proxied record listed as %+v, want TTL 0 and its comment", r)
		}
	}
}

// countGate counts the requests that waited for it.
type countGate struct{ n atomic.Int64 }

func (g *countGate) Wait(ctx context.Context) error {
	g.n.Add(1)
	return ctx.Err()
}

// Zone reads and batches wait for the gate once per request, and the
// provider documents Cloudflare's per-token limit.
func TestGateAndLimits(t *testing.T) {
	f := cloudflarefake.New(t, "example.com")
	f.PageSize = 2
	for i := 0; i < 5; i++ {
		f.SeedRec("example.com", cloudflarefake.Record{Name: "n" + string(rune('a'+i)), Type: "A", Value: "81.2.69.160", TTL: 300})
	}
	g := &countGate{}
	p, err := cloudflare.Descriptor.New(providers.Env{Endpoint: f.URL, Gate: g}, tokenSecret(cloudflarefake.Token), nil)
	if err != nil {
		t.Fatal(err)
	}
	z := zoneOf(t, p, "example.com")
	g.n.Store(0)
	ctx := context.Background()
	before := f.Requests()
	if _, err := p.(providers.ZoneReader).ListZoneRecords(ctx, z, "A"); err != nil {
		t.Fatal(err)
	}
	if _, err := batchWriter(t, p).ApplyBatch(ctx, z, providers.Batch{Creates: []providers.Record{{Name: "new.example.com", Type: "A", Value: "81.2.69.161"}}}); err != nil {
		t.Fatal(err)
	}
	if sent := int64(f.Requests() - before); sent != 4 || g.n.Load() != sent {
		t.Fatalf("%d requests sent, the gate was asked %d times; want 4 and 4", sent, g.n.Load())
	}
	want := providers.Limits{Requests: 1200, Per: 5 * time.Minute, Concurrency: 4}
	if got := cloudflare.Descriptor.Limits; got != want {
		t.Fatalf("Descriptor.Limits = %+v, want %+v", got, want)
	}
}

package route53_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/ddns-operator/ddns-operator/internal/access"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/route53"
	"github.com/ddns-operator/ddns-operator/providers/route53/route53fake"
)

// An address change of 300 records of one zone, carried out as the
// operator does (the account's zone queue, paced by the gate sized to the
// descriptor's limit), sends ⌈300 / MaxBatch⌉ ChangeResourceRecordSets
// requests, not 300, and never more than five requests in a second:
// the fake refuses the sixth with Throttling, as Route 53 does, and
// refuses none.
func TestAddressChangeOf300RecordsIsBatched(t *testing.T) {
	const n = 300
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	f := route53fake.New(t, "example.com")
	f.EnforceRate(true)
	for i := range n {
		f.Seed("example.com", providers.Record{Name: fmt.Sprintf("h%03d.example.com", i), Type: "A", Value: "81.2.69.160", TTL: 300, Marker: "m"})
	}

	var mu sync.Mutex
	woken := map[types.NamespacedName]bool{}
	all := make(chan struct{})
	pool := &access.Pool{Wake: func(k types.NamespacedName) {
		mu.Lock()
		defer mu.Unlock()
		woken[k] = true
		if len(woken) == n {
			close(all)
		}
	}}
	acct, err := pool.Account(ctx, access.Key{Provider: "route53", Secret: types.NamespacedName{Namespace: "ns", Name: "aws"}}, access.Build{
		Descriptor: route53.Descriptor,
		Env:        env(f),
		ReadSecret: func(context.Context) (map[string][]byte, error) {
			return secret(route53fake.AccessKeyID, route53fake.SecretAccessKey), nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	zone, err := acct.FindZone(ctx, "h000.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	before := f.Count("ChangeResourceRecordSets")
	keys := make([]types.NamespacedName, n)
	for i := range n {
		name := fmt.Sprintf("h%03d.example.com", i)
		keys[i] = types.NamespacedName{Namespace: "ns", Name: fmt.Sprintf("r%03d", i)}
		upd := providers.Record{ID: name + "/A", Name: name, Type: "A", Value: "81.2.69.161", TTL: 300, Marker: "m"}
		if _, queued := acct.Apply(ctx, zone, keys[i], "A", providers.Plan{Update: &upd}); !queued {
			t.Fatal("a change at a provider with a batch endpoint was not queued")
		}
	}
	select {
	case <-all:
	case <-ctx.Done():
		t.Fatalf("%d of %d records woken", len(woken), n)
	}
	for _, k := range keys {
		if out, ok := acct.Applied(zone, k); !ok || out.Err != nil {
			t.Fatalf("%s: outcome %+v, %t", k, out, ok)
		}
	}
	bw := mustBatchWriter(t)
	calls := f.Count("ChangeResourceRecordSets") - before
	if wantCalls := (n + bw - 1) / bw; calls != wantCalls {
		t.Fatalf("%d ChangeResourceRecordSets requests for %d changes, want ⌈%d/%d⌉ = %d", calls, n, n, bw, wantCalls)
	}
	if th := f.Throttled(); th != 0 {
		t.Fatalf("%d requests throttled", th)
	}
	if most := f.MaxPerSecond(); most > 5 {
		t.Fatalf("%d requests within a second, over Route 53's 5", most)
	}
	for i := range n {
		if got := f.Records("example.com", fmt.Sprintf("h%03d.example.com", i), "A"); len(got) != 1 || got[0].Value != "81.2.69.161" || got[0].Marker != "m" {
			t.Fatalf("record %d after the change: %+v", i, got)
		}
	}
	t.Logf("%d records: %d ChangeResourceRecordSets requests, at most %d requests in a second, %d requests in all",
		n, calls, f.MaxPerSecond(), f.Requests())
}

// mustBatchWriter returns the provider's MaxBatch.
func mustBatchWriter(t *testing.T) int {
	t.Helper()
	p, err := route53.Descriptor.New(providers.Env{}, secret("AKIA1", "s3cr3tv4lue"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p.(providers.BatchWriter).MaxBatch()
}

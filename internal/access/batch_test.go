package access

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// batchFixture is one zone at an in-memory provider with a batch endpoint,
// its account in a pool, and the records woken by its zone queue.
type batchFixture struct {
	mem  *providertest.Memory
	pool *Pool
	acct *Account
	zone providers.Zone

	mu    sync.Mutex
	woken map[types.NamespacedName]int
	all   chan struct{}
	want  int
}

func newBatchFixture(t *testing.T, want int) *batchFixture {
	t.Helper()
	mem := providertest.NewMemory("tok", "example.com")
	mem.BatchSize, mem.MinTTL = 200, 60
	f := &batchFixture{mem: mem, zone: providers.Zone{ID: "example.com", Name: "example.com"},
		woken: map[types.NamespacedName]int{}, all: make(chan struct{}), want: want}
	f.pool = &Pool{Wake: f.wake}
	acct, err := f.pool.Account(context.Background(), Key{Provider: "memory"}, Build{
		Descriptor: mem.Descriptor("memory"),
		ReadSecret: func(context.Context) (map[string][]byte, error) {
			return map[string][]byte{providertest.MemoryTokenKey: []byte("tok")}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	f.acct = acct
	return f
}

// queue applies c's plan, which must be queued.
func (f *batchFixture) queue(t *testing.T, c change) {
	t.Helper()
	if _, queued := f.acct.Apply(context.Background(), f.zone, c.key, c.typ, c.plan); !queued {
		t.Fatal("a change at a provider with a batch endpoint was not queued")
	}
}

func (f *batchFixture) wake(key types.NamespacedName) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.woken[key]++
	if len(f.woken) == f.want {
		close(f.all)
	}
}

func (f *batchFixture) wait(t *testing.T) {
	t.Helper()
	select {
	case <-f.all:
	case <-time.After(10 * time.Second):
		f.mu.Lock()
		defer f.mu.Unlock()
		t.Fatalf("%d of %d records woken", len(f.woken), f.want)
	}
}

func key(i int) types.NamespacedName {
	return types.NamespacedName{Namespace: "ns", Name: fmt.Sprintf("r%d", i)}
}

func create(i int, ttl int32) change {
	name := fmt.Sprintf("h%d.example.com", i)
	return change{key: key(i), typ: "A", plan: providers.Plan{Create: &providers.Record{Name: name, Type: "A", Value: "81.2.69.160", TTL: ttl, Marker: "m"}}}
}

func TestZoneBatchSendsFullBatchesThenTheRest(t *testing.T) {
	f := newBatchFixture(t, 450)
	for i := 0; i < 450; i++ {
		f.queue(t, create(i, 300))
	}
	f.wait(t)
	if got := f.mem.Calls("ApplyBatch"); got != 3 {
		t.Fatalf("450 changes took %d batch requests, want 3 (200+200+50)", got)
	}
	if got := f.mem.Calls("CreateRecord"); got != 0 {
		t.Fatalf("%d single creates beside the batches", got)
	}
	ids := map[string]bool{}
	for i := 0; i < 450; i++ {
		res, ok := f.acct.Applied(f.zone, key(i))
		if !ok || res.Err != nil || res.Kept.ID == "" || res.Kept.Name != fmt.Sprintf("h%d.example.com", i) {
			t.Fatalf("record %d: result %+v, %v", i, res, ok)
		}
		ids[res.Kept.ID] = true
		if _, again := f.acct.Applied(f.zone, key(i)); again {
			t.Fatalf("record %d: result taken twice", i)
		}
	}
	if len(ids) != 450 {
		t.Fatalf("%d distinct IDs for 450 creates", len(ids))
	}
}

func TestZoneBatchSendsALoneChangeAsOneWrite(t *testing.T) {
	f := newBatchFixture(t, 1)
	start := time.Now()
	f.queue(t, create(1, 300))
	f.wait(t)
	if waited := time.Since(start); waited < batchLinger/2 {
		t.Fatalf("sent after %s, before the linger of %s", waited, batchLinger)
	}
	if f.mem.Calls("ApplyBatch") != 0 || f.mem.Calls("CreateRecord") != 1 {
		t.Fatalf("a lone change took %d batch and %d create requests, want one create", f.mem.Calls("ApplyBatch"), f.mem.Calls("CreateRecord"))
	}
}

func TestZoneBatchRefusedForOneChangeAppliesTheOthers(t *testing.T) {
	f := newBatchFixture(t, 3)
	f.queue(t, create(1, 300))
	f.queue(t, create(2, 30)) // below the provider's minimum of 60
	f.queue(t, create(3, 300))
	f.wait(t)
	for i, wantErr := range map[int]bool{1: false, 2: true, 3: false} {
		res, _ := f.acct.Applied(f.zone, key(i))
		if (res.Err != nil) != wantErr {
			t.Fatalf("record %d: error %v, want error %v", i, res.Err, wantErr)
		}
		if wantErr && providers.KindOf(res.Err) != providers.KindInvalid {
			t.Fatalf("record %d: error of kind %s, want invalid", i, providers.KindOf(res.Err))
		}
	}
	if got := len(f.mem.Records("example.com", "h1.example.com", "A")) + len(f.mem.Records("example.com", "h3.example.com", "A")); got != 2 {
		t.Fatalf("%d of the 2 valid records created", got)
	}
}

func TestZoneBatchReplacesAndForgetsQueuedChanges(t *testing.T) {
	f := newBatchFixture(t, 2)
	f.queue(t, create(1, 300))
	replaced := create(1, 300)
	replaced.plan.Create.Value = "81.2.69.161"
	f.queue(t, replaced)
	f.queue(t, create(2, 300))
	f.queue(t, create(3, 300))
	f.pool.Forget(key(3))
	f.wait(t)
	if recs := f.mem.Records("example.com", "h1.example.com", "A"); len(recs) != 1 || recs[0].Value != "81.2.69.161" {
		t.Fatalf("record 1 = %+v, want only the replacing change", recs)
	}
	if recs := f.mem.Records("example.com", "h3.example.com", "A"); len(recs) != 0 {
		t.Fatalf("a forgotten change was sent: %+v", recs)
	}
	if f.mem.Calls("ApplyBatch") != 1 {
		t.Fatalf("%d batch requests, want 1", f.mem.Calls("ApplyBatch"))
	}
}

func TestZoneBatchLostAnswerDropsTheSnapshot(t *testing.T) {
	f := newBatchFixture(t, 2)
	ctx := context.Background()
	if _, err := f.acct.Records(ctx, f.zone, "h1.example.com", "A", time.Hour); err != nil {
		t.Fatal(err)
	}
	lists := f.mem.Calls("ListZoneRecords")
	f.mem.SetFault(func(op string) error {
		if op == "ApplyBatch" {
			return providers.Transient("apply batch", fmt.Errorf("connection reset by peer"))
		}
		return nil
	})
	f.queue(t, create(1, 300))
	f.queue(t, create(2, 300))
	f.wait(t)
	for i := 1; i <= 2; i++ {
		if res, _ := f.acct.Applied(f.zone, key(i)); providers.KindOf(res.Err) != providers.KindTransient {
			t.Fatalf("record %d: %v, want the transient error", i, res.Err)
		}
	}
	f.mem.SetFault(nil)
	if _, err := f.acct.Records(ctx, f.zone, "h1.example.com", "A", time.Hour); err != nil {
		t.Fatal(err)
	}
	if f.mem.Calls("ListZoneRecords") != lists+1 {
		t.Fatal("after a batch whose answer was lost the zone must be read again")
	}
}

// A rate-limit answer holds back every request of the credential until the
// time the provider gave, not only the request that drew it: the other
// batches of the same flush are not sent.
func TestRateLimitPausesTheCredential(t *testing.T) {
	f := newBatchFixture(t, 10)
	f.mem.BatchSize = 2
	f.mem.SetFault(func(op string) error {
		if op == "ApplyBatch" {
			return providers.RateLimited("429", "slow down", 3*time.Second)
		}
		return nil
	})
	for i := 0; i < 10; i++ {
		f.queue(t, create(i, 300))
	}
	f.wait(t)
	if got := f.mem.Calls("ApplyBatch") + f.mem.Calls("CreateRecord"); got != 1 {
		t.Fatalf("%d requests after the first 429, want none (1 in all)", got-1)
	}
	for i := 0; i < 10; i++ {
		res, _ := f.acct.Applied(f.zone, key(i))
		after, ok := providers.RetryAfterOf(res.Err)
		if providers.KindOf(res.Err) != providers.KindRateLimited || !ok || after > 3*time.Second {
			t.Fatalf("record %d: %v (retry after %s), want a rate limit of at most 3s", i, res.Err, after)
		}
	}
	// Reads wait too, and nothing reaches the provider until the pause
	// ends. (The batch read the zone once before it was sent, to check its
	// creates.)
	lists := f.mem.Calls("ListZoneRecords")
	if _, err := f.acct.Records(context.Background(), f.zone, "h1.example.com", "A", time.Hour); providers.KindOf(err) != providers.KindRateLimited {
		t.Fatalf("a read during the pause: %v, want a rate limit", err)
	}
	if f.mem.Calls("ListZoneRecords") != lists {
		t.Fatal("a read reached the provider during the pause")
	}
	f.mem.SetFault(nil)
	time.Sleep(3 * time.Second)
	if _, err := f.acct.Records(context.Background(), f.zone, "h1.example.com", "A", time.Hour); err != nil {
		t.Fatalf("after the pause: %v", err)
	}
}

// A create planned from a snapshot too old to say the name is free does
// not make the record's reconcile wait for a list (with many zones behind
// one rate limit, those lists held every worker): the batch checks it once
// when it is sent, and a record made by hand meanwhile is planned again,
// not duplicated.
func TestZoneBatchChecksStaleCreatesWhenSent(t *testing.T) {
	f := newBatchFixture(t, 2)
	ctx := context.Background()
	if _, err := f.acct.Records(ctx, f.zone, "h1.example.com", "A", time.Hour); err != nil {
		t.Fatal(err)
	}
	s := f.acct.snapshot(f.zone, "A")
	s.mu.Lock()
	s.taken = s.taken.Add(-time.Minute) // older than createFreshness
	s.mu.Unlock()

	for _, name := range []string{"h1.example.com", "h2.example.com"} {
		recs, err := f.acct.Records(ctx, f.zone, name, "A", time.Hour)
		if err != nil || len(recs) != 0 {
			t.Fatalf("%s: %v, %v", name, recs, err)
		}
	}
	if got := f.mem.Calls("ListZoneRecords"); got != 1 {
		t.Fatalf("the reconcile listed the zone %d times, want once (the stale snapshot is checked when the batch is sent)", got)
	}

	byHand := f.mem.Seed("example.com", providers.Record{Name: "h1.example.com", Type: "A", Value: "81.2.69.1", TTL: 300})
	f.queue(t, create(1, 300))
	f.queue(t, create(2, 300))
	f.wait(t)
	if got := f.mem.Calls("ListZoneRecords"); got != 2 {
		t.Fatalf("%d lists, want one more when the batch was sent", got)
	}
	if recs := f.mem.Records("example.com", "h1.example.com", "A"); len(recs) != 1 || recs[0].ID != byHand.ID {
		t.Fatalf("h1 at the provider = %+v, want only the record made by hand", recs)
	}
	if res, _ := f.acct.Applied(f.zone, key(1)); !res.Replan || res.Err != nil {
		t.Fatalf("record 1: %+v, want planned again", res)
	}
	if res, _ := f.acct.Applied(f.zone, key(2)); res.Replan || res.Err != nil || res.Kept.Name != "h2.example.com" {
		t.Fatalf("record 2: %+v, want created", res)
	}
	recs, err := f.acct.Records(ctx, f.zone, "h1.example.com", "A", time.Hour)
	if err != nil || len(recs) != 1 || recs[0].ID != byHand.ID {
		t.Fatalf("record 1 plans again from %+v, %v, want the record made by hand", recs, err)
	}
}

package access

import (
	"context"
	"slices"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/ddns-operator/ddns-operator/providers"
)

const (
	// batchLinger is how long a zone's queue of changes waits for one more
	// before it is sent: an address change enqueues every record of a zone
	// within milliseconds of each other.
	batchLinger = 200 * time.Millisecond
	// batchMaxWait bounds how long the first change in a queue waits.
	batchMaxWait = 2 * time.Second
	// sendTimeout bounds the provider work of one send.
	sendTimeout = 60 * time.Second
)

// change is the writes one record needs in one zone.
type change struct {
	key  types.NamespacedName
	typ  string
	plan providers.Plan
}

// Outcome is what became of a record's plan.
type Outcome struct {
	// Plan is the plan carried out.
	Plan providers.Plan
	// Kept is the record that holds the name afterwards.
	Kept providers.Record
	// Op says which write failed, for the condition message ("create
	// record in zone example.com").
	Op string
	// Err is the failure, nil when every write succeeded.
	Err error
	// Replan says nothing was sent: the zone, read again before the
	// batch went out, holds a record by the name the plan meant to
	// create. The record plans again from that read.
	Replan bool
}

// zoneBatch queues the changes of one zone at a provider with a batch
// endpoint and sends them together: up to MaxBatch writes per request, sent
// when the queue is full or batchLinger passed without a new change. The
// records whose changes were sent are woken to report the result.
type zoneBatch struct {
	a    *Account
	bw   providers.BatchWriter
	zone providers.Zone
	wake func(types.NamespacedName)

	mu      sync.Mutex
	queue   []change
	first   time.Time
	timer   *time.Timer
	sending bool
	sent    map[types.NamespacedName]bool // in a request now
	results map[types.NamespacedName]Outcome
	// ctx is the context of the reconcile that scheduled the next send,
	// without its cancellation: the send outlives that reconcile, but its
	// logger and values stay.
	ctx context.Context
}

// Apply carries out plan for the record key in zone. At most providers it
// writes at once, one write at a time (see applyPlan), and returns the
// outcome. At a provider with a batch endpoint, when the pool can wake the
// record, the plan joins the zone's queue instead and Apply reports it
// queued; the record is woken when it was sent and takes the outcome with
// Applied (see the package doc for the whole life of a change).
func (a *Account) Apply(ctx context.Context, zone providers.Zone, key types.NamespacedName, typ string, plan providers.Plan) (out Outcome, queued bool) {
	if b := a.batchFor(zone); b != nil {
		a.pool.Forget(key)
		// When its previous change is being sent right now, add keeps
		// nothing: the record is woken when that ends, and plans again.
		b.add(ctx, change{key: key, typ: typ, plan: plan})
		return Outcome{}, true
	}
	kept, op, err := a.applyPlan(ctx, zone, plan)
	return Outcome{Plan: plan, Kept: kept, Op: op, Err: err}, false
}

// Applied returns, once, the outcome of the record's queued change in zone
// once it was sent; false when there is none to report.
func (a *Account) Applied(zone providers.Zone, key types.NamespacedName) (Outcome, bool) {
	b := a.batchFor(zone)
	if b == nil {
		return Outcome{}, false
	}
	return b.take(key)
}

// batchFor returns the zone's batch queue, or nil when the provider has no
// batch endpoint or no record could be woken.
func (a *Account) batchFor(zone providers.Zone) *zoneBatch {
	bw, ok := a.batcher()
	if !ok {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	b, ok := a.batches[zone.ID]
	if !ok {
		b = &zoneBatch{a: a, bw: bw, zone: zone, wake: a.pool.Wake,
			sent: map[types.NamespacedName]bool{}, results: map[types.NamespacedName]Outcome{}}
		a.batches[zone.ID] = b
	}
	return b
}

// batcher returns the provider's batch endpoint when the account queues
// changes per zone: the provider has one and the pool can wake records.
func (a *Account) batcher() (providers.BatchWriter, bool) {
	bw, ok := a.p.(providers.BatchWriter)
	return bw, ok && bw.MaxBatch() >= 2 && a.pool != nil && a.pool.Wake != nil
}

// forget drops what the account's zone queues hold for a record.
func (a *Account) forget(key types.NamespacedName) {
	a.mu.Lock()
	batches := make([]*zoneBatch, 0, len(a.batches))
	for _, b := range a.batches {
		batches = append(batches, b)
	}
	a.mu.Unlock()
	for _, b := range batches {
		b.forget(key)
	}
}

// add queues c, replacing a change of the same record still waiting. It
// reports false when the record's previous change is being sent right now:
// the record is woken when that ends and plans again then.
func (b *zoneBatch) add(ctx context.Context, c change) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.sent[c.key] {
		return false
	}
	if len(b.queue) == 0 || b.ctx == nil {
		b.ctx = context.WithoutCancel(ctx)
	}
	delete(b.results, c.key)
	replaced := false
	for i := range b.queue {
		if b.queue[i].key == c.key {
			b.queue[i], replaced = c, true
		}
	}
	if !replaced {
		b.queue = append(b.queue, c)
	}
	if len(b.queue) == 1 {
		b.first = time.Now()
	}
	b.schedule()
	return true
}

// take returns and forgets the result of key's last sent change.
func (b *zoneBatch) take(key types.NamespacedName) (Outcome, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	res, ok := b.results[key]
	delete(b.results, key)
	return res, ok
}

// forget drops what the batch holds for a record that is gone.
func (b *zoneBatch) forget(key types.NamespacedName) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.results, key)
	for i := range b.queue {
		if b.queue[i].key == key {
			b.queue = append(b.queue[:i], b.queue[i+1:]...)
			break
		}
	}
}

// pending counts the writes queued. Caller holds mu.
func (b *zoneBatch) pending() int {
	n := 0
	for _, c := range b.queue {
		n += c.plan.Writes()
	}
	return n
}

// schedule sends now when the queue is full or its first change waited
// long enough, and otherwise (re)arms the linger timer. Caller holds mu.
func (b *zoneBatch) schedule() {
	if b.sending || len(b.queue) == 0 {
		return
	}
	wait := min(batchLinger, time.Until(b.first.Add(batchMaxWait)))
	if b.pending() >= b.bw.MaxBatch() || wait <= 0 {
		if b.timer != nil {
			b.timer.Stop()
		}
		b.sending = true
		go b.send()
		return
	}
	if b.timer == nil {
		b.timer = time.AfterFunc(wait, b.fire)
	} else {
		b.timer.Reset(wait)
	}
}

func (b *zoneBatch) fire() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.sending || len(b.queue) == 0 {
		return
	}
	b.sending = true
	go b.send()
}

// send sends full batches while the queue holds one, then the rest.
func (b *zoneBatch) send() {
	for {
		b.mu.Lock()
		var take []change
		n := 0
		for len(b.queue) > 0 && (len(take) == 0 || n+b.queue[0].plan.Writes() <= b.bw.MaxBatch()) {
			n += b.queue[0].plan.Writes()
			take = append(take, b.queue[0])
			b.queue = b.queue[1:]
		}
		for _, c := range take {
			b.sent[c.key] = true
		}
		b.first = time.Now()
		ctx := b.ctx
		if len(b.queue) == 0 {
			b.ctx = nil
		}
		b.mu.Unlock()

		results := b.a.applyChanges(ctx, b.bw, b.zone, take)

		b.mu.Lock()
		for i, c := range take {
			delete(b.sent, c.key)
			b.results[c.key] = results[i]
		}
		more := len(b.queue) > 0 && b.pending() >= b.bw.MaxBatch()
		if !more {
			b.sending = false
			b.schedule()
		}
		b.mu.Unlock()
		for _, c := range take {
			b.wake(c.key)
		}
		if !more {
			return
		}
	}
}

// applyChanges applies changes to zone: in one batch request when there is
// more than one write, else (or when the batch is refused for one change's
// sake) one write at a time, so each record gets its own answer. ctx is
// the scheduling reconcile's, without its cancellation.
func (a *Account) applyChanges(ctx context.Context, bw providers.BatchWriter, zone providers.Zone, changes []change) []Outcome {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	out := make([]Outcome, len(changes))
	var send []change
	var at []int
	for i, c := range changes {
		if o, held := a.recheck(ctx, zone, c); held {
			out[i] = o
			continue
		}
		send = append(send, c)
		at = append(at, i)
	}
	for j, o := range a.applyNow(ctx, bw, zone, send) {
		out[at[j]] = o
	}
	return out
}

// recheck reads the zone again, once for the whole batch, when c creates a
// record and the snapshot it was planned from is older than
// createFreshness: a record made by hand a moment ago is then adopted
// rather than duplicated. Records did not wait for that read in the
// record's reconcile, since the batch would only sit behind it. It reports
// the outcome of a change that must not be sent.
func (a *Account) recheck(ctx context.Context, zone providers.Zone, c change) (Outcome, bool) {
	if c.plan.Create == nil {
		return Outcome{}, false
	}
	if _, ok := a.p.(providers.ZoneReader); !ok {
		// The plan rests on a read of the name itself.
		return Outcome{}, false
	}
	recs, err := a.Records(ctx, zone, providers.CanonicalName(c.plan.Create.Name), c.typ, createFreshness)
	if err != nil {
		return Outcome{Plan: c.plan, Op: "list records in zone " + zone.Name, Err: err}, true
	}
	for _, r := range recs {
		if !slices.ContainsFunc(c.plan.Delete, func(d providers.Record) bool { return d.ID == r.ID }) {
			return Outcome{Plan: c.plan, Replan: true}, true
		}
	}
	return Outcome{}, false
}

// applyNow sends changes as applyChanges says.
func (a *Account) applyNow(ctx context.Context, bw providers.BatchWriter, zone providers.Zone, changes []change) []Outcome {
	if len(changes) == 0 {
		return nil
	}
	total := 0
	for _, c := range changes {
		total += c.plan.Writes()
	}
	if total > 1 {
		results, err := a.applyBatch(ctx, bw, zone, changes)
		if err == nil {
			return results
		}
		if k := providers.KindOf(err); len(changes) == 1 || (k != providers.KindInvalid && k != providers.KindNotFound) {
			out := make([]Outcome, len(changes))
			for i, c := range changes {
				out[i] = Outcome{Plan: c.plan, Op: "write records in zone " + zone.Name, Err: err}
			}
			return out
		}
	}
	out := make([]Outcome, len(changes))
	for i, c := range changes {
		kept, op, err := a.applyPlan(ctx, zone, c.plan)
		out[i] = Outcome{Plan: c.plan, Kept: kept, Op: op, Err: err}
	}
	return out
}

// applyBatch sends changes as one batch request.
func (a *Account) applyBatch(ctx context.Context, bw providers.BatchWriter, zone providers.Zone, changes []change) ([]Outcome, error) {
	var batch providers.Batch
	for _, c := range changes {
		batch.Deletes = append(batch.Deletes, c.plan.Delete...)
		if c.plan.Update != nil {
			batch.Updates = append(batch.Updates, *c.plan.Update)
		}
		if c.plan.Create != nil {
			batch.Creates = append(batch.Creates, *c.plan.Create)
		}
	}
	var res providers.BatchResult
	err := a.call(ctx, "batch", func(ctx context.Context) (err error) {
		res, err = bw.ApplyBatch(ctx, zone, batch)
		return err
	})
	if err == nil && (len(res.Updated) != len(batch.Updates) || len(res.Created) != len(batch.Creates)) {
		err = providers.Errorf(providers.KindTransient, "", "batch answer lists %d updates and %d creates for %d and %d sent", len(res.Updated), len(res.Created), len(batch.Updates), len(batch.Creates))
	}
	if err != nil {
		// A lost answer may have applied the batch, whatever the types.
		a.dropSnapshots(zone.ID)
		return nil, a.zoneErr(zone, err)
	}
	out := make([]Outcome, len(changes))
	u, cr := 0, 0
	for i, c := range changes {
		out[i].Plan = c.plan
		var created, updated []providers.Record
		switch {
		case c.plan.Update != nil:
			out[i].Kept = res.Updated[u]
			updated = res.Updated[u : u+1]
			u++
		case c.plan.Create != nil:
			out[i].Kept = res.Created[cr]
			created = res.Created[cr : cr+1]
			cr++
		case c.plan.Keep != nil:
			out[i].Kept = *c.plan.Keep
		}
		a.wrote(zone, c.typ, nil, c.plan.Delete, created, updated)
	}
	return out, nil
}

// applyPlan performs one record's plan one write at a time: create or
// update first, then remove duplicates, so the name never goes dark. On
// error it says which write failed.
func (a *Account) applyPlan(ctx context.Context, zone providers.Zone, plan providers.Plan) (kept providers.Record, op string, err error) {
	switch {
	case plan.Create != nil:
		op = "create record in zone " + zone.Name
		kept, err = a.create(ctx, zone, *plan.Create)
	case plan.Update != nil:
		op = "update record in zone " + zone.Name
		kept, err = a.update(ctx, zone, *plan.Update)
	case plan.Keep != nil:
		kept = *plan.Keep
	}
	if err != nil {
		return kept, op, err
	}
	for _, dup := range plan.Delete {
		if err := a.Remove(ctx, zone, dup); err != nil {
			return kept, "delete duplicate record in zone " + zone.Name, err
		}
	}
	return kept, "", nil
}

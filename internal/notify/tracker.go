package notify

import (
	"context"
	"sort"
	"sync"
	"time"

	"k8s.io/utils/clock"
)

// DefaultFailingAfter is how long a record may retry before it is reported
// failing.
const DefaultFailingAfter = 10 * time.Minute

// sweepEvery is how often the Tracker looks for records retrying too long.
const sweepEvery = 15 * time.Second

// RecordState is what the Tracker reads from a record's status.
type RecordState struct {
	RecordRef
	// Ready is the Ready condition's status: "True", "False" or "Unknown".
	Ready string
	// Stalled is true when the Stalled condition is.
	Stalled bool
	// Reason and Message are the Ready condition's.
	Reason, Message string
	// Since is the Ready condition's last transition.
	Since time.Time
	// Address is the value at the provider (status.addresses).
	Address string
	// LastUpdate is status.lastUpdateTime: the last write at the provider.
	LastUpdate time.Time
}

func (s RecordState) failing() bool { return s.Ready == "False" }

// Sink receives what the Tracker concludes; a Notifier is one.
type Sink interface {
	RecordUpdated(RecordUpdate)
	RecordFailing(RecordFailure)
	RecordRecovered(RecordRecovery)
}

// Tracker turns the successive states of records into events: a record
// written at its provider (status.lastUpdateTime moved, or the address at
// the provider changed), failing (Stalled
// at once; Ready=False while retrying, once it has lasted FailingAfter)
// and recovered (Ready again after it was reported failing). It keeps one
// small entry per record.
type Tracker struct {
	FailingAfter time.Duration
	Sink         Sink
	Clock        clock.Clock

	once    sync.Once
	mu      sync.Mutex
	started time.Time
	records map[string]*tracked
}

type tracked struct {
	state    RecordState
	since    time.Time // failing since; zero when not failing
	reported bool      // reported failing in this failure
}

func (t *Tracker) init() {
	t.once.Do(func() {
		if t.Clock == nil {
			t.Clock = clock.RealClock{}
		}
		if t.FailingAfter <= 0 {
			t.FailingAfter = DefaultFailingAfter
		}
		t.started = t.Clock.Now()
		t.records = map[string]*tracked{}
	})
}

// Observe takes a record's current state: on first sight it only learns
// it (a failure that began before this process and would have been
// reported by then is taken as reported), afterwards it reports what
// changed.
func (t *Tracker) Observe(s RecordState) {
	t.init()
	t.mu.Lock()
	defer t.mu.Unlock()
	prev, seen := t.records[s.key()]
	cur := &tracked{state: s}
	t.records[s.key()] = cur
	if !seen {
		if s.failing() {
			cur.since = orNow(s.Since, t.Clock)
			cur.reported = cur.since.Before(t.started) && (s.Stalled || cur.since.Add(t.FailingAfter).Before(t.started))
			t.reportStalled(cur)
		}
		return
	}
	// status.lastUpdateTime has whole seconds: a second write within the
	// same second shows only as a new address.
	if s.Address != "" && (s.LastUpdate.After(prev.state.LastUpdate) || s.Address != prev.state.Address && prev.state.Address != "") {
		t.emit(func(k Sink) {
			k.RecordUpdated(RecordUpdate{RecordRef: s.RecordRef, Old: prev.state.Address, New: s.Address})
		})
	}
	switch {
	case s.failing():
		cur.since, cur.reported = prev.since, prev.reported
		if prev.since.IsZero() {
			cur.since, cur.reported = orNow(s.Since, t.Clock), false
		}
		t.reportStalled(cur)
	case s.Ready == "True" && prev.reported:
		failedFor := t.Clock.Since(prev.since)
		t.emit(func(k Sink) {
			k.RecordRecovered(RecordRecovery{RecordRef: s.RecordRef, Address: s.Address, FailedFor: failedFor})
		})
	case s.Ready == "Unknown" && !prev.since.IsZero():
		// Progressing after a spec change: the failure stands until the
		// outcome is known.
		cur.since, cur.reported = prev.since, prev.reported
	}
}

// reportStalled reports a Stalled record at once.
func (t *Tracker) reportStalled(r *tracked) {
	if r.reported || !r.state.Stalled {
		return
	}
	r.reported = true
	f := failure(r)
	t.emit(func(k Sink) { k.RecordFailing(f) })
}

func failure(r *tracked) RecordFailure {
	s := r.state
	return RecordFailure{RecordRef: s.RecordRef, Reason: s.Reason, Message: s.Message, Stalled: s.Stalled, Since: r.since}
}

// emit hands an event to the Sink, if any. Sinks never block.
func (t *Tracker) emit(fn func(Sink)) {
	if t.Sink != nil {
		fn(t.Sink)
	}
}

// Forget drops a deleted record.
func (t *Tracker) Forget(namespace, name string) {
	t.init()
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.records, namespace+"/"+name)
}

// Len returns how many records the Tracker follows.
func (t *Tracker) Len() int {
	t.init()
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.records)
}

// Sweep reports the records that have been retrying for FailingAfter.
func (t *Tracker) Sweep() {
	t.init()
	now := t.Clock.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, r := range t.sorted() {
		if r.since.IsZero() || r.reported || now.Sub(r.since) < t.FailingAfter {
			continue
		}
		r.reported = true
		f := failure(r)
		t.emit(func(k Sink) { k.RecordFailing(f) })
	}
}

// Failing returns the records reported failing, by namespace and name.
func (t *Tracker) Failing() []RecordFailure {
	t.init()
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []RecordFailure
	for _, r := range t.sorted() {
		if r.reported && !r.since.IsZero() {
			out = append(out, failure(r))
		}
	}
	return out
}

func (t *Tracker) sorted() []*tracked {
	out := make([]*tracked, 0, len(t.records))
	for _, r := range t.records {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].state.key() < out[j].state.key() })
	return out
}

// Start sweeps every 15 seconds until ctx ends. It implements
// manager.Runnable.
func (t *Tracker) Start(ctx context.Context) error {
	t.init()
	tick := t.Clock.NewTimer(sweepEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C():
			t.Sweep()
			tick.Reset(sweepEvery)
		}
	}
}

// NeedLeaderElection returns true: only the leader reports.
func (t *Tracker) NeedLeaderElection() bool { return true }

func orNow(at time.Time, c clock.Clock) time.Time {
	if at.IsZero() {
		return c.Now()
	}
	return at
}

package notify

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/utils/clock"
)

// Options tune a Notifier; zero fields take the defaults.
type Options struct {
	// Quiet: a digest goes out once no event came for this long (5s).
	Quiet time.Duration
	// MaxDelay: a digest goes out at the latest this long after its first
	// event, however busy the window (1m).
	MaxDelay time.Duration
	// Retry is each target's retry policy (DefaultRetry).
	Retry Retry
	// QueueSize bounds each target's queue (64 messages).
	QueueSize int
	Clock     clock.Clock
	Logger    logr.Logger
}

// Defaults for Options.
const (
	DefaultQuiet     = 5 * time.Second
	DefaultMaxDelay  = time.Minute
	DefaultQueueSize = 64
)

func (o *Options) defaults() {
	if o.Quiet <= 0 {
		o.Quiet = DefaultQuiet
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = DefaultMaxDelay
	}
	if o.Retry.Initial <= 0 {
		o.Retry.Initial = DefaultRetry.Initial
	}
	if o.Retry.Max <= 0 {
		o.Retry.Max = DefaultRetry.Max
	}
	if o.Retry.MaxAge <= 0 {
		o.Retry.MaxAge = DefaultRetry.MaxAge
	}
	if o.Retry.AttemptTimeout <= 0 {
		o.Retry.AttemptTimeout = DefaultRetry.AttemptTimeout
	}
	if o.QueueSize <= 0 {
		o.QueueSize = DefaultQueueSize
	}
	if o.Clock == nil {
		o.Clock = clock.RealClock{}
	}
}

// Target is one configured destination.
type Target struct {
	// Name labels the target's metrics and events; it is not secret.
	Name string
	// Events it wants; empty for all.
	Events  []EventKind
	Channel Channel
}

// Notifier coalesces events into digests and hands each target its
// message. Its event methods only take a mutex: they never wait on a
// target, so callers (informer handlers) are never slowed.
type Notifier struct {
	opts    Options
	targets []*target

	mu      sync.Mutex
	pending *Digest
	first   time.Time // first event of the pending digest
	last    time.Time // latest event of the pending digest
	kick    chan struct{}
}

// New returns a Notifier for targets. Start runs it.
func New(opts Options, targets []Target) *Notifier {
	opts.defaults()
	n := &Notifier{opts: opts, kick: make(chan struct{}, 1)}
	for _, t := range targets {
		wants := map[EventKind]bool{}
		for _, k := range t.Events {
			wants[k] = true
		}
		if len(wants) == 0 {
			for _, k := range AllEvents {
				wants[k] = true
			}
		}
		initTargetMetrics(t.Name)
		n.targets = append(n.targets, &target{
			name: t.Name, wants: wants, ch: t.Channel, retry: opts.Retry, size: opts.QueueSize,
			clk: opts.Clock, log: opts.Logger, wake: make(chan struct{}, 1),
		})
	}
	return n
}

// Targets returns the targets' names.
func (n *Notifier) Targets() []string {
	out := make([]string, len(n.targets))
	for i, t := range n.targets {
		out[i] = t.name
	}
	return out
}

// NeedLeaderElection returns true: only the leader speaks.
func (n *Notifier) NeedLeaderElection() bool { return true }

// Start runs the coalescing window and one worker per target until ctx
// ends. It implements manager.Runnable.
func (n *Notifier) Start(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, t := range n.targets {
		wg.Go(func() { t.run(ctx) })
	}
	n.window(ctx)
	wg.Wait()
	return nil
}

// AddressChanged records a change of a detected address.
func (n *Notifier) AddressChanged(c AddressChange) { n.add(func(d *Digest) { d.addChange(c) }) }

// RecordUpdated records a write at a provider.
func (n *Notifier) RecordUpdated(u RecordUpdate) { n.add(func(d *Digest) { d.addUpdate(u) }) }

// RecordFailing records a record reported failing.
func (n *Notifier) RecordFailing(f RecordFailure) { n.add(func(d *Digest) { d.addFailure(f) }) }

// RecordRecovered records a failing record that is Ready again.
func (n *Notifier) RecordRecovered(r RecordRecovery) { n.add(func(d *Digest) { d.addRecovery(r) }) }

func (n *Notifier) add(fn func(*Digest)) {
	if len(n.targets) == 0 {
		return
	}
	now := n.opts.Clock.Now()
	n.mu.Lock()
	if n.pending == nil {
		n.pending, n.first = &Digest{}, now
	}
	n.last = now
	fn(n.pending)
	n.mu.Unlock()
	select {
	case n.kick <- struct{}{}:
	default:
	}
}

// window sends the pending digest when it is due.
func (n *Notifier) window(ctx context.Context) {
	for {
		d, wait := n.due()
		if d != nil {
			n.flush(d)
			continue
		}
		if !n.sleep(ctx, wait) {
			return
		}
	}
}

// due takes the pending digest when it is due, or says how long until it
// is (negative: nothing pending).
func (n *Notifier) due() (*Digest, time.Duration) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.pending == nil {
		return nil, -1
	}
	at := n.last.Add(n.opts.Quiet)
	if limit := n.first.Add(n.opts.MaxDelay); limit.Before(at) {
		at = limit
	}
	if wait := at.Sub(n.opts.Clock.Now()); wait > 0 {
		return nil, wait
	}
	d := n.pending
	n.pending = nil
	return d, 0
}

// sleep waits for an event, wait (never when negative) or the end of ctx;
// false when ctx ended.
func (n *Notifier) sleep(ctx context.Context, wait time.Duration) bool {
	var due <-chan time.Time
	if wait >= 0 {
		timer := n.opts.Clock.NewTimer(wait)
		defer timer.Stop()
		due = timer.C()
	}
	select {
	case <-ctx.Done():
		return false
	case <-n.kick:
	case <-due:
	}
	return true
}

// flush renders d for every target that wants part of it.
func (n *Notifier) flush(d *Digest) {
	d.At = n.opts.Clock.Now()
	for _, t := range n.targets {
		if d.empty(t.want) {
			continue
		}
		msg, err := t.ch.Render(d, t.want)
		if errors.Is(err, ErrNothingToSend) {
			continue
		}
		if err != nil {
			notifications.WithLabelValues(t.name, resultFailed).Inc()
			n.opts.Logger.Error(err, "Could not render a notification", "target", t.name)
			continue
		}
		t.push(&outgoing{msg: msg, created: d.At, next: d.At})
	}
}

// TestResult is the outcome of a test message at one target.
type TestResult struct {
	Target string
	Err    error
}

// ErrNoTargets is the result of a test when no target is configured.
var ErrNoTargets = errors.New("no notification targets are configured")

// Test sends a test message to every target at once, ahead of their
// queues, and calls done with every target's result when all are known
// (each target tries up to three times, one to two seconds apart).
func (n *Notifier) Test(requestedBy string, done func([]TestResult)) {
	if len(n.targets) == 0 {
		done([]TestResult{{Err: ErrNoTargets}})
		return
	}
	now := n.opts.Clock.Now()
	var mu sync.Mutex
	results := make([]TestResult, len(n.targets))
	left := len(n.targets)
	for i, t := range n.targets {
		report := func(err error) {
			mu.Lock()
			results[i] = TestResult{Target: t.name, Err: err}
			left--
			last := left == 0
			mu.Unlock()
			if last {
				done(results)
			}
		}
		msg, err := t.ch.Test(requestedBy, now)
		if err != nil {
			report(err)
			continue
		}
		t.push(&outgoing{msg: msg, created: now, next: now, done: report})
	}
}

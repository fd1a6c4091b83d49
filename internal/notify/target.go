package notify

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/utils/clock"
)

// Retry is how a target retries a message that failed.
type Retry struct {
	// Initial is the wait after the first failed attempt; it doubles after
	// each further one, up to Max.
	Initial, Max time.Duration
	// MaxAge is when a message is given up: one still undelivered this
	// long after it was written is counted failed and dropped.
	MaxAge time.Duration
	// AttemptTimeout bounds one attempt; a service that does not answer by
	// then counts as failed for that attempt.
	AttemptTimeout time.Duration
}

// DefaultRetry: 2s, 4s, 8s ... up to 5m between attempts, for up to an hour.
var DefaultRetry = Retry{Initial: 2 * time.Second, Max: 5 * time.Minute, MaxAge: time.Hour, AttemptTimeout: 30 * time.Second}

// Test messages are retried quickly and briefly: the person who asked is
// waiting for the event that tells the result.
const (
	testAttempts = 3
	testBackoff  = time.Second
	// maxTests bounds the test messages waiting per target.
	maxTests = 8
)

// errAttemptTimeout is an attempt that got no answer within AttemptTimeout.
var errAttemptTimeout = errors.New("no answer within the attempt timeout")

// outgoing is one message on its way to one target.
type outgoing struct {
	msg      Message
	created  time.Time
	attempts int
	next     time.Time // not before
	// done is set for a test message and told its final result.
	done func(error)
}

// target is one destination: a channel, the events it wants, and a bounded
// queue worked by one goroutine, one attempt at a time, in order. Test
// messages go first.
type target struct {
	name  string
	wants map[EventKind]bool
	ch    Channel
	retry Retry
	size  int
	clk   clock.Clock
	log   logr.Logger

	mu    sync.Mutex
	queue []*outgoing
	tests []*outgoing
	wake  chan struct{}
	// abandoned is an attempt still running after its timeout: the next
	// attempt waits for it, so a hung service holds one goroutine, not many.
	abandoned chan error
}

func (t *target) want(k EventKind) bool { return t.wants[k] }

// push queues o without ever waiting. A full queue drops its oldest
// message, counted in ddns_notifications_total{result="dropped"}.
func (t *target) push(o *outgoing) {
	t.mu.Lock()
	if o.done != nil {
		if len(t.tests) >= maxTests {
			t.mu.Unlock()
			o.done(errors.New("too many test messages are waiting for this target"))
			return
		}
		t.tests = append(t.tests, o)
	} else {
		if len(t.queue) >= t.size {
			t.queue = t.queue[1:]
			notifications.WithLabelValues(t.name, resultDropped).Inc()
			t.log.Info("Notification queue full; dropped the oldest message", "target", t.name, "queue", t.size)
		}
		t.queue = append(t.queue, o)
	}
	queueLength.WithLabelValues(t.name).Set(float64(len(t.queue)))
	t.mu.Unlock()
	t.signal()
}

func (t *target) signal() {
	select {
	case t.wake <- struct{}{}:
	default:
	}
}

// take returns the next message due, or how long until one is.
func (t *target) take(now time.Time) (*outgoing, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, o := range t.tests {
		if !o.next.After(now) {
			t.tests = append(t.tests[:i], t.tests[i+1:]...)
			return o, 0
		}
	}
	wait := time.Duration(-1)
	for _, o := range t.tests {
		if d := o.next.Sub(now); wait < 0 || d < wait {
			wait = d
		}
	}
	if len(t.queue) > 0 {
		o := t.queue[0]
		if !o.next.After(now) {
			t.queue = t.queue[1:]
			queueLength.WithLabelValues(t.name).Set(float64(len(t.queue)))
			return o, 0
		}
		if d := o.next.Sub(now); wait < 0 || d < wait {
			wait = d
		}
	}
	return nil, wait
}

// run works the queue until ctx ends.
func (t *target) run(ctx context.Context) {
	for {
		o, wait := t.take(t.clk.Now())
		if o == nil {
			if !t.sleep(ctx, wait) {
				return
			}
			continue
		}
		err := t.attempt(ctx, o)
		if ctx.Err() != nil {
			return
		}
		t.finish(o, err)
	}
}

// sleep waits until a message is pushed, wait passes (never, when
// negative) or ctx ends; false when ctx ended.
func (t *target) sleep(ctx context.Context, wait time.Duration) bool {
	var timeout <-chan time.Time
	if wait >= 0 {
		timer := t.clk.NewTimer(wait)
		defer timer.Stop()
		timeout = timer.C()
	}
	select {
	case <-ctx.Done():
		return false
	case <-t.wake:
	case <-timeout:
	}
	return true
}

// attempt sends o once, giving up on waiting after AttemptTimeout.
func (t *target) attempt(ctx context.Context, o *outgoing) error {
	if t.abandoned != nil {
		select {
		case err := <-t.abandoned:
			_ = err // how the abandoned attempt ended no longer matters
			t.abandoned = nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	actx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- t.ch.Send(actx, o.msg) }()
	timer := t.clk.NewTimer(t.retry.AttemptTimeout)
	defer timer.Stop()
	select {
	case err := <-done:
		cancel()
		return err
	case <-timer.C():
		cancel()
		t.abandoned = done
		return errAttemptTimeout
	case <-ctx.Done():
		cancel()
		return ctx.Err()
	}
}

// finish counts an attempt and decides what becomes of its message.
func (t *target) finish(o *outgoing, err error) {
	now := t.clk.Now()
	o.attempts++
	if err == nil {
		attempts.WithLabelValues(t.name, "success").Inc()
		if o.done != nil {
			o.done(nil)
			return
		}
		notifications.WithLabelValues(t.name, resultSent).Inc()
		return
	}
	attempts.WithLabelValues(t.name, "error").Inc()
	if o.done != nil {
		if o.attempts >= testAttempts {
			o.done(fmt.Errorf("%w (after %d attempts)", err, o.attempts))
			return
		}
		o.next = now.Add(testBackoff << (o.attempts - 1))
		t.mu.Lock()
		t.tests = append([]*outgoing{o}, t.tests...)
		t.mu.Unlock()
		return
	}
	if now.Sub(o.created) >= t.retry.MaxAge {
		notifications.WithLabelValues(t.name, resultFailed).Inc()
		t.log.Error(err, "Gave up on a notification", "target", t.name, "attempts", o.attempts, "age", now.Sub(o.created).String())
		return
	}
	if o.attempts == 1 {
		t.log.Info("Notification failed; retrying with backoff", "target", t.name, "error", err.Error())
	}
	o.next = now.Add(backoff(t.retry, o.attempts))
	t.mu.Lock()
	if len(t.queue) >= t.size {
		// The queue filled while this message was out: it is the oldest.
		t.mu.Unlock()
		notifications.WithLabelValues(t.name, resultDropped).Inc()
		return
	}
	t.queue = append([]*outgoing{o}, t.queue...)
	queueLength.WithLabelValues(t.name).Set(float64(len(t.queue)))
	t.mu.Unlock()
}

// backoff is the wait after the n-th failed attempt.
func backoff(r Retry, n int) time.Duration {
	d := r.Initial
	for i := 1; i < n && d < r.Max; i++ {
		d *= 2
	}
	return min(d, r.Max)
}

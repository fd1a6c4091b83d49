package access

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"github.com/ddns-operator/ddns-operator/providers"
)

// defaultConcurrency bounds the calls in flight per credential for
// providers that document no limit (RFC 2136).
const defaultConcurrency = 8

// gate paces one credential's requests so the provider's documented limit
// is never reached: a token bucket for requests (each HTTP request, each
// page of a list) and a bound on calls in flight. It is shared by every
// record whose Secret holds that credential.
type gate struct {
	limits providers.Limits
	lim    *rate.Limiter // nil: no request limit
	slots  chan struct{}

	// waits observes how long each request waited (nil: not observed).
	waits prometheus.Observer

	mu sync.Mutex
	// pausedUntil holds every request back after the provider answered
	// one with "slow down": a rate limit counts per credential, so the
	// other records' requests would only draw the same answer.
	pausedUntil time.Time
}

// pause holds every request back for d, or longer if already paused.
func (g *gate) pause(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if until := time.Now().Add(d); until.After(g.pausedUntil) {
		g.pausedUntil = until
	}
}

// paused returns how long the credential is still held back, if at all.
func (g *gate) paused() (time.Duration, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	d := time.Until(g.pausedUntil)
	return d, d > 0
}

// pausedError is the answer to a request while the credential is paused:
// a rate limit with the time left, so the record waits that long.
func pausedError(d time.Duration) error {
	return providers.RateLimited(clientSide, fmt.Sprintf("the provider asked to slow down; no request for this credential until %s", time.Now().Add(d).UTC().Format(time.RFC3339)), d)
}

// clientSide is the code of rate-limit errors the gate makes itself.
const clientSide = "client-side"

// newGate builds the gate for l. The bucket holds a tenth of the limit (at
// most 20) and refills at the rest spread over the period, so that no
// window of that period ever sees more than the limit: burst + rate*period
// equals the limit.
func newGate(l providers.Limits) *gate {
	if l.Concurrency <= 0 {
		l.Concurrency = defaultConcurrency
	}
	g := &gate{limits: l, slots: make(chan struct{}, l.Concurrency)}
	if l.Requests > 0 && l.Per > 0 {
		burst := min(max(l.Requests/10, 1), 20)
		if burst >= l.Requests {
			burst = 1
		}
		// One request per period leaves no room past the burst: pace
		// it at one per period.
		every := l.Per / time.Duration(max(l.Requests-burst, 1))
		g.lim = rate.NewLimiter(rate.Every(every), burst)
	}
	return g
}

// Wait implements providers.Gate, observing how long the request waited.
func (g *gate) Wait(ctx context.Context) error {
	start := time.Now()
	err := g.wait(ctx)
	if g.waits != nil {
		g.waits.Observe(time.Since(start).Seconds())
	}
	return err
}

// wait is Wait without the observation. When the next free slot lies past
// ctx's deadline it answers at once with a rate-limit error that says when
// to come back, instead of sleeping into a timeout.
func (g *gate) wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d, ok := g.paused(); ok {
		return pausedError(d)
	}
	if g.lim == nil {
		return nil
	}
	res := g.lim.Reserve()
	d := res.Delay()
	if d == 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		res.Cancel()
		return providers.RateLimited(clientSide, fmt.Sprintf("holding back to stay within the provider's limit of %d requests per %s", g.limits.Requests, g.limits.Per), d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		res.Cancel()
		return ctx.Err()
	}
}

// acquire takes one of the credential's call slots until release is called.
func (g *gate) acquire(ctx context.Context) (release func(), err error) {
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

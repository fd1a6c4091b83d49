package access

import (
	"context"
	"fmt"
	"time"

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
}

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
		every := l.Per / time.Duration(l.Requests-burst)
		g.lim = rate.NewLimiter(rate.Every(every), burst)
	}
	return g
}

// Wait implements providers.Gate. When the next free slot lies past ctx's
// deadline it answers at once with a rate-limit error that says when to
// come back, instead of sleeping into a timeout.
func (g *gate) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
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
		return providers.RateLimited("client-side", fmt.Sprintf("holding back to stay within the provider's limit of %d requests per %s", g.limits.Requests, g.limits.Per), d)
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

package desec

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
)

// deSEC enforces several sliding-window rates at once per account ("Rate
// Limits", https://desec.readthedocs.io/en/latest/rate-limits.html): DNS
// reads 10/s and 50/min (the descriptor's Limits, which the credential's
// gate keeps), RRset writes 2/s, 15/min, 100/h and 300/day per domain, and
// 2000 requests of any kind a day. One gate cannot hold the per-domain and
// daily windows, so the provider counts them itself (pacer) and waits for
// a free slot when it is a second away, or says for how long to come back
// when it is further: the record then shows RateLimited with the time,
// instead of deSEC answering 429s for the rest of the day.

// rate is one documented limit: n requests in any window of per.
type rate struct {
	n   int
	per time.Duration
}

// The documented rates the pacer keeps.
var (
	// domainWrites are the RRset writes of one domain
	// (dns_api_per_domain_expensive).
	domainWrites = []rate{{2, time.Second}, {15, time.Minute}, {100, time.Hour}, {300, 24 * time.Hour}}
	// allRequests are every request of the account (user).
	allRequests = []rate{{2000, 24 * time.Hour}}
)

// inlineWait is the longest the pacer waits for a slot itself; a longer
// wait is handed back to the reconciler as a rate limit.
const inlineWait = time.Second

// window counts the requests of one scope against its rates.
type window struct {
	rates []rate
	// sent are the times of the requests of the longest rate's period,
	// oldest first.
	sent []time.Time
}

// wait is how long from now until one more request keeps to every rate.
func (w *window) wait(now time.Time) time.Duration {
	longest := w.rates[len(w.rates)-1].per
	for len(w.sent) > 0 && now.Sub(w.sent[0]) >= longest {
		w.sent = w.sent[1:]
	}
	var d time.Duration
	for _, r := range w.rates {
		in := 0
		for i := len(w.sent) - 1; i >= 0 && now.Sub(w.sent[i]) < r.per; i-- {
			in++
		}
		if in >= r.n {
			// The request that must age out of the window first.
			oldest := w.sent[len(w.sent)-in+(in-r.n)]
			d = max(d, oldest.Add(r.per).Sub(now))
		}
	}
	return d
}

// pacer keeps one account's requests within deSEC's rates. (After a 429
// the credential's gate holds every request back for the Retry-After
// deSEC gave, as at every provider.)
type pacer struct {
	now func() time.Time

	mu     sync.Mutex
	all    window
	writes map[string]*window
}

func newPacer(now func() time.Time) *pacer {
	return &pacer{now: now, all: window{rates: allRequests}, writes: map[string]*window{}}
}

// take waits, if briefly, until a request (an RRset write of domain when
// write is set) keeps to the rates, and counts it; otherwise it sends
// nothing and returns a rate-limit error saying when to come back.
func (p *pacer) take(ctx context.Context, domain string, write bool) error {
	for {
		p.mu.Lock()
		now := p.now()
		d, why := p.all.wait(now), "deSEC allows 2000 requests a day per account"
		dw := p.writes[domain]
		if write {
			if dw == nil {
				dw = &window{rates: domainWrites}
				p.writes[domain] = dw
			}
			if w := dw.wait(now); w > d {
				d, why = w, fmt.Sprintf("deSEC allows 2 RRset writes a second, 15 a minute, 100 an hour and 300 a day per domain (%s)", domain)
			}
		}
		if d <= 0 {
			p.all.sent = append(p.all.sent, now)
			if write {
				dw.sent = append(dw.sent, now)
			}
			p.mu.Unlock()
			return nil
		}
		p.mu.Unlock()
		if d > inlineWait {
			return providers.RateLimited("client-side", fmt.Sprintf("%s; next request at %s", why, now.Add(d).UTC().Format(time.RFC3339)), d)
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return providers.Transient("desec: wait for the rate limit", ctx.Err())
		case <-t.C:
		}
	}
}

package access

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
)

// The gate never lets more requests through in any period than the limit
// allows, however many callers wait; a slow machine only lets fewer pass.
func TestGateKeepsWithinTheLimit(t *testing.T) {
	g := newGate(providers.Limits{Requests: 40, Per: 500 * time.Millisecond, Concurrency: 2})
	ctx, cancel := context.WithTimeout(context.Background(), 1200*time.Millisecond)
	defer cancel()
	var mu sync.Mutex
	var times []time.Time
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for g.Wait(ctx) == nil {
				mu.Lock()
				times = append(times, time.Now())
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	// The gate lets about 90 through in 1.2s (a burst of 4, then one
	// every 14ms); a loaded machine fewer, but never none.
	if len(times) < 20 {
		t.Fatalf("only %d requests passed in 1.2s under a limit of 40 per 0.5s", len(times))
	}
	// The times are taken after Wait returns, so a busy scheduler can
	// push one late and make two look closer than the gate let them
	// through: windows of 0.4s (at most 33 at the gate's pace) leave 0.1s
	// of such skew before a window could show more than the limit.
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	for i := range times {
		n := 0
		for _, u := range times[i:] {
			if u.Sub(times[i]) < 400*time.Millisecond {
				n++
			}
		}
		if n > 40 {
			t.Fatalf("%d requests within 0.4s of one another, over the limit of 40 per 0.5s", n)
		}
	}
}

func TestGateAnswersRateLimitedWhenTheWaitPassesTheDeadline(t *testing.T) {
	g := newGate(providers.Limits{Requests: 2, Per: time.Hour})
	if err := g.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	err := g.Wait(ctx)
	if providers.KindOf(err) != providers.KindRateLimited {
		t.Fatalf("Wait = %v, want a rate-limit error", err)
	}
	if after, ok := providers.RetryAfterOf(err); !ok || after < 30*time.Minute {
		t.Fatalf("retry after %s, %v; want the time until the next free slot", after, ok)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("Wait slept toward a deadline it could not meet")
	}
}

func TestGateBoundsCallsInFlight(t *testing.T) {
	g := newGate(providers.Limits{Concurrency: 2})
	ctx := context.Background()
	r1, _ := g.acquire(ctx)
	r2, _ := g.acquire(ctx)
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := g.acquire(short); err == nil {
		t.Fatal("a third call got a slot while two were in flight")
	}
	r1()
	r3, err := g.acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r2()
	r3()
}

// A limit of one request per period builds a gate (it divided by zero).
func TestGateOfOneRequestPerPeriod(t *testing.T) {
	g := newGate(providers.Limits{Requests: 1, Per: time.Minute})
	if err := g.Wait(context.Background()); err != nil {
		t.Fatalf("the first request: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := g.Wait(ctx); providers.KindOf(err) != providers.KindRateLimited {
		t.Fatalf("a second request within the minute: %v, want a rate limit", err)
	}
}

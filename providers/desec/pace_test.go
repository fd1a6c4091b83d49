package desec

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
)

// clock is a settable clock for the pacer.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestPacer(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	p := newPacer(c.now)
	take := func(domain string, write bool) error {
		t.Helper()
		return p.take(ctx, domain, write)
	}
	// 15 writes a minute to one domain, two each second.
	for i := range 15 {
		if err := take("example.com", true); err != nil {
			t.Fatalf("write %d: %v", i+1, err)
		}
		if i%2 == 1 {
			c.t = c.t.Add(time.Second)
		}
	}
	err := take("example.com", true)
	wait, ok := providers.RetryAfterOf(err)
	if !ok || wait < 50*time.Second || wait > time.Minute || !strings.Contains(err.Error(), "15 a minute") {
		t.Fatalf("the 16th write in a minute = %v (wait %s)", err, wait)
	}
	// Reads and another domain's writes are not held back by it.
	if err := take("example.com", false); err != nil {
		t.Fatalf("a read: %v", err)
	}
	if err := take("example.org", true); err != nil {
		t.Fatalf("another domain's write: %v", err)
	}
	// Once the minute has passed, writes go again, up to 100 an hour.
	c.t = c.t.Add(time.Minute)
	n := 15
	for ; n < 100; n++ {
		if err := take("example.com", true); err != nil {
			t.Fatalf("write %d of the hour: %v", n+1, err)
		}
		c.t = c.t.Add(5 * time.Second) // 12 a minute
	}
	if wait, ok := providers.RetryAfterOf(take("example.com", true)); !ok || wait < 40*time.Minute {
		t.Fatalf("the 101st write of the hour: wait %s", wait)
	}
	// 2000 requests a day of any kind.
	q := newPacer(c.now)
	for i := range 2000 {
		if err := q.take(ctx, "", false); err != nil {
			t.Fatalf("request %d of the day: %v", i+1, err)
		}
		c.t = c.t.Add(30 * time.Second)
	}
	err = q.take(ctx, "", false)
	if wait, ok := providers.RetryAfterOf(err); !ok || wait <= 0 || wait > 24*time.Hour || !strings.Contains(err.Error(), "2000 requests a day") {
		t.Fatalf("request 2001 of the day = %v", err)
	}
}

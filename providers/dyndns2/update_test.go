package dyndns2_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/dyndns2"
	"github.com/ddns-operator/ddns-operator/providers/dyndns2/dyndns2fake"
)

// marker is the ownership marker the operator asks every record to carry.
const marker = "ddns-operator:3f2c6a4e-0d6b-4c55-9a3e-2b7f1f0c9d11:default/home"

// check does what the reconciler does at each check of a record (see
// controllers.ComputePlan): it reads the name, and creates or updates it
// when the address or the ownership marker differ from those wanted.
func check(t *testing.T, p providers.Provider, z providers.Zone, name, typ, addr string) error {
	t.Helper()
	ctx := context.Background()
	got, err := p.ListRecords(ctx, z, name, typ)
	if err != nil {
		return err
	}
	want := providers.Record{Name: name, Type: typ, Value: addr, TTL: 600, Marker: marker}
	switch {
	case len(got) == 0:
		_, err = p.CreateRecord(ctx, z, want)
	case got[0].Value != addr || got[0].Marker != marker:
		want.ID = got[0].ID
		_, err = p.UpdateRecord(ctx, z, want)
	}
	return err
}

func build(t *testing.T, f *dyndns2fake.Fake, password string) providers.Provider {
	t.Helper()
	p, err := dyndns2.Descriptor.New(env(f), secret(password), spec("noip"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func zoneOf(t *testing.T, p providers.Provider, name string) providers.Zone {
	t.Helper()
	z, err := p.FindZone(context.Background(), name, "")
	if err != nil {
		t.Fatalf("FindZone(%s): %v", name, err)
	}
	return z
}

// A host whose DNS answer already holds the address gets no update, check
// after check and after a restart of the operator (a new provider with
// nothing in memory, asked to write its ownership marker): the services
// block clients that send updates which change nothing.
func TestSteadyStateSendsNothing(t *testing.T) {
	f := dyndns2fake.New(t, "example.com")
	f.SetHost("example.com", "home.example.com", "A", "81.2.69.160")
	f.SetHost("example.com", "home.example.com", "AAAA", "2a02:2e0:3fe:1001:302::1")
	for restart := range 3 {
		p := build(t, f, dyndns2fake.Password)
		z := zoneOf(t, p, "home.example.com")
		for range 50 {
			if err := check(t, p, z, "home.example.com", "A", "81.2.69.160"); err != nil {
				t.Fatal(err)
			}
			if err := check(t, p, z, "home.example.com", "AAAA", "2a02:02e0:03fe:1001:0302::1"); err != nil {
				t.Fatal(err)
			}
		}
		if f.Requests() != 0 || f.Nochg() != 0 {
			t.Fatalf("after %d restarts: %d update requests, %d answered nochg; want none", restart, f.Requests(), f.Nochg())
		}
	}
	if f.DNS.Queries() == 0 {
		t.Fatal("the provider never read the DNS")
	}
}

// Each address change costs exactly one update, answered good; the checks
// between changes send nothing.
func TestOneUpdatePerChange(t *testing.T) {
	f := dyndns2fake.New(t, "example.com")
	f.SetHost("example.com", "home.example.com", "A", "81.2.69.160")
	p := build(t, f, dyndns2fake.Password)
	z := zoneOf(t, p, "home.example.com")
	for i, addr := range []string{"81.2.69.161", "81.2.69.162", "81.2.69.161"} {
		for range 20 {
			if err := check(t, p, z, "home.example.com", "A", addr); err != nil {
				t.Fatal(err)
			}
		}
		if f.Writes() != i+1 {
			t.Fatalf("after change %d: %d updates, want %d", i+1, f.Writes(), i+1)
		}
		if got := f.Records("example.com", "home.example.com", "A"); len(got) != 1 || got[0].Value != addr {
			t.Fatalf("the service holds %+v, want %s", got, addr)
		}
	}
	if f.Nochg() != 0 {
		t.Fatalf("%d updates answered nochg", f.Nochg())
	}
	u := f.Updates()[0]
	if u.Get("hostname") != "home.example.com" || u.Get("myip") != "81.2.69.161" {
		t.Fatalf("first update's query %v", u)
	}
	if ua := f.UserAgents()[0]; !strings.Contains(ua, "ddns-operator") {
		t.Fatalf("User-Agent %q does not name the client, as No-IP and Dyn require", ua)
	}
}

// An AAAA record goes to No-IP's myipv6 parameter; a host the service
// does not have yet in DNS is created by the same update.
func TestIPv6Update(t *testing.T) {
	f := dyndns2fake.New(t, "example.com")
	p := build(t, f, dyndns2fake.Password)
	z := zoneOf(t, p, "v6.example.com")
	for range 5 {
		if err := check(t, p, z, "v6.example.com", "AAAA", "2a02:2e0:3fe:1001:302::2"); err != nil {
			t.Fatal(err)
		}
	}
	if f.Writes() != 1 || f.Updates()[0].Get("myipv6") != "2a02:2e0:3fe:1001:302::2" || f.Updates()[0].Has("myip") {
		t.Fatalf("%d updates, first %v; want one with myipv6 only", f.Writes(), f.Updates())
	}
}

// clockAt is a settable clock for the protocol's waits.
type clockAt struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clockAt) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clockAt) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// abuse, badagent, 911 and dnserr stop every update for the time the
// protocol asks: the error is a rate limit carrying the wait, and until it
// passes no request reaches the service, whatever address is asked for.
// Then updates resume, and steady state draws no nochg.
func TestAbuseAnd911StopUpdatesForTheTimeAsked(t *testing.T) {
	for _, tc := range []struct {
		code string
		wait time.Duration
	}{
		{"911", 30 * time.Minute},
		{"dnserr", 30 * time.Minute},
		{"abuse", 24 * time.Hour},
		{"badagent", 24 * time.Hour},
	} {
		t.Run(tc.code, func(t *testing.T) {
			clk := &clockAt{now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
			defer dyndns2.SetClock(clk.Now)()
			f := dyndns2fake.New(t, "example.com")
			f.SetHost("example.com", "home.example.com", "A", "81.2.69.160")
			p := build(t, f, dyndns2fake.Password)
			z := zoneOf(t, p, "home.example.com")

			f.SetAnswer(tc.code)
			err := check(t, p, z, "home.example.com", "A", "81.2.69.161")
			if providers.KindOf(err) != providers.KindRateLimited {
				t.Fatalf("answer %s: error %v, want a rate limit", tc.code, err)
			}
			if got, _ := providers.RetryAfterOf(err); got != tc.wait {
				t.Fatalf("answer %s: wait %s, want %s", tc.code, got, tc.wait)
			}
			if !strings.Contains(err.Error(), tc.code) {
				t.Fatalf("error %q does not name the answer %s", err, tc.code)
			}
			f.SetAnswer("")
			for _, step := range []time.Duration{time.Minute, tc.wait/2 - time.Minute, tc.wait/2 - time.Second} {
				clk.Advance(step)
				err := check(t, p, z, "home.example.com", "A", "81.2.69.162")
				left, _ := providers.RetryAfterOf(err)
				if providers.KindOf(err) != providers.KindRateLimited || left <= 0 || left > tc.wait {
					t.Fatalf("during the stop: error %v (wait %s), want a rate limit with the time left", err, left)
				}
				if f.Writes() != 1 {
					t.Fatalf("during the stop the service received %d updates, want only the first", f.Writes())
				}
			}
			clk.Advance(2 * time.Second)
			for range 10 {
				if err := check(t, p, z, "home.example.com", "A", "81.2.69.162"); err != nil {
					t.Fatalf("after the stop: %v", err)
				}
			}
			if f.Writes() != 2 || f.Nochg() != 0 {
				t.Fatalf("after the stop: %d updates, %d nochg; want one more update and no nochg", f.Writes(), f.Nochg())
			}
		})
	}
}

// After an update, a DNS answer that still shows the old address (the
// service publishes with a delay) draws no second update for an hour;
// later a difference is drift, corrected by one update.
func TestPublishingDelayIsNotDrift(t *testing.T) {
	clk := &clockAt{now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	defer dyndns2.SetClock(clk.Now)()
	f := dyndns2fake.New(t, "example.com")
	f.SetHost("example.com", "home.example.com", "A", "81.2.69.160")
	p := build(t, f, dyndns2fake.Password)
	z := zoneOf(t, p, "home.example.com")
	if err := check(t, p, z, "home.example.com", "A", "81.2.69.161"); err != nil {
		t.Fatal(err)
	}
	f.SetHost("example.com", "home.example.com", "A", "81.2.69.160") // the DNS lags
	for range 59 {
		clk.Advance(time.Minute)
		if err := check(t, p, z, "home.example.com", "A", "81.2.69.161"); err != nil {
			t.Fatal(err)
		}
	}
	if f.Writes() != 1 {
		t.Fatalf("%d updates within the hour after the first, want 1", f.Writes())
	}
	clk.Advance(2 * time.Minute)
	if err := check(t, p, z, "home.example.com", "A", "81.2.69.161"); err != nil {
		t.Fatal(err)
	}
	if f.Writes() != 2 {
		t.Fatalf("%d updates after the hour, want 2 (the drift corrected)", f.Writes())
	}
}

// A wrong password is an authentication error that shows neither the
// password nor the user name (often the account's e-mail address), and is
// not retried by the provider.
func TestWrongPasswordIsAnAuthenticationError(t *testing.T) {
	f := dyndns2fake.New(t, "example.com")
	p := build(t, f, "wrong-password-123")
	z := zoneOf(t, p, "home.example.com")
	err := check(t, p, z, "home.example.com", "A", "81.2.69.161")
	if providers.KindOf(err) != providers.KindAuth {
		t.Fatalf("error %v, want an authentication error", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "user name and password") || strings.Contains(msg, dyndns2fake.Username) || strings.Contains(msg, "wrong-password-123") {
		t.Fatalf("message %q must say what was refused without the values", msg)
	}
	if f.Requests() != 1 {
		t.Fatalf("%d requests, want 1", f.Requests())
	}
}

// A host whose DNS answer holds several addresses is read as one record
// that matches none, and one update leaves the one address wanted.
func TestSeveralAddressesAreReplaced(t *testing.T) {
	f := dyndns2fake.New(t, "example.com")
	f.Seed("example.com", providers.Record{Name: "rr.example.com", Type: "A", Value: "81.2.69.160"})
	f.Seed("example.com", providers.Record{Name: "rr.example.com", Type: "A", Value: "81.2.69.161"})
	p := build(t, f, dyndns2fake.Password)
	z := zoneOf(t, p, "rr.example.com")
	got, err := p.ListRecords(context.Background(), z, "rr.example.com", "A")
	if err != nil || len(got) != 1 || got[0].Value != "81.2.69.160,81.2.69.161" || got[0].ID != "rr.example.com/A" {
		t.Fatalf("ListRecords = %+v, %v", got, err)
	}
	for range 3 {
		if err := check(t, p, z, "rr.example.com", "A", "81.2.69.160"); err != nil {
			t.Fatal(err)
		}
	}
	if recs := f.Records("example.com", "rr.example.com", "A"); f.Writes() != 1 || len(recs) != 1 {
		t.Fatalf("%d updates, the service holds %+v", f.Writes(), recs)
	}
}

// A throttled update (HTTP 429, as servers in front of the protocol
// answer) waits the Retry-After before the next request.
func TestThrottledUpdateWaits(t *testing.T) {
	clk := &clockAt{now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	defer dyndns2.SetClock(clk.Now)()
	f := dyndns2fake.New(t, "example.com")
	p := build(t, f, dyndns2fake.Password)
	z := zoneOf(t, p, "home.example.com")
	f.Fake.FailWith(429, "slow down")
	err := check(t, p, z, "home.example.com", "A", "81.2.69.161")
	if providers.KindOf(err) != providers.KindRateLimited {
		t.Fatalf("error %v, want a rate limit", err)
	}
	f.Fake.FailWith(0, "")
	if err := check(t, p, z, "home.example.com", "A", "81.2.69.161"); err != nil {
		t.Fatalf("a 429 without Retry-After stopped the next update: %v", err)
	}
	if f.Requests() != 2 {
		t.Fatalf("%d requests, want 2", f.Requests())
	}
}

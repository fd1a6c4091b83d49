package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr/testr"
	"github.com/prometheus/client_golang/prometheus/testutil"
	clocktesting "k8s.io/utils/clock/testing"
)

// start runs n until the test ends.
func start(t *testing.T, n *Notifier) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = n.Start(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// waitFor polls cond until it holds or timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// named gives each receiver's target a name unique to the test, so metric
// counts are the test's own.
func named(t *testing.T, ts []Target) []Target {
	for i := range ts {
		ts[i].Name = strings.ToLower(fmt.Sprintf("%s-%s", ts[i].Name, strings.ReplaceAll(t.Name(), "/", "-")))
	}
	return ts
}

var (
	home = RecordRef{Namespace: "default", Name: "home", FQDN: "home.example.com", Type: "A"}
	v6   = RecordRef{Namespace: "lab", Name: "nas", FQDN: "nas.example.org", Type: "AAAA"}
)

// TestMessageForEachEventKind sends each kind of event through every
// service and checks the exact text each receiver got.
func TestMessageForEachEventKind(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		feed func(n *Notifier, now time.Time)
		want string
	}{
		{
			name: "address changed",
			feed: func(n *Notifier, _ time.Time) {
				n.AddressChanged(AddressChange{Family: "ipv4", Old: "81.2.69.160", New: "81.2.69.170", Records: 3})
			},
			want: "[ddns-operator home-lab] IPv4 address changed\n\nIPv4 address changed: 81.2.69.160 -> 81.2.69.170 (3 records follow it)",
		},
		{
			name: "both families and a source list changed",
			feed: func(n *Notifier, _ time.Time) {
				n.AddressChanged(AddressChange{Family: "ipv4", Old: "81.2.69.160", New: "81.2.69.161", Records: 1})
				n.AddressChanged(AddressChange{Family: "ipv4", Old: "81.2.69.161", New: "81.2.69.170", Records: 1})
				n.AddressChanged(AddressChange{Family: "ipv6", List: "office", Old: "", New: "2a02:2e0:3fe:1001:302::7", Records: 2})
			},
			want: "[ddns-operator home-lab] IPv4 and IPv6 addresses changed\n\n" +
				"IPv4 address changed: 81.2.69.160 -> 81.2.69.170 (1 record follow it)\n" +
				"IPv6 address of source list office changed: none -> 2a02:2e0:3fe:1001:302::7 (2 records follow it)",
		},
		{
			name: "records updated",
			feed: func(n *Notifier, _ time.Time) {
				n.RecordUpdated(RecordUpdate{RecordRef: home, Old: "81.2.69.160", New: "81.2.69.170"})
				n.RecordUpdated(RecordUpdate{RecordRef: v6, New: "2a02:2e0:3fe:1001:302::7"})
			},
			want: "[ddns-operator home-lab] 2 records updated\n\nUpdated 2 records:\n" +
				"- home.example.com A 81.2.69.160 -> 81.2.69.170 (default/home)\n" +
				"- nas.example.org AAAA set to 2a02:2e0:3fe:1001:302::7 (lab/nas)",
		},
		{
			name: "records failing",
			feed: func(n *Notifier, now time.Time) {
				n.RecordFailing(RecordFailure{RecordRef: home, Reason: "SecretNotFound", Message: "Secret default/cf not found; create it with the cloudflare credentials", Stalled: true, Since: now})
				n.RecordFailing(RecordFailure{RecordRef: v6, Reason: "ProviderUnavailable", Message: "list records in zone example.org: 503 Service Unavailable; retrying with backoff", Since: now.Add(-12*time.Minute - 30*time.Second)})
			},
			want: "[ddns-operator home-lab] 2 records failing\n\nFailing:\n" +
				"- home.example.com A (default/home): Stalled (needs you), SecretNotFound: Secret default/cf not found; create it with the cloudflare credentials\n" +
				"- nas.example.org AAAA (lab/nas): retrying for 12m, ProviderUnavailable: list records in zone example.org: 503 Service Unavailable; retrying with backoff",
		},
		{
			name: "record recovered",
			feed: func(n *Notifier, _ time.Time) {
				n.RecordRecovered(RecordRecovery{RecordRef: v6, Address: "2a02:2e0:3fe:1001:302::7", FailedFor: 3*time.Hour + 25*time.Minute})
			},
			want: "[ddns-operator home-lab] 1 record recovered\n\nRecovered:\n" +
				"- nas.example.org AAAA (lab/nas) points at 2a02:2e0:3fe:1001:302::7 again, after 3h25m",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rs := allReceivers(t)
			ts := named(t, targetsFor(t, rs))
			for _, tg := range ts {
				tg.Channel.(*Shoutrrr).Cluster = "home-lab"
			}
			n := New(Options{Quiet: 50 * time.Millisecond, Logger: testr.New(t)}, ts)
			start(t, n)
			tc.feed(n, time.Now())
			for _, r := range rs {
				waitFor(t, 20*time.Second, r.name+" to accept a message", func() bool { return len(r.Accepted()) > 0 })
			}
			time.Sleep(200 * time.Millisecond) // nothing else may follow
			for _, r := range rs {
				got := r.Accepted()
				if len(got) != 1 || got[0] != tc.want {
					t.Errorf("%s got %d messages:\n%q\nwant exactly:\n%q", r.name, len(got), got, tc.want)
				}
			}
		})
	}
}

// TestTargetsGetOnlyTheEventsTheyWant: a failures-only target hears
// nothing of an address change, and only the failure of a mixed window.
func TestTargetsGetOnlyTheEventsTheyWant(t *testing.T) {
	t.Parallel()
	all, failures := genericReceiver(t), genericReceiver(t)
	failures.name = "failures"
	ts := append(targetsFor(t, []*receiver{all}), targetsFor(t, []*receiver{failures}, RecordFailing, RecordRecovered)...)
	n := New(Options{Quiet: 50 * time.Millisecond}, named(t, ts))
	start(t, n)
	n.AddressChanged(AddressChange{Family: "ipv4", Old: "81.2.69.160", New: "81.2.69.170", Records: 1})
	n.RecordUpdated(RecordUpdate{RecordRef: home, Old: "81.2.69.160", New: "81.2.69.170"})
	waitFor(t, 5*time.Second, "the first window", func() bool { return len(all.Accepted()) == 1 })
	n.RecordUpdated(RecordUpdate{RecordRef: home, Old: "81.2.69.170", New: "81.2.69.171"})
	n.RecordFailing(RecordFailure{RecordRef: v6, Reason: "ZoneNotFound", Message: "no zone holds nas.example.org", Stalled: true})
	waitFor(t, 5*time.Second, "the second window", func() bool { return len(all.Accepted()) == 2 && len(failures.Accepted()) == 1 })
	time.Sleep(200 * time.Millisecond)
	got := failures.Accepted()
	want := "[ddns-operator] 1 record failing\n\nFailing:\n- nas.example.org AAAA (lab/nas): Stalled (needs you), ZoneNotFound: no zone holds nas.example.org"
	if len(got) != 1 || got[0] != want {
		t.Errorf("failures-only target got %q, want only %q", got, want)
	}
	if second := all.Accepted()[1]; !strings.Contains(second, "1 record updated, 1 record failing") {
		t.Errorf("the all-events target's second message lacks a section: %q", second)
	}
}

// TestThousandRecordsMakeOneMessagePerTarget: an address change moving
// 1,000 records, their updates arriving over 10 seconds, is one message
// per target, listing the first records and counting the rest.
func TestThousandRecordsMakeOneMessagePerTarget(t *testing.T) {
	t.Parallel()
	clk := clocktesting.NewFakeClock(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	rs := allReceivers(t)
	n := New(Options{Clock: clk, Logger: testr.New(t)}, named(t, targetsFor(t, rs)))
	start(t, n)
	n.AddressChanged(AddressChange{Family: "ipv4", Old: "81.2.69.160", New: "81.2.69.170", Records: 1000})
	for i := range 1000 {
		n.RecordUpdated(RecordUpdate{RecordRef: RecordRef{Namespace: "bulk", Name: fmt.Sprintf("r%04d", i), FQDN: fmt.Sprintf("r%04d.example.com", i), Type: "A"}, Old: "81.2.69.160", New: "81.2.69.170"})
		clk.Step(10 * time.Millisecond)
	}
	// The window closes DefaultQuiet after the last update.
	for i := 0; i < 10 && len(rs[0].Accepted()) == 0; i++ {
		clk.Step(time.Second)
		time.Sleep(20 * time.Millisecond)
	}
	for _, r := range rs {
		waitFor(t, 20*time.Second, r.name+" to get the message", func() bool { return len(r.Accepted()) > 0 })
	}
	// Ten more quiet minutes: nothing else is sent.
	for range 10 {
		clk.Step(time.Minute)
	}
	time.Sleep(300 * time.Millisecond)
	for _, r := range rs {
		got := r.Accepted()
		if len(got) != 1 {
			t.Fatalf("%s got %d messages for one address change, want 1", r.name, len(got))
		}
		msg := got[0]
		for _, want := range []string{
			"[ddns-operator] IPv4 address changed, 1000 records updated\n",
			"IPv4 address changed: 81.2.69.160 -> 81.2.69.170 (1000 records follow it)",
			"Updated 1000 records:\n- r0000.example.com A 81.2.69.160 -> 81.2.69.170 (bulk/r0000)\n",
			"- ... and 980 more",
		} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s's message lacks %q:\n%s", r.name, want, msg)
			}
		}
		if len(msg) > maxMessageBytes {
			t.Errorf("%s's message is %d bytes, over %d", r.name, len(msg), maxMessageBytes)
		}
	}
	t.Logf("one message of %d bytes per target", len(rs[0].Accepted()[0]))
}

// TestFailingThreeTimesThenDeliveredOnce: every receiver answers 500 three times,
// then 200: each gets the message exactly once. Discord's client retries
// server errors itself (1s, 2s, 4s), so there the four requests are one
// attempt of ours.
func TestFailingThreeTimesThenDeliveredOnce(t *testing.T) {
	t.Parallel()
	rs := allReceivers(t)
	for _, r := range rs {
		r.FailNext(3)
	}
	ts := named(t, targetsFor(t, rs))
	n := New(Options{Quiet: 20 * time.Millisecond, Retry: Retry{Initial: 20 * time.Millisecond, Max: 100 * time.Millisecond}, Logger: testr.New(t)}, ts)
	start(t, n)
	n.RecordUpdated(RecordUpdate{RecordRef: home, Old: "81.2.69.160", New: "81.2.69.170"})
	for _, r := range rs {
		waitFor(t, 30*time.Second, r.name+" to accept", func() bool { return len(r.Accepted()) > 0 })
	}
	time.Sleep(300 * time.Millisecond)
	for i, r := range rs {
		if got := r.Accepted(); len(got) != 1 || r.Requests() != 4 {
			t.Errorf("%s: %d messages accepted in %d requests, want 1 in 4", r.name, len(got), r.Requests())
		}
		name := ts[i].Name
		sent := testutil.ToFloat64(notifications.WithLabelValues(name, resultSent))
		failedAttempts := testutil.ToFloat64(attempts.WithLabelValues(name, "error"))
		wantFailed := 3.0
		if r.name == "discord" {
			wantFailed = 0
		}
		if sent != 1 || failedAttempts != wantFailed {
			t.Errorf("%s: metrics sent=%v failed attempts=%v, want 1 and %v", r.name, sent, failedAttempts, wantFailed)
		}
	}
}

// TestReceiverDownForAnHourNeverBlocksCallers: a receiver that takes every
// request and never answers, for an hour of (fake) time in which a
// thousand events a minute arrive. Every call returns while the receiver
// still holds its first request; the queue stays bounded and counts what
// it dropped, and once the receiver answers again what it kept is
// delivered.
func TestReceiverDownForAnHourNeverBlocksCallers(t *testing.T) {
	t.Parallel()
	clk := clocktesting.NewFakeClock(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	r := genericReceiver(t)
	r.hold = make(chan struct{})
	closeHold := sync.OnceFunc(func() { close(r.hold) })
	t.Cleanup(closeHold) // also when the test fails before it lets go
	ts := named(t, targetsFor(t, []*receiver{r}))
	const queue = 16
	n := New(Options{Clock: clk, QueueSize: queue, Logger: testr.New(t)}, ts)
	start(t, n)
	tr := &Tracker{Sink: n, Clock: clk}

	var calls int
	var slowest, total time.Duration
	for minute := range 60 {
		for i := range 1000 {
			ref := RecordRef{Namespace: "bulk", Name: fmt.Sprintf("r%04d", i), FQDN: fmt.Sprintf("r%04d.example.com", i), Type: "A"}
			began := time.Now()
			tr.Observe(RecordState{RecordRef: ref, Ready: "True", Address: fmt.Sprintf("81.2.%d.1", minute), LastUpdate: clk.Now()})
			d := time.Since(began)
			total += d
			slowest = max(slowest, d)
			calls++
		}
		// Close the minute's window and let the notifier queue (or drop)
		// its message before the next minute: on a busy machine a fixed
		// pause let windows merge, and fewer messages were dropped.
		name := ts[0].Name
		queued := func() float64 {
			return testutil.ToFloat64(queueLength.WithLabelValues(name)) + testutil.ToFloat64(notifications.WithLabelValues(name, resultDropped))
		}
		before := queued()
		clk.Step(time.Minute)
		for deadline := time.Now().Add(200 * time.Millisecond); queued() == before && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
	}
	// Each attempt is given up after the attempt timeout and retried
	// with backoff; an abandoned attempt is closed, not left open beside
	// the next ones (the receiver notices a closed connection a moment
	// after the sender moved on, so two may overlap briefly).
	if got := r.MaxInFlight(); got > 2 {
		t.Fatalf("the receiver was answering %d requests at once while it held them: abandoned attempts are left open", got)
	}
	if got := r.Requests(); got < 2 || got > 60 {
		t.Errorf("the receiver saw %d requests in the hour, want a retry with backoff (2 s doubling to 5 min)", got)
	}
	// What the queue cannot hold is dropped (queue full) or given up
	// (older than an hour), never kept beyond the queue's size.
	name := ts[0].Name
	lost := func() float64 {
		return testutil.ToFloat64(notifications.WithLabelValues(name, resultDropped)) + testutil.ToFloat64(notifications.WithLabelValues(name, resultFailed))
	}
	waitFor(t, 5*time.Second, "the windows beyond the queue to be dropped", func() bool { return lost() >= 40 })
	if l := testutil.ToFloat64(queueLength.WithLabelValues(name)); l > queue {
		t.Errorf("queue length %v, larger than its size %d", l, queue)
	}
	t.Logf("%d calls returned while the receiver held its requests: mean %s, slowest %s; queue %d, %d requests, dropped or given up %v",
		calls, total/time.Duration(calls), slowest, queue, r.Requests(), lost())

	// The receiver comes back: what the queue kept goes out.
	closeHold()
	for i := 0; i < 200 && testutil.ToFloat64(queueLength.WithLabelValues(name)) > 0; i++ {
		clk.Step(30 * time.Second)
		time.Sleep(5 * time.Millisecond)
	}
	waitFor(t, 10*time.Second, "the queue to drain", func() bool { return testutil.ToFloat64(queueLength.WithLabelValues(name)) == 0 })
	if got := len(r.Accepted()); got == 0 {
		t.Error("nothing was delivered after the receiver came back")
	}
	t.Logf("after the outage: %d delivered, %v given up", len(r.Accepted()), testutil.ToFloat64(notifications.WithLabelValues(name, resultFailed)))
}

// TestTestMessageReportsEachTarget: a test message reaches every working
// receiver; a receiver refusing the credential reports an error that
// names no secret, after three quick attempts.
func TestTestMessageReportsEachTarget(t *testing.T) {
	t.Parallel()
	rs := allReceivers(t)
	ts := named(t, targetsFor(t, rs))
	dir := t.TempDir()
	writeFile(t, dir, "bad", "telegram://"+strings.Replace(telegramToken, "AAH", "XXH", 1)+"@telegram?chats="+telegramChat)
	ts = append(ts, Target{Name: "bad-telegram-test", Channel: &Shoutrrr{URL: SecretValue{Dir: dir, Key: "bad"}.Read}})
	n := New(Options{}, ts)
	start(t, n)
	var mu sync.Mutex
	var results []TestResult
	n.Test("annotation on default/home", func(rs []TestResult) { mu.Lock(); results = rs; mu.Unlock() })
	waitFor(t, 20*time.Second, "the test results", func() bool { mu.Lock(); defer mu.Unlock(); return results != nil })
	want := "[ddns-operator] Test notification\n\nThis is a test message from ddns-operator, sent on request (annotation on default/home). If you read it, this target works."
	for _, r := range rs {
		if got := r.Accepted(); len(got) != 1 || got[0] != want {
			t.Errorf("%s got %q", r.name, got)
		}
	}
	for _, res := range results[:len(rs)] {
		if res.Err != nil {
			t.Errorf("%s: %v", res.Target, res.Err)
		}
	}
	bad := results[len(rs)]
	if bad.Err == nil || !strings.Contains(bad.Err.Error(), "after 3 attempts") {
		t.Fatalf("the target with a wrong token reported %v", bad.Err)
	}
	noSecretIn(t, "the test result", bad.Err.Error())
	// The wrong token is as secret as the right one.
	if wrong := strings.Replace(telegramToken, "AAH", "XXH", 1); strings.Contains(bad.Err.Error(), wrong) {
		t.Errorf("the test result holds the wrong token: %v", bad.Err)
	}
	t.Logf("refused: %v", bad.Err)
}

// TestNoTargetsTest: a test with nothing configured says so.
func TestNoTargetsTest(t *testing.T) {
	var got []TestResult
	New(Options{}, nil).Test("x", func(rs []TestResult) { got = rs })
	if len(got) != 1 || !errors.Is(got[0].Err, ErrNoTargets) {
		t.Fatalf("got %v", got)
	}
}

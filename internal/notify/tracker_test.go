package notify

import (
	"fmt"
	"strings"
	"testing"
	"time"

	clocktesting "k8s.io/utils/clock/testing"
)

// recorder is a Sink that writes what it hears as lines.
type recorder struct{ lines []string }

func (r *recorder) RecordUpdated(u RecordUpdate) {
	r.lines = append(r.lines, fmt.Sprintf("updated %s %s->%s", u.Name, u.Old, u.New))
}

func (r *recorder) RecordFailing(f RecordFailure) {
	r.lines = append(r.lines, fmt.Sprintf("failing %s %s stalled=%v", f.Name, f.Reason, f.Stalled))
}

func (r *recorder) RecordRecovered(v RecordRecovery) {
	r.lines = append(r.lines, fmt.Sprintf("recovered %s %s after %s", v.Name, v.Address, v.FailedFor))
}

// TestTrackerTurnsStatesIntoEvents walks records through status changes,
// with the clock advanced between steps, and lists the events.
func TestTrackerTurnsStatesIntoEvents(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	ready := func(addr string, updated time.Time) RecordState {
		return RecordState{RecordRef: home, Ready: "True", Reason: "Synced", Address: addr, LastUpdate: updated}
	}
	retrying := func(reason string, since time.Time) RecordState {
		return RecordState{RecordRef: home, Ready: "False", Reason: reason, Since: since, Address: "81.2.69.160", LastUpdate: t0}
	}
	stalled := func(reason string, since time.Time) RecordState {
		s := retrying(reason, since)
		s.Stalled = true
		return s
	}
	type step struct {
		after time.Duration // clock advance before the step
		state *RecordState  // nil: a sweep
	}
	st := func(after time.Duration, s RecordState) step { return step{after, &s} }
	sweep := func(after time.Duration) step { return step{after: after} }
	cases := []struct {
		name  string
		steps []step
		want  []string
	}{
		{"first sight says nothing", []step{st(0, ready("81.2.69.160", t0))}, nil},
		{"a write is an update", []step{
			st(0, ready("81.2.69.160", t0)),
			st(time.Minute, ready("81.2.69.170", t0.Add(time.Minute))),
			st(time.Minute, ready("81.2.69.170", t0.Add(time.Minute))), // a periodic check writes nothing
		}, []string{"updated home 81.2.69.160->81.2.69.170"}},
		{"a second write in the same second shows as a new address", []step{
			st(0, ready("81.2.69.160", t0)),
			st(time.Minute, ready("81.2.69.170", t0.Add(time.Minute))),
			st(time.Millisecond, ready("81.2.69.171", t0.Add(time.Minute))),
		}, []string{"updated home 81.2.69.160->81.2.69.170", "updated home 81.2.69.170->81.2.69.171"}},
		{"stalled is reported at once, its recovery too", []step{
			st(0, ready("81.2.69.160", t0)),
			st(time.Minute, stalled("AuthenticationFailed", t0.Add(time.Minute))),
			st(time.Minute, stalled("AuthenticationFailed", t0.Add(time.Minute))),
			st(time.Hour, ready("81.2.69.160", t0)),
		}, []string{"failing home AuthenticationFailed stalled=true", "recovered home 81.2.69.160 after 1h1m0s"}},
		{"retrying is reported after failingAfter", []step{
			st(0, ready("81.2.69.160", t0)),
			st(time.Minute, retrying("ProviderUnavailable", t0.Add(time.Minute))),
			sweep(9 * time.Minute),
			sweep(time.Minute),
			sweep(time.Minute),
			st(time.Minute, ready("81.2.69.160", t0)),
		}, []string{"failing home ProviderUnavailable stalled=false", "recovered home 81.2.69.160 after 12m0s"}},
		{"a short retry is no news, nor its end", []step{
			st(0, ready("81.2.69.160", t0)),
			st(time.Minute, retrying("RateLimited", t0.Add(time.Minute))),
			sweep(5 * time.Minute),
			st(time.Minute, ready("81.2.69.160", t0)),
			sweep(20 * time.Minute),
		}, nil},
		{"retrying that stalls is reported once", []step{
			st(0, ready("81.2.69.160", t0)),
			st(time.Minute, retrying("ProviderUnavailable", t0.Add(time.Minute))),
			st(time.Minute, stalled("AuthenticationFailed", t0.Add(time.Minute))),
			sweep(20 * time.Minute),
		}, []string{"failing home AuthenticationFailed stalled=true"}},
		{"a failure older than the process was reported by the one before", []step{
			st(0, stalled("ZoneNotFound", t0.Add(-time.Hour))),
			sweep(time.Hour),
			st(time.Minute, ready("81.2.69.160", t0)),
		}, []string{"recovered home 81.2.69.160 after 2h1m0s"}},
		{"a young failure at start is reported when it ages", []step{
			st(0, retrying("ProviderUnavailable", t0.Add(-2*time.Minute))),
			sweep(7 * time.Minute),
			sweep(time.Minute),
		}, []string{"failing home ProviderUnavailable stalled=false"}},
		{"progressing after a spec change keeps the failure open", []step{
			st(0, ready("81.2.69.160", t0)),
			st(time.Minute, stalled("SecretNotFound", t0.Add(time.Minute))),
			st(time.Minute, RecordState{RecordRef: home, Ready: "Unknown", Reason: "Progressing", Address: "81.2.69.160", LastUpdate: t0}),
			st(time.Minute, ready("81.2.69.160", t0)),
		}, []string{"failing home SecretNotFound stalled=true", "recovered home 81.2.69.160 after 2m0s"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := clocktesting.NewFakeClock(t0)
			rec := &recorder{}
			tr := &Tracker{Sink: rec, Clock: clk}
			for _, s := range tc.steps {
				clk.Step(s.after)
				if s.state == nil {
					tr.Sweep()
				} else {
					tr.Observe(*s.state)
				}
			}
			if strings.Join(rec.lines, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("events:\n%s\nwant:\n%s", strings.Join(rec.lines, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestTrackerFailingListsReportedRecords: what the heartbeat reads.
func TestTrackerFailingListsReportedRecords(t *testing.T) {
	clk := clocktesting.NewFakeClock(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	tr := &Tracker{Clock: clk}
	tr.Observe(RecordState{RecordRef: home, Ready: "True"})
	tr.Observe(RecordState{RecordRef: home, Ready: "False", Stalled: true, Reason: "SecretNotFound", Since: clk.Now()})
	tr.Observe(RecordState{RecordRef: v6, Ready: "True"})
	tr.Observe(RecordState{RecordRef: v6, Ready: "False", Reason: "RateLimited", Since: clk.Now()})
	if got := tr.Failing(); len(got) != 1 || got[0].Name != "home" {
		t.Fatalf("failing = %+v, want only the stalled record", got)
	}
	tr.Forget("default", "home")
	if got := tr.Failing(); len(got) != 0 {
		t.Fatalf("a deleted record is still failing: %+v", got)
	}
}

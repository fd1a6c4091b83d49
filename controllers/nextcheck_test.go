package controllers

import (
	"testing"
	"time"
)

// Periodic checks keep their interval and jitter, and fall on shared
// slots, so the records due within one slot are checked in one wakeup.
func TestNextCheckSharesSlots(t *testing.T) {
	now := time.Date(2026, 12, 1, 4, 30, 7, 123456789, time.UTC)
	for _, tc := range []struct {
		interval, slot time.Duration
	}{
		{30 * time.Second, time.Second},
		{time.Minute, 2 * time.Second},
		{5 * time.Minute, 10 * time.Second},
		{24 * time.Hour, 48 * time.Minute},
	} {
		t.Run(tc.interval.String(), func(t *testing.T) {
			slots := map[time.Time]int{}
			for range 1000 {
				d := nextCheck(tc.interval, now)
				if lo, hi := tc.interval, tc.interval+tc.interval/10+tc.slot; d < lo || d > hi {
					t.Fatalf("next check in %s, want %s to %s", d, lo, hi)
				}
				at := now.Add(d)
				if !at.Equal(at.Truncate(tc.slot)) {
					t.Fatalf("next check at %s, not on a %s slot", at, tc.slot)
				}
				slots[at]++
			}
			// The 10% jitter spreads 1,000 records over the few slots
			// it covers, and over more than one.
			if want := int(tc.interval/10/tc.slot) + 1; len(slots) < 2 || len(slots) > want {
				t.Fatalf("1,000 checks on %d slots, want 2 to %d", len(slots), want)
			}
		})
	}
}

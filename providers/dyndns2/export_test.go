package dyndns2

import "time"

// SetClock makes the providers built from now on read time from now, for
// tests of the waits the protocol asks for; it returns a func restoring
// the real clock.
func SetClock(now func() time.Time) (restore func()) {
	clock = now
	return func() { clock = time.Now }
}

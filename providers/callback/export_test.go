package callback

import "time"

// SetClock makes #{timestamp} read now; it returns a func restoring the
// real clock.
func SetClock(now func() time.Time) (restore func()) {
	clock = now
	return func() { clock = time.Now }
}

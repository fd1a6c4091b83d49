package main

import (
	"fmt"
	"os"
	"time"
)

// tick is how often a running step says it is still running.
var tick = 30 * time.Second

// step runs fn, telling the person on stderr what starts, that it is still
// running every tick, and how long it took, in the format of
// hack/step.sh, which shows the build steps before this command runs.
func step(what, detail string, fn func() error) error {
	start := time.Now()
	fmt.Fprintf(os.Stderr, "%s (%s)\n", what, detail)
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				fmt.Fprintf(os.Stderr, "  ... %s: %s so far\n", what, took(start))
			}
		}
	}()
	err := fn()
	close(done)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: failed after %s\n", what, took(start))
		return err
	}
	fmt.Fprintf(os.Stderr, "%s: done in %s\n", what, took(start))
	return nil
}

// took formats the time since start as hack/step.sh does: 42s or 3m07s.
func took(start time.Time) string {
	s := int(time.Since(start).Round(time.Second).Seconds())
	if s >= 60 {
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%ds", s)
}

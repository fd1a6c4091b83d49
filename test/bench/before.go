package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// beforeRun is an older manager binary measured in the same run, over
// the same scenarios (one zone each), for a side-by-side comparison.
type beforeRun struct {
	Label   string
	Size    int64 // the binary file as given
	Results []result
}

// runBefore measures o.beforeBin over o.beforeNs records in one zone,
// under the first rate limit, with the persistent-429 check at
// o.throttleN.
func runBefore(ctx context.Context, o options) (*beforeRun, error) {
	bin, err := filepath.Abs(o.beforeBin)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(bin)
	if err != nil {
		return nil, fmt.Errorf("--before: %w", err)
	}
	run := &beforeRun{Label: o.beforeLabel, Size: fi.Size()}
	bo := o
	bo.managerBin, bo.unrelated, bo.rateLimit = bin, 0, o.rateLimits[0]
	if bo.profileDir != "" {
		bo.profileDir = filepath.Join(o.profileDir, "before")
	}
	for _, n := range o.beforeNs {
		if ctx.Err() != nil {
			break
		}
		logf("%s: N=%d over 1 zone(s), rate limit %s", o.beforeLabel, n, limitText(bo.rateLimit, o.rateWindow))
		r := runScenario(ctx, bo, n, 1)
		r.RateLimit = bo.rateLimit
		run.Results = append(run.Results, r)
	}
	return run, nil
}

// beforeText compares the --before binary with this tree's, scenario by
// scenario.
func (rep report) beforeText() string {
	bf := rep.before
	if bf == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "## Before and after, side by side\n\nThe same scenarios (one zone), run in this run with two managers: **%s** (`--before`) and **after**, this tree's. Figures at the end of the steady window unless said.\n\n", bf.Label)
	after := map[int]result{}
	for _, r := range rep.completed() {
		if r.Zones == 1 {
			after[r.N] = r
		}
	}
	b.WriteString("| N | figure | " + bf.Label + " | after |\n|---|---|---|---|\n")
	if rep.binary != nil {
		fmt.Fprintf(&b, "| | manager binary | %s B | %s B (stripped) |\n", thousands(bf.Size), thousands(rep.binary.Stripped))
	}
	for _, br := range bf.Results {
		ar, ok := after[br.N]
		if !ok {
			continue
		}
		row := func(what string, f func(result) string) {
			fmt.Fprintf(&b, "| %d | %s | %s | %s |\n", br.N, what, f(br), f(ar))
		}
		if br.Err != "" {
			fmt.Fprintf(&b, "| %d | error | %s | |\n", br.N, br.Err)
		}
		row("peak RSS (VmHWM)", func(r result) string { return fmt.Sprintf("%.1f MiB", r.PeakRSS/mib) })
		row("RSS anon + file", func(r result) string { return fmt.Sprintf("%.1f + %.1f MiB", r.RSSAnon/mib, r.RSSFile/mib) })
		row("cgroup working set (anon, file)", func(r result) string {
			if c := r.SteadyMem.Cgroup; c != nil {
				return fmt.Sprintf("%.1f MiB (%.1f, %.1f)", c.WorkingSet/mib, c.Anon/mib, c.File/mib)
			}
			return "-"
		})
		row("peak heap in use", func(r result) string { return fmt.Sprintf("%.1f MiB", r.PeakHeap/mib) })
		row("CPU per no-op check", func(r result) string {
			if msPerCheck(r.Steady) < 0 {
				return "-"
			}
			return fmt.Sprintf("%.2f ms (%.2f CPU-s/min)", msPerCheck(r.Steady), r.Steady.CPU*60/r.SteadyWindow.Seconds())
		})
		row("API-server writes at steady state", func(r result) string {
			if r.SteadyWrites == nil {
				return "not counted"
			}
			return fmt.Sprintf("%.0f/min", float64(r.SteadyWrites.Total)*60/r.SteadyWindow.Seconds())
		})
		row("CPU profile of the steady window", func(r result) string {
			if r.Profile == "" {
				return "-"
			}
			return "`" + rel(rep.opts.root, r.Profile) + "`"
		})
		if br.Throttle != nil && ar.Throttle != nil {
			row("under a persistent 429: requests before Retry-After elapsed", func(r result) string {
				return fmt.Sprintf("%d of %d refused (Retry-After %s)", r.Throttle.Early, r.Throttle.Requests, r.Throttle.RetryAfter)
			})
		}
	}
	var tops []string
	for _, r := range bf.Results {
		if r.ProfileTop != "" {
			tops = append(tops, fmt.Sprintf("%s, N=%d, `go tool pprof -top -cum %s`:\n\n```\n%s\n```\n", bf.Label, r.N, rel(rep.opts.root, r.Profile), r.ProfileTop))
		}
	}
	if len(tops) > 0 {
		b.WriteString("\n### CPU profiles of the steady window, " + bf.Label + "\n\n" + strings.Join(tops, "\n"))
	}
	return b.String()
}

// rel is path relative to root when it lies below it.
func rel(root, path string) string {
	if r, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}

// thousands writes n with commas between groups of three digits.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	var out []string
	for len(s) > 3 {
		out = append([]string{s[len(s)-3:]}, out...)
		s = s[:len(s)-3]
	}
	return strings.Join(append([]string{s}, out...), ",")
}

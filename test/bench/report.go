package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// report renders the results as a text table and as BENCHMARKS.md.
type report struct {
	opts    options
	results []result
	notRun  []string
	took    time.Duration
	binary  *binaryFigures // nil when not measured
	builds  *buildTimes    // nil when not measured
	before  *beforeRun     // nil without --before
}

var header = []string{"N", "zones", "limit", "create→Ready", "change→Ready", "req/change R+W", "floor R+W (batch W)", "429s", "steady req/h R+W", "detect/h", "peak RSS", "RSS anon+file", "peak heap", "CPU ms/reconcile"}

func secs(p phase, n int) string {
	if !p.Converged {
		return fmt.Sprintf(">%.0fs (%d/%d)", p.Took.Seconds(), p.Ready, n)
	}
	return fmt.Sprintf("%.1fs", p.Took.Seconds())
}

// floor is the fewest Cloudflare requests an address change of every
// record needs: one list per zone, one write per record, or one batch per
// 200 records of a zone.
func floor(n, zones int) (reads, writes, batches int) {
	for z := 0; z < zones; z++ {
		in := n / zones
		if z < n%zones {
			in++
		}
		batches += (in + 199) / 200
	}
	return zones, n, batches
}

func perHour(count int, window time.Duration) float64 {
	return float64(count) * float64(time.Hour) / float64(window)
}

func (r result) cells(o options) []string {
	if r.Err != "" && r.Create.Took == 0 {
		return []string{fmt.Sprint(r.N), fmt.Sprint(r.Zones), limitText(r.RateLimit, o.rateWindow), "error: " + r.Err}
	}
	fr, fw, fb := floor(r.N, r.Zones)
	throttled := r.Create.Req.Throttled + r.Change.Req.Throttled + r.Steady.Req.Throttled
	cpu := "-"
	if rc := r.Create.Reconc + r.Change.Reconc + r.Steady.Reconc; rc > 0 {
		cpu = fmt.Sprintf("%.1f", 1000*(r.Create.CPU+r.Change.CPU+r.Steady.CPU)/rc)
	}
	steady := "-"
	if r.SteadyWindow > 0 {
		steady = fmt.Sprintf("%.0f+%.0f", perHour(r.Steady.Req.Reads, r.SteadyWindow), perHour(r.Steady.Req.Writes, r.SteadyWindow))
		if !r.SteadySettled {
			steady += " (unsettled)"
		}
	}
	return []string{
		fmt.Sprint(r.N), fmt.Sprint(r.Zones), limitText(r.RateLimit, o.rateWindow),
		secs(r.Create, r.N), secs(r.Change, r.N),
		fmt.Sprintf("%d+%d", r.Change.Req.Reads, r.Change.Req.Writes),
		fmt.Sprintf("%d+%d (%d)", fr, fw, fb),
		fmt.Sprint(throttled), steady,
		fmt.Sprintf("%.0f", perHour(r.DetectPerWindow, r.SteadyWindow)),
		fmt.Sprintf("%.1f MiB", r.PeakRSS/mib), fmt.Sprintf("%.1f+%.1f MiB", r.RSSAnon/mib, r.RSSFile/mib), fmt.Sprintf("%.1f MiB", r.PeakHeap/mib), cpu,
	}
}

func (rep report) table() string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(header, " | ") + " |\n|")
	for range header {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, r := range rep.results {
		b.WriteString("| " + strings.Join(r.cells(rep.opts), " | ") + " |\n")
	}
	return b.String()
}

func (rep report) markdown() string {
	o := rep.opts
	var b strings.Builder
	fmt.Fprintf(&b, "# Benchmarks\n\nWritten by `make bench` (`go run ./test/bench`) on %s; the whole run took %s.\n\n", time.Now().UTC().Format("2006-01-02 15:04 MST"), rep.took.Round(time.Second))
	b.WriteString("## Machine and versions\n\n")
	fmt.Fprintf(&b, "- CPU: %s, %d logical cores (shared with other work while measuring)\n", cpuModel(), runtime.NumCPU())
	fmt.Fprintf(&b, "- OS: %s\n", command("uname", "-srm"))
	fmt.Fprintf(&b, "- Go: %s\n", runtime.Version())
	fmt.Fprintf(&b, "- kube-apiserver: %s (envtest binaries)\n", command(os.Getenv("KUBEBUILDER_ASSETS")+"/kube-apiserver", "--version"))
	fmt.Fprintf(&b, "- operator: %s\n\n", command("git", "-C", o.root, "describe", "--tags", "--always", "--dirty"))
	b.WriteString("## Set-up\n\n")
	fmt.Fprintf(&b, "- Fake Cloudflare API (`test/bench/cffake`, its own process): %s latency per request; rate limit %s as a sliding window, answered with HTTP 429, `Retry-After` (seconds until capacity) and error 971. Cloudflare documents 1200 requests per 5 minutes per user or token.\n", o.latency, limitList(o))
	fmt.Fprintf(&b, "- Manager binary as its own process: one IPv4 echo source on 127.0.0.1 (`--detect-policy=first`, `--detect-interval=10s`), `--max-concurrent-reconciles=%d`, metrics scraped from `/metrics`.\n", o.concurrency)
	fmt.Fprintf(&b, "- Records: type A, `spec.zone` set, spread round-robin over the zones, `spec.interval` %s while created and while the address changes.\n", o.interval)
	b.WriteString("- **create→Ready**: from the first create call to every record Ready for its generation with the address. **change→Ready**: from the first detection that sees the new address (the echo source's first answer with it) to every record Ready with it; add up to one detection interval (10s) for the time from the real change.\n")
	b.WriteString("- **req/change R+W**: requests the fake served (GET = read; POST, PATCH, PUT, DELETE = write) during the change phase; **floor**: one list per zone and one write per record, in brackets the writes with Cloudflare's batch endpoint (200 records a call).\n")
	fmt.Fprintf(&b, "- **steady req/h**: every record's `spec.interval` patched to %s, the resulting reconciles waited for, then requests counted over a %s window with no change and extrapolated to an hour; \"unsettled\" when the reconciles of the patch had not finished within %s. **detect/h**: requests at the echo source over that window, per hour.\n", o.steadyInterval, o.steadyWindow, o.phaseLimit)
	b.WriteString("- **peak RSS**: the manager's VmHWM at the end of the scenario; **RSS anon+file**: the resident set at the end, split into the process's own memory (RssAnon: heap, stacks) and the binary's code and read-only data mapped in (RssFile; the kernel maps file pages in 64 KiB fault-around blocks, so this is more than the code actually run); **peak heap**: largest `go_memstats_heap_inuse_bytes` sampled every second; **CPU ms/reconcile**: the manager's CPU time (`/proc/PID/task/*/schedstat`) over `controller_runtime_reconcile_total` across all phases.\n")
	fmt.Fprintf(&b, "- A phase that had not converged after %s is shown as `>T (ready/N)`.\n\n", o.phaseLimit)
	b.WriteString("## Results\n\n")
	b.WriteString(rep.table())
	for _, r := range rep.results {
		if r.Err != "" {
			fmt.Fprintf(&b, "\nN=%d over %d zone(s): error: %s\n", r.N, r.Zones, r.Err)
		}
	}
	if len(rep.notRun) > 0 {
		fmt.Fprintf(&b, "\nNot run (the time budget of %s was spent):\n\n", o.budget)
		for _, s := range rep.notRun {
			b.WriteString("- " + s + "\n")
		}
	}
	b.WriteString("\n" + rep.unrelatedText())
	b.WriteString("\n" + rep.podMemoryText())
	b.WriteString("\n" + rep.beforeText())
	b.WriteString("\n" + rep.steadyText())
	b.WriteString("\n" + rep.throttleText())
	b.WriteString("\n" + rep.binaryText())
	b.WriteString("\n## Budget\n\nThe size and memory budget of issue 20, checked by `make bench` (`--enforce-budget` makes a figure over it fail the run):\n\n" + rep.budget().text())
	b.WriteString("\n" + rep.targets())
	return b.String()
}

func limitList(o options) string {
	var out []string
	for _, l := range o.rateLimits {
		out = append(out, limitText(l, o.rateWindow))
	}
	return strings.Join(out, " and ")
}

func (rep report) unrelatedText() string {
	for _, r := range rep.results {
		if r.Unrelated > 0 {
			return fmt.Sprintf("### Unrelated objects\n\nA fresh manager taking over %d records (one zone, limit %s) peaked at %.1f MiB RSS; after %d Secrets and %d ConfigMaps of %d bytes each were added to another namespace, a fresh manager peaked at %.1f MiB (%+.1f%%).\n",
				r.N, limitText(r.RateLimit, rep.opts.rateWindow), r.RSSBase/mib, r.Unrelated, r.Unrelated, rep.opts.unrelatedSize, r.RSSUnrelated/mib, 100*(r.RSSUnrelated-r.RSSBase)/r.RSSBase)
		}
	}
	return "### Unrelated objects\n\nNot measured in this run.\n"
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func command(name string, args ...string) string {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

// Command bench measures the whole operator at scale, as `make bench`
// runs it: for each record count N and zone count it starts a real API
// server (the envtest binaries), a fake Cloudflare API as its own process
// (cffake: per-request latency and Cloudflare's rate limit, answered with
// 429 and Retry-After), an HTTP echo source standing in for the public-IP
// service, and the manager binary, then measures creating N records, an
// address change, the steady state, and the manager's memory and CPU. It
// prints a table and writes it, with the machine and versions, to
// BENCHMARKS.md.
//
// Each scenario also measures the manager as a pod would: its resident
// set split into anonymous and file-backed pages at idle and at the end of
// the steady window, the working set of a memory cgroup it runs in, its
// writes to the API server (the API server's audit log), its CPU per
// periodic check with a CPU profile, and, at --throttle-n records, the
// requests it sends under a persistent 429 before Retry-After elapses.
// Before the scenarios it measures the binary: its stripped size, what
// each package tree contributes, and its package initialisers' cost. The
// figures are checked against the size and memory budget of issue 20.
//
//	go run ./test/bench --n=10,100 --zones=1,10
//	go run ./test/bench --n= --out=            # the binary's figures alone, on stdout
//	go run ./test/bench --n=1000 --zones=1 --sizes=false --unrelated=0 --throttle-n=1000
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/go-logr/logr"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"
)

const mib = 1 << 20

// options are the flags.
type options struct {
	root, out, managerBin, fakeBin string
	ns, zones, rateLimits          []int
	latency, rateWindow            time.Duration
	interval, steadyInterval       time.Duration
	steadyWindow, phaseLimit       time.Duration
	budget                         time.Duration
	concurrency                    int
	unrelated, unrelatedSize       int
	unrelatedN                     int
	rateLimit                      int // of the scenario being run
	keep                           bool
	sizes, buildTimes              bool
	idleWait                       time.Duration
	cgroup, audit                  bool
	profileDir                     string
	throttleN                      int
	throttleRetryAfter             time.Duration
	enforceBudget                  bool
	beforeBin, beforeLabel         string
	beforeNs                       []int
}

func logf(format string, args ...any) {
	fmt.Printf("bench: "+format+"\n", args...)
}

func intList(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		v, err := strconv.Atoi(f)
		if err != nil || v < 0 {
			return nil, fmt.Errorf("%q is not a count", f)
		}
		out = append(out, v)
	}
	return out, nil
}

func parseFlags() (options, error) {
	var o options
	var ns, zones, limits, beforeNs string
	flag.StringVar(&o.root, "root", ".", "Repository root (holding go.mod and config/).")
	flag.StringVar(&o.out, "out", "BENCHMARKS.md", "Where to write the results; empty prints the whole report instead.")
	flag.StringVar(&o.managerBin, "manager", "", "Manager binary; built from --root when empty.")
	flag.StringVar(&o.fakeBin, "cffake", "", "cffake binary; built from --root when empty.")
	flag.StringVar(&ns, "n", "10,100,1000,5000", "Record counts to measure.")
	flag.StringVar(&zones, "zones", "1,10", "Zone counts the records are spread over.")
	flag.StringVar(&limits, "rate-limits", "1200", "Fake rate limits to run the matrix under, requests per --rate-window (0: none).")
	flag.DurationVar(&o.rateWindow, "rate-window", 5*time.Minute, "The rate limit's window (Cloudflare: 1200 per 5 minutes per token).")
	flag.DurationVar(&o.latency, "latency", 50*time.Millisecond, "Latency the fake adds to every API request.")
	flag.DurationVar(&o.interval, "interval", 5*time.Minute, "spec.interval of the records while they are created and the address changes.")
	flag.DurationVar(&o.steadyInterval, "steady-interval", 30*time.Second, "spec.interval during the steady-state window (30s is the minimum).")
	flag.DurationVar(&o.steadyWindow, "steady-window", 96*time.Second, "Length of the steady-state window, extrapolated to an hour: best a whole number of mean check periods (spec.interval, plus 5% for its jitter and 1/60 for its slot on average: 3 x 32s at 30s).")
	flag.DurationVar(&o.phaseLimit, "phase-limit", 5*time.Minute, "Longest wait for a phase to converge before it is reported as not converged.")
	flag.DurationVar(&o.budget, "budget", 20*time.Minute, "Start no new scenario after this much time; the rest are reported as not run.")
	flag.IntVar(&o.concurrency, "max-concurrent-reconciles", 4, "The manager's --max-concurrent-reconciles.")
	flag.IntVar(&o.unrelated, "unrelated", 5000, "Unrelated Secrets, and as many ConfigMaps, for the memory check (0 skips it).")
	flag.IntVar(&o.unrelatedSize, "unrelated-size", 10<<10, "Bytes of data in each unrelated Secret and ConfigMap.")
	flag.IntVar(&o.unrelatedN, "unrelated-n", 1000, "Record count (over one zone) of the scenario that runs the unrelated-objects check.")
	flag.BoolVar(&o.keep, "keep", false, "Keep each scenario's directory (kubeconfig, logs, audit log).")
	flag.BoolVar(&o.sizes, "sizes", true, "Measure the binary: build it stripped and with symbols from --root, sum its symbols by package tree, trace its package initialisers.")
	flag.BoolVar(&o.buildTimes, "build-times", false, "Time a cold build of the manager (fresh module and build caches, modules from GOPROXY: about 20 minutes on 2 cores) and a warm one.")
	flag.DurationVar(&o.idleWait, "idle-wait", 20*time.Second, "How long the manager runs with no record before its idle memory and CPU are read.")
	flag.BoolVar(&o.cgroup, "cgroup", true, "Run each manager in a memory cgroup of its own (v1 controller, below the benchmark's cgroup) and read its working set; falls back to none when one cannot be created.")
	flag.BoolVar(&o.audit, "audit", true, "Count the manager's writes to the API server in the steady window from the API server's audit log.")
	flag.StringVar(&o.profileDir, "profile-dir", "bin/bench-profiles", "Where the steady window's CPU profiles are saved (relative to --root); empty takes none.")
	flag.IntVar(&o.throttleN, "throttle-n", 1000, "Record count (over one zone) of the scenario that runs the persistent-429 check (0 skips it).")
	flag.DurationVar(&o.throttleRetryAfter, "throttle-retry-after", 30*time.Second, "Retry-After of the persistent 429s; they last twice that plus 10s.")
	flag.StringVar(&o.beforeBin, "before", "", "A manager binary to measure side by side with this one: the scenarios over one zone run again with it (profiles under --profile-dir/before) and the report compares the two.")
	flag.StringVar(&o.beforeLabel, "before-label", "before", "What the --before binary is, for the report (a commit, say).")
	flag.StringVar(&beforeNs, "before-n", "100,1000", "Record counts the --before binary is measured at (one zone each).")
	flag.BoolVar(&o.enforceBudget, "enforce-budget", false, "Exit with status 3 when a figure is over the size and memory budget (the file is written first).")
	flag.Parse()
	var err error
	if o.ns, err = intList(ns); err != nil {
		return o, fmt.Errorf("--n: %w", err)
	}
	if o.zones, err = intList(zones); err != nil {
		return o, fmt.Errorf("--zones: %w", err)
	}
	if o.rateLimits, err = intList(limits); err != nil {
		return o, fmt.Errorf("--rate-limits: %w", err)
	}
	if o.beforeNs, err = intList(beforeNs); err != nil {
		return o, fmt.Errorf("--before-n: %w", err)
	}
	if o.root, err = filepath.Abs(o.root); err != nil {
		return o, err
	}
	if o.profileDir != "" && !filepath.IsAbs(o.profileDir) {
		o.profileDir = filepath.Join(o.root, o.profileDir)
	}
	return o, nil
}

// build compiles pkg from the root into dir unless bin is already set.
// The manager is built as `make build` builds it.
func build(root, dir, pkg, bin string) (string, error) {
	if bin != "" {
		return filepath.Abs(bin)
	}
	if pkg == "." {
		out := filepath.Join(dir, "manager")
		return out, goBuild(root, out, false)
	}
	out := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir, cmd.Stdout, cmd.Stderr = root, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build %s: %w", pkg, err)
	}
	return out, nil
}

// errOverBudget is run's answer when --enforce-budget is set and a figure
// is over the budget.
var errOverBudget = errors.New("over the size and memory budget")

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		if errors.Is(err, errOverBudget) {
			os.Exit(3)
		}
		os.Exit(1)
	}
}

func run() error {
	o, err := parseFlags()
	if err != nil {
		return err
	}
	// envtest logs through controller-runtime; the figures are what count.
	ctrllog.SetLogger(logr.Discard())
	binDir, err := os.MkdirTemp("", "ddns-bench-bin-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(binDir)
	rep := report{opts: o}
	began := time.Now()
	if o.sizes {
		logf("measuring the binary")
		f, err := measureBinary(o.root, binDir)
		if err != nil {
			return err
		}
		rep.binary = &f
	}
	if o.buildTimes {
		logf("timing a cold build (fresh module and build caches) and a warm one")
		dir, err := os.MkdirTemp("", "ddns-bench-build-")
		if err != nil {
			return err
		}
		t, err := measureBuildTimes(o.root, dir)
		_ = os.RemoveAll(dir)
		if err != nil {
			return err
		}
		rep.builds = &t
	}
	if len(o.ns) > 0 {
		if os.Getenv("KUBEBUILDER_ASSETS") == "" {
			out, err := exec.Command(filepath.Join(o.root, "hack", "setup-envtest.sh")).Output()
			if err != nil {
				return fmt.Errorf("provide control-plane binaries: %w", err)
			}
			_ = os.Setenv("KUBEBUILDER_ASSETS", strings.TrimSpace(string(out)))
		}
		if o.managerBin, err = build(o.root, binDir, ".", o.managerBin); err != nil {
			return err
		}
		if o.fakeBin, err = build(o.root, binDir, "./test/bench/cffake", o.fakeBin); err != nil {
			return err
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var results []result
	var notRun []string
	for _, limit := range o.rateLimits {
		for _, n := range o.ns {
			for _, z := range o.zones {
				if z > n {
					continue
				}
				if ctx.Err() != nil || time.Since(began) > o.budget {
					notRun = append(notRun, fmt.Sprintf("N=%d over %d zone(s), rate limit %s", n, z, limitText(limit, o.rateWindow)))
					continue
				}
				o.rateLimit = limit
				logf("N=%d over %d zone(s), rate limit %s", n, z, limitText(limit, o.rateWindow))
				r := runScenario(ctx, o, n, z)
				r.RateLimit = limit
				results = append(results, r)
			}
		}
	}
	rep.results, rep.notRun = results, notRun
	if o.beforeBin != "" && len(o.beforeNs) > 0 && len(o.rateLimits) > 0 {
		if rep.before, err = runBefore(ctx, o); err != nil {
			return err
		}
	}
	rep.took = time.Since(began)
	budget := rep.budget()
	if o.out == "" {
		// No file: the whole report on stdout.
		fmt.Println(rep.markdown())
	} else {
		fmt.Println(rep.table())
		fmt.Println(budget.text())
		old, _ := os.ReadFile(o.out)
		if err := os.WriteFile(o.out, []byte(keepSections(rep.markdown(), string(old))), 0o644); err != nil {
			return err
		}
	}
	if o.enforceBudget && budget.over() {
		return errOverBudget
	}
	return nil
}

func limitText(limit int, window time.Duration) string {
	if limit <= 0 {
		return "none"
	}
	if window%time.Minute == 0 {
		return fmt.Sprintf("%d/%dmin", limit, window/time.Minute)
	}
	return fmt.Sprintf("%d/%s", limit, window)
}

// keepSections returns report followed by every section of old that lies
// between a pair of markers "<!-- NAME: begin -->" and "<!-- NAME: end -->":
// sections written by other tools (the real-node test) or measured by
// hand, which a new run of the bench must not erase.
func keepSections(report, old string) string {
	out := strings.TrimRight(report, "\n") + "\n"
	for rest := old; ; {
		i := strings.Index(rest, "<!-- ")
		if i < 0 {
			return out
		}
		rest = rest[i:]
		j := strings.Index(rest, ": begin -->")
		if j < 0 || strings.Contains(rest[:j], "\n") {
			rest = rest[len("<!-- "):]
			continue
		}
		end := "<!-- " + rest[len("<!-- "):j] + ": end -->"
		k := strings.Index(rest, end)
		if k < 0 {
			return out
		}
		out += "\n" + rest[:k+len(end)] + "\n"
		rest = rest[k+len(end):]
	}
}

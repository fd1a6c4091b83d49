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
//	go run ./test/bench --n=10,100 --zones=1,10
package main

import (
	"context"
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
	var ns, zones, limits string
	flag.StringVar(&o.root, "root", ".", "Repository root (holding go.mod and config/).")
	flag.StringVar(&o.out, "out", "BENCHMARKS.md", "Where to write the results; empty writes none.")
	flag.StringVar(&o.managerBin, "manager", "", "Manager binary; built from --root when empty.")
	flag.StringVar(&o.fakeBin, "cffake", "", "cffake binary; built from --root when empty.")
	flag.StringVar(&ns, "n", "10,100,1000,5000", "Record counts to measure.")
	flag.StringVar(&zones, "zones", "1,10", "Zone counts the records are spread over.")
	flag.StringVar(&limits, "rate-limits", "1200", "Fake rate limits to run the matrix under, requests per --rate-window (0: none).")
	flag.DurationVar(&o.rateWindow, "rate-window", 5*time.Minute, "The rate limit's window (Cloudflare: 1200 per 5 minutes per token).")
	flag.DurationVar(&o.latency, "latency", 50*time.Millisecond, "Latency the fake adds to every API request.")
	flag.DurationVar(&o.interval, "interval", 5*time.Minute, "spec.interval of the records while they are created and the address changes.")
	flag.DurationVar(&o.steadyInterval, "steady-interval", 30*time.Second, "spec.interval during the steady-state window (30s is the minimum).")
	flag.DurationVar(&o.steadyWindow, "steady-window", 90*time.Second, "Length of the steady-state window, extrapolated to an hour.")
	flag.DurationVar(&o.phaseLimit, "phase-limit", 5*time.Minute, "Longest wait for a phase to converge before it is reported as not converged.")
	flag.DurationVar(&o.budget, "budget", 20*time.Minute, "Start no new scenario after this much time; the rest are reported as not run.")
	flag.IntVar(&o.concurrency, "max-concurrent-reconciles", 4, "The manager's --max-concurrent-reconciles.")
	flag.IntVar(&o.unrelated, "unrelated", 5000, "Unrelated Secrets, and as many ConfigMaps, for the memory check (0 skips it).")
	flag.IntVar(&o.unrelatedSize, "unrelated-size", 10<<10, "Bytes of data in each unrelated Secret and ConfigMap.")
	flag.IntVar(&o.unrelatedN, "unrelated-n", 1000, "Record count (over one zone) of the scenario that runs the unrelated-objects check.")
	flag.BoolVar(&o.keep, "keep", false, "Keep each scenario's directory (kubeconfig, logs).")
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
	o.root, err = filepath.Abs(o.root)
	return o, err
}

// build compiles pkg from the root into dir unless bin is already set.
func build(root, dir, pkg, bin string) (string, error) {
	if bin != "" {
		return filepath.Abs(bin)
	}
	out := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir, cmd.Stdout, cmd.Stderr = root, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build %s: %w", pkg, err)
	}
	return out, nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
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
	if os.Getenv("KUBEBUILDER_ASSETS") == "" {
		out, err := exec.Command(filepath.Join(o.root, "hack", "setup-envtest.sh")).Output()
		if err != nil {
			return fmt.Errorf("provide control-plane binaries: %w", err)
		}
		_ = os.Setenv("KUBEBUILDER_ASSETS", strings.TrimSpace(string(out)))
	}
	binDir, err := os.MkdirTemp("", "ddns-bench-bin-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(binDir)
	if o.managerBin, err = build(o.root, binDir, ".", o.managerBin); err != nil {
		return err
	}
	if o.fakeBin, err = build(o.root, binDir, "./test/bench/cffake", o.fakeBin); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	began := time.Now()
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
	rep := report{opts: o, results: results, notRun: notRun, took: time.Since(began)}
	table := rep.table()
	fmt.Println(table)
	if o.out == "" {
		return nil
	}
	return os.WriteFile(o.out, []byte(rep.markdown()), 0o644)
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

package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/test/e2e/system"
)

// Addresses the echo source answers: global unicast, so the egress
// validation accepts them (documentation ranges are refused).
const (
	firstAddr  = "81.2.69.160"
	secondAddr = "81.2.69.161"
)

// phase is what one timed phase measured.
type phase struct {
	Took      time.Duration
	Ready     int  // records Ready at the end
	Converged bool // all N Ready within the limit
	Req       fakeStats
	CPU       float64 // manager CPU seconds
	Reconc    float64 // reconciles
}

// result is one scenario's row.
type result struct {
	N, Zones        int
	RateLimit       int
	Create, Change  phase
	Steady          phase
	SteadyWindow    time.Duration
	SteadySettled   bool
	DetectPerWindow int
	PeakRSS         float64 // VmHWM at the end of the scenario
	RSSAnon         float64 // RssAnon at the end: the process's own memory
	RSSFile         float64 // RssFile at the end: the binary's pages mapped in
	PeakHeap        float64
	RSSBase         float64 // VmHWM of a fresh manager over the records, for the unrelated-objects check
	RSSUnrelated    float64 // the same with the unrelated objects present
	Unrelated       int
	Err             string
}

// runScenario starts a fresh control plane, fake, echo source and manager,
// and measures N records over zones zones.
func runScenario(ctx context.Context, o options, n, zones int) (res result) {
	res = result{N: n, Zones: zones}
	dir, err := os.MkdirTemp("", fmt.Sprintf("ddns-bench-%d-%d-", n, zones))
	if err != nil {
		res.Err = err.Error()
		return res
	}
	if !o.keep {
		defer os.RemoveAll(dir)
	}
	if err := scenario(ctx, o, dir, &res); err != nil {
		res.Err = err.Error()
		logf("  error: %v (logs in %s)", err, dir)
	}
	return res
}

func scenario(ctx context.Context, o options, dir string, res *result) error {
	n, names := res.N, zoneNames(res.Zones)
	cp, err := startControlPlane(o.root, dir)
	if err != nil {
		return err
	}
	defer cp.stop()
	echo, err := system.StartEcho(firstAddr)
	if err != nil {
		return err
	}
	defer echo.Close()
	fake, err := startFake(o.fakeBin, dir, names, o.latency, o.rateLimit, o.rateWindow)
	if err != nil {
		return err
	}
	defer fake.stop()

	scheme := runtime.NewScheme()
	_ = clientgoscheme.AddToScheme(scheme)
	_ = ddnsv1.AddToScheme(scheme)
	cfg := cp.env.Config
	cfg.QPS, cfg.Burst = 500, 1000
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		return err
	}
	m, err := startManager(o.managerBin, dir, "main", cp.kubeconfig, echo.URL, fake.url, o.concurrency)
	if err != nil {
		return err
	}
	defer func() { m.stop() }()
	heap := sample(ctx, m)

	// Phase 1: create N records, wait until all are Ready.
	logf("  creating %d records", n)
	s0, _ := fake.stats(ctx)
	m0, _ := m.metrics(ctx)
	start := time.Now()
	if err := createRecords(ctx, c, n, names, o.interval); err != nil {
		return err
	}
	took, ready, ok := waitReady(ctx, c, n, firstAddr, start, o.phaseLimit)
	s1, _ := fake.stats(ctx)
	m1, _ := m.metrics(ctx)
	res.Create = phase{Took: took, Ready: ready, Converged: ok, Req: s1.minus(s0), CPU: m1.CPU - m0.CPU, Reconc: m1.Reconciles - m0.Reconciles}
	logf("  created: %s, %d/%d Ready", took.Round(10*time.Millisecond), ready, n)

	// Phase 2: change the address; time from the first detection that sees
	// it to every record Ready with it.
	changed := echo.Set(secondAddr)
	select {
	case <-changed:
	case <-time.After(30 * time.Second):
		return fmt.Errorf("the manager did not ask the echo source within 30s")
	}
	start = time.Now()
	took, ready, ok = waitReady(ctx, c, n, secondAddr, start, o.phaseLimit)
	s2, _ := fake.stats(ctx)
	m2, _ := m.metrics(ctx)
	res.Change = phase{Took: took, Ready: ready, Converged: ok, Req: s2.minus(s1), CPU: m2.CPU - m1.CPU, Reconc: m2.Reconciles - m1.Reconciles}
	logf("  address changed: %s, %d/%d Ready", took.Round(10*time.Millisecond), ready, n)

	// Phase 3: steady state at the shortest drift interval; no change.
	if err := setInterval(ctx, c, n, o.steadyInterval); err != nil {
		return err
	}
	base, _ := m.metrics(ctx)
	res.SteadySettled = settle(ctx, m, base, n, o.phaseLimit)
	time.Sleep(2 * time.Second)
	s3, _ := fake.stats(ctx)
	m3, _ := m.metrics(ctx)
	e3 := echo.Requests()
	logf("  steady state: %s window at spec.interval %s", o.steadyWindow, o.steadyInterval)
	time.Sleep(o.steadyWindow)
	s4, _ := fake.stats(ctx)
	m4, _ := m.metrics(ctx)
	res.SteadyWindow = o.steadyWindow
	res.DetectPerWindow = echo.Requests() - e3
	res.Steady = phase{Took: o.steadyWindow, Req: s4.minus(s3), CPU: m4.CPU - m3.CPU, Reconc: m4.Reconciles - m3.Reconciles}
	res.PeakHeap = heap.peakHeap()
	if res.PeakRSS, err = peakRSS(m.pid()); err != nil {
		return err
	}
	res.RSSAnon, res.RSSFile = rssSplit(m.pid())
	logf("  peak RSS %.1f MiB (now %.1f anon + %.1f file), peak heap %.1f MiB", res.PeakRSS/mib, res.RSSAnon/mib, res.RSSFile/mib, res.PeakHeap/mib)

	if o.unrelated > 0 && n == o.unrelatedN && res.Zones == 1 {
		return unrelatedCheck(ctx, o, dir, cp, c, echo, fake, &m, res)
	}
	return nil
}

// unrelatedCheck compares the peak RSS of a freshly started manager that
// takes over the N records, without and then with o.unrelated Secrets and
// as many ConfigMaps of o.unrelatedSize bytes in the cluster.
func unrelatedCheck(ctx context.Context, o options, dir string, cp *controlPlane, c client.Client, echo *system.Echo, fake *fakeServer, m **manager, res *result) error {
	fresh := func(name string) (float64, error) {
		(*m).stop()
		nm, err := startManager(o.managerBin, dir, name, cp.kubeconfig, echo.URL, fake.url, o.concurrency)
		if err != nil {
			return 0, err
		}
		*m = nm
		settle(ctx, nm, metrics{}, res.N, o.phaseLimit)
		time.Sleep(o.steadyInterval)
		return peakRSS(nm.pid())
	}
	var err error
	logf("  restarting the manager over %d records (baseline)", res.N)
	if res.RSSBase, err = fresh("baseline"); err != nil {
		return err
	}
	logf("  creating %d Secrets and %d ConfigMaps of %d bytes", o.unrelated, o.unrelated, o.unrelatedSize)
	if err := createUnrelated(ctx, c, o.unrelated, o.unrelatedSize); err != nil {
		return err
	}
	res.Unrelated = o.unrelated
	if res.RSSUnrelated, err = fresh("unrelated"); err != nil {
		return err
	}
	logf("  peak RSS %.1f MiB without, %.1f MiB with the unrelated objects", res.RSSBase/mib, res.RSSUnrelated/mib)
	return nil
}

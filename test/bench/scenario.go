package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
	thirdAddr  = "81.2.69.162"
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
	PeakRSS         float64 // VmHWM at the end of the steady window
	RSSAnon         float64 // RssAnon at the end: the process's own memory
	RSSFile         float64 // RssFile at the end: the binary's pages mapped in
	Idle            memSample
	IdleFor         time.Duration
	IdleCPU         float64 // manager CPU seconds over IdleFor, no records
	SteadyMem       memSample
	SteadyWrites    *writeCount // the manager's API-server writes in the steady window; nil when not counted
	Profile         string      // the steady window's CPU profile
	ProfileTop      string      // its top entries
	Throttle        *throttleResult
	PeakHeap        float64
	RSSBase         float64 // VmHWM of a fresh manager over the records, for the unrelated-objects check
	RSSUnrelated    float64 // the same with the unrelated objects present
	Unrelated       int
	Err             string
}

// throttleResult is what the persistent-429 phase measured.
type throttleResult struct {
	RetryAfter time.Duration // what every 429 asked
	Span       time.Duration // how long every request was answered 429
	Requests   int           // requests the fake refused in the span
	Early      int           // of them, sent after the first 429 and before its Retry-After elapsed
	FirstGap   time.Duration // from the first 429 to the next request; 0 when none came
	Recovered  phase         // from the end of the span to every record Ready
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
	cp, err := startControlPlane(o.root, dir, o.audit)
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
	spec := managerSpec{bin: o.managerBin, dir: dir, kubeconfig: cp.kubeconfig, echoURL: echo.URL, cfURL: fake.url, concurrency: o.concurrency, cgroup: o.cgroup}
	m, err := startManager(spec, "main")
	if err != nil && o.cgroup {
		logf("  no memory cgroup for the manager: %v", err)
		spec.cgroup = false
		m, err = startManager(spec, "main")
	}
	if err != nil {
		return err
	}
	defer func() { m.stop() }()

	// Phase 0: idle, no record yet.
	i0, _ := m.metrics(ctx)
	time.Sleep(o.idleWait)
	i1, _ := m.cpuTime()
	res.IdleFor, res.IdleCPU, res.Idle = o.idleWait, i1-i0.CPU, m.memory()
	logf("  idle: RSS %.1f anon + %.1f file MiB%s", res.Idle.Anon/mib, res.Idle.File/mib, wsText(res.Idle))
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
	// No scrape during the window but at its ends: a scrape costs the
	// manager CPU that no check spends.
	res.PeakHeap = heap.peakHeap()
	// Every record has just checked, all within moments: a window opened
	// now would end just before their third checks and count two where
	// the steady rate gives 2.86 (a third fewer checks, the idle work
	// spread over them). Half a mean period later, a window of whole mean
	// periods counts each record's checks at the steady rate.
	time.Sleep(meanPeriod(o.steadyInterval) / 2)
	if err := steadyWindow(ctx, o, cp, fake, echo, m, res); err != nil {
		return err
	}
	logf("  steady state: %.2f ms CPU per check, writes %s; RSS peak %.1f MiB (now %.1f anon + %.1f file)%s, peak heap %.1f MiB",
		msPerCheck(res.Steady), writesText(res.SteadyWrites), res.PeakRSS/mib, res.RSSAnon/mib, res.RSSFile/mib, wsText(res.SteadyMem), res.PeakHeap/mib)

	if o.throttleN > 0 && n == o.throttleN && res.Zones == 1 {
		if err := throttlePhase(ctx, o, c, fake, echo, res); err != nil {
			return err
		}
	}
	if o.unrelated > 0 && n == o.unrelatedN && res.Zones == 1 {
		return unrelatedCheck(ctx, o, spec, c, &m, res)
	}
	return nil
}

// steadyWindow measures o.steadyWindow of steady state: the requests at
// the fake and the echo source, the manager's CPU and checks, its writes
// to the API server (audit log), a CPU profile over the window, and its
// memory at the end.
func steadyWindow(ctx context.Context, o options, cp *controlPlane, fake *fakeServer, echo *system.Echo, m *manager, res *result) error {
	s3, _ := fake.stats(ctx)
	m3, _ := m.metrics(ctx)
	e3 := echo.Requests()
	logf("  steady state: %s window at spec.interval %s", o.steadyWindow, o.steadyInterval)
	from := time.Now()
	profDone := make(chan error, 1)
	var profile string
	if o.profileDir != "" {
		if err := os.MkdirAll(o.profileDir, 0o755); err != nil {
			return err
		}
		profile = filepath.Join(o.profileDir, fmt.Sprintf("cpu-steady-n%d-z%d.pprof", res.N, res.Zones))
		go func() { profDone <- cpuProfile(ctx, m.pprofURL, o.steadyWindow, profile) }()
	}
	time.Sleep(o.steadyWindow)
	to := time.Now()
	c4, _ := m.cpuTime()
	s4, _ := fake.stats(ctx)
	m4, _ := m.metrics(ctx)
	res.SteadyWindow = o.steadyWindow
	res.DetectPerWindow = echo.Requests() - e3
	res.Steady = phase{Took: o.steadyWindow, Req: s4.minus(s3), CPU: c4 - m3.CPU, Reconc: m4.Reconciles - m3.Reconciles}
	res.SteadyMem = m.memory()
	res.PeakRSS, res.RSSAnon, res.RSSFile = res.SteadyMem.Peak, res.SteadyMem.Anon, res.SteadyMem.File
	if profile != "" {
		if err := <-profDone; err != nil {
			logf("  CPU profile: %v", err)
		} else if top, err := pprofTop(profile, 25, true); err != nil {
			logf("  %v", err)
		} else {
			res.Profile, res.ProfileTop = profile, top
		}
	}
	if cp.auditLog != "" {
		time.Sleep(time.Second) // let the API server write the window's last events
		w, err := countWrites(cp.auditLog, managerUser, from, to)
		if err != nil {
			return fmt.Errorf("count API-server writes: %w", err)
		}
		res.SteadyWrites = &w
	}
	return nil
}

// throttlePhase makes the fake answer every request 429 with Retry-After
// o.throttleRetryAfter for 2×Retry-After+10s, changes the address so every
// record has work for the credential, and counts the requests that came
// after the first 429 and before its Retry-After elapsed; then waits for
// every record to recover once the 429s stop.
func throttlePhase(ctx context.Context, o options, c client.Client, fake *fakeServer, echo *system.Echo, res *result) error {
	ra := o.throttleRetryAfter
	span := 2*ra + 10*time.Second
	logf("  persistent 429 for %s, Retry-After %s, with an address change", span, ra)
	if err := fake.throttle(ctx, span, ra); err != nil {
		return err
	}
	ends := time.Now().Add(span)
	changed := echo.Set(thirdAddr)
	select {
	case <-changed:
	case <-time.After(30 * time.Second):
		return fmt.Errorf("the manager did not ask the echo source within 30s")
	}
	time.Sleep(time.Until(ends) + time.Second)
	rep, err := fake.throttled(ctx)
	if err != nil {
		return err
	}
	t := &throttleResult{RetryAfter: ra, Span: span, Requests: len(rep.Offsets)}
	for _, off := range rep.Offsets[min(1, len(rep.Offsets)):] {
		d := time.Duration(off * float64(time.Second))
		if t.FirstGap == 0 {
			t.FirstGap = d
		}
		if d < ra {
			t.Early++
		}
	}
	start := time.Now()
	took, ready, ok := waitReady(ctx, c, res.N, thirdAddr, start, o.phaseLimit)
	t.Recovered = phase{Took: took, Ready: ready, Converged: ok}
	res.Throttle = t
	logf("  429s: %d requests refused, %d before Retry-After elapsed; %d/%d Ready %s after the 429s stopped",
		t.Requests, t.Early, ready, res.N, took.Round(10*time.Millisecond))
	return nil
}

// unrelatedCheck compares the peak RSS of a freshly started manager that
// takes over the N records, without and then with o.unrelated Secrets and
// as many ConfigMaps of o.unrelatedSize bytes in the cluster.
func unrelatedCheck(ctx context.Context, o options, spec managerSpec, c client.Client, m **manager, res *result) error {
	fresh := func(name string) (float64, error) {
		(*m).stop()
		nm, err := startManager(spec, name)
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

// wsText is the cgroup's working set for a log line, "" without a cgroup.
func wsText(s memSample) string {
	if s.Cgroup == nil {
		return ""
	}
	return fmt.Sprintf(", cgroup working set %.1f MiB (anon %.1f, file %.1f)", s.Cgroup.WorkingSet/mib, s.Cgroup.Anon/mib, s.Cgroup.File/mib)
}

// msPerCheck is the manager's CPU per periodic check in a window of
// checks, in milliseconds; -1 when no check ran.
func msPerCheck(p phase) float64 {
	if p.Reconc <= 0 {
		return -1
	}
	return 1000 * p.CPU / p.Reconc
}

// writesText is a write count for a log line.
func writesText(w *writeCount) string {
	if w == nil {
		return "not counted"
	}
	return w.String()
}

// meanPeriod is the mean time between two checks of a record at interval:
// the controller adds up to 10% jitter (5% on average), then rounds up to
// a slot of interval/30 (half a slot on average).
func meanPeriod(interval time.Duration) time.Duration {
	return interval + interval/20 + interval/60
}

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// controlPlane is a kube-apiserver and etcd with the CRDs installed and an
// admin kubeconfig on disk for the manager.
type controlPlane struct {
	env        *envtest.Environment
	kubeconfig string
	auditLog   string // the API server's audit log of writes; empty when off
}

func startControlPlane(root, dir string, audit bool) (*controlPlane, error) {
	env := &envtest.Environment{CRDDirectoryPaths: []string{filepath.Join(root, "config", "crd", "bases")}, ErrorIfCRDPathMissing: true}
	var auditLog string
	if audit {
		policy, log, err := auditFiles(dir)
		if err != nil {
			return nil, err
		}
		env.ControlPlane.GetAPIServer().Configure().
			Set("audit-policy-file", policy).Set("audit-log-path", log).Set("audit-log-format", "json")
		auditLog = log
	}
	if _, err := env.Start(); err != nil {
		return nil, fmt.Errorf("start the control plane: %w", err)
	}
	user, err := env.AddUser(envtest.User{Name: managerUser, Groups: []string{"system:masters"}}, nil)
	if err != nil {
		_ = env.Stop()
		return nil, fmt.Errorf("create an admin user: %w", err)
	}
	kc, err := user.KubeConfig()
	if err != nil {
		_ = env.Stop()
		return nil, err
	}
	path := filepath.Join(dir, "kubeconfig")
	if err := os.WriteFile(path, kc, 0o600); err != nil {
		_ = env.Stop()
		return nil, err
	}
	return &controlPlane{env: env, kubeconfig: path, auditLog: auditLog}, nil
}

func (c *controlPlane) stop() { _ = c.env.Stop() }

// process is a child process logging to a file.
type process struct {
	cmd  *exec.Cmd
	done chan struct{}
	log  string
}

func startProcess(logPath string, env []string, bin string, args ...string) (*process, error) {
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	p := &process{cmd: exec.Command(bin, args...), done: make(chan struct{}), log: logPath}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = f, f
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("start %s: %w", filepath.Base(bin), err)
	}
	go func() {
		_ = p.cmd.Wait()
		_ = f.Close()
		close(p.done)
	}()
	return p, nil
}

func (p *process) pid() int { return p.cmd.Process.Pid }

func (p *process) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// fakeServer is a running cffake process.
type fakeServer struct {
	*process
	url string
}

func startFake(bin, dir string, zones []string, latency time.Duration, limit int, window time.Duration) (*fakeServer, error) {
	p, err := startProcess(filepath.Join(dir, "cffake.log"), nil, bin,
		"--zones="+strings.Join(zones, ","), "--latency="+latency.String(),
		"--rate-limit="+strconv.Itoa(limit), "--rate-window="+window.String())
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(p.log)
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "URL "); ok {
				return &fakeServer{process: p, url: u}, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.stop()
	return nil, fmt.Errorf("the fake did not start; see %s", p.log)
}

// fakeStats mirrors cffake's Stats.
type fakeStats struct {
	Reads     int            `json:"reads"`
	Writes    int            `json:"writes"`
	Throttled int            `json:"throttled"`
	Ops       map[string]int `json:"ops"`
	Records   int            `json:"records"`
}

func (f *fakeServer) stats(ctx context.Context) (fakeStats, error) {
	var s fakeStats
	b, err := get(ctx, f.url+"/_bench/stats")
	if err != nil {
		return s, err
	}
	return s, json.Unmarshal(b, &s)
}

func (s fakeStats) minus(o fakeStats) fakeStats {
	d := fakeStats{Reads: s.Reads - o.Reads, Writes: s.Writes - o.Writes, Throttled: s.Throttled - o.Throttled, Records: s.Records, Ops: map[string]int{}}
	for k, v := range s.Ops {
		d.Ops[k] = v - o.Ops[k]
	}
	return d
}

// throttleReport mirrors cffake's ThrottleReport.
type throttleReport struct {
	RetryAfterSeconds int       `json:"retryAfterSeconds"`
	First             time.Time `json:"first"`
	Offsets           []float64 `json:"offsets"`
}

// throttle makes the fake answer every API request 429 with Retry-After
// retryAfter for the next d.
func (f *fakeServer) throttle(ctx context.Context, d, retryAfter time.Duration) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("%s/_bench/throttle?for=%s&retry-after=%s", f.url, d, retryAfter), nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		return fmt.Errorf("throttle the fake: %s", res.Status)
	}
	return nil
}

// throttled reports the requests the last throttle refused.
func (f *fakeServer) throttled(ctx context.Context) (throttleReport, error) {
	var r throttleReport
	b, err := get(ctx, f.url+"/_bench/throttle")
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal(b, &r)
}

func get(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, res.Status)
	}
	return io.ReadAll(res.Body)
}

// freePort returns a free TCP port on 127.0.0.1.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// manager is a running manager process with its metrics and pprof
// endpoints, in its own memory cgroup when the benchmark could create one.
type manager struct {
	*process
	metricsURL string
	pprofURL   string
	cgroup     *memCgroup // nil when not in one
}

// managerSpec is how to start a manager.
type managerSpec struct {
	bin, dir, kubeconfig, echoURL, cfURL string
	concurrency                          int
	cgroup                               bool // run it in a memory cgroup of its own
}

func startManager(spec managerSpec, name string) (*manager, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	pport, err := freePort()
	if err != nil {
		return nil, err
	}
	bin, args, env := spec.bin, []string{
		"--ipv4-sources=" + spec.echoURL, "--ipv6-sources=", "--detect-policy=first", "--detect-interval=10s",
		"--metrics-bind-address=127.0.0.1:" + strconv.Itoa(port), "--health-probe-bind-address=0",
		"--pprof-bind-address=127.0.0.1:" + strconv.Itoa(pport),
		"--leader-elect=false", "--log-format=console", "--log-level=error",
		"--cloudflare-api-url=" + spec.cfURL, "--max-concurrent-reconciles=" + strconv.Itoa(spec.concurrency),
	}, []string{"KUBECONFIG=" + spec.kubeconfig}
	var cg *memCgroup
	if spec.cgroup {
		if cg, err = newMemCgroup(fmt.Sprintf("ddns-bench-%d-%s", os.Getpid(), name)); err != nil {
			return nil, err
		}
		if err := evictPageCache(spec.bin); err != nil {
			logf("  %v (the binary's pages may be charged elsewhere)", err)
		}
		var cgEnv []string
		bin, args, cgEnv = cg.wrap(bin, args)
		env = append(env, cgEnv...)
	}
	p, err := startProcess(filepath.Join(spec.dir, "manager-"+name+".log"), env, bin, args...)
	if err != nil {
		if cg != nil {
			cg.remove()
		}
		return nil, err
	}
	m := &manager{process: p, metricsURL: fmt.Sprintf("http://127.0.0.1:%d/metrics", port), pprofURL: fmt.Sprintf("http://127.0.0.1:%d", pport), cgroup: cg}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := m.metrics(context.Background()); err == nil {
			return m, nil
		}
		select {
		case <-p.done:
			m.stop()
			return nil, fmt.Errorf("the manager exited; see %s", p.log)
		case <-time.After(200 * time.Millisecond):
		}
	}
	m.stop()
	return nil, fmt.Errorf("the manager's metrics did not answer; see %s", p.log)
}

// stop ends the manager and removes its cgroup.
func (m *manager) stop() {
	m.process.stop()
	if m.cgroup != nil {
		m.cgroup.remove()
		m.cgroup = nil
	}
}

// memSample is the manager's memory at one moment, as the process and as
// its cgroup see it.
type memSample struct {
	Anon, File float64      // RssAnon, RssFile of /proc/PID/status
	Peak       float64      // VmHWM
	Cgroup     *cgroupStats // nil when the manager runs in no cgroup of its own
}

// memory reads the manager's memory now.
func (m *manager) memory() memSample {
	var s memSample
	s.Anon, s.File = rssSplit(m.pid())
	s.Peak, _ = peakRSS(m.pid())
	if m.cgroup != nil {
		if cs, err := m.cgroup.stats(); err == nil {
			s.Cgroup = &cs
		} else {
			logf("  read cgroup: %v", err)
		}
	}
	return s
}

// metrics is a scrape reduced to the figures the benchmark reads.
type metrics struct {
	RSS, HeapInuse float64 // bytes
	CPU            float64 // seconds
	Reconciles     float64 // of the DynamicDNSRecord controller
	QueueDepth     float64
	ProviderCalls  float64
}

func (m *manager) metrics(ctx context.Context) (metrics, error) {
	var out metrics
	b, err := get(ctx, m.metricsURL)
	if err != nil {
		return out, err
	}
	defer func() {
		// Read after the scrape, so that at the start of a window the
		// scrape's cost stays out of it (a window's end reads cpuTime
		// before its scrape).
		if cpu, err := m.cpuTime(); err == nil {
			out.CPU = cpu
		}
	}()
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			continue
		}
		name := line[:i]
		switch {
		case name == "process_resident_memory_bytes":
			out.RSS = v
		case name == "go_memstats_heap_inuse_bytes":
			out.HeapInuse = v
		case name == "process_cpu_seconds_total":
			out.CPU = v
		case strings.HasPrefix(name, "controller_runtime_reconcile_total{") && strings.Contains(name, `controller="dynamicdnsrecord"`):
			out.Reconciles += v
		case strings.HasPrefix(name, "workqueue_depth{") && strings.Contains(name, `name="dynamicdnsrecord"`):
			out.QueueDepth = v
		case strings.HasPrefix(name, "ddns_provider_requests_total{"):
			out.ProviderCalls += v
		}
	}
	return out, nil
}

// cpuTime is the manager's CPU time so far, in seconds: the sum of its
// threads' time on a CPU from /proc/PID/task/*/schedstat, in nanoseconds.
// process_cpu_seconds_total counts in 10 ms ticks, too coarse for a window
// in which 100 records spend a few hundred milliseconds, and reading it
// takes a scrape whose own cost would land in the window.
func (m *manager) cpuTime() (float64, error) {
	dir := fmt.Sprintf("/proc/%d/task", m.cmd.Process.Pid)
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var ns int64
	for _, t := range tasks {
		b, err := os.ReadFile(filepath.Join(dir, t.Name(), "schedstat"))
		if err != nil {
			continue // the thread exited (the Go runtime keeps its threads)
		}
		f := strings.Fields(string(b))
		if len(f) == 0 {
			continue
		}
		v, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", t.Name(), err)
		}
		ns += v
	}
	return float64(ns) / 1e9, nil
}

// peakRSS reads the process's high-water resident set (VmHWM), in bytes.
func peakRSS(pid int) (float64, error) {
	return procStatus(pid, "VmHWM")
}

// rssSplit reads the resident set now, split into anonymous memory (heap,
// stacks) and file pages (the binary's code and read-only data); 0 where
// the kernel does not say.
func rssSplit(pid int) (anon, file float64) {
	anon, _ = procStatus(pid, "RssAnon")
	file, _ = procStatus(pid, "RssFile")
	return anon, file
}

// procStatus reads one kB field of /proc/PID/status, in bytes.
func procStatus(pid int, field string) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				kb, err := strconv.ParseFloat(f[0], 64)
				return kb * 1024, err
			}
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

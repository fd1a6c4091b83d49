package cluster

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// The supervisor is the test binary itself, started again with
// supervisorEnv set (TestMain calls RunSupervisorIfAsked). It runs in a
// network namespace and a mount namespace of its own, created for it by
// the kernel at fork, and in a cgroup of its own; it starts every node
// process on request, so all of them share those namespaces and that
// cgroup subtree. It is the node's reaper: when its standard input ends
// (the test stopping it, or the test binary dying for any reason, a
// timeout panic or SIGKILL included) it kills everything in the subtree,
// containers included, removes the cgroups and the node's directory, and
// exits, and the namespaces and every mount made inside them vanish with
// it.
const supervisorEnv = "DDNS_NODE_SUPERVISOR"

// supervisorSpec is what the supervisor needs before its first request.
type supervisorSpec struct {
	// Dir is the node's directory, removed at shutdown.
	Dir string
	// Cgroup is the cgroup path (the same in every v1 hierarchy) holding
	// the node; Cgroup/system holds the supervisor and its children,
	// the kubelet puts pods under Cgroup/kubepods.
	Cgroup string
	// Setup are commands run before the first request (the network).
	Setup [][]string
	// Sysctls are written under /proc/sys, inside the namespace.
	Sysctls map[string]string
	// KeepLogs leaves Dir/logs in place at shutdown.
	KeepLogs bool
}

// request is one line on the supervisor's standard input.
type request struct {
	// Op is start, signal or stop.
	Op   string
	Name string
	Argv []string `json:",omitempty"`
	Env  []string `json:",omitempty"`
	// Signal for Op signal.
	Signal int `json:",omitempty"`
	// Grace for Op stop: SIGTERM, then SIGKILL after it.
	Grace time.Duration `json:",omitempty"`
}

// reply is one line on the supervisor's standard output.
type reply struct {
	Pid int    `json:",omitempty"`
	Err string `json:",omitempty"`
}

// RunSupervisorIfAsked turns the process into the node's supervisor when
// the test started it as one, and never returns then. Call it first in
// TestMain.
func RunSupervisorIfAsked() {
	raw := os.Getenv(supervisorEnv)
	if raw == "" {
		return
	}
	var spec supervisorSpec
	if err := json.Unmarshal([]byte(raw), &spec); err != nil {
		fmt.Fprintln(os.Stderr, "supervisor: bad spec:", err)
		os.Exit(2)
	}
	os.Exit(supervise(spec))
}

type child struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
}

type supervisor struct {
	spec     supervisorSpec
	mu       sync.Mutex
	children []*child
	out      *json.Encoder
}

func supervise(spec supervisorSpec) int {
	s := &supervisor{spec: spec, out: json.NewEncoder(os.Stdout)}
	log := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05.000")+" supervisor: "+format+"\n", args...)
	}
	// Shut down on a signal as on the end of input.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	lines := make(chan request)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(os.Stdin)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var r request
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				log("bad request %q: %v", sc.Text(), err)
				continue
			}
			lines <- r
		}
	}()
	if err := s.setup(); err != nil {
		log("setup: %v", err)
		_ = s.out.Encode(reply{Err: err.Error()})
		s.shutdown(log)
		return 1
	}
	_ = s.out.Encode(reply{Pid: os.Getpid()})
	for {
		select {
		case r, ok := <-lines:
			if !ok {
				log("input closed: shutting the node down")
				s.shutdown(log)
				return 0
			}
			_ = s.out.Encode(s.handle(r))
		case sig := <-sigs:
			log("%v: shutting the node down", sig)
			s.shutdown(log)
			return 0
		}
	}
}

// setup makes the mounts private to the node, joins the cgroups and
// configures the network.
func (s *supervisor) setup() error {
	// Mounts made from here on stay in this namespace: none reaches the
	// machine, and all go away with the namespace.
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_SLAVE, ""); err != nil {
		return fmt.Errorf("make mounts private: %w", err)
	}
	// containerd's shims and runc keep state under /run/containerd, a
	// path no configuration moves; kubelet links container logs under
	// /var/log/containers. Both get the node's own copies.
	if err := unix.Mount("tmpfs", "/run", "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "mode=755"); err != nil {
		return fmt.Errorf("mount /run: %w", err)
	}
	varLog := filepath.Join(s.spec.Dir, "var-log")
	if err := os.MkdirAll(varLog, 0o755); err != nil {
		return err
	}
	if err := unix.Mount(varLog, "/var/log", "", unix.MS_BIND, ""); err != nil {
		return fmt.Errorf("bind %s on /var/log: %w", varLog, err)
	}
	if err := joinCgroup(s.spec.Cgroup); err != nil {
		return err
	}
	for _, argv := range s.spec.Setup {
		if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
			return fmt.Errorf("%s: %w: %s", strings.Join(argv, " "), err, out)
		}
	}
	for k, v := range s.spec.Sysctls {
		p := "/proc/sys/" + strings.ReplaceAll(k, ".", "/")
		if err := os.WriteFile(p, []byte(v), 0o644); err != nil {
			return fmt.Errorf("sysctl %s=%s: %w", k, v, err)
		}
	}
	return nil
}

func (s *supervisor) handle(r request) reply {
	switch r.Op {
	case "start":
		pid, err := s.start(r)
		if err != nil {
			return reply{Err: err.Error()}
		}
		return reply{Pid: pid}
	case "signal", "stop":
		c := s.find(r.Name)
		if c == nil {
			return reply{Err: "no process " + r.Name}
		}
		if r.Op == "signal" {
			if err := c.cmd.Process.Signal(syscall.Signal(r.Signal)); err != nil {
				return reply{Err: err.Error()}
			}
			return reply{Pid: c.cmd.Process.Pid}
		}
		stopChild(c, r.Grace)
		return reply{Pid: c.cmd.Process.Pid}
	}
	return reply{Err: "unknown op " + r.Op}
}

func (s *supervisor) start(r request) (int, error) {
	if len(r.Argv) == 0 {
		return 0, errors.New("start: empty command")
	}
	if c := s.find(r.Name); c != nil {
		select {
		case <-c.done:
		default:
			return 0, fmt.Errorf("%s is already running", r.Name)
		}
	}
	if err := os.MkdirAll(filepath.Join(s.spec.Dir, "logs"), 0o755); err != nil {
		return 0, err
	}
	f, err := os.OpenFile(filepath.Join(s.spec.Dir, "logs", r.Name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return 0, err
	}
	cmd := exec.Command(r.Argv[0], r.Argv[1:]...)
	cmd.Env = r.Env
	cmd.Stdout, cmd.Stderr = f, f
	// The process dies with the supervisor, whatever ends it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		_ = f.Close()
		return 0, fmt.Errorf("start %s: %w", r.Name, err)
	}
	c := &child{name: r.Name, cmd: cmd, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		_ = f.Close()
		close(c.done)
	}()
	s.mu.Lock()
	s.children = append(s.children, c)
	s.mu.Unlock()
	return cmd.Process.Pid, nil
}

func (s *supervisor) find(name string) *child {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.children) - 1; i >= 0; i-- {
		if s.children[i].name == name {
			return s.children[i]
		}
	}
	return nil
}

func stopChild(c *child, grace time.Duration) {
	select {
	case <-c.done:
		return
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(grace):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
}

// shutdown stops the node's processes newest first, kills whatever is
// left in the cgroup subtree (shims and containers, which are not the
// supervisor's children), unmounts what the node mounted under its
// directory and removes the directory and the cgroups.
func (s *supervisor) shutdown(log func(string, ...any)) {
	s.mu.Lock()
	children := append([]*child(nil), s.children...)
	s.mu.Unlock()
	for i := len(children) - 1; i >= 0; i-- {
		stopChild(children[i], 5*time.Second)
	}
	if n, err := killCgroup(s.spec.Cgroup, os.Getpid()); err != nil {
		log("kill the node's processes: %v", err)
	} else if n > 0 {
		log("killed %d processes left in %s", n, s.spec.Cgroup)
	}
	unmountUnder(s.spec.Dir)
	keep := ""
	if s.spec.KeepLogs {
		keep = filepath.Join(s.spec.Dir, "logs")
	}
	if err := removeExcept(s.spec.Dir, keep); err != nil {
		log("remove %s: %v", s.spec.Dir, err)
	}
	if err := removeCgroup(s.spec.Cgroup, true); err != nil {
		log("remove cgroup %s: %v", s.spec.Cgroup, err)
	}
}

// unmountUnder detaches every mount below dir, deepest first, so that
// removing dir cannot reach through a mount into anything else.
func unmountUnder(dir string) {
	for i := 0; i < 5; i++ {
		b, err := os.ReadFile("/proc/self/mountinfo")
		if err != nil {
			return
		}
		var points []string
		for _, line := range strings.Split(string(b), "\n") {
			f := strings.Fields(line)
			if len(f) > 4 && (f[4] == dir || strings.HasPrefix(f[4], dir+"/")) {
				points = append(points, f[4])
			}
		}
		if len(points) == 0 {
			return
		}
		for j := len(points) - 1; j >= 0; j-- {
			_ = unix.Unmount(points[j], unix.MNT_DETACH)
		}
	}
}

// removeExcept removes dir, or everything in it but keep.
func removeExcept(dir, keep string) error {
	if keep == "" {
		return os.RemoveAll(dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if p != keep {
			errs = append(errs, os.RemoveAll(p))
		}
	}
	return errors.Join(errs...)
}

// supervisorClient is the test's end of the supervisor.
type supervisorClient struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *json.Decoder
	mu   sync.Mutex
	done chan struct{}
	pid  int
}

// startSupervisor starts the test binary again as the supervisor, in new
// network and mount namespaces, and waits for its setup.
func startSupervisor(spec supervisorSpec, logPath string) (*supervisorClient, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), supervisorEnv+"="+string(raw))
	cmd.Stderr = logf
	// Setsid and no Pdeathsig: it outlives the test binary long enough
	// to clean up after it.
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags: syscall.CLONE_NEWNET | syscall.CLONE_NEWNS,
		Setsid:     true,
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the node supervisor: %w", err)
	}
	_ = logf.Close()
	c := &supervisorClient{cmd: cmd, in: in, out: json.NewDecoder(out), done: make(chan struct{})}
	var first reply
	if err := c.out.Decode(&first); err != nil {
		_ = in.Close()
		_ = cmd.Wait()
		b, _ := os.ReadFile(logPath)
		return nil, fmt.Errorf("the node supervisor did not start: %w\n%s", err, b)
	}
	go func() { _ = cmd.Wait(); close(c.done) }()
	if first.Err != "" {
		_ = in.Close()
		<-c.done
		return nil, fmt.Errorf("node supervisor: %s", first.Err)
	}
	c.pid = first.Pid
	return c, nil
}

func (c *supervisorClient) call(r request) (reply, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, err := json.Marshal(r)
	if err != nil {
		return reply{}, err
	}
	if _, err := c.in.Write(append(b, '\n')); err != nil {
		return reply{}, fmt.Errorf("node supervisor: %w", err)
	}
	var rep reply
	if err := c.out.Decode(&rep); err != nil {
		return reply{}, fmt.Errorf("node supervisor: %w", err)
	}
	if rep.Err != "" {
		return rep, errors.New(rep.Err)
	}
	return rep, nil
}

// stop ends the input, which shuts the node down, and waits for that.
func (c *supervisorClient) stop(limit time.Duration) error {
	_ = c.in.Close()
	select {
	case <-c.done:
		return nil
	case <-time.After(limit):
		_ = c.cmd.Process.Kill()
		<-c.done
		return fmt.Errorf("the node supervisor did not finish within %s and was killed", limit)
	}
}

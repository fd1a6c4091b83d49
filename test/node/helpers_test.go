package node

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
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/test/node/cluster"
)

// say prints a step or a figure; `make test-node` runs with -v so a
// person sees them as they happen.
func say(format string, args ...any) {
	fmt.Printf("node: "+format+"\n", args...)
}

func secs(d time.Duration) string { return fmt.Sprintf("%.1fs", d.Seconds()) }

func mib(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// eventually polls cond every 500ms until it holds or limit passes, and
// returns how long it took.
func eventually(t *testing.T, limit time.Duration, what string, cond func() (bool, string)) time.Duration {
	t.Helper()
	start := time.Now()
	last := ""
	for time.Since(start) < limit {
		ok, state := cond()
		if ok {
			return time.Since(start)
		}
		last = state
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("%s: not within %s; last seen: %s", what, limit, last)
	return 0
}

// echoServer stands in for a public-IP service such as api.ipify.org on
// the node's address: pods reach it through the pod network. It answers
// the address set last and records where requests came from, which tells
// the pod network (pod IPs) from the host network (the node's address).
type echoServer struct {
	URL string

	mu      sync.Mutex
	addr    string
	callers map[string]int
	srv     *http.Server
}

func startEcho(ln net.Listener, addr string) *echoServer {
	e := &echoServer{URL: "http://" + ln.Addr().String() + "/", addr: addr, callers: map[string]int{}}
	e.srv = &http.Server{Handler: e, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = e.srv.Serve(ln) }()
	return e
}

func (e *echoServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	e.mu.Lock()
	e.callers[host]++
	addr := e.addr
	e.mu.Unlock()
	_, _ = io.WriteString(w, addr+"\n")
}

// Set changes the answer and forgets the callers seen so far.
func (e *echoServer) Set(addr string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.addr = addr
	e.callers = map[string]int{}
}

// Callers are the source addresses of requests since the last Set.
func (e *echoServer) Callers() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for c := range e.callers {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

func (e *echoServer) Close() { _ = e.srv.Close() }

// pod is what the test reads of a pod.
type pod struct {
	Metadata struct {
		Name              string `json:"name"`
		UID               string `json:"uid"`
		DeletionTimestamp string `json:"deletionTimestamp"`
	} `json:"metadata"`
	Spec struct {
		HostNetwork     bool `json:"hostNetwork"`
		SecurityContext struct {
			RunAsUser *int64 `json:"runAsUser"`
		} `json:"securityContext"`
		Containers []struct {
			Image string   `json:"image"`
			Args  []string `json:"args"`
		} `json:"containers"`
	} `json:"spec"`
	Status struct {
		Phase      string `json:"phase"`
		PodIP      string `json:"podIP"`
		QOSClass   string `json:"qosClass"`
		Conditions []struct {
			Type   string `json:"type"`
			Status string `json:"status"`
		} `json:"conditions"`
		ContainerStatuses []struct {
			ContainerID  string `json:"containerID"`
			RestartCount int    `json:"restartCount"`
			Ready        bool   `json:"ready"`
		} `json:"containerStatuses"`
	} `json:"status"`
}

func (p pod) ready() bool {
	for _, c := range p.Status.Conditions {
		if c.Type == "Ready" {
			return c.Status == "True"
		}
	}
	return false
}

func (p pod) String() string {
	return fmt.Sprintf("%s(%s ready=%v ip=%s)", p.Metadata.Name, p.Status.Phase, p.ready(), p.Status.PodIP)
}

// pods lists the release's pods in ns that are not being deleted.
func pods(ctx context.Context, c *cluster.Cluster, ns, release string) ([]pod, error) {
	out, err := c.KubectlBytes(ctx, "", "get", "pods", "-n", ns, "-l", "app.kubernetes.io/instance="+release, "-o", "json")
	if err != nil {
		return nil, err
	}
	var list struct {
		Items []pod `json:"items"`
	}
	if err := json.Unmarshal(out, &list); err != nil {
		return nil, err
	}
	var live []pod
	for _, p := range list.Items {
		if p.Metadata.DeletionTimestamp == "" {
			live = append(live, p)
		}
	}
	return live, nil
}

// readyPods is a condition: exactly n pods of the release, all Ready.
func readyPods(ctx context.Context, c *cluster.Cluster, ns, release string, n int, got *[]pod) func() (bool, string) {
	return func() (bool, string) {
		ps, err := pods(ctx, c, ns, release)
		if err != nil {
			return false, err.Error()
		}
		ready := 0
		for _, p := range ps {
			if p.ready() {
				ready++
			}
		}
		*got = ps
		return len(ps) == n && ready == n, fmt.Sprintf("pods %v", ps)
	}
}

// leaseHolder returns the holder of the manager's leader election Lease.
func leaseHolder(ctx context.Context, c *cluster.Cluster, ns string) string {
	out, err := c.KubectlRun(ctx, "", "get", "lease", "ddns-operator.ddns.dev", "-n", ns, "-o", "jsonpath={.spec.holderIdentity}")
	if err != nil {
		return ""
	}
	return out
}

// podCgroup is the pod's directory in the memory hierarchy: the kubelet
// puts it under its cgroupRoot by QoS class.
func podCgroup(c *cluster.Cluster, p pod) (string, error) {
	base := filepath.Join("/sys/fs/cgroup/memory", c.CgroupRoot, "kubepods")
	for _, dir := range []string{
		filepath.Join(base, "burstable", "pod"+p.Metadata.UID),
		filepath.Join(base, "besteffort", "pod"+p.Metadata.UID),
		filepath.Join(base, "pod"+p.Metadata.UID),
	} {
		if _, err := os.Stat(dir); err == nil {
			return dir, nil
		}
	}
	return "", fmt.Errorf("no memory cgroup for pod %s under %s", p.Metadata.Name, base)
}

// managerPID is the manager process of the pod, found in its container's
// cgroup (the image has no shell to exec into).
func managerPID(c *cluster.Cluster, p pod) (int, error) {
	if len(p.Status.ContainerStatuses) == 0 {
		return 0, fmt.Errorf("pod %s has no container status", p.Metadata.Name)
	}
	_, id, _ := strings.Cut(p.Status.ContainerStatuses[0].ContainerID, "://")
	dir, err := podCgroup(c, p)
	if err != nil {
		return 0, err
	}
	b, err := os.ReadFile(filepath.Join(dir, id, "cgroup.procs"))
	if err != nil {
		return 0, err
	}
	f := strings.Fields(string(b))
	if len(f) != 1 {
		return 0, fmt.Errorf("container %s holds processes %v, want the manager alone", id, f)
	}
	return strconv.Atoi(f[0])
}

// procUIDs reads the real and effective user and group of a process.
func procIDs(pid int) (uid, gid string, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "", "", err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 3 {
			switch f[0] {
			case "Uid:":
				uid = f[1] + "/" + f[2]
			case "Gid:":
				gid = f[1] + "/" + f[2]
			}
		}
	}
	return uid, gid, nil
}

// rootMountOptions returns the mount options of the process's "/".
func rootMountOptions(pid int) (string, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/mountinfo", pid))
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 5 && fields[4] == "/" {
			return fields[5], nil
		}
	}
	return "", fmt.Errorf("no / in the mountinfo of %d", pid)
}

// memory is a pod's memory as its cgroup counts it.
type memory struct {
	// WorkingSet is usage minus inactive file pages: what the kubelet
	// evicts on and `kubectl top` shows (cAdvisor's working set).
	WorkingSet uint64
	// Usage is memory.usage_in_bytes, RSS and Cache memory.stat's
	// total_rss and total_cache.
	Usage, RSS, Cache uint64
	// Summary is the kubelet's own figure (/stats/summary), as
	// metrics-server reads it for `kubectl top`.
	Summary uint64
}

func (m memory) String() string {
	return fmt.Sprintf("working set %s (kubelet summary %s): rss %s + page cache %s", mib(m.WorkingSet), mib(m.Summary), mib(m.RSS), mib(m.Cache))
}

// podMemory reads the pod's memory from its cgroup and from the kubelet's
// summary API through the API server.
func podMemory(ctx context.Context, c *cluster.Cluster, p pod) (memory, error) {
	var m memory
	dir, err := podCgroup(c, p)
	if err != nil {
		return m, err
	}
	b, err := os.ReadFile(filepath.Join(dir, "memory.usage_in_bytes"))
	if err != nil {
		return m, err
	}
	if m.Usage, err = strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err != nil {
		return m, err
	}
	stat, err := os.ReadFile(filepath.Join(dir, "memory.stat"))
	if err != nil {
		return m, err
	}
	var inactiveFile uint64
	for _, line := range strings.Split(string(stat), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		v, _ := strconv.ParseUint(f[1], 10, 64)
		switch f[0] {
		case "total_inactive_file":
			inactiveFile = v
		case "total_rss":
			m.RSS = v
		case "total_cache":
			m.Cache = v
		}
	}
	m.WorkingSet = m.Usage
	if inactiveFile < m.WorkingSet {
		m.WorkingSet -= inactiveFile
	}
	raw, err := c.Get(ctx, "/api/v1/nodes/"+cluster.NodeName+"/proxy/stats/summary")
	if err != nil {
		return m, err
	}
	var summary struct {
		Pods []struct {
			PodRef struct {
				UID string `json:"uid"`
			} `json:"podRef"`
			Memory struct {
				WorkingSetBytes uint64 `json:"workingSetBytes"`
			} `json:"memory"`
		} `json:"pods"`
	}
	if err := json.Unmarshal(raw, &summary); err != nil {
		return m, err
	}
	for _, sp := range summary.Pods {
		if sp.PodRef.UID == p.Metadata.UID {
			m.Summary = sp.Memory.WorkingSetBytes
		}
	}
	return m, nil
}

// tool resolves a binary directory from the environment or by running
// the repo's script or make target that provides it.
func tool(t *testing.T, root, env string, cmd ...string) string {
	t.Helper()
	if v := os.Getenv(env); v != "" {
		if _, err := os.Stat(v); err != nil {
			t.Fatalf("%s=%s: %v", env, v, err)
		}
		return v
	}
	say("%s is not set: running %s (builds once per machine, then cached)", env, strings.Join(cmd, " "))
	c := exec.Command(cmd[0], cmd[1:]...)
	c.Dir = root
	c.Stderr = os.Stderr
	out, err := c.Output()
	if err != nil {
		t.Fatalf("%s: %v", strings.Join(cmd, " "), err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// aptInstall installs Debian packages the node needs when a file they
// provide is missing (as bindtest does for BIND), so a fresh machine runs
// the test; without root or apt it fails saying what to install.
func aptInstall(t *testing.T, files map[string]string) {
	t.Helper()
	var pkgs []string
	for file, pkg := range files {
		if _, err := os.Stat(file); err != nil {
			pkgs = append(pkgs, pkg)
		}
	}
	if len(pkgs) == 0 {
		return
	}
	slices.Sort(pkgs)
	if os.Geteuid() != 0 {
		t.Fatalf("missing %v and not root: apt-get install %s", files, strings.Join(pkgs, " "))
	}
	say("installing %s with apt-get (once per machine)", strings.Join(pkgs, " "))
	for _, args := range [][]string{
		{"-o", "DPkg::Lock::Timeout=300", "update", "-qq"},
		append([]string{"-o", "DPkg::Lock::Timeout=300", "install", "-y", "-qq", "--no-install-recommends"}, pkgs...),
	} {
		cmd := exec.Command("apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("apt-get %s: %v\n%s", strings.Join(args, " "), err, cluster.Tail(string(out), 2000))
		}
	}
}

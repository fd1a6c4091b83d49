// Package cluster starts a real single-node Kubernetes on this machine for
// the real-node test: etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler, kube-proxy (nftables) and a kubelet running pods through
// containerd 2 and runc, with the bridge CNI plugin. The binaries come from
// hack/setup-envtest.sh and hack/setup-node.sh (built from the Go module
// proxy), runc and the CNI plugins from Debian.
//
// Everything runs in a network namespace and a mount namespace created for
// the node, under one cgroup subtree, with its files in one temporary
// directory; a supervisor process (the test binary started again, see
// RunSupervisorIfAsked) owns them and removes them all when the test ends
// or dies. The test reaches the API server through a forwarder on
// 127.0.0.1 and opens its own servers inside the node's namespace (NetNS).
package cluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Options say where the binaries are.
type Options struct {
	// ControlPlane holds kube-apiserver, etcd and kubectl
	// (hack/setup-envtest.sh).
	ControlPlane string
	// Node holds kubelet, kube-controller-manager, kube-scheduler,
	// kube-proxy, containerd, containerd-shim-runc-v2 and ctr
	// (hack/setup-node.sh).
	Node string
	// Runc is the OCI runtime (Debian's runc).
	Runc string
	// CNIBin holds the CNI plugins (Debian's containernetworking-plugins).
	CNIBin string
	// PauseArchive is the sandbox image as an OCI archive named
	// PauseImage (see BuildPause).
	PauseArchive string
	// Log prints progress; nil prints nothing.
	Log func(format string, args ...any)
	// KeepLogs leaves the components' logs in Dir/logs after Stop.
	KeepLogs bool
}

// Cluster is a running node.
type Cluster struct {
	// Dir holds the node's files: pki, configs, logs, containerd and
	// kubelet state.
	Dir string
	// Kubeconfig is an admin (system:masters) kubeconfig that reaches the
	// API server through the forwarder on 127.0.0.1.
	Kubeconfig string
	// Kubectl is the kubectl binary matching the API server.
	Kubectl string
	// CgroupRoot is the kubelet's cgroupRoot: pods live in
	// CgroupRoot/kubepods/... in every hierarchy.
	CgroupRoot string
	// NetNS is the node's network namespace.
	NetNS *NetNS

	opts   Options
	sup    *supervisorClient
	apiFwd *Forwarder
	pki    *pki
	log    func(string, ...any)
}

// Start starts the node and returns once the Node is Ready. On error it
// stops what it started.
func Start(ctx context.Context, opts Options) (c *Cluster, err error) {
	c = &Cluster{opts: opts, log: opts.Log, Kubectl: filepath.Join(opts.ControlPlane, "kubectl")}
	if c.log == nil {
		c.log = func(string, ...any) {}
	}
	if err := checkHost(); err != nil {
		return nil, err
	}
	if err := checkBinaries(opts); err != nil {
		return nil, err
	}
	reapStale(c.log)
	if c.Dir, err = os.MkdirTemp("", "ddns-node-"); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			c.Stop()
		}
	}()
	// reapStale removes the directory of a run whose owner is gone.
	if err := os.WriteFile(filepath.Join(c.Dir, "owner"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return c, err
	}
	ip, err := lookPath("ip")
	if err != nil {
		return c, err
	}
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	c.CgroupRoot = path.Join(ParentCgroup(), fmt.Sprintf("ddns-node-%d-%s", os.Getpid(), hex.EncodeToString(suffix)))
	if err := c.writeFiles(); err != nil {
		return c, err
	}
	c.sup, err = startSupervisor(supervisorSpec{
		Dir:      c.Dir,
		Cgroup:   c.CgroupRoot,
		KeepLogs: opts.KeepLogs,
		Setup: [][]string{
			{ip, "link", "set", "lo", "up"},
			{ip, "addr", "add", NodeIP + "/32", "dev", "lo"},
			// Components that look for a default route find one, and
			// anything sent along it is dropped.
			{ip, "route", "add", "blackhole", "default"},
			// ClusterIPs need a route for the first lookup of a
			// connection from the node itself (hostNetwork pods);
			// kube-proxy's DNAT then sends it to a real endpoint.
			{ip, "route", "add", ServiceCIDR, "dev", "lo"},
		},
		Sysctls: map[string]string{"net.ipv4.ip_forward": "1"},
	}, filepath.Join(c.Dir, "supervisor.log"))
	if err != nil {
		return c, err
	}
	if c.NetNS, err = openNetNS(c.sup.pid); err != nil {
		return c, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return c, err
	}
	c.apiFwd = Forward(ln, func(ctx context.Context) (net.Conn, error) {
		return c.NetNS.DialContext(ctx, "tcp", "127.0.0.1:6443")
	})
	c.Kubeconfig = filepath.Join(c.Dir, "admin.kubeconfig")
	admin := filepath.Join(c.Dir, "pki", "admin")
	if err := c.pki.kubeconfig(c.Kubeconfig, "https://"+c.apiFwd.Addr(), "admin", admin+".crt", admin+".key"); err != nil {
		return c, err
	}
	for _, step := range []struct {
		what string
		run  func(context.Context) error
	}{
		{"etcd", c.startEtcd},
		{"kube-apiserver", c.startAPIServer},
		{"kube-controller-manager and kube-scheduler", c.startControllers},
		{"containerd", c.startContainerd},
		{"the pause image", c.importPause},
		{"kube-proxy and kubelet; waiting for the Node to be Ready", c.startKubelet},
	} {
		began := time.Now()
		if err := step.run(ctx); err != nil {
			return c, fmt.Errorf("%s: %w", step.what, err)
		}
		c.log("  %s: up in %.1fs", step.what, time.Since(began).Seconds())
	}
	return c, nil
}

// checkHost refuses, saying why, on a machine the harness cannot run a
// node on.
func checkHost() error {
	if os.Geteuid() != 0 {
		return errors.New("the real-node test needs root: it creates namespaces and cgroups and runs containerd and the kubelet")
	}
	_, err := hierarchies()
	return err
}

func checkBinaries(o Options) error {
	var missing []string
	for _, p := range []string{
		filepath.Join(o.ControlPlane, "kube-apiserver"), filepath.Join(o.ControlPlane, "etcd"), filepath.Join(o.ControlPlane, "kubectl"),
		filepath.Join(o.Node, "kubelet"), filepath.Join(o.Node, "kube-controller-manager"), filepath.Join(o.Node, "kube-scheduler"),
		filepath.Join(o.Node, "kube-proxy"), filepath.Join(o.Node, "containerd"), filepath.Join(o.Node, "containerd-shim-runc-v2"),
		filepath.Join(o.Node, "ctr"), o.Runc, filepath.Join(o.CNIBin, "bridge"), filepath.Join(o.CNIBin, "host-local"),
		filepath.Join(o.CNIBin, "loopback"), o.PauseArchive,
	} {
		if _, err := os.Stat(p); err != nil {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing: %s (hack/setup-envtest.sh, hack/setup-node.sh and apt-get install runc containernetworking-plugins nftables provide them)", strings.Join(missing, ", "))
	}
	return nil
}

// writeFiles writes the certificates, kubeconfigs and configurations.
func (c *Cluster) writeFiles() error {
	var err error
	if c.pki, err = newPKI(filepath.Join(c.Dir, "pki")); err != nil {
		return err
	}
	local := "https://127.0.0.1:6443"
	type identity struct {
		name, cn string
		orgs     []string
	}
	for _, id := range []identity{
		{"admin", "admin", []string{"system:masters"}},
		{"apiserver-kubelet-client", "kube-apiserver-kubelet-client", []string{"system:masters"}},
		{"controller-manager", "system:kube-controller-manager", nil},
		{"scheduler", "system:kube-scheduler", nil},
		{"kubelet", "system:node:" + NodeName, []string{"system:nodes"}},
		{"kube-proxy", "system:kube-proxy", nil},
	} {
		cert, key, err := c.pki.issue(certSpec{name: id.name, cn: id.cn, orgs: id.orgs, client: true})
		if err != nil {
			return err
		}
		if id.name != "admin" && id.name != "apiserver-kubelet-client" {
			if err := c.pki.kubeconfig(filepath.Join(c.Dir, id.name+".kubeconfig"), local, id.cn, cert, key); err != nil {
				return err
			}
		}
	}
	if _, _, err := c.pki.issue(certSpec{
		name: "apiserver", cn: "kube-apiserver", server: true,
		dns: []string{"kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "localhost"},
		ips: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP(NodeIP), net.ParseIP(APIServiceIP)},
	}); err != nil {
		return err
	}
	if _, _, err := c.pki.serviceAccountKeys(); err != nil {
		return err
	}
	for _, d := range []string{"cni/net.d", "cni/ipam", "containerd", "kubelet", "var-log/pods", "etcd"} {
		if err := os.MkdirAll(filepath.Join(c.Dir, d), 0o755); err != nil {
			return err
		}
	}
	data := configData{
		Dir: c.Dir, Bin: c.opts.Node, Runc: c.opts.Runc, CNIBin: c.opts.CNIBin, CgroupRoot: c.CgroupRoot,
		CA: c.pki.CAFile, NodeName: NodeName, NodeIP: NodeIP, PodCIDR: PodCIDR, ServiceCIDR: ServiceCIDR,
		PauseImage: PauseImage, ProxyKubeconfig: filepath.Join(c.Dir, "kube-proxy.kubeconfig"),
	}
	for file, text := range map[string]string{
		"containerd.toml":                 containerdConfig,
		"cni/net.d/10-ddns-node.conflist": cniConfig,
		"kubelet.yaml":                    kubeletConfig,
		"kube-proxy.yaml":                 kubeProxyConfig,
	} {
		if err := writeTemplate(filepath.Join(c.Dir, file), text, data); err != nil {
			return err
		}
	}
	// Pods' resolv.conf: cluster DNS is the node's address, where no
	// resolver answers; the operator uses addresses, not names.
	return os.WriteFile(filepath.Join(c.Dir, "resolv.conf"), []byte("nameserver "+NodeIP+"\n"), 0o644)
}

// run asks the supervisor to start a component, logging to
// Dir/logs/name.log.
func (c *Cluster) run(name string, env []string, argv ...string) error {
	base := []string{"PATH=" + c.opts.Node + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + c.Dir}
	_, err := c.sup.call(request{Op: "start", Name: name, Argv: argv, Env: append(base, env...)})
	return err
}

func (c *Cluster) startEtcd(ctx context.Context) error {
	if err := c.run("etcd", nil, filepath.Join(c.opts.ControlPlane, "etcd"),
		"--name=ddns-node", "--data-dir="+filepath.Join(c.Dir, "etcd"),
		"--listen-client-urls=http://127.0.0.1:2379", "--advertise-client-urls=http://127.0.0.1:2379",
		"--listen-peer-urls=http://127.0.0.1:2380", "--initial-advertise-peer-urls=http://127.0.0.1:2380",
		"--initial-cluster=ddns-node=http://127.0.0.1:2380", "--listen-metrics-urls=",
		// A test node: its data dies with it, fsync buys nothing.
		"--unsafe-no-fsync", "--log-level=warn",
	); err != nil {
		return err
	}
	hc := &http.Client{Transport: &http.Transport{DialContext: c.NetNS.DialContext}, Timeout: 2 * time.Second}
	return c.poll(ctx, 60*time.Second, "etcd", "etcd answers /health", func() error {
		resp, err := hc.Get("http://127.0.0.1:2379/health")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("/health: %s", resp.Status)
		}
		return nil
	})
}

func (c *Cluster) pkiPath(name string) string { return filepath.Join(c.Dir, "pki", name) }

func (c *Cluster) startAPIServer(ctx context.Context) error {
	if err := c.run("kube-apiserver", nil, filepath.Join(c.opts.ControlPlane, "kube-apiserver"),
		"--etcd-servers=http://127.0.0.1:2379",
		"--advertise-address="+NodeIP, "--bind-address=0.0.0.0", "--secure-port=6443",
		"--service-cluster-ip-range="+ServiceCIDR,
		"--tls-cert-file="+c.pkiPath("apiserver.crt"), "--tls-private-key-file="+c.pkiPath("apiserver.key"),
		"--client-ca-file="+c.pki.CAFile,
		"--kubelet-client-certificate="+c.pkiPath("apiserver-kubelet-client.crt"),
		"--kubelet-client-key="+c.pkiPath("apiserver-kubelet-client.key"),
		// The node's name resolves nowhere (no DNS in the namespace).
		"--kubelet-preferred-address-types=InternalIP",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file="+c.pkiPath("sa.pub"),
		"--service-account-signing-key-file="+c.pkiPath("sa.key"),
		"--authorization-mode=Node,RBAC",
		"--enable-admission-plugins=NodeRestriction",
		"--allow-privileged=true",
		"--profiling=false",
	); err != nil {
		return err
	}
	return c.poll(ctx, 120*time.Second, "kube-apiserver", "kube-apiserver answers /readyz", func() error {
		_, err := c.Get(ctx, "/readyz")
		return err
	})
}

func (c *Cluster) startControllers(ctx context.Context) error {
	kcm := filepath.Join(c.Dir, "controller-manager.kubeconfig")
	if err := c.run("kube-controller-manager", nil, filepath.Join(c.opts.Node, "kube-controller-manager"),
		"--kubeconfig="+kcm, "--authentication-kubeconfig="+kcm, "--authorization-kubeconfig="+kcm,
		"--bind-address=127.0.0.1", "--secure-port=10257", "--leader-elect=false",
		"--use-service-account-credentials=true",
		"--service-account-private-key-file="+c.pkiPath("sa.key"),
		"--root-ca-file="+c.pki.CAFile,
		"--cluster-signing-cert-file="+c.pkiPath("ca.crt"), "--cluster-signing-key-file="+c.pkiPath("ca.key"),
		"--allocate-node-cidrs=false", "--profiling=false",
	); err != nil {
		return err
	}
	sched := filepath.Join(c.Dir, "scheduler.kubeconfig")
	if err := c.run("kube-scheduler", nil, filepath.Join(c.opts.Node, "kube-scheduler"),
		"--kubeconfig="+sched, "--authentication-kubeconfig="+sched, "--authorization-kubeconfig="+sched,
		"--bind-address=127.0.0.1", "--secure-port=10259", "--leader-elect=false", "--profiling=false",
	); err != nil {
		return err
	}
	// The service account controller makes "default" in every namespace;
	// pods of new namespaces wait for it.
	return c.poll(ctx, 60*time.Second, "kube-controller-manager", "the default ServiceAccount exists", func() error {
		_, err := c.Get(ctx, "/api/v1/namespaces/default/serviceaccounts/default")
		return err
	})
}

func (c *Cluster) containerdSocket() string {
	return filepath.Join(c.Dir, "containerd", "containerd.sock")
}

func (c *Cluster) startContainerd(ctx context.Context) error {
	if err := c.run("containerd", nil, filepath.Join(c.opts.Node, "containerd"), "--config", filepath.Join(c.Dir, "containerd.toml")); err != nil {
		return err
	}
	return c.poll(ctx, 60*time.Second, "containerd", "containerd answers on its socket", func() error {
		_, err := c.Ctr(ctx, "version")
		return err
	})
}

func (c *Cluster) importPause(ctx context.Context) error {
	return c.ImportImage(ctx, c.opts.PauseArchive)
}

func (c *Cluster) startKubelet(ctx context.Context) error {
	if err := c.run("kube-proxy", nil, filepath.Join(c.opts.Node, "kube-proxy"), "--config="+filepath.Join(c.Dir, "kube-proxy.yaml")); err != nil {
		return err
	}
	if err := c.run("kubelet", nil, filepath.Join(c.opts.Node, "kubelet"),
		"--config="+filepath.Join(c.Dir, "kubelet.yaml"),
		"--kubeconfig="+filepath.Join(c.Dir, "kubelet.kubeconfig"),
		"--root-dir="+filepath.Join(c.Dir, "kubelet"),
		"--hostname-override="+NodeName, "--node-ip="+NodeIP,
		"--v=1",
	); err != nil {
		return err
	}
	return c.poll(ctx, 180*time.Second, "kubelet", "the Node is Ready", func() error {
		out, err := c.KubectlRun(ctx, "", "get", "node", NodeName, "-o", `jsonpath={.status.conditions[?(@.type=="Ready")].status} {.status.conditions[?(@.type=="Ready")].message}`)
		if err != nil {
			return err
		}
		if !strings.HasPrefix(out, "True") {
			return fmt.Errorf("the Node is not Ready: %s", out)
		}
		return nil
	})
}

// poll retries check every 250ms until it succeeds or limit passes,
// then fails with the last error and the tail of the component's log.
func (c *Cluster) poll(ctx context.Context, limit time.Duration, component, what string, check func() error) error {
	deadline := time.Now().Add(limit)
	var last error
	for {
		if last = check(); last == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: not within %s: %w\n--- %s log (tail) ---\n%s", what, limit, last, component, Tail(c.Log(component), 3000))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// Get fetches an API path as the admin.
func (c *Cluster) Get(ctx context.Context, apiPath string) ([]byte, error) {
	return c.KubectlBytes(ctx, "", "get", "--raw", apiPath)
}

// KubectlRun runs kubectl as the admin with stdin, returning its trimmed
// combined output.
func (c *Cluster) KubectlRun(ctx context.Context, stdin string, args ...string) (string, error) {
	b, err := c.KubectlBytes(ctx, stdin, args...)
	return strings.TrimSpace(string(b)), err
}

// KubectlBytes runs kubectl as the admin with stdin, returning its
// combined output.
func (c *Cluster) KubectlBytes(ctx context.Context, stdin string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.Kubectl, append([]string{"--kubeconfig", c.Kubeconfig}, args...)...)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("kubectl %s: %w: %s", strings.Join(args, " "), err, Tail(string(out), 2000))
	}
	return out, nil
}

// Ctr runs containerd's ctr in the k8s.io namespace (the CRI's).
func (c *Cluster) Ctr(ctx context.Context, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(c.opts.Node, "ctr"), append([]string{"--address", c.containerdSocket(), "--namespace", "k8s.io"}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("ctr %s: %w: %s", strings.Join(args, " "), err, Tail(string(out), 2000))
	}
	return string(out), nil
}

// ImportImage imports an OCI archive into containerd's CRI namespace,
// under the name its index records, as `ctr images import` does for an
// air-gapped node; pods then use it with imagePullPolicy IfNotPresent.
func (c *Cluster) ImportImage(ctx context.Context, archive string) error {
	_, err := c.Ctr(ctx, "images", "import", "--platform", "linux/"+runtime.GOARCH, archive)
	return err
}

// Log returns a component's log so far.
func (c *Cluster) Log(name string) string {
	b, _ := os.ReadFile(filepath.Join(c.Dir, "logs", name+".log"))
	return string(b)
}

// Components lists the node's processes, in start order.
var Components = []string{"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "containerd", "kube-proxy", "kubelet"}

// Stop shuts the node down and removes what it made (the supervisor does
// the work; see the package comment).
func (c *Cluster) Stop() {
	if c.apiFwd != nil {
		c.apiFwd.Close()
	}
	if c.NetNS != nil {
		_ = c.NetNS.Close()
	}
	if c.sup != nil {
		if err := c.sup.stop(90 * time.Second); err != nil {
			c.log("%v", err)
		}
		if b, err := os.ReadFile(filepath.Join(c.Dir, "supervisor.log")); err == nil && len(b) > 0 {
			c.log("supervisor: %s", Tail(string(b), 2000))
		}
	}
	if !c.opts.KeepLogs && c.Dir != "" {
		_ = os.RemoveAll(c.Dir)
	}
}

// reapStale cleans up after a run whose test binary and supervisor were
// both killed: its cgroup (and the processes in it) and its directory.
// Runs are told apart by the test binary's PID in their names.
func reapStale(log func(string, ...any)) {
	hs, err := allHierarchies()
	if err != nil {
		return
	}
	parent := ParentCgroup()
	stale := map[string]bool{}
	for _, mp := range hs {
		entries, _ := os.ReadDir(filepath.Join(mp, parent))
		for _, e := range entries {
			if pid, ok := runPID(e.Name()); ok && !pidAlive(pid) {
				stale[path.Join(parent, e.Name())] = true
			}
		}
	}
	for p := range stale {
		n, err := killCgroup(p, os.Getpid())
		log("  reaping a previous run's node %s: killed %d processes (%v)", p, n, err)
		if err := removeCgroup(p, false); err != nil {
			log("  %v", err)
		}
	}
	tmp, _ := os.ReadDir(os.TempDir())
	for _, e := range tmp {
		if !strings.HasPrefix(e.Name(), "ddns-node-") {
			continue
		}
		dir := filepath.Join(os.TempDir(), e.Name())
		if b, err := os.ReadFile(filepath.Join(dir, "owner")); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && !pidAlive(pid) {
				log("  removing a previous run's directory %s", dir)
				_ = os.RemoveAll(dir)
			}
		}
	}
}

// lookPath finds a system tool also where PATH lacks the sbin
// directories.
func lookPath(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, d := range []string{"/usr/sbin", "/sbin", "/usr/bin", "/bin"} {
		if p := filepath.Join(d, name); fileExists(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found", name)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// runPID reads the test binary's PID from "ddns-node-PID-RANDOM".
func runPID(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, "ddns-node-")
	if !ok {
		return 0, false
	}
	p, _, _ := strings.Cut(rest, "-")
	pid, err := strconv.Atoi(p)
	return pid, err == nil
}

func pidAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// Tail returns the last n bytes of s.
func Tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

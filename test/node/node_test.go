// Package node runs the operator the way users do: the release image built
// by `make image`, imported into containerd on a real single-node
// Kubernetes (kubelet, containerd, runc, kube-proxy, the control plane;
// see the cluster package), installed, upgraded and uninstalled with the
// helm CLI, records created with kubectl, DNS served by a real BIND over
// RFC 2136, and the egress address detected from inside the pod through
// the pod network. Every step prints what it proved and how long it took.
package node

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/ddns-operator/ddns-operator/providers/rfc2136/bindtest"
	"github.com/ddns-operator/ddns-operator/test/node/cluster"
)

const (
	zone      = "example.test"
	home      = "home.example.test"
	release   = "ddns-operator"
	namespace = "ddns-system"
	apps      = "apps"
	repo      = "ghcr.io/ddns-operator/ddns-operator"
	echoPort  = "8053"
	addr1     = "81.2.69.170"
	addr2     = "81.2.69.171"
	addr3     = "81.2.69.172"
	addr4     = "81.2.69.173"
	// bulkRecords is the second memory figure's record count.
	bulkRecords = 100
	// change bounds an address change reaching DNS: one detection
	// interval (10s) and a reconcile, with room for a busy machine.
	change = 60 * time.Second
)

// suite is the running system and what the steps measured.
type suite struct {
	t        *testing.T
	root     string
	work     string
	c        *cluster.Cluster
	dns      *bindtest.Server
	echo     *echoServer
	helmBin  string
	dig      string
	figures  []string
	memories map[string]memory
}

func TestNode(t *testing.T) {
	ctx := context.Background()
	began := time.Now()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	s := &suite{t: t, root: root, work: t.TempDir(), memories: map[string]memory{}}

	step := time.Now()
	say("preparing: Debian packages, control-plane and node binaries, helm, two images and the pause image")
	aptInstall(t, map[string]string{"/usr/sbin/runc": "runc", "/usr/lib/cni/bridge": "containernetworking-plugins", "/usr/sbin/nft": "nftables"})
	assets := tool(t, root, "KUBEBUILDER_ASSETS", "hack/setup-envtest.sh")
	nodeBin := tool(t, root, "NODE_BIN", "hack/setup-node.sh")
	s.helmBin = tool(t, root, "NODE_HELM", "make", "--no-print-directory", "-s", "helm")
	if s.dig, err = bindtest.FindDig(); err != nil {
		t.Fatal(err)
	}
	imageA := s.buildImage("node-a")
	imageB := s.buildImage("node-b")
	pause := filepath.Join(s.work, "pause.oci.tar")
	if err := cluster.BuildPause(ctx, root, pause); err != nil {
		t.Fatal(err)
	}
	say("  prepared in %s", secs(time.Since(step)))

	step = time.Now()
	say("starting BIND 9 on 127.0.0.1 and a single-node Kubernetes (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, containerd, kube-proxy, kubelet)")
	if s.dns, err = bindtest.Start(bindtest.Config{Zones: []string{zone}, Dir: filepath.Join(s.work, "bind")}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.dns.Stop)
	s.c, err = cluster.Start(ctx, cluster.Options{
		ControlPlane: assets, Node: nodeBin, Runc: "/usr/sbin/runc", CNIBin: "/usr/lib/cni",
		PauseArchive: pause, Log: say,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.c.Stop)
	t.Cleanup(s.dumpOnFailure)
	// The echo service and the way to BIND sit on the node's address:
	// pods reach them through the pod network, as they would reach a
	// service on the internet and a DNS server on the LAN.
	echoLn, err := s.c.NetNS.Listen("tcp", net.JoinHostPort(cluster.NodeIP, echoPort))
	if err != nil {
		t.Fatal(err)
	}
	s.echo = startEcho(echoLn, addr1)
	t.Cleanup(s.echo.Close)
	dnsLn, err := s.c.NetNS.Listen("tcp", net.JoinHostPort(cluster.NodeIP, "53"))
	if err != nil {
		t.Fatal(err)
	}
	relay := cluster.Forward(dnsLn, func(ctx context.Context) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "tcp", s.dns.Addr)
	})
	t.Cleanup(relay.Close)
	say("  node Ready in %s; echo service at %s, BIND reached at %s:53 (relayed to %s)", secs(time.Since(step)), s.echo.URL, cluster.NodeIP, s.dns.Addr)

	s.install(ctx, imageA)
	s.firstRecord(ctx)
	s.replacePod(ctx)
	s.twoReplicas(ctx)
	s.bulk(ctx)
	s.upgrade(ctx, imageB)
	s.uninstall(ctx)
	s.hostNetwork(ctx)

	say("figures:")
	for _, f := range s.figures {
		say("  %s", f)
	}
	if out := os.Getenv("NODE_BENCH_OUT"); out != "" {
		if err := s.writeBenchmarks(out); err != nil {
			t.Fatal(err)
		}
	}
	say("passed in %s", secs(time.Since(began)))
}

// buildImage runs `make image` for this machine's architecture, as a
// release does for all three, into the test's directory.
func (s *suite) buildImage(tag string) string {
	s.t.Helper()
	began := time.Now()
	archive := filepath.Join(s.work, tag+".oci.tar")
	cmd := exec.Command("make", "--no-print-directory", "image",
		"IMAGE_PLATFORMS=linux/"+runtime.GOARCH, "IMG="+repo+":"+tag, "VERSION="+tag,
		"IMAGE_ARCHIVE="+archive, "BUILD_DIR="+filepath.Join(s.work, "bin-"+tag))
	cmd.Dir = s.root
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("make image: %v\n%s", err, out)
	}
	say("  make image %s:%s in %s", repo, tag, secs(time.Since(began)))
	return archive
}

// helm runs the helm CLI against the node, with its own config and cache
// directories.
func (s *suite) helm(ctx context.Context, args ...string) string {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.helmBin, append(args, "--kubeconfig", s.c.Kubeconfig)...)
	cmd.Dir = s.root
	home := filepath.Join(s.work, "helm")
	cmd.Env = append(os.Environ(), "HELM_CONFIG_HOME="+home+"/config", "HELM_CACHE_HOME="+home+"/cache", "HELM_DATA_HOME="+home+"/data")
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("helm %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (s *suite) kubectl(ctx context.Context, stdin string, args ...string) string {
	s.t.Helper()
	out, err := s.c.KubectlRun(ctx, stdin, args...)
	if err != nil {
		s.t.Fatal(err)
	}
	return out
}

// valuesFile is what a user of this node writes: the image, and the echo
// service as the only IPv4 source (the node has no internet).
func (s *suite) valuesFile(tag string) string {
	s.t.Helper()
	p := filepath.Join(s.work, "values-"+tag+".yaml")
	v := fmt.Sprintf(`image:
  repository: %s
  tag: %s
detector:
  interval: 10s
  policy: first
  ipv4:
    sources: ["http://%s:%s/"]
  ipv6:
    enabled: false
`, repo, tag, cluster.NodeIP, echoPort)
	if err := os.WriteFile(p, []byte(v), 0o644); err != nil {
		s.t.Fatal(err)
	}
	return p
}

func (s *suite) install(ctx context.Context, image string) {
	t := s.t
	say("step 1: import the image into containerd; helm install into %s (Pod Security: restricted, enforced)", namespace)
	began := time.Now()
	if err := s.c.ImportImage(ctx, image); err != nil {
		t.Fatal(err)
	}
	say("  ctr images import in %s", secs(time.Since(began)))
	s.kubectl(ctx, "", "create", "namespace", namespace)
	s.kubectl(ctx, "", "label", "namespace", namespace,
		"pod-security.kubernetes.io/enforce=restricted", "pod-security.kubernetes.io/enforce-version=latest",
		"pod-security.kubernetes.io/warn=restricted", "pod-security.kubernetes.io/audit=restricted")
	began = time.Now()
	out := s.helm(ctx, "install", release, "charts/ddns-operator", "-n", namespace, "-f", s.valuesFile("node-a"), "--wait", "--timeout", "3m")
	if strings.Contains(out, "PodSecurity") || strings.Contains(strings.ToLower(out), "warning") {
		t.Fatalf("helm install printed a warning:\n%s", out)
	}
	var ps []pod
	eventually(t, 2*time.Minute, "the manager pod is Ready", readyPods(ctx, s.c, namespace, release, 1, &ps))
	say("  helm install --wait returned and the pod %s is Ready in %s, no Pod Security warning", ps[0].Metadata.Name, secs(time.Since(began)))
	// The namespace would refuse the pod if it broke the restricted
	// profile; a server-side dry run of the label reports existing pods
	// that would.
	if out := s.kubectl(ctx, "", "label", "--dry-run=server", "--overwrite", "namespace", namespace, "pod-security.kubernetes.io/enforce=restricted"); strings.Contains(strings.ToLower(out), "warning") {
		t.Fatalf("running pods violate the restricted profile: %s", out)
	}
	s.checkProcess(ps[0], "65532")
	if ps[0].Spec.HostNetwork || !strings.HasPrefix(ps[0].Status.PodIP, "10.201.") {
		t.Fatalf("pod %v is not on the pod network %s", ps[0], cluster.PodCIDR)
	}
}

// checkProcess reads the manager process from the host: its user and
// group (both want, real and effective), and a read-only root file
// system.
func (s *suite) checkProcess(p pod, want string) {
	t := s.t
	pid, err := managerPID(s.c, p)
	if err != nil {
		t.Fatal(err)
	}
	uid, gid, err := procIDs(pid)
	if err != nil {
		t.Fatal(err)
	}
	if uid != want+"/"+want || gid != want+"/"+want {
		t.Fatalf("manager runs as uid %s gid %s, want %s", uid, gid, want)
	}
	opts, err := rootMountOptions(pid)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(strings.Split(opts, ","), "ro") {
		t.Fatalf("the manager's / is mounted %s, want read-only", opts)
	}
	say("  manager (host pid %d) runs as uid %s gid %s (real/effective) with / mounted %s", pid, uid, gid, opts)
}

func (s *suite) secretAndRecord(ctx context.Context, ns, name, domain string) string {
	k := s.dns.Keys["hmac-sha256"]
	return fmt.Sprintf(`apiVersion: v1
kind: Secret
metadata: {name: bind-tsig, namespace: %[1]s}
stringData:
  tsigKeyName: %[4]s
  tsigSecret: %[5]s
  tsigAlgorithm: %[6]s
---
%[7]s`, ns, name, domain, k.Name, k.Secret, k.Algorithm, recordYAML(ns, name, domain))
}

func recordYAML(ns, name, domain string) string {
	return fmt.Sprintf(`apiVersion: ddns.dev/v1alpha1
kind: DynamicDNSRecord
metadata: {name: %s, namespace: %s}
spec:
  domain: %s
  type: A
  ttl: 60
  provider: rfc2136
  secretRef: {name: bind-tsig}
  rfc2136: {server: "%s:53"}
`, name, ns, domain, cluster.NodeIP)
}

func (s *suite) firstRecord(ctx context.Context) {
	t := s.t
	say("step 2: kubectl apply a Secret (TSIG key) and a DynamicDNSRecord; kubectl wait --for=condition=Ready")
	s.kubectl(ctx, "", "create", "namespace", apps)
	began := time.Now()
	s.kubectl(ctx, s.secretAndRecord(ctx, apps, "home", home), "apply", "-f", "-")
	if _, err := s.c.KubectlRun(ctx, "", "wait", "--for=condition=Ready", "ddns/home", "-n", apps, "--timeout=120s"); err != nil {
		t.Fatal(err)
	}
	say("  kubectl wait --for=condition=Ready ddns/home returned after %s", secs(time.Since(began)))
	s.waitAnswer(ctx, addr1, 30*time.Second)
	s.exactlyOne(addr1)
	ps, err := pods(ctx, s.c, namespace, release)
	if err != nil {
		t.Fatal(err)
	}
	callers := s.echo.Callers()
	if len(callers) == 0 || !slices.Equal(callers, []string{ps[0].Status.PodIP}) {
		t.Fatalf("the echo service was called from %v, want only the pod's address %s (the pod network)", callers, ps[0].Status.PodIP)
	}
	say("  dig answers %s; the echo service saw the pod's own address %s, so detection went through the pod network", addr1, ps[0].Status.PodIP)
	// Idle: a few detection intervals with nothing to do.
	time.Sleep(25 * time.Second)
	s.measure(ctx, ps[0], "idle, 1 record")
}

func (s *suite) measure(ctx context.Context, p pod, what string) {
	var m memory
	// The kubelet's summary has a new pod only after its next stats
	// collection.
	eventually(s.t, time.Minute, "the kubelet reports the pod's memory", func() (bool, string) {
		var err error
		m, err = podMemory(ctx, s.c, p)
		if err != nil {
			return false, err.Error()
		}
		return m.Summary > 0, "no figure for the pod in /stats/summary yet"
	})
	s.memories[what] = m
	s.figures = append(s.figures, fmt.Sprintf("pod memory, %s: %s", what, m))
	say("  pod memory, %s: %s", what, m)
}

// lookup asks BIND for home's A records with dig.
func (s *suite) lookup(ctx context.Context, name string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, s.dig, "@127.0.0.1", "-p", fmt.Sprint(s.dns.Port), name, "A", "+short", "+tries=1", "+time=2").Output()
	if err != nil {
		return nil, fmt.Errorf("dig %s: %w", name, err)
	}
	got := strings.Fields(string(out))
	slices.Sort(got)
	return got, nil
}

func (s *suite) waitAnswer(ctx context.Context, want string, limit time.Duration) time.Duration {
	return eventually(s.t, limit, "dig answers "+want, func() (bool, string) {
		got, err := s.lookup(ctx, home)
		if err != nil {
			return false, err.Error()
		}
		return slices.Equal(got, []string{want}), fmt.Sprintf("dig answered %v", got)
	})
}

// exactlyOne reads home's A records by zone transfer (the server's own
// view) and fails unless there is exactly one, of value.
func (s *suite) exactlyOne(value string) {
	s.t.Helper()
	rrs, err := s.dns.Records(zone, home, dns.TypeA)
	if err != nil {
		s.t.Fatalf("zone transfer: %v", err)
	}
	var got []string
	for _, rr := range rrs {
		got = append(got, rr.(*dns.A).A.String())
	}
	if len(got) != 1 || got[0] != value {
		s.t.Fatalf("the zone holds A %v for %s, want exactly [%s]", got, home, value)
	}
}

func (s *suite) replacePod(ctx context.Context) {
	t := s.t
	ps, err := pods(ctx, s.c, namespace, release)
	if err != nil || len(ps) != 1 {
		t.Fatalf("pods: %v %v", ps, err)
	}
	old := ps[0].Metadata.Name
	if h := leaseHolder(ctx, s.c, namespace); !strings.HasPrefix(h, old) {
		t.Fatalf("lease held by %q, want the pod %s", h, old)
	}
	say("step 3: kill the manager's pod (kubectl delete pod %s) while the public address changes %s -> %s", old, addr1, addr2)
	began := time.Now()
	s.kubectl(ctx, "", "delete", "pod", old, "-n", namespace, "--wait=false")
	s.echo.Set(addr2)
	eventually(t, 2*time.Minute, "the Deployment replaces the pod", func() (bool, string) {
		ok, state := readyPods(ctx, s.c, namespace, release, 1, &ps)()
		return ok && ps[0].Metadata.Name != old, state
	})
	say("  replacement %s Ready after %s", ps[0].Metadata.Name, secs(time.Since(began)))
	eventually(t, time.Minute, "the lease moves to the new pod", func() (bool, string) {
		h := leaseHolder(ctx, s.c, namespace)
		return strings.HasPrefix(h, ps[0].Metadata.Name), "holder " + h
	})
	say("  lease ddns-operator.ddns.dev now held by %s (%s after the kill)", ps[0].Metadata.Name, secs(time.Since(began)))
	s.waitAnswer(ctx, addr2, change)
	s.exactlyOne(addr2)
	say("  dig answers %s %s after the kill; the zone holds exactly one A record", addr2, secs(time.Since(began)))
}

func (s *suite) twoReplicas(ctx context.Context) {
	t := s.t
	say("step 4: helm upgrade --set replicaCount=2; the leader's process is killed (SIGKILL, no lease release) while the address changes %s -> %s", addr2, addr3)
	began := time.Now()
	s.helm(ctx, "upgrade", release, "charts/ddns-operator", "-n", namespace, "--reuse-values", "--set", "replicaCount=2", "--wait", "--timeout", "3m")
	var ps []pod
	eventually(t, 2*time.Minute, "two pods Ready", readyPods(ctx, s.c, namespace, release, 2, &ps))
	leader := leaseHolder(ctx, s.c, namespace)
	var lead, standby pod
	for _, p := range ps {
		if strings.HasPrefix(leader, p.Metadata.Name) {
			lead = p
		} else {
			standby = p
		}
	}
	if lead.Metadata.Name == "" || standby.Metadata.Name == "" {
		t.Fatalf("lease holder %q is not one of %v", leader, ps)
	}
	say("  two pods Ready in %s; leader %s, standby %s", secs(time.Since(began)), lead.Metadata.Name, standby.Metadata.Name)
	pid, err := managerPID(s.c, lead)
	if err != nil {
		t.Fatal(err)
	}
	began = time.Now()
	if err := killPID(pid); err != nil {
		t.Fatal(err)
	}
	s.echo.Set(addr3)
	// The lease passes to another process once it expires: the standby,
	// or the killed container restarted by the kubelet, which competes
	// under a new identity (pod name and a per-process UUID).
	var holder string
	eventually(t, 90*time.Second, "another process takes the lease", func() (bool, string) {
		holder = leaseHolder(ctx, s.c, namespace)
		return holder != "" && holder != leader, "holder " + holder
	})
	who := "the standby " + standby.Metadata.Name
	if !strings.HasPrefix(holder, standby.Metadata.Name) {
		who = "the killed container, restarted by the kubelet (" + lead.Metadata.Name + ")"
	}
	say("  %s took the lease %s after the leader was killed (lease duration 15s)", who, secs(time.Since(began)))
	s.waitAnswer(ctx, addr3, change)
	s.exactlyOne(addr3)
	say("  dig answers %s; exactly one A record", addr3)
	eventually(t, 2*time.Minute, "the killed container restarts and both pods are Ready", func() (bool, string) {
		ok, state := readyPods(ctx, s.c, namespace, release, 2, &ps)()
		restarted := false
		for _, p := range ps {
			if p.Metadata.Name == lead.Metadata.Name && len(p.Status.ContainerStatuses) > 0 && p.Status.ContainerStatuses[0].RestartCount > 0 {
				restarted = true
			}
		}
		return ok && restarted, state
	})
	say("  the killed container was restarted in place by the kubelet; both pods Ready again")
	s.helm(ctx, "upgrade", release, "charts/ddns-operator", "-n", namespace, "--reuse-values", "--set", "replicaCount=1", "--wait", "--timeout", "3m")
	eventually(t, 2*time.Minute, "back to one pod", readyPods(ctx, s.c, namespace, release, 1, &ps))
}

func (s *suite) bulk(ctx context.Context) {
	t := s.t
	say("step 5: %d more records (namespace bulk); pod memory with them", bulkRecords)
	s.kubectl(ctx, "", "create", "namespace", "bulk")
	var b strings.Builder
	b.WriteString(s.secretAndRecord(ctx, "bulk", "r000", "r000."+zone))
	for i := 1; i < bulkRecords; i++ {
		name := fmt.Sprintf("r%03d", i)
		b.WriteString("---\n" + recordYAML("bulk", name, name+"."+zone))
	}
	began := time.Now()
	s.kubectl(ctx, b.String(), "apply", "-f", "-")
	if _, err := s.c.KubectlRun(ctx, "", "wait", "--for=condition=Ready", "ddns", "--all", "-n", "bulk", "--timeout=300s"); err != nil {
		t.Fatal(err)
	}
	say("  %d records Ready in %s", bulkRecords, secs(time.Since(began)))
	time.Sleep(25 * time.Second)
	ps, err := pods(ctx, s.c, namespace, release)
	if err != nil || len(ps) != 1 {
		t.Fatalf("pods: %v %v", ps, err)
	}
	s.measure(ctx, ps[0], fmt.Sprintf("%d records", bulkRecords+1))
}

func (s *suite) upgrade(ctx context.Context, image string) {
	t := s.t
	say("step 6: upgrade as docs/install.md says: CRDs with kubectl apply --server-side, then helm upgrade to image node-b with logging.level=debug and the image's own user")
	if err := s.c.ImportImage(ctx, image); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	s.kubectl(ctx, "", "apply", "--server-side", "-f", filepath.Join(s.root, "charts", "ddns-operator", "crds"))
	s.helm(ctx, "upgrade", release, "charts/ddns-operator", "-n", namespace, "--reuse-values",
		"--set", "image.tag=node-b", "--set", "logging.level=debug",
		// No runAsUser/runAsGroup: the kubelet runs the image's USER and
		// checks runAsNonRoot against it.
		"--set", "podSecurityContext.runAsUser=null", "--set", "podSecurityContext.runAsGroup=null",
		"--wait", "--timeout", "3m")
	var ps []pod
	eventually(t, 2*time.Minute, "the upgraded pod is Ready", func() (bool, string) {
		ok, state := readyPods(ctx, s.c, namespace, release, 1, &ps)()
		return ok && strings.HasSuffix(ps[0].Spec.Containers[0].Image, ":node-b"), state
	})
	if u := ps[0].Spec.SecurityContext.RunAsUser; u != nil {
		t.Fatalf("the upgraded pod still sets runAsUser %d; want the image's USER to apply", *u)
	}
	if !slices.Contains(ps[0].Spec.Containers[0].Args, "--log-level=debug") {
		t.Fatalf("the upgraded pod's args %v lack --log-level=debug", ps[0].Spec.Containers[0].Args)
	}
	logs := s.kubectl(ctx, "", "logs", ps[0].Metadata.Name, "-n", namespace)
	if !strings.Contains(logs, `"version":"node-b"`) {
		t.Fatalf("the new pod does not run the node-b build; its log:\n%s", cluster.Tail(logs, 2000))
	}
	say("  %s runs image :node-b (the manager logs version node-b) with --log-level=debug, %s after the upgrade began", ps[0].Metadata.Name, secs(time.Since(began)))
	s.checkProcess(ps[0], "65532")
	if _, err := s.c.KubectlRun(ctx, "", "wait", "--for=condition=Ready", "ddns", "--all", "-A", "--timeout=120s"); err != nil {
		t.Fatal(err)
	}
	s.waitAnswer(ctx, addr3, 10*time.Second)
	s.exactlyOne(addr3)
	say("  every record still Ready; dig still answers %s", addr3)
}

func (s *suite) uninstall(ctx context.Context) {
	t := s.t
	say("step 7: helm uninstall: CRDs and records stay (Retain), as docs/install.md says")
	began := time.Now()
	s.helm(ctx, "uninstall", release, "-n", namespace, "--wait", "--timeout", "3m")
	var ps []pod
	eventually(t, 2*time.Minute, "the manager's pods are gone", func() (bool, string) {
		_, state := readyPods(ctx, s.c, namespace, release, 0, &ps)()
		return len(ps) == 0, state
	})
	s.kubectl(ctx, "", "get", "crd", "dynamicdnsrecords.ddns.dev")
	n := s.kubectl(ctx, "", "get", "ddns", "-A", "--no-headers", "-o", "name")
	if got := len(strings.Fields(n)); got != bulkRecords+1 {
		t.Fatalf("%d DynamicDNSRecords left after uninstall, want %d", got, bulkRecords+1)
	}
	s.waitAnswer(ctx, addr3, 5*time.Second)
	s.exactlyOne(addr3)
	say("  uninstalled in %s: the CRD and all %d records remain, dig still answers %s", secs(time.Since(began)), bulkRecords+1, addr3)
}

func (s *suite) hostNetwork(ctx context.Context) {
	t := s.t
	const ns, rel = "ddns-hostnet", "ddns-hostnet"
	say("step 8: helm install with hostNetwork: true into %s (privileged: host namespaces are outside every other Pod Security level)", ns)
	s.kubectl(ctx, "", "create", "namespace", ns)
	s.kubectl(ctx, "", "label", "namespace", ns, "pod-security.kubernetes.io/enforce=privileged")
	began := time.Now()
	s.echo.Set(addr4)
	s.helm(ctx, "install", rel, "charts/ddns-operator", "-n", ns, "-f", s.valuesFile("node-b"), "--set", "hostNetwork=true", "--wait", "--timeout", "3m")
	var ps []pod
	eventually(t, 2*time.Minute, "the hostNetwork pod is Ready", readyPods(ctx, s.c, ns, rel, 1, &ps))
	if !ps[0].Spec.HostNetwork || ps[0].Status.PodIP != cluster.NodeIP {
		t.Fatalf("pod %v is not on the node's network", ps[0])
	}
	s.waitAnswer(ctx, addr4, change)
	s.exactlyOne(addr4)
	if callers := s.echo.Callers(); !slices.Equal(callers, []string{cluster.NodeIP}) {
		t.Fatalf("the echo service was called from %v, want only the node's address %s", callers, cluster.NodeIP)
	}
	say("  pod on the node's network (%s); dig answers %s %s after install; the echo service saw only the node's address", ps[0].Status.PodIP, addr4, secs(time.Since(began)))
	time.Sleep(25 * time.Second)
	s.measure(ctx, ps[0], fmt.Sprintf("hostNetwork, %d records", bulkRecords+1))
	s.helm(ctx, "uninstall", rel, "-n", ns, "--wait", "--timeout", "3m")
}

// dumpOnFailure prints what explains a failure: pods, events, the
// manager's and the node components' logs.
func (s *suite) dumpOnFailure() {
	if !s.t.Failed() || s.c == nil {
		return
	}
	ctx := context.Background()
	for _, args := range [][]string{
		{"get", "pods", "-A", "-o", "wide"},
		{"get", "events", "-A", "--sort-by=.lastTimestamp"},
		{"get", "ddns", "-A"},
		{"logs", "-n", namespace, "-l", "app.kubernetes.io/name=ddns-operator", "--tail=80", "--prefix"},
		{"logs", "-n", "ddns-hostnet", "-l", "app.kubernetes.io/name=ddns-operator", "--tail=80", "--prefix"},
	} {
		out, _ := s.c.KubectlRun(ctx, "", args...)
		s.t.Logf("kubectl %s:\n%s", strings.Join(args, " "), cluster.Tail(out, 6000))
	}
	for _, name := range cluster.Components {
		s.t.Logf("%s log (tail):\n%s", name, cluster.Tail(s.c.Log(name), 3000))
	}
}

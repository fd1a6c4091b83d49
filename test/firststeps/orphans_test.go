package firststeps_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/ddns-operator/ddns-operator/providers/rfc2136/bindtest"
)

// childEnv makes TestServersChild start servers and wait to be killed.
const childEnv = "FIRSTSTEPS_SERVERS_CHILD"

// TestServersChild is not a test on its own: TestDeadTestLeavesNoServers
// runs this test binary again with childEnv set, and this function then
// starts what test suites start (etcd and kube-apiserver through envtest,
// BIND 9), writes their pids to the file childEnv names, and waits until it
// is killed or its -test.timeout ends it.
func TestServersChild(t *testing.T) {
	report := os.Getenv(childEnv)
	if report == "" {
		t.Skip("started by TestDeadTestLeavesNoServers")
	}
	env := &envtest.Environment{}
	if _, err := env.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := bindtest.Start(bindtest.Config{Zones: []string{"example.test"}}); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, p := range descendants(os.Getpid()) {
		fmt.Fprintf(&b, "%d\n", p.pid)
	}
	if err := os.WriteFile(report+".tmp", []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(report+".tmp", report); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Hour) // no Stop: this process is meant to die here
}

// TestDeadTestLeavesNoServers kills test binaries the ways they die, with
// servers running, and checks that the servers died with them. Before
// hack/setup-envtest.sh handed out die-with-parent wrappers, a test binary
// that hit go test's timeout left its etcd and kube-apiserver running for
// as long as the machine lived. The control case runs the bare binaries to
// show that this test sees such orphans.
func TestDeadTestLeavesNoServers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts control planes")
	}
	t.Parallel()
	assets := os.Getenv("KUBEBUILDER_ASSETS")
	if assets == "" {
		t.Fatal("KUBEBUILDER_ASSETS is not set: run with `make test`, or export KUBEBUILDER_ASSETS=$(hack/setup-envtest.sh)")
	}
	if filepath.Base(assets) != "die-with-parent" {
		t.Fatalf("KUBEBUILDER_ASSETS is %s, not hack/setup-envtest.sh's die-with-parent wrappers", assets)
	}
	cases := []struct {
		name    string
		assets  string
		timeout string // the child's -test.timeout; empty: killed with SIGKILL
		leaks   bool
	}{
		{name: "killed with SIGKILL", assets: assets},
		{name: "timed out (go test's panic)", assets: assets, timeout: "90s"},
		{name: "control: bare binaries, killed with SIGKILL", assets: filepath.Dir(assets), leaks: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			servers, how := runAndKillChild(t, tc.assets, tc.timeout)
			left := survivors(servers, 15*time.Second)
			for _, p := range left {
				_ = syscall.Kill(p.pid, syscall.SIGKILL)
			}
			switch {
			case tc.leaks && len(left) < 2:
				t.Errorf("the bare binaries did not outlive the test binary (left: %v): this test cannot see orphans", left)
			case !tc.leaks && len(left) > 0:
				t.Errorf("the test binary %s, and these outlived it: %v", how, left)
			default:
				t.Logf("the test binary %s; of %v, still running: %v", how, servers, left)
			}
		})
	}
}

// runAndKillChild starts TestServersChild with assets, waits for its
// servers, and ends it: SIGKILL, or its own -test.timeout when timeout is
// set. It returns the servers it had started and how it ended.
func runAndKillChild(t *testing.T, assets, timeout string) ([]proc, string) {
	t.Helper()
	report := filepath.Join(t.TempDir(), "pids")
	args := []string{"-test.run=^TestServersChild$", "-test.v"}
	if timeout != "" {
		args = append(args, "-test.timeout="+timeout)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), childEnv+"="+report, "KUBEBUILDER_ASSETS="+assets)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()

	var servers []proc
	for servers == nil {
		select {
		case <-exited:
			t.Fatalf("the child ended before its servers were up:\n%s", out.String())
		case <-time.After(200 * time.Millisecond):
		}
		b, err := os.ReadFile(report)
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			pid, _ := strconv.Atoi(f)
			if p, ok := readProc(pid); ok {
				servers = append(servers, p)
			}
		}
		names := map[string]bool{}
		for _, p := range servers {
			names[p.comm] = true
		}
		if !names["etcd"] || !names["kube-apiserver"] || !names["named"] {
			t.Fatalf("the child's processes are %v, want etcd, kube-apiserver and named", servers)
		}
	}
	how := "was killed with SIGKILL"
	if timeout == "" {
		_ = cmd.Process.Kill()
	} else {
		how = "timed out"
	}
	select {
	case <-exited:
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		t.Fatalf("the child did not end:\n%s", out.String())
	}
	if timeout != "" && !strings.Contains(out.String(), "panic: test timed out after ") {
		t.Fatalf("the child did not end by its test timeout:\n%s", out.String())
	}
	return servers, how
}

// TestKilledMakeRunLeavesNoServers kills make run's launcher with SIGKILL,
// as the OOM killer or a closed session may: the control plane, BIND and
// the manager it started must end with it.
func TestKilledMakeRunLeavesNoServers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a control plane")
	}
	t.Parallel()
	dir := t.TempDir()
	launcher := filepath.Join(dir, "localcluster")
	build := exec.Command("go", "build", "-o", launcher, "./hack/localcluster")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the launcher: %v\n%s", err, out)
	}
	// A stand-in manager: what matters here is that it ends.
	manager := filepath.Join(dir, "manager")
	if err := os.WriteFile(manager, []byte("#!/bin/sh\nexec sleep 3600\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, launcher, "--manager", manager,
		"--crds", filepath.Join(repoRoot, "config", "crd", "bases"),
		"--kubeconfig-out", filepath.Join(dir, "kubeconfig"), "--sample-out", filepath.Join(dir, "sample.yaml"),
		"--setup-envtest", filepath.Join(repoRoot, "hack", "setup-envtest.sh"))
	cmd.Env = append(os.Environ(), "KUBECONFIG="+filepath.Join(dir, "none"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	lr := newLineReader(out)
	if !lr.until(time.Now().Add(4*time.Minute), func(l string) bool { return strings.HasPrefix(l, "In another terminal") }) {
		t.Fatalf("the launcher did not get its servers up:\n%s", lr.all.String())
	}
	lr.drain()
	var started []proc
	names := map[string]bool{}
	for deadline := time.Now().Add(10 * time.Second); !names["sleep"] && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		started = descendants(cmd.Process.Pid)
		for _, p := range started {
			names[p.comm] = true
		}
	}
	for _, want := range []string{"etcd", "kube-apiserver", "named", "sleep"} {
		if !names[want] {
			t.Fatalf("the launcher's processes are %v, want etcd, kube-apiserver, named and the manager (sleep)", started)
		}
	}
	_ = cmd.Process.Kill()
	if left := survivors(started, 15*time.Second); len(left) > 0 {
		for _, p := range left {
			_ = syscall.Kill(p.pid, syscall.SIGKILL)
		}
		t.Fatalf("still running after the launcher was killed: %v", left)
	}
}

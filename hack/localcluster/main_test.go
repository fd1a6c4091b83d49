package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestFreshMachineStart runs `make run`'s program as on a fresh machine,
// where providing the control-plane binaries takes minutes: a stand-in for
// hack/setup-envtest.sh reports progress and takes 31 seconds (past the 30
// after which controller-runtime's logger, never set, printed
// "log.SetLogger(...) was never called" with a goroutine stack at envtest's
// first log line). The progress must reach the person, no stack trace
// may, the kubeconfig and sample must be written where the flags say, the
// manager must get the kubeconfig and its flags, and Ctrl-C must stop
// everything.
func TestFreshMachineStart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a control plane and waits 31s")
	}
	real, err := filepath.Abs(filepath.Join("..", "setup-envtest.sh"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	self := filepath.Join(dir, "localcluster")
	if b, err := exec.Command("go", "build", "-o", self, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, b)
	}
	slowSetup := filepath.Join(dir, "setup-envtest.sh")
	writeScript(t, slowSetup, `echo "setup-envtest: building kube-apiserver (a stand-in that takes 31s)" >&2
sleep 31
exec `+real+`
`)
	// The manager is a stand-in that says what it got and waits.
	manager := filepath.Join(dir, "manager")
	writeScript(t, manager, `echo "stand-in manager: KUBECONFIG=$KUBECONFIG args: $*"
exec sleep 3600
`)

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	kubeconfig, sample := filepath.Join(dir, "kubeconfig"), filepath.Join(dir, "sample.yaml")
	cmd := exec.CommandContext(ctx, self,
		"--manager", manager,
		"--crds", filepath.Join("..", "..", "config", "crd", "bases"),
		"--kubeconfig-out", kubeconfig,
		"--sample-out", sample,
		"--setup-envtest", slowSetup,
		"--", "--log-level=debug")
	cmd.Env = append(withoutEnv(os.Environ(), "KUBEBUILDER_ASSETS"), "KUBECONFIG="+filepath.Join(dir, "no-such-kubeconfig"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()

	lines := make(chan string, 1000)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var out strings.Builder
	waitFor := func(re *regexp.Regexp) []string {
		t.Helper()
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("make run exited before printing %q:\n%s", re, out.String())
				}
				out.WriteString(l + "\n")
				if m := re.FindStringSubmatch(l); m != nil {
					return m
				}
			case <-ctx.Done():
				t.Fatalf("make run did not print %q in time:\n%s", re, out.String())
			}
		}
	}
	waitFor(regexp.MustCompile(`^No cluster answers \(no usable kubeconfig\); starting a local control plane\.$`))
	waitFor(regexp.MustCompile(`^setup-envtest: building kube-apiserver \(a stand-in`))
	waitFor(regexp.MustCompile(`^Starting kube-apiserver and etcd on 127\.0\.0\.1 \(binaries in \S+\)$`))
	waitFor(regexp.MustCompile(`^Starting kube-apiserver and etcd on 127\.0\.0\.1: done in \d+s$`))
	waitFor(regexp.MustCompile(`^Starting BIND 9 on 127\.0\.0\.1 with the zone example\.test: done in \d+s$`))
	if m := waitFor(regexp.MustCompile(`^  export KUBECONFIG=(\S+)$`)); m[1] != kubeconfig {
		t.Errorf("printed kubeconfig %q, want %q", m[1], kubeconfig)
	}
	if m := waitFor(regexp.MustCompile(`^  kubectl apply -f (\S+)$`)); m[1] != sample {
		t.Errorf("printed sample %q, want %q", m[1], sample)
	}
	m := waitFor(regexp.MustCompile(`^stand-in manager: KUBECONFIG=(\S+) args: (.*)$`))
	if m[1] != kubeconfig || m[2] != "--leader-elect=false --log-level=debug" {
		t.Errorf("the manager got KUBECONFIG=%s and args %q, want %s and %q", m[1], m[2], kubeconfig, "--leader-elect=false --log-level=debug")
	}
	b, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"provider: rfc2136", "static: 81.2.69.160", "tsigSecret: ", "server: 127.0.0.1:"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the sample lacks %q:\n%s", want, b)
		}
	}

	// Ctrl-C stops the manager, BIND and the control plane.
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	go func() {
		for l := range lines {
			out.WriteString(l + "\n")
		}
	}()
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("make run did not exit cleanly on Ctrl-C: %v", err)
		}
	case <-time.After(45 * time.Second):
		t.Fatal("make run did not stop within 45s of Ctrl-C")
	}
	if strings.Contains(out.String(), "SetLogger") || strings.Contains(out.String(), "goroutine ") {
		t.Errorf("make run printed a stack trace:\n%s", out.String())
	}
	c := exec.Command("kubectl", "--kubeconfig", kubeconfig, "--request-timeout=2s", "get", "ns")
	if assets := os.Getenv("KUBEBUILDER_ASSETS"); assets != "" {
		c.Path = filepath.Join(assets, "kubectl")
	}
	c.Stdout, c.Stderr = io.Discard, io.Discard
	if c.Run() == nil {
		t.Fatal("the control plane still answers after Ctrl-C")
	}
}

func writeScript(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
}

// withoutEnv returns env without the variable name.
func withoutEnv(env []string, name string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

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

// TestMakeRunWithoutACluster drives `make run`'s program the way a newcomer
// does on a machine with no cluster: it must start a local control plane,
// print a kubeconfig, run the manager, give an applied record a status, and
// stop everything on Ctrl-C.
func TestMakeRunWithoutACluster(t *testing.T) {
	assets := os.Getenv("KUBEBUILDER_ASSETS")
	if assets == "" {
		t.Fatal("KUBEBUILDER_ASSETS is not set: run with `make test`")
	}
	dir := t.TempDir()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	manager := filepath.Join(dir, "manager")
	self := filepath.Join(dir, "localcluster")
	for out, pkg := range map[string]string{manager: root, self: "."} {
		if b, err := exec.Command("go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", pkg, err, b)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	kubeconfig := filepath.Join(dir, "kubeconfig")
	cmd := exec.CommandContext(ctx, self,
		"--manager", manager,
		"--crds", filepath.Join(root, "config", "crd", "bases"),
		"--kubeconfig-out", kubeconfig,
		"--",
		// No egress lookups and no fixed ports: nothing leaves the machine.
		"--ipv4-sources=", "--ipv6-sources=",
		"--metrics-bind-address=0", "--health-probe-bind-address=127.0.0.1:0")
	cmd.Env = append(os.Environ(), "KUBECONFIG="+filepath.Join(dir, "no-such-kubeconfig"))
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
	exportLine := regexp.MustCompile(`export KUBECONFIG=(\S+)`)
	var printed string
	for printed == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("make run exited before printing a kubeconfig")
			}
			if m := exportLine.FindStringSubmatch(l); m != nil {
				printed = m[1]
			}
		case <-ctx.Done():
			t.Fatal("no kubeconfig printed within the timeout")
		}
	}
	if printed != kubeconfig {
		t.Fatalf("printed kubeconfig %q, want %q", printed, kubeconfig)
	}
	go func() {
		for range lines { // keep draining so the child never blocks on output
		}
	}()

	kubectl := func(stdin string, args ...string) string {
		c := exec.CommandContext(ctx, filepath.Join(assets, "kubectl"), append([]string{"--kubeconfig", kubeconfig}, args...)...)
		c.Stdin = strings.NewReader(stdin)
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("kubectl %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	kubectl(`apiVersion: ddns.dev/v1alpha1
kind: DynamicDNSRecord
metadata: {name: home, namespace: default}
spec:
  domain: home.example.com
  provider: cloudflare
  secretRef: {name: not-created-yet}
`, "apply", "-f", "-")

	var reason string
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		reason = kubectl("", "get", "ddns", "home", "-o", `jsonpath={.status.conditions[?(@.type=="Ready")].reason}`)
		if reason != "" {
			break
		}
	}
	if reason != "SecretNotFound" {
		t.Fatalf("the record's Ready reason is %q, want SecretNotFound", reason)
	}
	t.Logf("kubectl get ddns:\n%s", kubectl("", "get", "ddns"))

	// Ctrl-C stops the manager and the control plane.
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
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
	c := exec.Command(filepath.Join(assets, "kubectl"), "--kubeconfig", kubeconfig, "--request-timeout=2s", "get", "ns")
	c.Stdout, c.Stderr = io.Discard, io.Discard
	if c.Run() == nil {
		t.Fatal("the control plane still answers after Ctrl-C")
	}
}

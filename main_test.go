package main

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMain runs the real main when the test binary is started as the
// manager by the tests below, so they see its exit status and output.
func TestMain(m *testing.M) {
	if os.Getenv("DDNS_TEST_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runMain runs main with args in a child process and returns its combined
// output and exit code.
func runMain(t *testing.T, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "DDNS_TEST_RUN_MAIN=1", "KUBECONFIG=/nonexistent", "KUBERNETES_SERVICE_HOST=")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	}
	t.Fatalf("run manager %v: %v", args, err)
	return "", -1
}

func TestCommandLine(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"help is not a failure", []string{"--help"}, 0, "-detect-interval duration"},
		{"version", []string{"--version"}, 0, "ddns-operator dev"},
		{"unknown flag", []string{"--no-such-flag"}, 1, "flag provided but not defined"},
		{"bad value", []string{"--log-level=loud"}, 1, `--log-level "loud": want debug, info or error`},
		{"memory limit share above 1", []string{"--gomemlimit-ratio=1.5"}, 1, "--gomemlimit-ratio 1.5: want a share between 0 (off) and 1"},
		{"endpoint of no provider", []string{"--provider-endpoint=route66=https://example.test"}, 1, `no provider "route66"`},
		{"no cluster", []string{"--ipv4-sources=static:81.2.69.160", "--ipv6-sources="}, 1, "no Kubernetes API to talk to"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, code := runMain(t, tc.args...)
			if code != tc.code || !strings.Contains(out, tc.out) {
				t.Fatalf("exit %d, want %d; output should hold %q:\n%s", code, tc.code, tc.out, out)
			}
			if strings.Contains(out, "goroutine ") || strings.Contains(out, "panic") {
				t.Fatalf("a stack trace:\n%s", out)
			}
		})
	}
}

// A memory limit that is not a byte count stops the manager with the
// variable named, before it talks to any cluster.
func TestBadMemoryLimitStopsTheManager(t *testing.T) {
	t.Setenv(memoryLimitEnv, "128Mi")
	out, code := runMain(t, "--ipv4-sources=static:81.2.69.160", "--ipv6-sources=")
	if code != 1 || !strings.Contains(out, `DDNS_MEMORY_LIMIT="128Mi": want the container's memory limit in bytes`) {
		t.Fatalf("exit %d; output:\n%s", code, out)
	}
}

package firststeps_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// testArgs are the manager flags the test adds through ARGS, which the
// README documents for passing flags: no egress lookups (tests send nothing
// off the machine; the local sample needs none) and no fixed ports.
const testArgs = "ARGS=--ipv4-sources= --ipv6-sources= --metrics-bind-address=0 --health-probe-bind-address=0"

// stackTrace matches what a Go or zap stack trace prints.
var stackTrace = regexp.MustCompile(`goroutine \d+|log\.SetLogger|^panic:|^\s+\S+\.go:\d+`)

// TestReadmeFirstSteps does what the README tells a newcomer with no
// cluster and no cloud account: `make run` from its "Two commands", which
// must print the lines the README shows (in order, with the checkout's
// paths and a free port for the placeholders), and then, in another
// directory as in another terminal, exactly the commands it printed, which
// must bring the local sample record to Ready with its address in DNS. No
// stack trace may appear. Ctrl-C must stop everything make run started.
func TestReadmeFirstSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the manager and starts a control plane")
	}
	t.Parallel()
	readme := readRepoFile(t, "README.md")
	runCmd := readmeCommand(t, readme, "make run")
	want := readmeOutput(t, readme)

	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	args := append(strings.Fields(runCmd)[1:], "LOCALBIN="+bin, testArgs)
	// A cold build of the manager comes first: bounded below the package's
	// -timeout so that a slow machine fails here, with the output.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "make", args...)
	cmd.Dir = repoRoot
	cmd.Env = append(newcomerEnv(), "KUBECONFIG="+filepath.Join(tmp, "no-kubeconfig"))
	// Its own process group, so Ctrl-C can be sent as a terminal sends it;
	// and make dies with this test (make run's launcher then stops itself).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	t.Logf("running %q in %s", append([]string{"make"}, args...), repoRoot)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	lr := newLineReader(out)

	// The README's lines, in order, with the next commands among them.
	var commands []string
	next, inCommands := 0, false
	matched := lr.until(time.Now().Add(20*time.Minute), func(l string) bool {
		if strings.HasPrefix(l, "In another terminal") {
			inCommands = true
		} else if inCommands && strings.TrimSpace(l) == "" && len(commands) > 0 {
			inCommands = false
		} else if inCommands && isCommand(l) {
			commands = append(commands, strings.TrimSpace(l))
		}
		if want[next].MatchString(l) {
			next++
		}
		return next == len(want)
	})
	if !matched {
		t.Fatalf("make run did not print the README's line %q (lines are matched in order):\n%s", want[next], lr.all.String())
	}
	rest := lr.drain()
	if len(commands) == 0 {
		t.Fatalf("make run printed no commands after \"In another terminal\":\n%s", lr.all.String())
	}

	// Another terminal: another directory, no KUBECONFIG yet.
	script := "set -x\n" + strings.Join(commands, "\n") + "\n"
	run := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
	run.Dir = t.TempDir()
	run.Env = newcomerEnv()
	got, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("the commands make run printed failed: %v\n%s\nmake run said:\n%s", err, got, lr.all.String())
	}
	sample, err := os.ReadFile(filepath.Join(bin, "local-sample.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	static := regexp.MustCompile(`static: (\S+)`).FindSubmatch(sample)
	if static == nil {
		t.Fatalf("the local sample has no ipSource.static:\n%s", sample)
	}
	if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(string(static[1])) + `$`).Match(got) {
		t.Fatalf("dig did not answer the sample's address %s:\n%s", static[1], got)
	}
	t.Logf("the README's next commands:\n%s", got)

	// Ctrl-C stops make run and everything it started.
	started := descendants(cmd.Process.Pid)
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	waited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(waited) }() // the status after Ctrl-C is not the point
	select {
	case <-waited:
	case <-time.After(60 * time.Second):
		t.Fatalf("make run did not stop within 60s of Ctrl-C; it started %v", started)
	}
	if left := survivors(started, 15*time.Second); len(left) > 0 {
		t.Errorf("still running after make run stopped: %v", left)
	}
	all := lr.all.String() + <-rest
	for _, l := range strings.Split(all, "\n") {
		if stackTrace.MatchString(l) {
			t.Errorf("make run printed a stack trace (%q):\n%s", l, all)
			break
		}
	}
}

// readmeCommand returns the README's command starting with prefix in the
// "Two commands" block, without its comment.
func readmeCommand(t *testing.T, readme, prefix string) string {
	t.Helper()
	for _, l := range fencedBlock(t, readme, "## Two commands", "sh") {
		cmd, _, _ := strings.Cut(l, "#")
		if cmd = strings.TrimSpace(cmd); strings.HasPrefix(cmd, prefix) {
			return cmd
		}
	}
	t.Fatalf("the README's \"Two commands\" show no %q", prefix)
	return ""
}

// readmeOutput turns the output the README shows for `make run` into one
// pattern per non-empty line, where /path/to/ddns-operator/bin/ stands for
// make run's bin directory and a port for any port.
func readmeOutput(t *testing.T, readme string) []*regexp.Regexp {
	t.Helper()
	var out []*regexp.Regexp
	port := regexp.MustCompile(`\b[0-9]{4,5}\b`)
	for _, l := range fencedBlock(t, readme, "`make run` with no cluster prints", "text") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		q := regexp.QuoteMeta(l)
		q = strings.ReplaceAll(q, regexp.QuoteMeta("/path/to/ddns-operator/bin/"), `/\S+/`)
		q = port.ReplaceAllString(q, `[0-9]+`)
		out = append(out, regexp.MustCompile("^"+q+"$"))
	}
	if len(out) == 0 {
		t.Fatal("the README shows no output of make run")
	}
	return out
}

// isCommand reports whether a line make run printed is a command to type.
func isCommand(l string) bool {
	if !strings.HasPrefix(l, "  ") {
		return false
	}
	switch strings.Fields(l + " x")[0] {
	case "export", "kubectl", "dig":
		return true
	}
	return false
}

// newcomerEnv is this process's environment as a newcomer's shell has it:
// no KUBECONFIG, no KUBEBUILDER_ASSETS (make run finds the control plane's
// binaries itself), no enclosing make.
func newcomerEnv() []string {
	var out []string
	for _, kv := range withoutMakeFlags(os.Environ()) {
		if !strings.HasPrefix(kv, "KUBECONFIG=") && !strings.HasPrefix(kv, "KUBEBUILDER_ASSETS=") {
			out = append(out, kv)
		}
	}
	return out
}

// TestSamplesKustomizationListsEverySample holds the README to its word
// that `kubectl apply -k config/samples/` applies every provider's sample.
func TestSamplesKustomizationListsEverySample(t *testing.T) {
	kustomization := readRepoFile(t, "config/samples/kustomization.yaml")
	files, err := filepath.Glob(filepath.Join(repoRoot, "config", "samples", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		if name != "kustomization.yaml" && !regexp.MustCompile(`(?m)^- `+regexp.QuoteMeta(name)+`$`).MatchString(kustomization) {
			t.Errorf("config/samples/kustomization.yaml does not list %s", name)
		}
	}
}

package cluster

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// parentEnv makes the test binary play a test that starts a node and is
// then killed: it starts a supervisor, has it start a long-running child,
// prints "PIDS supervisor child cgroup dir" and waits to be killed.
const parentEnv = "DDNS_NODE_TEST_PARENT"

// zombie reports a process that has exited and waits to be reaped.
func zombie(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return strings.HasPrefix(rest, "Z")
}

func TestMain(m *testing.M) {
	RunSupervisorIfAsked()
	if dir := os.Getenv(parentEnv); dir != "" {
		playParent(dir)
		return
	}
	os.Exit(m.Run())
}

func playParent(dir string) {
	cg := path.Join(ParentCgroup(), fmt.Sprintf("ddns-node-%d-test", os.Getpid()))
	sup, err := startSupervisor(supervisorSpec{Dir: dir, Cgroup: cg}, filepath.Join(filepath.Dir(dir), "supervisor.log"))
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	// The background sleep outlives its parent as containerd's shims
	// outlive containerd: only the cgroup holds it.
	rep, err := sup.call(request{Op: "start", Name: "sleeper", Argv: []string{"/bin/sh", "-c", "sleep 600 & exec sleep 601"}})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	fmt.Println("PIDS", sup.pid, rep.Pid, cg)
	select {}
}

// A test binary that dies (SIGKILL here; a timeout panic ends it just the
// same) leaves nothing behind: the supervisor sees its input close, kills
// what runs in the node's cgroup, and removes the cgroups and the
// directory.
func TestSupervisorCleansUpWhenTheTestDies(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("needs root (namespaces and cgroups), as the real-node test does")
	}
	dir := filepath.Join(t.TempDir(), "node")
	if err := os.MkdirAll(filepath.Join(dir, "state"), 0o755); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	parent := exec.Command(self)
	parent.Env = append(os.Environ(), parentEnv+"="+dir)
	parent.Stderr = os.Stderr
	out, err := parent.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = parent.Process.Kill()
		t.Fatalf("the parent said nothing: %v", err)
	}
	f := strings.Fields(line)
	if len(f) != 4 || f[0] != "PIDS" {
		_ = parent.Process.Kill()
		t.Fatalf("the parent said %q", line)
	}
	supPID, _ := strconv.Atoi(f[1])
	childPID, _ := strconv.Atoi(f[2])
	cg := f[3]
	hs, err := hierarchies()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(hs[0], cg, "system")); err != nil {
		t.Fatalf("the node's cgroup was not made: %v", err)
	}
	var procs []int
	for start := time.Now(); len(procs) < 3 && time.Since(start) < 10*time.Second; time.Sleep(20 * time.Millisecond) {
		if procs, err = cgroupPids(hs[0], cg); err != nil {
			t.Fatal(err)
		}
	}
	if len(procs) != 3 || !pidAlive(childPID) {
		t.Fatalf("want the supervisor and two sleeps in the node's cgroup, got %v", procs)
	}

	if err := parent.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = parent.Wait()
	deadline := time.Now().Add(30 * time.Second)
	for _, pid := range append(procs, supPID) {
		for pidAlive(pid) && !zombie(pid) {
			if time.Now().After(deadline) {
				t.Fatalf("30s after the test binary died, process %d (of supervisor %d and %v) still runs", pid, supPID, procs)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	all, err := allHierarchies()
	if err != nil {
		t.Fatal(err)
	}
	for _, mp := range all {
		if _, err := os.Stat(filepath.Join(mp, cg)); err == nil {
			t.Errorf("cgroup %s is left in %s", cg, mp)
		}
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("the node's directory %s is left", dir)
	}
}

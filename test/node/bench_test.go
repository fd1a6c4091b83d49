package node

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// killPID ends a process with SIGKILL, as a crash or the OOM killer does.
func killPID(pid int) error { return syscall.Kill(pid, syscall.SIGKILL) }

// Markers around the section the real-node test keeps in BENCHMARKS.md;
// the rest of the file belongs to `make bench`.
const (
	benchBegin = "<!-- test/node: begin -->"
	benchEnd   = "<!-- test/node: end -->"
)

// writeBenchmarks puts the pod memory figures into BENCHMARKS.md between
// the markers (appending the section the first time).
func (s *suite) writeBenchmarks(path string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n## The pod on a real node\n\n", benchBegin)
	fmt.Fprintf(&b, "Written by `make bench-node` (the real-node test, `test/node`) on %s: the image of `make image` in containerd 2.4.2 under kubelet 1.37.2 (cgroup v1, cgroupfs driver), installed with the chart's defaults (requests 10m CPU and 32Mi, limit 128Mi), one IPv4 echo source, `--detect-interval=10s`, records over RFC 2136 at BIND 9; %s, %d cores.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), runtime.Version(), runtime.NumCPU())
	b.WriteString("| pod | working set (cgroup) | kubelet summary (`kubectl top`) | RSS | page cache |\n|---|---|---|---|---|\n")
	for _, what := range []string{"idle, 1 record", fmt.Sprintf("%d records", bulkRecords+1), fmt.Sprintf("hostNetwork, %d records", bulkRecords+1)} {
		m, ok := s.memories[what]
		if !ok {
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", what, mib(m.WorkingSet), mib(m.Summary), mib(m.RSS), mib(m.Cache))
	}
	b.WriteString("\nThe working set is the pod cgroup's `memory.usage_in_bytes` less `total_inactive_file`: what the kubelet evicts on and `kubectl top` shows. RSS is the cgroup's anonymous memory (heap, stacks): the manager's own, comparable to the process tables' RssAnon. The binary's code and read-only data (RssFile in the process tables, ~47 MiB) hardly appear here: those page-cache pages are charged to the cgroup that first read them, containerd's, which unpacked the image, so the pod is charged only for the little it reads first itself.\n")
	b.WriteString(benchEnd + "\n")
	old, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	text := string(old)
	if i, j := strings.Index(text, benchBegin), strings.Index(text, benchEnd); i >= 0 && j > i {
		text = text[:i] + b.String() + strings.TrimPrefix(text[j+len(benchEnd):], "\n")
	} else {
		text = strings.TrimRight(text, "\n") + "\n\n" + b.String()
	}
	return os.WriteFile(path, []byte(text), 0o644)
}

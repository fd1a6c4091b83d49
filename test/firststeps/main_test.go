// Package firststeps_test checks what a newcomer meets in the first ten
// minutes, as they meet it: the README's commands run as written (`make
// run`, then the commands it prints, to a record that is Ready with no
// cloud account), test binaries that die leaving no servers behind, and
// docs/egress.md's claims about address sources against the code.
package firststeps_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// repoRoot is the checkout this package belongs to.
var repoRoot = func() string {
	abs, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		panic(err)
	}
	return abs
}()

// readRepoFile returns a file of the checkout.
func readRepoFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fencedBlock returns the lines of the first fenced code block of language
// lang that follows the first line of doc containing after.
func fencedBlock(t *testing.T, doc, after, lang string) []string {
	t.Helper()
	i := strings.Index(doc, after)
	if i < 0 {
		t.Fatalf("no line containing %q", after)
	}
	rest := doc[i:]
	open := strings.Index(rest, "\n```"+lang+"\n")
	if open < 0 {
		t.Fatalf("no ```%s block after %q", lang, after)
	}
	rest = rest[open+len("\n```"+lang+"\n"):]
	end := strings.Index(rest, "\n```")
	if end < 0 {
		t.Fatalf("the ```%s block after %q is not closed", lang, after)
	}
	return strings.Split(rest[:end], "\n")
}

// withoutMakeFlags drops the variables an enclosing make (`make test`)
// passes down, so a make run by a test is a make of its own, as typed.
func withoutMakeFlags(env []string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES":
		default:
			out = append(out, kv)
		}
	}
	return out
}

// proc is one process as /proc shows it.
type proc struct {
	pid, ppid int
	comm      string
	state     byte
}

func (p proc) String() string { return fmt.Sprintf("%s (pid %d)", p.comm, p.pid) }

// readProc reads /proc/PID/stat; ok is false when the process is gone.
func readProc(pid int) (p proc, ok bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return p, false
	}
	// pid (comm) state ppid ...; comm may hold spaces and parentheses.
	s := string(b)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return p, false
	}
	fields := strings.Fields(s[end+1:])
	if len(fields) < 2 {
		return p, false
	}
	p.pid = pid
	p.comm = s[open+1 : end]
	p.state = fields[0][0]
	p.ppid, _ = strconv.Atoi(fields[1])
	return p, true
}

// descendants returns every living process below pid.
func descendants(pid int) []proc {
	entries, _ := os.ReadDir("/proc")
	children := map[int][]proc{}
	for _, e := range entries {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, ok := readProc(n); ok && p.state != 'Z' {
			children[p.ppid] = append(children[p.ppid], p)
		}
	}
	var out []proc
	queue := []int{pid}
	for len(queue) > 0 {
		for _, c := range children[queue[0]] {
			out = append(out, c)
			queue = append(queue, c.pid)
		}
		queue = queue[1:]
	}
	return out
}

// alive reports whether p still runs: same pid, same name, not a zombie.
func alive(p proc) bool {
	now, ok := readProc(p.pid)
	return ok && now.comm == p.comm && now.state != 'Z'
}

// survivors waits up to limit for every process of ps to end and returns
// those still running.
func survivors(ps []proc, limit time.Duration) []proc {
	deadline := time.Now().Add(limit)
	for {
		var left []proc
		for _, p := range ps {
			if alive(p) {
				left = append(left, p)
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// lineReader collects a process's output lines as they come and lets a
// test wait for one.
type lineReader struct {
	lines chan string
	all   strings.Builder
}

func newLineReader(r interface{ Read([]byte) (int, error) }) *lineReader {
	lr := &lineReader{lines: make(chan string, 10000)}
	go func() {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			lr.lines <- sc.Text()
		}
		close(lr.lines)
	}()
	return lr
}

// until reads lines until match returns true, the output ends, or the
// deadline passes; it reports whether match did.
func (lr *lineReader) until(deadline time.Time, match func(string) bool) bool {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	for {
		select {
		case l, ok := <-lr.lines:
			if !ok {
				return false
			}
			lr.all.WriteString(l + "\n")
			if match(l) {
				return true
			}
		case <-timer.C:
			return false
		}
	}
}

// drain keeps reading in the background so the process never blocks on
// its output; what it reads is kept for rest.
func (lr *lineReader) drain() <-chan string {
	rest := make(chan string, 1)
	go func() {
		var b strings.Builder
		for l := range lr.lines {
			b.WriteString(l + "\n")
		}
		rest <- b.String()
	}()
	return rest
}

package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// binaryText is the binary's section: size, package trees, initialisers.
func (rep report) binaryText() string {
	f := rep.binary
	if f == nil {
		return "## Binary\n\nNot measured in this run (`--sizes=false`).\n"
	}
	var b strings.Builder
	b.WriteString("## Binary\n\n")
	fmt.Fprintf(&b, "- Stripped, as `make build` builds it (`CGO_ENABLED=0 go build -trimpath -ldflags \"-s -w\"`): **%.1f MB** (%d bytes); with its symbol table and DWARF: %.1f MB.\n",
		float64(f.Stripped)/1e6, f.Stripped, float64(f.Unstripped)/1e6)
	fmt.Fprintf(&b, "- Linked: %d packages (`go list -deps .`, CGO off), from %d modules.\n", f.Packages, f.Modules)
	var secs []string
	for _, sec := range f.Sections {
		if sec.Bytes >= 100_000 {
			secs = append(secs, fmt.Sprintf("%s %.1f", sec.Name, float64(sec.Bytes)/1e6))
		}
	}
	fmt.Fprintf(&b, "- Sections of the stripped file, MB: %s.\n", strings.Join(secs, ", "))
	fmt.Fprintf(&b, "- The symbol table (what `go tool nm -size` lists; zeroed memory, .bss and .noptrbss, left out) names %.1f MB of code and data by package (%.1f MB of it code). Per-function metadata, %.1f MB (.gopclntab: function names, line tables, stack maps; go:func.*), names no package: the last column adds to each tree a share of it in proportion to its code. Type descriptors and string data (most of the rest of .rodata) are not attributed.\n\n",
		float64(f.Symbols)/1e6, float64(f.Text)/1e6, float64(f.FuncMeta)/1e6)
	b.WriteString("Code and data by package tree (a dependency by module, the operator by package, the standard library by top-level package), the 20 largest:\n\n| package tree | code+data MB | share | with its pclntab share, MB (est.) |\n|---|---|---|---|\n")
	for i, t := range f.Trees {
		if i == 20 {
			break
		}
		fmt.Fprintf(&b, "| %s | %.2f | %.1f%% | %.1f |\n", t.Tree, float64(t.Bytes)/1e6, 100*float64(t.Bytes)/float64(f.Symbols), t.withMeta(*f)/1e6)
	}
	in := f.Init
	fmt.Fprintf(&b, "\n### Package initialisers\n\n`GODEBUG=inittrace=1 manager --version`: %d packages run an initialiser before main, %.1f ms of clock, %.2f MiB allocated in %d allocations. The 10 that allocate most:\n\n| package | clock ms | KiB | allocs |\n|---|---|---|---|\n",
		len(in.Top), float64(in.Clock)/float64(time.Millisecond), float64(in.Bytes)/mib, in.Allocs)
	for i, c := range in.Top {
		if i == 10 {
			break
		}
		fmt.Fprintf(&b, "| %s | %.2f | %.0f | %d |\n", c.Pkg, float64(c.Clock)/float64(time.Millisecond), float64(c.Bytes)/1024, c.Allocs)
	}
	var ours []string
	for _, c := range in.Top {
		if strings.HasPrefix(c.Pkg, "github.com/ddns-operator/") && c.Bytes >= 4096 {
			ours = append(ours, fmt.Sprintf("%s %.0f KiB", strings.TrimPrefix(c.Pkg, "github.com/ddns-operator/ddns-operator/"), float64(c.Bytes)/1024))
		}
	}
	if len(ours) > 0 {
		fmt.Fprintf(&b, "\nThe operator's own packages allocating 4 KiB or more at init: %s.\n", strings.Join(ours, ", "))
	}
	if t := rep.builds; t != nil {
		fmt.Fprintf(&b, "\n### Build time\n\n- Cold (fresh module cache from GOPROXY and fresh build cache): %s.\n- Warm (both caches full, the binary linked again): %s.\n",
			t.Cold.Round(time.Second), t.Warm.Round(100*time.Millisecond))
	}
	return b.String()
}

// podMemoryText is the memory section: RSS split and the cgroup's view.
func (rep report) podMemoryText() string {
	var b strings.Builder
	b.WriteString("## Memory as a pod sees it\n\n")
	b.WriteString("| N | zones | idle RSS anon+file | steady RSS anon+file | peak RSS | idle working set | steady working set | steady cgroup anon + file (mapped) | cgroup peak usage |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rep.completed() {
		ws := func(s memSample) string {
			if s.Cgroup == nil {
				return "-"
			}
			return fmt.Sprintf("%.1f MiB", s.Cgroup.WorkingSet/mib)
		}
		charged, peak := "-", "-"
		if c := r.SteadyMem.Cgroup; c != nil {
			charged = fmt.Sprintf("%.1f + %.1f (%.1f) MiB", c.Anon/mib, c.File/mib, c.Mapped/mib)
			peak = fmt.Sprintf("%.1f MiB", c.MaxUsage/mib)
		}
		fmt.Fprintf(&b, "| %d | %d | %.1f+%.1f MiB | %.1f+%.1f MiB | %.1f MiB | %s | %s | %s | %s |\n",
			r.N, r.Zones, r.Idle.Anon/mib, r.Idle.File/mib, r.SteadyMem.Anon/mib, r.SteadyMem.File/mib, r.PeakRSS/mib,
			ws(r.Idle), ws(r.SteadyMem), charged, peak)
	}
	fmt.Fprintf(&b, "\n- **idle**: %s after the manager started, before any record exists; **steady**: at the end of the steady window. RSS from `/proc/PID/status`: RssAnon is the process's own memory (heap, stacks), RssFile the pages of files it maps, in practice the binary's code and read-only data (the kernel faults them in in 64 KiB blocks around each touched page).\n", rep.opts.idleWait)
	b.WriteString("- **working set**: the manager runs in a memory cgroup of its own (v1 controller) and the figure is what the kubelet reports for a container (`kubectl top`, eviction): `memory.usage_in_bytes` less `total_inactive_file`. The cgroup is charged for anonymous memory and for the page-cache pages its process read first; the binary's pages are dropped from the page cache (posix_fadvise DONTNEED) before each start, so the manager reads them itself as in a fresh pod. **file (mapped)**: the page cache charged to the cgroup, and the part of it mapped into the process (the binary's pages it touched).\n")
	for _, r := range rep.completed() {
		if c := r.SteadyMem.Cgroup; c != nil {
			fmt.Fprintf(&b, "- **What the file-backed part costs a pod** (N=%d): the cgroup was charged %.1f MiB of page cache, the binary read ahead nearly whole, of which %.1f MiB is mapped (RssFile %.1f MiB); but the working set is only %.1f MiB above the anonymous memory: the binary's pages sit on the inactive list, which the working set leaves out and the kernel reclaims first under the container's limit (they are re-read from the image when touched again). So RSS overstates what `kubectl top` shows and what counts against the limit by about the binary's resident pages; a smaller binary still means less to read and to keep cached, and less RSS on nodes that report RSS.\n",
				r.N, c.File/mib, c.Mapped/mib, r.SteadyMem.File/mib, max(0, c.WorkingSet-c.Anon)/mib)
			break
		}
	}
	return b.String()
}

// steadyText is the steady-state section: checks, CPU, API writes and the
// CPU profiles.
func (rep report) steadyText() string {
	var b strings.Builder
	o := rep.opts
	fmt.Fprintf(&b, "## Steady state: CPU per check and API-server writes\n\nEvery record at `spec.interval` %s, nothing to change, over the %s window.\n\n", o.steadyInterval, o.steadyWindow)
	b.WriteString("| N | zones | checks/min | CPU-s/min | CPU ms per check | idle CPU-s/min | API-server writes/min | CPU profile |\n|---|---|---|---|---|---|---|---|\n")
	var tops []string
	for _, r := range rep.completed() {
		perMin := 60 / r.SteadyWindow.Seconds()
		writes := "not counted"
		if w := r.SteadyWrites; w != nil {
			writes = fmt.Sprintf("%.0f", float64(w.Total)*perMin)
			if w.Total > 0 {
				writes += " (" + w.kinds() + " in the window)"
			}
		}
		idle := "-"
		if r.IdleFor > 0 {
			idle = fmt.Sprintf("%.3f", r.IdleCPU*60/r.IdleFor.Seconds())
		}
		prof := "-"
		if r.Profile != "" {
			prof = "`" + filepath.Base(r.Profile) + "`"
			tops = append(tops, fmt.Sprintf("N=%d, %d zone(s), `go tool pprof -top -cum %s` (the functions with the most CPU including what they call):\n\n```\n%s\n```\n", r.N, r.Zones, r.Profile, r.ProfileTop))
		}
		fmt.Fprintf(&b, "| %d | %d | %.0f | %.3f | %.2f | %s | %s | %s |\n",
			r.N, r.Zones, r.Steady.Reconc*perMin, r.Steady.CPU*perMin, msPerCheck(r.Steady), idle, writes, prof)
	}
	b.WriteString("\n- **checks/min**: reconciles of the DynamicDNSRecord controller in the window; **CPU ms per check**: the manager's whole CPU time in the window (its threads' time on a CPU from `/proc/PID/task/*/schedstat`, in nanoseconds; detection and idle work included; no metrics scrape during the window) over those checks; **idle CPU-s/min**: the same with no record. **API-server writes/min**: every create, update, patch and delete the API server received from the manager's user in the window, from its audit log.\n")
	if len(tops) > 0 {
		b.WriteString("\n### CPU profiles of the steady window\n\n" + strings.Join(tops, "\n"))
	}
	return b.String()
}

// throttleText is the persistent-429 section.
func (rep report) throttleText() string {
	var rows []string
	for _, r := range rep.results {
		if t := r.Throttle; t != nil {
			rows = append(rows, fmt.Sprintf("| %d | %s | %s | %d | %d | %s | %s |", r.N, t.RetryAfter, t.Span, t.Requests, t.Early, gapText(t.FirstGap), secs(t.Recovered, r.N)))
		}
	}
	if len(rows) == 0 {
		return "## Under a persistent 429\n\nNot measured in this run.\n"
	}
	return "## Under a persistent 429\n\nThe fake answers every request 429 (error 971, a fixed Retry-After) for twice Retry-After plus 10 s while an address change gives every record work for the one credential.\n\n" +
		"| N | Retry-After | 429 span | requests refused | after the first 429, before Retry-After elapsed | first 429 to the next request | Ready after the 429s stopped |\n|---|---|---|---|---|---|---|\n" +
		strings.Join(rows, "\n") + "\n"
}

func gapText(d time.Duration) string {
	if d == 0 {
		return "no other request"
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

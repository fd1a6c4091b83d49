package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// memCgroup is a memory cgroup (v1 controller) the benchmark creates for
// one manager process, so its memory is read as the kubelet reads a
// container's: the working set is the usage less the inactive file pages
// (what `kubectl top` shows and what the eviction manager compares).
// It is created below the benchmark's own memory cgroup, so whatever limits
// apply to the benchmark apply to it too.
type memCgroup struct {
	dir string
}

// cgroupStats are one reading of a memory cgroup, in bytes.
type cgroupStats struct {
	Usage      float64 // memory.usage_in_bytes: anonymous memory and page cache charged
	WorkingSet float64 // Usage - total_inactive_file
	Anon       float64 // total_rss: anonymous memory (heap, stacks)
	File       float64 // total_cache: page cache charged to the cgroup
	Mapped     float64 // total_mapped_file: the part of File mapped in (the binary)
	MaxUsage   float64 // memory.max_usage_in_bytes: the high-water mark
}

// ownMemoryCgroup is the directory of this process's memory cgroup (v1).
func ownMemoryCgroup() (string, error) {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(b), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) == 3 && parts[1] == "memory" {
			dir := filepath.Join("/sys/fs/cgroup/memory", parts[2])
			if _, err := os.Stat(filepath.Join(dir, "memory.stat")); err != nil {
				return "", fmt.Errorf("the v1 memory controller is not mounted at /sys/fs/cgroup/memory: %w", err)
			}
			return dir, nil
		}
	}
	return "", errors.New("no v1 memory cgroup in /proc/self/cgroup (cgroup v2 only is not supported by the benchmark)")
}

// newMemCgroup creates a memory cgroup named name below the benchmark's own.
func newMemCgroup(name string) (*memCgroup, error) {
	parent, err := ownMemoryCgroup()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(parent, name)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create memory cgroup %s: %w", dir, err)
	}
	return &memCgroup{dir: dir}, nil
}

// wrap returns the command that starts bin with args inside the cgroup: a
// shell moves itself in, then execs bin, so every page the manager touches
// from its first instruction is charged to the cgroup.
func (c *memCgroup) wrap(bin string, args []string) (string, []string, []string) {
	script := `echo $$ > "$DDNS_BENCH_CGROUP/cgroup.procs" && exec "$0" "$@"`
	return "/bin/sh", append([]string{"-c", script, bin}, args...), []string{"DDNS_BENCH_CGROUP=" + c.dir}
}

// stats reads the cgroup now.
func (c *memCgroup) stats() (cgroupStats, error) {
	var s cgroupStats
	num := func(file string) (float64, error) {
		b, err := os.ReadFile(filepath.Join(c.dir, file))
		if err != nil {
			return 0, err
		}
		return strconv.ParseFloat(strings.TrimSpace(string(b)), 64)
	}
	var err error
	if s.Usage, err = num("memory.usage_in_bytes"); err != nil {
		return s, err
	}
	if s.MaxUsage, err = num("memory.max_usage_in_bytes"); err != nil {
		return s, err
	}
	b, err := os.ReadFile(filepath.Join(c.dir, "memory.stat"))
	if err != nil {
		return s, err
	}
	stat := map[string]float64{}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, " "); ok {
			stat[k], _ = strconv.ParseFloat(v, 64)
		}
	}
	s.Anon, s.File, s.Mapped = stat["total_rss"], stat["total_cache"], stat["total_mapped_file"]
	s.WorkingSet = max(0, s.Usage-stat["total_inactive_file"])
	return s, nil
}

// remove deletes the cgroup once its process has exited; pages still
// charged to it move to the parent.
func (c *memCgroup) remove() {
	for i := 0; i < 50; i++ {
		if err := os.Remove(c.dir); err == nil || errors.Is(err, os.ErrNotExist) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	logf("  could not remove cgroup %s", c.dir)
}

// evictPageCache asks the kernel to drop the cached pages of path
// (posix_fadvise DONTNEED), so a process started from it faults them in
// afresh and its cgroup is charged for them, as a container starting from
// an image layer whose pages no one has read is. Pages another process
// maps stay, and so would dirty ones (a binary just built), hence the
// sync first.
func evictPageCache(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	const posixFadvDontneed = 4
	if _, _, errno := syscall.Syscall6(syscall.SYS_FADVISE64, f.Fd(), 0, 0, posixFadvDontneed, 0, 0); errno != 0 {
		return fmt.Errorf("posix_fadvise %s: %w", path, errno)
	}
	return nil
}

package cluster

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// This machine mounts cgroup v1 hierarchies (one per controller under
// /sys/fs/cgroup, plus name=systemd), as many hosts still do. The node
// lives in one path that exists in every hierarchy, as the kubelet's
// cgroupfs driver expects of its cgroupRoot.

// hierarchies returns the mount points of the cgroup v1 hierarchies.
func hierarchies() ([]string, error) {
	return cgroupMounts(false)
}

// allHierarchies adds the cgroup v2 hierarchy that hybrid hosts mount
// beside the v1 ones (/sys/fs/cgroup/unified here): runc creates the
// containers' cgroups there too, so they are removed from it as well.
func allHierarchies() ([]string, error) {
	return cgroupMounts(true)
}

func cgroupMounts(withV2 bool) ([]string, error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	v1 := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS ... - FSTYPE SOURCE SUPER
		line := sc.Text()
		_, after, ok := strings.Cut(line, " - ")
		if !ok {
			continue
		}
		f := strings.Fields(after)
		if len(f) == 0 {
			continue
		}
		if f[0] == "cgroup" {
			v1++
		}
		if f[0] == "cgroup" || withV2 && f[0] == "cgroup2" {
			out = append(out, strings.Fields(line)[4])
		}
	}
	if v1 == 0 {
		return nil, errors.New("no cgroup v1 hierarchy is mounted: the node harness is written for cgroup v1 hosts such as this project's CI machines (kubelet with failCgroupV1: false); a cgroup v2 host is not supported yet")
	}
	return out, sc.Err()
}

// ownCgroups maps each hierarchy's controllers (as /proc/self/cgroup
// names them, e.g. "memory" or "name=systemd") to this process's path.
func ownCgroups() (map[string]string, error) {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) == 3 && parts[1] != "" {
			out[parts[1]] = parts[2]
		}
	}
	return out, nil
}

// ParentCgroup is where the node's cgroup goes: under this process's
// memory cgroup, so the node's memory counts where the process's does
// (a CI sandbox's limit, for one).
func ParentCgroup() string {
	own, err := ownCgroups()
	if err != nil {
		return "/"
	}
	if p, ok := own["memory"]; ok {
		return p
	}
	return "/"
}

// ownPath is this process's path in the hierarchy mounted at mp.
func ownPath(own map[string]string, mp string) string {
	base := filepath.Base(mp)
	for ctrls, p := range own {
		for _, c := range strings.Split(ctrls, ",") {
			if c == base || c == "name="+base {
				return p
			}
		}
	}
	return "/"
}

// createdCgroups are the directories joinCgroup created, outermost
// first, and origCgroups where this process was before; removeCgroup
// undoes both. Only the supervisor, one per process, uses them.
var (
	createdCgroups []string
	origCgroups    = map[string]string{}
)

// joinCgroup creates p/system in every hierarchy (with the parents it
// needs, cpuset ones given their parent's CPUs and memory nodes) and
// moves this process into it; its children are then born there.
func joinCgroup(p string) error {
	hs, err := hierarchies()
	if err != nil {
		return err
	}
	own, err := ownCgroups()
	if err != nil {
		return err
	}
	for _, mp := range hs {
		origCgroups[mp] = ownPath(own, mp)
		if err := mkCgroup(mp, path.Join(p, "system")); err != nil {
			return err
		}
		procs := filepath.Join(mp, p, "system", "cgroup.procs")
		if err := os.WriteFile(procs, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
			return fmt.Errorf("join %s: %w", procs, err)
		}
	}
	return nil
}

// mkCgroup creates p in the hierarchy at mp level by level, recording
// each level it created in createdCgroups.
func mkCgroup(mp, p string) error {
	cur := mp
	for _, part := range strings.Split(strings.Trim(p, "/"), "/") {
		parent := cur
		cur = filepath.Join(cur, part)
		if _, err := os.Stat(cur); err == nil {
			continue
		}
		if err := os.Mkdir(cur, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("create cgroup %s: %w", cur, err)
		}
		createdCgroups = append(createdCgroups, cur)
		if filepath.Base(mp) == "cpuset" {
			for _, f := range []string{"cpuset.cpus", "cpuset.mems"} {
				v, err := os.ReadFile(filepath.Join(parent, f))
				if err != nil {
					return err
				}
				if err := os.WriteFile(filepath.Join(cur, f), v, 0o644); err != nil {
					return fmt.Errorf("set %s of %s: %w", f, cur, err)
				}
			}
		}
	}
	return nil
}

// cgroupPids lists the processes in p and below, in the hierarchy at mp.
func cgroupPids(mp, p string) ([]int, error) {
	var pids []int
	root := filepath.Join(mp, p)
	err := filepath.WalkDir(root, func(dir string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
		if err != nil {
			return nil
		}
		for _, f := range strings.Fields(string(b)) {
			if pid, err := strconv.Atoi(f); err == nil {
				pids = append(pids, pid)
			}
		}
		return nil
	})
	return pids, err
}

// killCgroup kills every process in p and below except self, until none
// is left, and returns how many it killed.
func killCgroup(p string, self int) (int, error) {
	hs, err := hierarchies()
	if err != nil {
		return 0, err
	}
	// Every process is in every hierarchy; pids is the usual one, and
	// any will do.
	mp := hs[0]
	for _, h := range hs {
		if filepath.Base(h) == "pids" {
			mp = h
		}
	}
	killed := map[int]bool{}
	deadline := time.Now().Add(30 * time.Second)
	for {
		pids, err := cgroupPids(mp, p)
		if err != nil {
			return len(killed), err
		}
		left := 0
		for _, pid := range pids {
			if pid == self {
				continue
			}
			left++
			if err := syscall.Kill(pid, syscall.SIGKILL); err == nil {
				killed[pid] = true
			}
		}
		if left == 0 {
			return len(killed), nil
		}
		if time.Now().After(deadline) {
			return len(killed), fmt.Errorf("%d processes still in %s after 30s", left, p)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// removeCgroup removes p and everything below it in every hierarchy,
// deepest first, then the parents that joinCgroup created. The
// supervisor (inside) first moves itself back where it came from.
func removeCgroup(p string, inside bool) error {
	hs, err := allHierarchies()
	if err != nil {
		return err
	}
	var errs []error
	for _, mp := range hs {
		if inside {
			back := filepath.Join(mp, path.Dir(p))
			if o, ok := origCgroups[mp]; ok {
				back = filepath.Join(mp, o)
			}
			_ = os.WriteFile(filepath.Join(back, "cgroup.procs"), []byte(strconv.Itoa(os.Getpid())), 0o644)
		}
		var dirs []string
		_ = filepath.WalkDir(filepath.Join(mp, p), func(dir string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				dirs = append(dirs, dir)
			}
			return nil
		})
		sort.Slice(dirs, func(i, j int) bool { return len(dirs[i]) > len(dirs[j]) })
		for _, d := range dirs {
			var err error
			for try := 0; try < 50; try++ {
				if err = syscall.Rmdir(d); err == nil || errors.Is(err, fs.ErrNotExist) {
					err = nil
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("rmdir %s: %w", d, err))
			}
		}
	}
	for i := len(createdCgroups) - 1; i >= 0; i-- {
		if err := syscall.Rmdir(createdCgroups[i]); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("rmdir %s: %w", createdCgroups[i], err))
		}
	}
	return errors.Join(errs...)
}

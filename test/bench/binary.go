package main

import (
	"bufio"
	"cmp"
	"debug/buildinfo"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// buildFlags are the Makefile's `make build` flags, so the figures are
// those of the binary the image ships.
var buildFlags = []string{"-trimpath", "-ldflags", "-s -w"}

// binaryFigures are the manager binary's size, what each package tree
// contributes to it, and what its package initialisers cost.
type binaryFigures struct {
	Stripped   int64 // bytes, built as `make build` builds it
	Unstripped int64 // the same with its symbol table and DWARF
	Packages   int   // packages linked (go list -deps ., CGO off)
	Modules    int   // modules linked (the binary's build info)
	Symbols    int64 // bytes of code and data the symbol table attributes to a package
	Text       int64 // of them, code
	Sections   []sectionSize
	FuncMeta   int64 // .gopclntab and go:func.*: per-function metadata, named by no symbol
	Trees      []treeSize
	Init       initFigures
}

// sectionSize is one loaded ELF section of the binary.
type sectionSize struct {
	Name  string
	Bytes int64
}

// treeSize is the code and data of one package tree in the binary.
type treeSize struct {
	Tree  string
	Bytes int64 // code and data of its named symbols
	Text  int64 // of them, code
}

// withMeta estimates the tree's whole contribution: its symbols and a
// share of the per-function metadata (pclntab) in proportion to its code.
func (t treeSize) withMeta(f binaryFigures) float64 {
	if f.Text == 0 {
		return float64(t.Bytes)
	}
	return float64(t.Bytes) + float64(f.FuncMeta)*float64(t.Text)/float64(f.Text)
}

// initFigures are the costs GODEBUG=inittrace=1 reports for the package
// initialisers that run before main.
type initFigures struct {
	Clock         time.Duration
	Bytes, Allocs int64
	Top           []initCost // largest heap allocation first
}

// initCost is one package's initialiser.
type initCost struct {
	Pkg           string
	Clock         time.Duration
	Bytes, Allocs int64
}

// goBuild builds the manager from root into out with the Makefile's flags,
// without -s -w when symbols is set.
func goBuild(root, out string, symbols bool, env ...string) error {
	flags := buildFlags
	if symbols {
		flags = []string{"-trimpath"}
	}
	cmd := exec.Command("go", append(append([]string{"build"}, flags...), "-o", out, ".")...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = root, os.Stdout, os.Stderr
	cmd.Env = append(append(os.Environ(), "CGO_ENABLED=0"), env...)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build the manager: %w", err)
	}
	return nil
}

// measureBinary builds the manager twice in dir, stripped and with
// symbols, and measures it.
func measureBinary(root, dir string) (binaryFigures, error) {
	var f binaryFigures
	stripped, syms := filepath.Join(dir, "manager-stripped"), filepath.Join(dir, "manager-symbols")
	if err := goBuild(root, stripped, false); err != nil {
		return f, err
	}
	if err := goBuild(root, syms, true); err != nil {
		return f, err
	}
	for _, p := range []struct {
		path string
		into *int64
	}{{stripped, &f.Stripped}, {syms, &f.Unstripped}} {
		st, err := os.Stat(p.path)
		if err != nil {
			return f, err
		}
		*p.into = st.Size()
	}
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Dir, cmd.Env = root, append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		return f, fmt.Errorf("go list -deps: %w", err)
	}
	f.Packages = strings.Count(string(out), "\n")
	if err := packageSizes(syms, &f); err != nil {
		return f, err
	}
	f.Init, err = initTrace(stripped)
	return f, err
}

// packageSizes sums the sizes of the binary's symbols (what `go tool nm
// -size` lists) by package tree: a module for a dependency, a package (or
// providers/NAME, internal/NAME) of the operator's own module, a top-level
// package of the standard library. Symbols in no file section (.bss,
// .noptrbss: zeroed memory) take no room in the file and are left out, as
// are the runtime's tables that name no package (pclntab, the go:func.*
// and go:string.* symbols, type descriptors): the difference between the total and the
// stripped size. pclntab and go:func.* are per-function metadata; each
// tree's share of them is estimated in proportion to its code.
func packageSizes(path string, f *binaryFigures) error {
	bi, err := buildinfo.ReadFile(path)
	if err != nil {
		return err
	}
	f.Modules = len(bi.Deps)
	mods := []string{bi.Main.Path}
	for _, d := range bi.Deps {
		mods = append(mods, d.Path)
	}
	// Longest module path first, so a nested module wins over its parent.
	slices.SortFunc(mods, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	ef, err := elf.Open(path)
	if err != nil {
		return err
	}
	defer ef.Close()
	for _, sec := range ef.Sections {
		if sec.Flags&elf.SHF_ALLOC != 0 && sec.Type != elf.SHT_NOBITS {
			f.Sections = append(f.Sections, sectionSize{Name: sec.Name, Bytes: int64(sec.Size)})
			if sec.Name == ".gopclntab" {
				f.FuncMeta += int64(sec.Size)
			}
		}
	}
	syms, err := ef.Symbols()
	if err != nil {
		return fmt.Errorf("read the symbol table of %s: %w", path, err)
	}
	sums := map[string]*treeSize{}
	for _, s := range syms {
		if s.Size == 0 || int(s.Section) <= 0 || int(s.Section) >= len(ef.Sections) || ef.Sections[s.Section].Type == elf.SHT_NOBITS {
			continue
		}
		if s.Name == "go:func.*" {
			f.FuncMeta += int64(s.Size)
			continue
		}
		pkg := symbolPackage(s.Name)
		if pkg == "" {
			continue
		}
		tree := packageTree(pkg, bi.Main.Path, mods)
		t := sums[tree]
		if t == nil {
			t = &treeSize{Tree: tree}
			sums[tree] = t
		}
		t.Bytes += int64(s.Size)
		f.Symbols += int64(s.Size)
		if ef.Sections[s.Section].Flags&elf.SHF_EXECINSTR != 0 {
			t.Text += int64(s.Size)
			f.Text += int64(s.Size)
		}
	}
	for _, t := range sums {
		f.Trees = append(f.Trees, *t)
	}
	slices.SortFunc(f.Trees, func(a, b treeSize) int { return cmp.Compare(b.Bytes, a.Bytes) })
	return nil
}

// symbolPackage is the package a symbol belongs to, "" for the runtime's
// own tables and composite types' descriptors, which name none.
func symbolPackage(name string) string {
	for _, p := range []string{"type:", "go:itab.", ".eq.", ".hash."} {
		name = strings.TrimPrefix(name, p)
	}
	name = strings.TrimLeft(name, "*[]0123456789")
	if strings.HasPrefix(name, "go:") || strings.HasPrefix(name, "map[") || strings.HasPrefix(name, "func(") ||
		strings.HasPrefix(name, "struct {") || strings.HasPrefix(name, "interface {") || strings.HasPrefix(name, "chan ") {
		return ""
	}
	if i := strings.IndexAny(name, "[(,"); i >= 0 {
		name = name[:i]
	}
	slash := strings.LastIndexByte(name, '/')
	dot := strings.IndexByte(name[slash+1:], '.')
	if dot <= 0 {
		return ""
	}
	return name[:slash+1+dot]
}

// packageTree groups pkg: the operator's own packages by package
// (providers/NAME and internal/NAME with their subpackages), a dependency
// by its module, the standard library by its top-level package.
func packageTree(pkg, main string, mods []string) string {
	if rest, ok := strings.CutPrefix(pkg, main+"/"); ok {
		parts := strings.Split(rest, "/")
		if len(parts) > 1 && (parts[0] == "providers" || parts[0] == "internal") {
			parts = parts[:2]
		} else {
			parts = parts[:1]
		}
		return "(operator) " + strings.Join(parts, "/")
	}
	if pkg == main {
		return "(operator) main"
	}
	for _, m := range mods {
		if pkg == m || strings.HasPrefix(pkg, m+"/") {
			return m
		}
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(pkg, "vendor/"), "/")
	if !strings.Contains(first, ".") {
		return "(std) " + first
	}
	return pkg
}

// initTrace runs bin --version with GODEBUG=inittrace=1 and sums what each
// package's initialiser cost.
func initTrace(bin string) (initFigures, error) {
	var f initFigures
	cmd := exec.Command(bin, "--version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return f, fmt.Errorf("%s --version: %w", bin, err)
	}
	// init PKG @T ms, C ms clock, B bytes, A allocs
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 11 || fs[0] != "init" {
			continue
		}
		ms, err1 := strconv.ParseFloat(fs[4], 64)
		b, err2 := strconv.ParseInt(fs[7], 10, 64)
		a, err3 := strconv.ParseInt(fs[9], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil {
			continue
		}
		c := initCost{Pkg: fs[1], Clock: time.Duration(ms * float64(time.Millisecond)), Bytes: b, Allocs: a}
		f.Clock += c.Clock
		f.Bytes += c.Bytes
		f.Allocs += c.Allocs
		f.Top = append(f.Top, c)
	}
	if len(f.Top) == 0 {
		return f, fmt.Errorf("%s printed no init trace", bin)
	}
	slices.SortFunc(f.Top, func(a, b initCost) int { return cmp.Compare(b.Bytes, a.Bytes) })
	return f, nil
}

// buildTimes are a cold build (fresh module and build caches) and a warm
// rebuild of the manager.
type buildTimes struct {
	Cold, Warm time.Duration
}

// measureBuildTimes times `make build`'s compilation of the manager with a
// fresh module cache and build cache in dir (modules come from GOPROXY),
// then again with both caches warm and the binary removed: every package
// from the cache, the binary linked again.
func measureBuildTimes(root, dir string) (buildTimes, error) {
	var t buildTimes
	env := []string{"GOCACHE=" + filepath.Join(dir, "gocache"), "GOMODCACHE=" + filepath.Join(dir, "gomodcache"), "GOFLAGS=-modcacherw"}
	out := filepath.Join(dir, "manager")
	start := time.Now()
	if err := goBuild(root, out, false, env...); err != nil {
		return t, err
	}
	t.Cold = time.Since(start)
	if err := os.Remove(out); err != nil {
		return t, err
	}
	start = time.Now()
	if err := goBuild(root, out, false, env...); err != nil {
		return t, err
	}
	t.Warm = time.Since(start)
	return t, nil
}

package chart_test

import (
	"context"
	"debug/buildinfo"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBuildAll checks what `make build-all` writes (what the image's build
// stage does per platform): each binary is a static Linux executable for its
// platform, built with -trimpath. Under `make test` it builds one platform,
// linux/arm/v7: 32-bit ARM for the Raspberry Pi 2/3 and most armv7 boards
// running k3s, where code that compiles on a 64-bit machine can break
// (constants overflowing int, 64-bit atomics), while the native build is
// already paid for by the rest of the suite. Three cross-compiles from a
// cold cache took longer than go test's default 10 minutes on 2 cores, so
// all platforms are checked by `make test-build-all`, which builds them
// once and runs this test on its output (BUILD_ALL_DIR, PLATFORMS).
func TestBuildAll(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles the manager")
	}
	dir, platforms := os.Getenv("BUILD_ALL_DIR"), os.Getenv("PLATFORMS")
	if dir == "" {
		dir, platforms = t.TempDir(), "linux/arm/v7"
		// Bounded below the package's -timeout, so a slow machine fails
		// with the build's output rather than a timeout panic.
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "make", "--no-print-directory", "build-all", "PLATFORMS="+platforms, "BUILD_DIR="+dir, "VERSION=v0.0.0-test")
		cmd.Dir = repoRoot
		cmd.Env = withoutMakeFlags(os.Environ())
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("make build-all: %v\n%s", err, out)
		}
	} else if platforms == "" {
		t.Fatal("BUILD_ALL_DIR is set without PLATFORMS: run `make test-build-all`")
	}
	cases := map[string]struct {
		file    string
		machine elf.Machine
		class   elf.Class
		goarch  string
		goarm   string
	}{
		"linux/amd64":  {"manager-linux-amd64", elf.EM_X86_64, elf.ELFCLASS64, "amd64", ""},
		"linux/arm64":  {"manager-linux-arm64", elf.EM_AARCH64, elf.ELFCLASS64, "arm64", ""},
		"linux/arm/v7": {"manager-linux-arm-v7", elf.EM_ARM, elf.ELFCLASS32, "arm", "7"},
	}
	for _, platform := range strings.Split(platforms, ",") {
		tc, ok := cases[platform]
		if !ok {
			t.Errorf("platform %q: this test knows no ELF machine for it; add it to the table", platform)
			continue
		}
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			f, err := elf.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = f.Close() }()
			if f.Machine != tc.machine || f.Class != tc.class || f.Type != elf.ET_EXEC {
				t.Errorf("ELF machine %v class %v type %v", f.Machine, f.Class, f.Type)
			}
			for _, p := range f.Progs {
				if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
					t.Errorf("dynamically linked (%v): distroless static cannot run it", p.Type)
				}
			}
			info, err := buildinfo.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			settings := map[string]string{}
			for _, s := range info.Settings {
				settings[s.Key] = s.Value
			}
			want := map[string]string{"GOOS": "linux", "GOARCH": tc.goarch, "CGO_ENABLED": "0", "-trimpath": "true"}
			if tc.goarm != "" {
				want["GOARM"] = tc.goarm
			}
			for k, v := range want {
				if settings[k] != v {
					t.Errorf("build setting %s = %q, want %q", k, settings[k], v)
				}
			}
			if info.Main.Path != "github.com/ddns-operator/ddns-operator" {
				t.Errorf("main module %q", info.Main.Path)
			}
			if st, err := os.Stat(path); err == nil && st.Mode()&0o111 == 0 {
				t.Errorf("not executable: %v", st.Mode())
			}
		})
	}
}

// withoutMakeFlags drops the variables an enclosing make (`make test`)
// passes down, so the make a test runs is a make of its own.
func withoutMakeFlags(env []string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if name != "MAKEFLAGS" && name != "MFLAGS" && name != "MAKELEVEL" && name != "MAKEOVERRIDES" {
			out = append(out, kv)
		}
	}
	return out
}

// TestManagerAcceptsRenderedArgs runs the real manager binary with the
// args each values file renders, and no cluster to talk to: it must get
// past flag parsing and detector setup (sources, policy, source lists) and
// stop only at "no Kubernetes API", so no rendering crash-loops the pod.
func TestManagerAcceptsRenderedArgs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the manager")
	}
	bin := filepath.Join(t.TempDir(), "manager")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, file := range append([]string{""}, ciValues...) {
		var files []string
		if file != "" {
			files = []string{file}
		}
		_, args := manager(t, deployment(t, renderFiles(t, files...)))
		cmd := exec.Command(bin, args...)
		cmd.Env = []string{"HOME=" + t.TempDir(), "KUBECONFIG=" + filepath.Join(t.TempDir(), "none")}
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "no Kubernetes API to talk to") {
			t.Errorf("%s: manager %q: %v\n%s", file, args, err, out)
		}
	}
}

package chart_test

import (
	"debug/buildinfo"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildAll runs `make build-all` (what the image's build stage does per
// platform) and checks each binary is a static Linux executable for its
// platform: amd64, arm64, and 32-bit ARM built for ARMv7 (the Raspberry Pi
// 2/3 and most armv7 boards running k3s).
func TestBuildAll(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles the manager three times")
	}
	dir := t.TempDir()
	cmd := exec.Command("make", "build-all", "BUILD_DIR="+dir, "VERSION=v0.0.0-test")
	cmd.Dir = repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make build-all: %v\n%s", err, out)
	}
	cases := []struct {
		file    string
		machine elf.Machine
		class   elf.Class
		goarch  string
		goarm   string
	}{
		{"manager-linux-amd64", elf.EM_X86_64, elf.ELFCLASS64, "amd64", ""},
		{"manager-linux-arm64", elf.EM_AARCH64, elf.ELFCLASS64, "arm64", ""},
		{"manager-linux-arm-v7", elf.EM_ARM, elf.ELFCLASS32, "arm", "7"},
	}
	for _, tc := range cases {
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

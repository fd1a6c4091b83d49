package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/hack/image/ociimage"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	Cmd  string // upper case, e.g. RUN
	Args string
}

// parseDockerfile returns the stages' instructions, each stage starting
// with its FROM.
func parseDockerfile(t *testing.T, path string) [][]instruction {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var stages [][]instruction
	var cur strings.Builder
	flush := func() {
		line := strings.TrimSpace(cur.String())
		cur.Reset()
		if line == "" {
			return
		}
		cmd, args, _ := strings.Cut(line, " ")
		in := instruction{Cmd: strings.ToUpper(cmd), Args: strings.TrimSpace(args)}
		if in.Cmd == "FROM" {
			stages = append(stages, nil)
		}
		if len(stages) == 0 {
			t.Fatalf("%s: %s before the first FROM", path, in.Cmd)
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], in)
	}
	for _, line := range strings.Split(string(b), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") {
			continue
		}
		if strings.HasSuffix(trimmed, "\\") {
			cur.WriteString(strings.TrimSuffix(trimmed, "\\") + " ")
			continue
		}
		cur.WriteString(trimmed)
		flush()
	}
	flush()
	return stages
}

// The Dockerfile (for Docker users) and `make image` (hack/image, what the
// release and the real-node test run) must make the same image: the same
// user, entrypoint and files. The Dockerfile's file tree is written by the
// command its RUN line names; the test runs that very command and the
// image build on one manager binary and compares the results.
func TestDockerfileAgreesWithMakeImage(t *testing.T) {
	root := filepath.Join("..", "..")
	stages := parseDockerfile(t, filepath.Join(root, "Dockerfile"))
	if len(stages) != 2 {
		t.Fatalf("want a build stage and a final stage, got %d stages", len(stages))
	}
	final := stages[1]
	wantFinal := []string{"FROM scratch", "COPY --from=build /rootfs/ /", "USER " + ociimage.User}
	for i, w := range wantFinal {
		if i >= len(final) || final[i].Cmd+" "+final[i].Args != w {
			t.Fatalf("final stage instruction %d: want %q, got %+v", i, w, final)
		}
	}
	last := final[len(final)-1]
	var entry []string
	if last.Cmd != "ENTRYPOINT" || json.Unmarshal([]byte(last.Args), &entry) != nil {
		t.Fatalf("final stage must end with an ENTRYPOINT in JSON form, got %+v", last)
	}
	if !slices.Equal(entry, ociimage.Manager.Entrypoint) || len(final) != 4 {
		t.Fatalf("Dockerfile final stage %+v; want %v and user %s only", final, ociimage.Manager.Entrypoint, ociimage.User)
	}

	// The build stage compiles the manager as `make build-all` does and
	// writes the file tree with hack/image.
	var build, rootfs string
	for _, in := range stages[0] {
		if in.Cmd != "RUN" {
			continue
		}
		if strings.Contains(in.Args, "go build") {
			build = in.Args
		}
		if strings.Contains(in.Args, "./hack/image rootfs") {
			rootfs = in.Args
		}
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", `-ldflags "-s -w -X main.version=`, "-o /out/manager"} {
		if !strings.Contains(build, want) {
			t.Errorf("the Dockerfile's go build lacks %q (make build-all uses it): %s", want, build)
		}
	}
	makefile, err := os.ReadFile(filepath.Join(root, "hack", "make", "packaging.mk"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(makefile, []byte(`go build -trimpath -ldflags "-s -w -X main.version=`)) {
		t.Error("make build-all no longer builds with the Dockerfile's flags")
	}
	args := strings.Fields(rootfs)
	if len(args) < 3 || args[0] != "go" || args[1] != "run" || strings.ContainsAny(rootfs, "&;|><$`") {
		t.Fatalf("the Dockerfile's rootfs step must be one plain `go run ./hack/image rootfs ...` (anything more would add files this test cannot see): %q", rootfs)
	}

	// One fake manager for both builds; its bytes must land as /manager.
	tmp := t.TempDir()
	bins := filepath.Join(tmp, "bin")
	if err := os.MkdirAll(bins, 0o755); err != nil {
		t.Fatal(err)
	}
	manager := []byte("#!fake manager " + time.Now().String())
	if err := os.WriteFile(filepath.Join(bins, "manager-linux-arm-v7"), manager, 0o755); err != nil {
		t.Fatal(err)
	}
	tree := filepath.Join(tmp, "rootfs")
	replaced := strings.NewReplacer("/out/manager", filepath.Join(bins, "manager-linux-arm-v7"), "/rootfs", tree)
	for i := range args {
		args[i] = replaced.Replace(args[i])
	}
	run(t, root, args...)
	archive := filepath.Join(tmp, "image.oci.tar")
	run(t, root, "go", "run", "./hack/image", "build", "--platforms", "linux/arm/v7", "--binaries", bins,
		"--ref", "example.test/ddns-operator:t", "--out", archive, "--source-date-epoch", "1700000000")

	idx, dir, err := ociimage.ReadArchive(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	imgs, err := ociimage.Describe(idx)
	if err != nil {
		t.Fatal(err)
	}
	if len(imgs) != 1 || imgs[0].Platform != (ociimage.Platform{OS: "linux", Arch: "arm", Variant: "v7"}) {
		t.Fatalf("want one linux/arm/v7 image, got %+v", imgs)
	}
	img := imgs[0]
	if img.User != ociimage.User || !slices.Equal(img.Entrypoint, entry) {
		t.Errorf("image: user %q entrypoint %v; Dockerfile: USER %s ENTRYPOINT %v", img.User, img.Entrypoint, ociimage.User, entry)
	}
	fromTree := readTree(t, tree)
	if !reflect.DeepEqual(summarize(img.Files), summarize(fromTree)) {
		t.Errorf("files differ:\n make image: %v\n Dockerfile: %v", summarize(img.Files), summarize(fromTree))
	}
	want := []string{"/etc", "/etc/group", "/etc/passwd", "/etc/ssl", "/etc/ssl/certs", ociimage.CABundlePath, ociimage.ManagerPath}
	var got []string
	for _, f := range img.Files {
		got = append(got, f.Path)
		if f.Path == ociimage.ManagerPath && !bytes.Equal(f.Data, manager) {
			t.Error("/manager is not the binary given")
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("the image holds %v; want exactly %v (no shell, nothing else)", got, want)
	}
}

// summarize is path, kind, mode and content digest of each file, sorted.
func summarize(files []ociimage.File) []string {
	var out []string
	for _, f := range files {
		kind := "file"
		if f.Dir {
			kind = "dir"
		}
		sum := sha256.Sum256(f.Data)
		out = append(out, fmt.Sprintf("%s %s %s %x", f.Path, kind, f.Mode.Perm(), sum[:8]))
	}
	slices.Sort(out)
	return out
}

func readTree(t *testing.T, dir string) []ociimage.File {
	t.Helper()
	var files []ociimage.File
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		f := ociimage.File{Path: "/" + filepath.ToSlash(rel), Mode: fi.Mode().Perm(), Dir: d.IsDir()}
		if !d.IsDir() {
			if f.Data, err = os.ReadFile(p); err != nil {
				return err
			}
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func run(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

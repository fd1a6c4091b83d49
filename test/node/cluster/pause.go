package cluster

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/ddns-operator/ddns-operator/hack/image/ociimage"
)

// BuildPause builds test/node/pause from the checkout at root and writes
// it as an OCI archive named PauseImage to out: the node's sandbox image,
// since registry.k8s.io cannot be reached from here.
func BuildPause(ctx context.Context, root, out string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	bin := out + ".bin"
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "./test/node/pause")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build the pause binary: %w: %s", err, b)
	}
	defer os.Remove(bin)
	data, err := os.ReadFile(bin)
	if err != nil {
		return err
	}
	p := ociimage.Platform{OS: "linux", Arch: runtime.GOARCH}
	img, err := ociimage.Image(p, []ociimage.File{{Path: "/pause", Mode: 0o755, Data: data}},
		ociimage.Config{Entrypoint: []string{"/pause"}, User: "65535:65535", Title: "pause", Description: "the real-node test's sandbox container"},
		ociimage.Meta{Version: "1", Created: time.Unix(0, 0).UTC()})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	return ociimage.WriteArchive(out, ociimage.NewIndex(ociimage.PlatformImage{Platform: p, Image: img}), PauseImage)
}

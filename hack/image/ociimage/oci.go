package ociimage

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Platform is one entry of the multi-arch index, e.g. linux/arm/v7.
type Platform struct {
	OS, Arch, Variant string
}

// ParsePlatforms reads "linux/amd64,linux/arm/v7".
func ParsePlatforms(s string) ([]Platform, error) {
	var out []Platform
	for _, p := range strings.Split(s, ",") {
		parts := strings.Split(strings.TrimSpace(p), "/")
		if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
			return nil, fmt.Errorf("platform %q: want os/arch or os/arch/variant", p)
		}
		if parts[0] != "linux" {
			return nil, fmt.Errorf("platform %q: the image is for linux only", p)
		}
		pl := Platform{OS: parts[0], Arch: parts[1]}
		if len(parts) == 3 {
			pl.Variant = parts[2]
		}
		out = append(out, pl)
	}
	return out, nil
}

func (p Platform) String() string {
	if p.Variant != "" {
		return p.OS + "/" + p.Arch + "/" + p.Variant
	}
	return p.OS + "/" + p.Arch
}

// BinaryName is the name `make build-all` gives the manager built for p.
func (p Platform) BinaryName() string {
	n := "manager-" + p.OS + "-" + p.Arch
	if p.Variant != "" {
		n += "-" + p.Variant
	}
	return n
}

// Meta is what the image says about itself in OCI annotations and labels.
type Meta struct {
	Version, Revision, Source string
	// Created is every timestamp in the image (config, layer entries):
	// the commit time, so a rebuild of the same commit is byte-identical.
	Created time.Time
}

func (m Meta) labels(c Config) map[string]string {
	l := map[string]string{
		"org.opencontainers.image.title":       c.Title,
		"org.opencontainers.image.description": c.Description,
		"org.opencontainers.image.version":     m.Version,
		"org.opencontainers.image.created":     m.Created.UTC().Format(time.RFC3339),
	}
	if m.Revision != "" {
		l["org.opencontainers.image.revision"] = m.Revision
	}
	if m.Source != "" {
		l["org.opencontainers.image.source"] = m.Source
	}
	return l
}

// Image is the single-layer image for one platform: files, the
// entrypoint and the user of c, with OCI media types.
func Image(p Platform, files []File, c Config, meta Meta) (v1.Image, error) {
	var layerTar bytes.Buffer
	if err := LayerTar(&layerTar, files, meta.Created); err != nil {
		return nil, err
	}
	data := layerTar.Bytes()
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, err
	}
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err = mutate.ConfigFile(img, &v1.ConfigFile{
		OS:           p.OS,
		Architecture: p.Arch,
		Variant:      p.Variant,
		Created:      v1.Time{Time: meta.Created},
		Config: v1.Config{
			Entrypoint: c.Entrypoint,
			User:       c.User,
			WorkingDir: "/",
			Labels:     meta.labels(c),
		},
		RootFS: v1.RootFS{Type: "layers"},
	})
	if err != nil {
		return nil, err
	}
	return mutate.Append(img, mutate.Addendum{
		Layer:   layer,
		History: v1.History{Created: v1.Time{Time: meta.Created}, CreatedBy: "hack/image build"},
	})
}

// Index is the manager's multi-arch index over one image per platform,
// the manager of each read from binDir (as `make build-all` names them).
func Index(platforms []Platform, binDir string, meta Meta) (v1.ImageIndex, error) {
	var imgs []PlatformImage
	for _, p := range platforms {
		bin, err := os.ReadFile(filepath.Join(binDir, p.BinaryName()))
		if err != nil {
			return nil, fmt.Errorf("manager for %s: %w (build it with make build-all)", p, err)
		}
		files, err := Files(bin)
		if err != nil {
			return nil, err
		}
		img, err := Image(p, files, Manager, meta)
		if err != nil {
			return nil, fmt.Errorf("image for %s: %w", p, err)
		}
		imgs = append(imgs, PlatformImage{Platform: p, Image: img})
	}
	return NewIndex(imgs...), nil
}

// PlatformImage is one entry of an index.
type PlatformImage struct {
	Platform Platform
	Image    v1.Image
}

// NewIndex is an OCI image index over imgs.
func NewIndex(imgs ...PlatformImage) v1.ImageIndex {
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	for _, pi := range imgs {
		p := pi.Platform
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{
			Add: pi.Image,
			Descriptor: v1.Descriptor{
				Platform: &v1.Platform{OS: p.OS, Architecture: p.Arch, Variant: p.Variant},
			},
		})
	}
	return idx
}

// WriteArchive writes idx as an OCI image layout in a tar file (what
// `ctr images import`, `podman load`, `skopeo copy oci-archive:` and
// `hack/image push` read), named ref in the annotations containerd and
// the OCI spec use.
func WriteArchive(out string, idx v1.ImageIndex, ref string) error {
	dir, err := os.MkdirTemp("", "ddns-image-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return err
	}
	ann := map[string]string{"io.containerd.image.name": ref}
	if _, tag, ok := strings.Cut(ref[strings.LastIndex(ref, "/")+1:], ":"); ok {
		ann["org.opencontainers.image.ref.name"] = tag
	}
	if err := p.AppendIndex(idx, layout.WithAnnotations(ann)); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	tmp := out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := tarDir(f, dir); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}

// tarDir writes dir's regular files and directories in name order with
// zero timestamps, so the archive's bytes depend only on its content.
func tarDir(w io.Writer, dir string) error {
	var paths []string
	if err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		paths = append(paths, p)
		return nil
	}); err != nil {
		return err
	}
	sort.Strings(paths)
	tw := tar.NewWriter(w)
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		h := &tar.Header{Name: filepath.ToSlash(rel), Mode: 0o644, ModTime: time.Unix(0, 0), Format: tar.FormatPAX}
		if fi.IsDir() {
			h.Typeflag, h.Name, h.Mode = tar.TypeDir, h.Name+"/", 0o755
			if err := tw.WriteHeader(h); err != nil {
				return err
			}
			continue
		}
		h.Typeflag, h.Size = tar.TypeReg, fi.Size()
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		_, err = io.Copy(tw, f)
		_ = f.Close()
		if err != nil {
			return err
		}
	}
	return tw.Close()
}

// ReadArchive unpacks an archive WriteArchive wrote into a new temporary
// directory and returns its index; remove the directory when done.
func ReadArchive(archive string) (v1.ImageIndex, string, error) {
	dir, err := os.MkdirTemp("", "ddns-image-")
	if err != nil {
		return nil, "", err
	}
	if err := untar(archive, dir); err != nil {
		_ = os.RemoveAll(dir)
		return nil, "", err
	}
	outer, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, "", err
	}
	m, err := outer.IndexManifest()
	if err != nil || len(m.Manifests) != 1 {
		_ = os.RemoveAll(dir)
		return nil, "", fmt.Errorf("%s: want one image index in index.json (%w)", archive, err)
	}
	idx, err := outer.ImageIndex(m.Manifests[0].Digest)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, "", err
	}
	return idx, dir, nil
}

func untar(archive, dir string) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		p := filepath.Join(dir, filepath.FromSlash(h.Name))
		if !strings.HasPrefix(p, filepath.Clean(dir)+string(os.PathSeparator)) {
			return fmt.Errorf("%s: entry %q leaves the archive", archive, h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			out, err := os.Create(p)
			if err != nil {
				return err
			}
			_, err = io.Copy(out, tr)
			_ = out.Close()
			if err != nil {
				return err
			}
		}
	}
}

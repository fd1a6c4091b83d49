package ociimage

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Described is what one platform's image holds, as read back from an
// index: the facts the Dockerfile must agree with.
type Described struct {
	Platform   Platform
	Digest     v1.Hash
	Entrypoint []string
	User       string
	Files      []File
}

// Describe reads every image of idx: platform, config and the files of
// its layers, in layer order.
func Describe(idx v1.ImageIndex) ([]Described, error) {
	m, err := idx.IndexManifest()
	if err != nil {
		return nil, err
	}
	var out []Described
	for _, desc := range m.Manifests {
		img, err := idx.Image(desc.Digest)
		if err != nil {
			return nil, err
		}
		cfg, err := img.ConfigFile()
		if err != nil {
			return nil, err
		}
		d := Described{Digest: desc.Digest, Entrypoint: cfg.Config.Entrypoint, User: cfg.Config.User}
		if desc.Platform != nil {
			d.Platform = Platform{OS: desc.Platform.OS, Arch: desc.Platform.Architecture, Variant: desc.Platform.Variant}
		}
		if d.Platform.OS != cfg.OS || d.Platform.Arch != cfg.Architecture || d.Platform.Variant != cfg.Variant {
			return nil, fmt.Errorf("%s: the index says %s, the config %s/%s/%s", desc.Digest, d.Platform, cfg.OS, cfg.Architecture, cfg.Variant)
		}
		layers, err := img.Layers()
		if err != nil {
			return nil, err
		}
		for _, l := range layers {
			files, err := layerFiles(l)
			if err != nil {
				return nil, err
			}
			d.Files = append(d.Files, files...)
		}
		out = append(out, d)
	}
	return out, nil
}

func layerFiles(l v1.Layer) ([]File, error) {
	rc, err := l.Uncompressed()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var files []File
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files, nil
		}
		if err != nil {
			return nil, err
		}
		f := File{Path: "/" + trimSlash(h.Name), Mode: os.FileMode(h.Mode).Perm()}
		switch h.Typeflag {
		case tar.TypeDir:
			f.Dir = true
		case tar.TypeReg:
			if f.Data, err = io.ReadAll(tr); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("layer entry %s: type %c, want only files and directories", h.Name, h.Typeflag)
		}
		if h.Uid != 0 || h.Gid != 0 {
			return nil, fmt.Errorf("layer entry %s: owned by %d:%d, want root", h.Name, h.Uid, h.Gid)
		}
		files = append(files, f)
	}
}

func trimSlash(s string) string {
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}

// Package ociimage is the definition of the ddns-operator container image
// (its file tree, user and entrypoint) and the code that writes it as a
// multi-arch OCI image with go-containerregistry, with no Docker daemon and
// no base image. hack/image is its command line; the real-node test builds
// its pause image with it too.
package ociimage

import (
	"archive/tar"
	"bytes"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"golang.org/x/crypto/x509roots/fallback/bundle"
)

// The image's definition. The Dockerfile states the same facts (USER,
// ENTRYPOINT, and the file tree through `hack/image rootfs`); the image
// test in this directory fails when the two drift apart.
const (
	// User is the numeric user and group the manager runs as: not root,
	// and numeric so that Kubernetes can check runAsNonRoot without
	// reading /etc/passwd.
	User = "65532:65532"
	// ManagerPath is where the manager binary lives, and the entrypoint.
	ManagerPath = "/manager"
	// CABundlePath is the CA bundle Go's crypto/x509 reads first on Linux.
	CABundlePath = "/etc/ssl/certs/ca-certificates.crt"
)

// Config is the part of an image's configuration this package sets.
type Config struct {
	// Entrypoint is the ENTRYPOINT.
	Entrypoint []string
	// User is the USER, numeric.
	User string
	// Title is org.opencontainers.image.title.
	Title string
	// Description is org.opencontainers.image.description.
	Description string
}

// Manager is the manager image's configuration.
var Manager = Config{
	Entrypoint:  []string{ManagerPath},
	User:        User,
	Title:       "ddns-operator",
	Description: "Kubernetes operator that keeps DNS records pointing at the cluster's egress IP",
}

// File is one entry of the image's file tree.
type File struct {
	// Path is absolute, e.g. "/etc/passwd".
	Path string
	// Mode holds the permission bits.
	Mode os.FileMode
	// Dir marks a directory; Data is then empty.
	Dir bool
	// Data is the file's content.
	Data []byte
}

// passwd and group name the numeric user, for tools that print names; the
// manager itself never reads them.
const (
	passwd = "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
	group  = "root:x:0:\nnonroot:x:65532:\n"
)

// Files is the whole file tree of the image for one manager binary: the
// manager, the CA bundle, passwd and group, and their directories. No
// shell, no package manager, nothing else.
func Files(manager []byte) ([]File, error) {
	ca, err := CABundle()
	if err != nil {
		return nil, err
	}
	return []File{
		{Path: "/etc", Mode: 0o755, Dir: true},
		{Path: "/etc/group", Mode: 0o644, Data: []byte(group)},
		{Path: "/etc/passwd", Mode: 0o644, Data: []byte(passwd)},
		{Path: "/etc/ssl", Mode: 0o755, Dir: true},
		{Path: "/etc/ssl/certs", Mode: 0o755, Dir: true},
		{Path: CABundlePath, Mode: 0o644, Data: ca},
		{Path: ManagerPath, Mode: 0o755, Data: manager},
	}, nil
}

// CABundle is Mozilla's root store as shipped in the Go module
// golang.org/x/crypto/x509roots/fallback (version pinned in go.mod, so the
// bundle changes only with a reviewed dependency update, never with the
// build machine), PEM-encoded. Roots that Mozilla trusts only for
// certificates issued before a date carry a constraint a PEM file cannot
// express; they are left out, as a distrusted root should be.
func CABundle() ([]byte, error) {
	var buf bytes.Buffer
	n := 0
	for r := range bundle.Roots() {
		if r.Constraint != nil {
			continue
		}
		if err := pem.Encode(&buf, &pem.Block{Type: "CERTIFICATE", Bytes: r.Certificate}); err != nil {
			return nil, err
		}
		n++
	}
	if n < 50 {
		return nil, fmt.Errorf("the CA bundle holds only %d roots", n)
	}
	return buf.Bytes(), nil
}

// LayerTar writes files as an uncompressed tar owned by root, every
// timestamp set to mtime so that the same inputs give the same digest.
func LayerTar(w io.Writer, files []File, mtime time.Time) error {
	tw := tar.NewWriter(w)
	sorted := append([]File(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	for _, f := range sorted {
		h := &tar.Header{
			Name:    f.Path[1:],
			Mode:    int64(f.Mode.Perm()),
			ModTime: mtime,
			Format:  tar.FormatPAX,
		}
		if f.Dir {
			h.Typeflag = tar.TypeDir
			h.Name += "/"
		} else {
			h.Typeflag = tar.TypeReg
			h.Size = int64(len(f.Data))
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(f.Data); err != nil {
			return err
		}
	}
	return tw.Close()
}

// WriteTree writes files under dir, for the Dockerfile's
// `COPY --from=build /rootfs/ /`.
func WriteTree(dir string, files []File) error {
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if f.Dir {
			if err := os.MkdirAll(p, f.Mode.Perm()); err != nil {
				return err
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, f.Mode.Perm()); err != nil {
			return err
		}
		// WriteFile's mode is filtered by the umask; the image's is not.
		if err := os.Chmod(p, f.Mode.Perm()); err != nil {
			return err
		}
	}
	return nil
}

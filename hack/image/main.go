// Command image builds the ddns-operator container image without a Docker
// daemon or a base image, with go-containerregistry: one layer holding the
// static manager, a CA bundle and passwd/group, the non-root numeric user
// 65532 and /manager as the entrypoint, for each platform in one OCI
// index, written as an OCI layout archive. `make image` runs it; the
// release workflow pushes the same archive.
//
//	image build --platforms linux/amd64,linux/arm64,linux/arm/v7 --binaries bin/release --ref REF --out FILE
//	image rootfs --manager FILE --out DIR    (the Dockerfile's file tree)
//	image push --archive FILE --ref REF      (to a registry, with the docker login's credentials)
//	image inspect --archive FILE             (platforms, digests, entrypoint, user, files)
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ddns-operator/ddns-operator/hack/image/ociimage"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "build":
		err = build(os.Args[2:])
	case "rootfs":
		err = rootfs(os.Args[2:])
	case "push":
		err = push(os.Args[2:])
	case "inspect":
		err = inspect(os.Args[2:])
	case "-h", "--help", "help":
		usage()
	default:
		fmt.Fprintf(os.Stderr, "image: unknown command %q\n", os.Args[1])
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: image build|rootfs|push|inspect [flags]  (image CMD -h for the flags)")
	os.Exit(2)
}

func build(args []string) error {
	fs := flag.NewFlagSet("build", flag.ExitOnError)
	platforms := fs.String("platforms", "linux/amd64,linux/arm64,linux/arm/v7", "platforms of the index")
	binaries := fs.String("binaries", "bin/release", "directory holding manager-<os>-<arch>[-<variant>] as make build-all writes them")
	ref := fs.String("ref", "ghcr.io/ddns-operator/ddns-operator:dev", "the image's name, recorded in the archive")
	out := fs.String("out", "bin/image/ddns-operator.oci.tar", "the OCI layout archive to write")
	version := fs.String("version", "dev", "org.opencontainers.image.version")
	revision := fs.String("revision", "", "org.opencontainers.image.revision (the git commit)")
	source := fs.String("source", "https://github.com/ddns-operator/ddns-operator", "org.opencontainers.image.source")
	epoch := fs.String("source-date-epoch", os.Getenv("SOURCE_DATE_EPOCH"), "timestamp of every file and of the config, in Unix seconds (the commit time gives reproducible images)")
	_ = fs.Parse(args)
	ps, err := ociimage.ParsePlatforms(*platforms)
	if err != nil {
		return err
	}
	created := time.Unix(0, 0).UTC()
	if *epoch != "" {
		sec, err := strconv.ParseInt(*epoch, 10, 64)
		if err != nil {
			return fmt.Errorf("source-date-epoch %q: want Unix seconds", *epoch)
		}
		created = time.Unix(sec, 0).UTC()
	}
	start := time.Now()
	idx, err := ociimage.Index(ps, *binaries, ociimage.Meta{Version: *version, Revision: *revision, Source: *source, Created: created})
	if err != nil {
		return err
	}
	if err := ociimage.WriteArchive(*out, idx, *ref); err != nil {
		return err
	}
	d, err := idx.Digest()
	if err != nil {
		return err
	}
	fi, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Printf("image: %s (%s) for %s -> %s, %.1f MB, in %.1fs\n", *ref, d, *platforms, *out, float64(fi.Size())/1e6, time.Since(start).Seconds())
	return nil
}

func rootfs(args []string) error {
	fs := flag.NewFlagSet("rootfs", flag.ExitOnError)
	manager := fs.String("manager", "", "the manager binary")
	out := fs.String("out", "", "directory to write the file tree into")
	_ = fs.Parse(args)
	if *manager == "" || *out == "" {
		return fmt.Errorf("rootfs needs --manager and --out")
	}
	bin, err := os.ReadFile(*manager)
	if err != nil {
		return err
	}
	files, err := ociimage.Files(bin)
	if err != nil {
		return err
	}
	return ociimage.WriteTree(*out, files)
}

func push(args []string) error {
	fs := flag.NewFlagSet("push", flag.ExitOnError)
	archive := fs.String("archive", "bin/image/ddns-operator.oci.tar", "the archive `image build` wrote")
	ref := fs.String("ref", "", "where to push, e.g. ghcr.io/OWNER/ddns-operator:v1.2.3")
	_ = fs.Parse(args)
	if *ref == "" {
		return fmt.Errorf("push needs --ref")
	}
	r, err := name.ParseReference(*ref)
	if err != nil {
		return err
	}
	idx, dir, err := ociimage.ReadArchive(*archive)
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := remote.WriteIndex(r, idx, remote.WithAuthFromKeychain(authn.DefaultKeychain)); err != nil {
		return fmt.Errorf("push %s: %w", r, err)
	}
	d, err := idx.Digest()
	if err != nil {
		return err
	}
	fmt.Printf("%s@%s\n", r.Context(), d)
	return nil
}

func inspect(args []string) error {
	fs := flag.NewFlagSet("inspect", flag.ExitOnError)
	archive := fs.String("archive", "bin/image/ddns-operator.oci.tar", "the archive `image build` wrote")
	_ = fs.Parse(args)
	idx, dir, err := ociimage.ReadArchive(*archive)
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	d, err := idx.Digest()
	if err != nil {
		return err
	}
	fmt.Printf("index %s\n", d)
	imgs, err := ociimage.Describe(idx)
	if err != nil {
		return err
	}
	for _, im := range imgs {
		fmt.Printf("%s %s entrypoint=%v user=%s\n", im.Platform, im.Digest, im.Entrypoint, im.User)
		for _, f := range im.Files {
			fmt.Printf("  %s %s %d\n", f.Mode, f.Path, len(f.Data))
		}
	}
	return nil
}

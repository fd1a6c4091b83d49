package ociimage

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestParsePlatforms(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    []Platform
		wantErr bool
	}{
		{in: "linux/amd64", want: []Platform{{OS: "linux", Arch: "amd64"}}},
		{in: "linux/amd64, linux/arm/v7", want: []Platform{{OS: "linux", Arch: "amd64"}, {OS: "linux", Arch: "arm", Variant: "v7"}}},
		{in: "windows/amd64", wantErr: true},
		{in: "linux", wantErr: true},
		{in: "linux/arm/v7/x", wantErr: true},
		{in: "", wantErr: true},
	} {
		got, err := ParsePlatforms(tc.in)
		if (err != nil) != tc.wantErr {
			t.Errorf("%q: err %v, want error %v", tc.in, err, tc.wantErr)
			continue
		}
		if !tc.wantErr && len(got) != len(tc.want) {
			t.Errorf("%q: got %v, want %v", tc.in, got, tc.want)
			continue
		}
		for i := range tc.want {
			if got[i] != tc.want[i] {
				t.Errorf("%q: got %v, want %v", tc.in, got, tc.want)
			}
		}
	}
}

// The CA bundle is what crypto/x509 reads on Linux: PEM certificates
// that parse, a root store's worth of them.
func TestCABundleParses(t *testing.T) {
	b, err := CABundle()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for len(b) > 0 {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		if _, err := x509.ParseCertificate(blk.Bytes); err != nil {
			t.Fatalf("certificate %d: %v", n, err)
		}
		n++
	}
	if n < 100 {
		t.Fatalf("%d roots; Mozilla's store has well over 100", n)
	}
}

// Two builds of the same inputs give the same bytes, so a release can be
// rebuilt and checked.
func TestArchiveIsReproducible(t *testing.T) {
	dir := t.TempDir()
	bins := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bins, 0o755); err != nil {
		t.Fatal(err)
	}
	ps, _ := ParsePlatforms("linux/amd64,linux/arm64")
	for _, p := range ps {
		if err := os.WriteFile(filepath.Join(bins, p.BinaryName()), []byte("manager for "+p.String()), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	meta := Meta{Version: "v1.2.3", Revision: "abc", Created: time.Unix(1700000000, 0).UTC()}
	var sums [2][]byte
	for i := range sums {
		idx, err := Index(ps, bins, meta)
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "image.tar")
		if err := WriteArchive(out, idx, "example.test/ddns-operator:v1.2.3"); err != nil {
			t.Fatal(err)
		}
		if sums[i], err = os.ReadFile(out); err != nil {
			t.Fatal(err)
		}
	}
	if string(sums[0]) != string(sums[1]) {
		t.Fatal("two builds of the same inputs differ")
	}
	idx, tmp, err := ReadArchive(filepath.Join(dir, "image.tar"))
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	imgs, err := Describe(idx)
	if err != nil || len(imgs) != 2 || imgs[1].Platform.Arch != "arm64" {
		t.Fatalf("read back %+v, %v", imgs, err)
	}
}

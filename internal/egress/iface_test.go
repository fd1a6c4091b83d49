package egress

import (
	"context"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ifInet6 is a /proc/net/if_inet6 as a home host has it: a temporary
// (RFC 8981) address, a link-local one, a deprecated one, a tentative one,
// and the stable SLAAC address that must be chosen, plus another interface.
// The temporary, deprecated and tentative addresses sort before the stable
// one, so only their flags keep them out.
const ifInet6 = `2a0202e003fe10010000000000000010 02 40 00 01 eth0
fe80000000000000021132fffeaabbcc 02 40 20 80 eth0
2a0202e003fe10010000000000000099 02 40 00 20 eth0
2a0202e003fe1001021132fffeaabbcc 02 40 00 00 eth0
2a0202e003fe10010000000000000077 02 40 00 40 eth0
2a0202e003fe10010000000000000001 03 40 00 80 wlan0
00000000000000000000000000000001 01 80 10 80 lo
`

func TestInterfaceSourceNeverPicksTemporaryOrDeprecated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "if_inet6")
	if err := os.WriteFile(path, []byte(ifInet6), 0o600); err != nil {
		t.Fatal(err)
	}
	src := &InterfaceSource{Interface: "eth0", IfInet6Path: path}
	addr, err := src.Lookup(context.Background(), IPv6)
	if err != nil {
		t.Fatal(err)
	}
	if addr.String() != "2a02:2e0:3fe:1001:211:32ff:feaa:bbcc" {
		t.Fatalf("chose %s; want the stable SLAAC address", addr)
	}
	addrs, err := ParseIfInet6(strings.NewReader(ifInet6))
	if err != nil || len(addrs) != 7 {
		t.Fatalf("parsed %d lines: %v", len(addrs), err)
	}
	if !addrs[0].Temporary() || addrs[2].Usable() || addrs[4].Usable() {
		t.Fatalf("flags misread: %+v", addrs[:5])
	}

	// With only the temporary address left, nothing is chosen.
	if err := os.WriteFile(path, []byte(strings.SplitAfter(ifInet6, "\n")[0]), 0o600); err != nil {
		t.Fatal(err)
	}
	if addr, err := src.Lookup(context.Background(), IPv6); err == nil {
		t.Fatalf("chose the temporary address %s", addr)
	} else if !strings.Contains(err.Error(), "temporary") {
		t.Fatalf("error does not say why: %v", err)
	}
}

func TestParseIfInet6RejectsMalformedLines(t *testing.T) {
	for _, line := range []string{
		"2a0202e003fe1001000000000000001 02 40 00 00 eth0",  // 31 digits
		"zz0202e003fe10010000000000000001 02 40 00 00 eth0", // not hex
		"2a0202e003fe10010000000000000001 02 40 00 eth0",    // a column short
		"2a0202e003fe10010000000000000001 02 40 00 xx eth0", // bad flags
	} {
		if _, err := ParseIfInet6(strings.NewReader(line + "\n")); err == nil {
			t.Errorf("parsed %q", line)
		}
	}
}

func TestPermanentAddressWinsOverSLAAC(t *testing.T) {
	addrs := []IfAddr6{
		{Addr: netip.MustParseAddr("2a02:2e0:3fe:1001::5"), Interface: "eth0"},
		{Addr: netip.MustParseAddr("2a02:2e0:3fe:1001::9"), Interface: "eth0", Flags: ifaFPermanent},
		{Addr: netip.MustParseAddr("fd00::1"), Interface: "eth0", Flags: ifaFPermanent},
	}
	if got, err := PickStable6(addrs, "eth0"); err != nil || got.String() != "2a02:2e0:3fe:1001::9" {
		t.Fatalf("got %s, %v", got, err)
	}
}

func TestInterfaceSourceIPv4(t *testing.T) {
	list := func(string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("192.168.1.2"), goodV4}, nil
	}
	src := &InterfaceSource{Interface: "eth0", IPv4Addrs: list}
	if addr, err := src.Lookup(context.Background(), IPv4); err != nil || addr != goodV4 {
		t.Fatalf("%v, %v", addr, err)
	}
	priv := &InterfaceSource{Interface: "eth0", AllowPrivate: true, IPv4Addrs: func(string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("192.168.1.2")}, nil
	}}
	if addr, err := priv.Lookup(context.Background(), IPv4); err != nil || addr.String() != "192.168.1.2" {
		t.Fatalf("allowPrivate: %v, %v", addr, err)
	}
	priv.AllowPrivate = false
	if _, err := priv.Lookup(context.Background(), IPv4); ReasonOf(err) != RejectNotGlobal {
		t.Fatalf("private without allowPrivate: %v", err)
	}
}

func TestSuffixJoinsDetectedPrefix(t *testing.T) {
	detected := netip.MustParseAddr("2a02:2e0:3fe:1001:302::1")
	for _, c := range []struct {
		suffix, want string
	}{
		{"::1:2:3:4/64", "2a02:2e0:3fe:1001:1:2:3:4"},
		{"::5/64", "2a02:2e0:3fe:1001::5"},
		{"::ab:0:0:0:7/56", "2a02:2e0:3fe:10ab::7"},
		{"02:11:32:aa:bb:cc", "2a02:2e0:3fe:1001:11:32ff:feaa:bbcc"},
		{"00-11-32-aa-bb-cc", "2a02:2e0:3fe:1001:211:32ff:feaa:bbcc"},
	} {
		s, err := ParseSuffix(c.suffix)
		if err != nil {
			t.Fatalf("%s: %v", c.suffix, err)
		}
		got, err := s.Apply(detected)
		if err != nil || got.String() != c.want {
			t.Errorf("%s: got %s, %v; want %s", c.suffix, got, err, c.want)
		}
	}
	for _, bad := range []string{"2a02::1/64", "::1/0", "::1/128", "10.0.0.1/8", "zz", "02:11:32:aa:bb:cc:dd:ee"} {
		if _, err := ParseSuffix(bad); err == nil {
			t.Errorf("ParseSuffix(%q) accepted", bad)
		}
	}
}

// On a workstation (make build-all's windows and darwin binaries) there
// is no /proc/net/if_inet6: an IPv6 interface source refuses with what to
// use instead, while IPv4 goes through the standard library's list.
func TestInterfaceSourceOffLinux(t *testing.T) {
	defer func(os string) { hostOS = os }(hostOS)
	hostOS = "windows"
	src := &InterfaceSource{Interface: "Ethernet", IfInet6Path: filepath.Join(t.TempDir(), "if_inet6")}
	_, err := src.Lookup(context.Background(), IPv6)
	if err == nil || !strings.Contains(err.Error(), "IPv6 interface sources need Linux") || !strings.Contains(err.Error(), "https://") {
		t.Fatalf("want a refusal naming what to use instead, got %v", err)
	}
	src.IPv4Addrs = func(string) ([]netip.Addr, error) { return []netip.Addr{netip.MustParseAddr("81.2.69.160")}, nil }
	if addr, err := src.Lookup(context.Background(), IPv4); err != nil || addr.String() != "81.2.69.160" {
		t.Fatalf("IPv4 off Linux: %v %v", addr, err)
	}
}

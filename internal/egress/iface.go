package egress

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/netip"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// Linux IPv6 address flags (include/uapi/linux/if_addr.h), as printed in
// the fifth column of /proc/net/if_inet6.
const (
	ifaFTemporary  = 0x01 // RFC 4941 / RFC 8981 privacy address
	ifaFDADFailed  = 0x08
	ifaFDeprecated = 0x20 // preferred lifetime over: no new connections
	ifaFTentative  = 0x40 // duplicate address detection still running
	ifaFPermanent  = 0x80 // configured by hand, not by SLAAC or DHCPv6
)

// DefaultIfInet6Path is where Linux lists IPv6 addresses with their flags.
const DefaultIfInet6Path = "/proc/net/if_inet6"

// hostOS is the operating system the manager runs on; a variable so that
// tests can play another.
var hostOS = runtime.GOOS

// IfAddr6 is one line of /proc/net/if_inet6.
type IfAddr6 struct {
	Addr      netip.Addr
	PrefixLen int
	Scope     int
	Flags     int
	Interface string
}

// Temporary reports an RFC 8981 temporary (privacy) address: it changes
// daily, so it must never be published.
func (a IfAddr6) Temporary() bool { return a.Flags&ifaFTemporary != 0 }

// Usable reports an address that is neither temporary, deprecated,
// tentative nor failed duplicate address detection.
func (a IfAddr6) Usable() bool {
	return a.Flags&(ifaFTemporary|ifaFDeprecated|ifaFTentative|ifaFDADFailed) == 0
}

// ParseIfInet6 reads the /proc/net/if_inet6 format: per line the address
// as 32 hex digits, the interface index, prefix length, scope and flags in
// hex, and the interface name. Malformed lines are an error.
func ParseIfInet6(r io.Reader) ([]IfAddr6, error) {
	var out []IfAddr6
	sc := bufio.NewScanner(io.LimitReader(r, 1<<20))
	for n := 1; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) != 6 || len(f[0]) != 32 {
			return nil, fmt.Errorf("if_inet6 line %d: want 6 fields with a 32-digit address", n)
		}
		var b [16]byte
		for i := range b {
			v, err := strconv.ParseUint(f[0][2*i:2*i+2], 16, 8)
			if err != nil {
				return nil, fmt.Errorf("if_inet6 line %d: bad address", n)
			}
			b[i] = byte(v)
		}
		var nums [3]int
		for i, s := range f[2:5] {
			v, err := strconv.ParseUint(s, 16, 32)
			if err != nil {
				return nil, fmt.Errorf("if_inet6 line %d: bad number %q", n, clip(s))
			}
			nums[i] = int(v)
		}
		out = append(out, IfAddr6{Addr: netip.AddrFrom16(b), PrefixLen: nums[0], Scope: nums[1], Flags: nums[2], Interface: f[5]})
	}
	return out, sc.Err()
}

// PickStable6 chooses the address to publish for iface among addrs: a
// global address in 2000::/3 that is not temporary, deprecated or
// tentative. Hand-configured (permanent) addresses win over SLAAC ones;
// ties go to the lowest address, so the choice is stable.
func PickStable6(addrs []IfAddr6, iface string) (netip.Addr, error) {
	var cands []IfAddr6
	var skipped []string
	for _, a := range addrs {
		if a.Interface != iface {
			continue
		}
		if CheckGlobal(a.Addr, IPv6) != nil {
			continue
		}
		if !a.Usable() {
			skipped = append(skipped, fmt.Sprintf("%s (flags %#x)", a.Addr, a.Flags))
			continue
		}
		cands = append(cands, a)
	}
	if len(cands) == 0 {
		if len(skipped) > 0 {
			return netip.Addr{}, reject(RejectNotGlobal, "interface %s has only temporary, deprecated or tentative global IPv6 addresses: %s", iface, strings.Join(skipped, ", "))
		}
		return netip.Addr{}, fmt.Errorf("interface %s has no global IPv6 address: %w", iface, ErrNoRoute)
	}
	slices.SortFunc(cands, func(x, y IfAddr6) int {
		if px, py := x.Flags&ifaFPermanent != 0, y.Flags&ifaFPermanent != 0; px != py {
			if px {
				return -1
			}
			return 1
		}
		return x.Addr.Compare(y.Addr)
	})
	return cands[0].Addr, nil
}

// InterfaceSource reads the address of a network interface of the host
// the manager runs on. It is useful when the manager runs with
// hostNetwork on a machine that holds the public address itself (a
// router, a VPS, an IPv6 host with its own global address).
type InterfaceSource struct {
	// Interface name, e.g. eth0.
	Interface string
	// IfInet6Path is read for IPv6 addresses and their flags;
	// DefaultIfInet6Path when empty.
	IfInet6Path string
	// IPv4Addrs lists the interface's IPv4 addresses; the host's when nil.
	IPv4Addrs func(iface string) ([]netip.Addr, error)
	// AllowPrivate accepts non-global (e.g. RFC 1918) addresses, for
	// records a user explicitly wants pointing inside a network.
	AllowPrivate bool
}

// Name returns "interface:NAME".
func (s *InterfaceSource) Name() string { return "interface:" + s.Interface }

// Lookup returns the interface's address of fam.
func (s *InterfaceSource) Lookup(_ context.Context, fam Family) (netip.Addr, error) {
	if fam == IPv6 {
		return s.lookup6()
	}
	list := s.IPv4Addrs
	if list == nil {
		list = hostIPv4Addrs
	}
	addrs, err := list(s.Interface)
	if err != nil {
		return netip.Addr{}, err
	}
	check := CheckGlobal
	if s.AllowPrivate {
		check = CheckUsable
	}
	var firstErr error
	for _, a := range addrs {
		err := check(a, IPv4)
		if err == nil {
			return a.Unmap(), nil
		}
		if firstErr == nil && ReasonOf(err) != RejectWrongFamily {
			firstErr = err
		}
	}
	if firstErr != nil {
		return netip.Addr{}, fmt.Errorf("interface %s: %w", s.Interface, firstErr)
	}
	return netip.Addr{}, fmt.Errorf("interface %s has no IPv4 address: %w", s.Interface, ErrNoRoute)
}

func (s *InterfaceSource) lookup6() (netip.Addr, error) {
	path := s.IfInet6Path
	if path == "" {
		path = DefaultIfInet6Path
	}
	f, err := os.Open(path)
	if err != nil {
		if hostOS != "linux" && errors.Is(err, fs.ErrNotExist) {
			// The standard library lists addresses without their flags,
			// so a temporary privacy address could not be told apart.
			return netip.Addr{}, fmt.Errorf("interface %s: IPv6 interface sources need Linux's %s, which flags temporary privacy addresses so they are never published; on %s use an https:// or dns: source (IPv4 interface sources work everywhere)", s.Interface, DefaultIfInet6Path, hostOS)
		}
		return netip.Addr{}, fmt.Errorf("read IPv6 addresses: %w", err)
	}
	defer func() { _ = f.Close() }()
	addrs, err := ParseIfInet6(f)
	if err != nil {
		return netip.Addr{}, err
	}
	if s.AllowPrivate {
		return pickUsable6(addrs, s.Interface)
	}
	return PickStable6(addrs, s.Interface)
}

// pickUsable6 is PickStable6 with unique-local addresses allowed.
func pickUsable6(addrs []IfAddr6, iface string) (netip.Addr, error) {
	if a, err := PickStable6(addrs, iface); err == nil {
		return a, nil
	}
	var best netip.Addr
	for _, a := range addrs {
		if a.Interface == iface && a.Usable() && CheckUsable(a.Addr, IPv6) == nil && (!best.IsValid() || a.Addr.Less(best)) {
			best = a.Addr
		}
	}
	if !best.IsValid() {
		return netip.Addr{}, fmt.Errorf("interface %s has no usable IPv6 address: %w", iface, ErrNoRoute)
	}
	return best, nil
}

// hostIPv4Addrs lists an interface's IPv4 addresses on this host.
func hostIPv4Addrs(name string) ([]netip.Addr, error) {
	ifc, err := net.InterfaceByName(name)
	if err != nil {
		return nil, fmt.Errorf("interface %s: %w", name, err)
	}
	list, err := ifc.Addrs()
	if err != nil {
		return nil, fmt.Errorf("interface %s addresses: %w", name, err)
	}
	var out []netip.Addr
	for _, a := range list {
		if ipn, ok := a.(*net.IPNet); ok {
			if addr, ok := netip.AddrFromSlice(ipn.IP); ok && addr.Unmap().Is4() {
				out = append(out, addr.Unmap())
			}
		}
	}
	return out, nil
}

package egress

import (
	"fmt"
	"net"
	"net/netip"
)

// Suffix is a fixed IPv6 host part: the bits after PrefixLen are taken
// from Addr, the bits before from a detected address. It lets a device
// behind the cluster (a NAS, a printer) get an AAAA record in the
// delegated prefix the cluster detects, which changes when the ISP
// renumbers.
type Suffix struct {
	Addr      netip.Addr
	PrefixLen int
}

// ParseSuffix reads "::1:2:3:4/64" (host bits only; the length says how
// many leading bits come from the detected prefix) or a MAC address such
// as "02:11:32:aa:bb:cc", which becomes its modified EUI-64 interface ID
// under a /64 (RFC 4291 appendix A).
func ParseSuffix(s string) (Suffix, error) {
	if p, err := netip.ParsePrefix(s); err == nil {
		if !p.Addr().Is6() || p.Addr().Is4In6() || p.Addr().Zone() != "" {
			return Suffix{}, fmt.Errorf("ipv6Suffix %q: want an IPv6 suffix like ::1:2:3:4/64", s)
		}
		if p.Bits() < 1 || p.Bits() > 127 {
			return Suffix{}, fmt.Errorf("ipv6Suffix %q: prefix length must be 1 to 127", s)
		}
		if netip.PrefixFrom(p.Addr(), p.Bits()).Masked().Addr() != netip.IPv6Unspecified() {
			return Suffix{}, fmt.Errorf("ipv6Suffix %q: bits inside the /%d prefix must be zero", s, p.Bits())
		}
		return Suffix{Addr: p.Addr(), PrefixLen: p.Bits()}, nil
	}
	mac, err := net.ParseMAC(s)
	if err != nil || len(mac) != 6 {
		return Suffix{}, fmt.Errorf("ipv6Suffix %q: want ::HOST/LEN or a 48-bit MAC address", s)
	}
	var b [16]byte
	b[8], b[9], b[10] = mac[0]^0x02, mac[1], mac[2]
	b[11], b[12] = 0xff, 0xfe
	b[13], b[14], b[15] = mac[3], mac[4], mac[5]
	return Suffix{Addr: netip.AddrFrom16(b), PrefixLen: 64}, nil
}

// Apply returns the prefix bits of detected joined with the suffix's host
// bits. The result is checked like any published address.
func (s Suffix) Apply(detected netip.Addr) (netip.Addr, error) {
	if err := CheckFamily(detected, IPv6); err != nil {
		return netip.Addr{}, err
	}
	d, h := detected.As16(), s.Addr.As16()
	var out [16]byte
	for i := range out {
		bits := min(max(s.PrefixLen-8*i, 0), 8)
		mask := byte(0xff << (8 - bits))
		out[i] = d[i]&mask | h[i]&^mask
	}
	return netip.AddrFrom16(out), nil
}

// String returns the suffix as ::HOST/LEN.
func (s Suffix) String() string { return netip.PrefixFrom(s.Addr, s.PrefixLen).String() }

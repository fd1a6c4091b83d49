// Package value puts record values in the form the operator compares:
// addresses in their canonical text form.
package value

import (
	"net/netip"
	"strings"
)

// Canonical returns an address in its canonical text form (IPv4-mapped
// IPv6 addresses as IPv4), and any other value as it is.
func Canonical(v string) string {
	if a, err := netip.ParseAddr(strings.TrimSpace(v)); err == nil {
		return a.Unmap().String()
	}
	return v
}

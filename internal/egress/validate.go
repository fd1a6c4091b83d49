package egress

import (
	"fmt"
	"net/netip"
	"strings"
)

// RejectReason says why an answer from a source was not used.
type RejectReason string

// Reasons an answer is rejected; each is a metric label.
const (
	RejectNotAnAddress  RejectReason = "not_an_address"
	RejectWrongFamily   RejectReason = "wrong_family"
	RejectNotGlobal     RejectReason = "not_global"
	RejectHTML          RejectReason = "html"
	RejectTooLong       RejectReason = "too_long"
	RejectManyAddresses RejectReason = "many_addresses"
)

// RejectError is returned for an answer that is not a publishable address.
type RejectError struct {
	Reason RejectReason
	Detail string
}

func (e *RejectError) Error() string { return fmt.Sprintf("rejected (%s): %s", e.Reason, e.Detail) }

// nonGlobal lists ranges that are never a host's public address, beyond
// what netip's own predicates cover.
var nonGlobal = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // CGNAT shared address space
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // TEST-NET-1
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // TEST-NET-2
	netip.MustParsePrefix("203.0.113.0/24"),  // TEST-NET-3
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and broadcast
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("2001:2::/48"),     // benchmarking
	netip.MustParsePrefix("3fff::/20"),       // documentation (RFC 9637)
}

// CheckGlobal returns nil when addr may be published as a public address of
// family fam: a global unicast address outside every special-purpose range.
func CheckGlobal(addr netip.Addr, fam Family) error {
	addr = addr.Unmap()
	if !fam.Matches(addr) {
		return &RejectError{Reason: RejectWrongFamily, Detail: fmt.Sprintf("%s is not an %s address", addr, fam)}
	}
	if !addr.IsGlobalUnicast() || addr.IsPrivate() {
		return &RejectError{Reason: RejectNotGlobal, Detail: fmt.Sprintf("%s is not a global unicast address", addr)}
	}
	if fam == IPv6 && !netip.MustParsePrefix("2000::/3").Contains(addr) {
		return &RejectError{Reason: RejectNotGlobal, Detail: fmt.Sprintf("%s is outside 2000::/3", addr)}
	}
	for _, p := range nonGlobal {
		if p.Contains(addr) {
			return &RejectError{Reason: RejectNotGlobal, Detail: fmt.Sprintf("%s is in the special-purpose range %s", addr, p)}
		}
	}
	return nil
}

// ParseAnswer turns a plain-text answer body (an echo service's response)
// into a checked address of family fam.
func ParseAnswer(body string, fam Family) (netip.Addr, error) {
	const maxLen = 64
	trimmed := strings.TrimSpace(body)
	if strings.HasPrefix(trimmed, "<") {
		return netip.Addr{}, &RejectError{Reason: RejectHTML, Detail: "answer is HTML"}
	}
	if len(trimmed) > maxLen {
		return netip.Addr{}, &RejectError{Reason: RejectTooLong, Detail: fmt.Sprintf("answer is %d bytes", len(trimmed))}
	}
	if fields := strings.Fields(trimmed); len(fields) > 1 {
		return netip.Addr{}, &RejectError{Reason: RejectManyAddresses, Detail: fmt.Sprintf("answer holds %d words", len(fields))}
	}
	addr, err := netip.ParseAddr(trimmed)
	if err != nil || addr.Zone() != "" {
		return netip.Addr{}, &RejectError{Reason: RejectNotAnAddress, Detail: fmt.Sprintf("%q is not an IP address", trimmed)}
	}
	if err := CheckGlobal(addr, fam); err != nil {
		return netip.Addr{}, err
	}
	return addr.Unmap(), nil
}

package egress

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// RejectReason says why an answer from a source was not used.
type RejectReason string

// Reasons an answer is rejected; each is a metric label.
const (
	RejectEmpty         RejectReason = "empty"
	RejectNotAnAddress  RejectReason = "not_an_address"
	RejectWrongFamily   RejectReason = "wrong_family"
	RejectNotGlobal     RejectReason = "not_global"
	RejectHTML          RejectReason = "html"
	RejectTooLong       RejectReason = "too_long"
	RejectManyAddresses RejectReason = "many_addresses"
	RejectBadFormat     RejectReason = "bad_format"
	RejectDNSError      RejectReason = "dns_error"
)

// RejectError is returned for an answer that is not a publishable address.
type RejectError struct {
	Reason RejectReason
	Detail string
}

func (e *RejectError) Error() string { return fmt.Sprintf("rejected (%s): %s", e.Reason, e.Detail) }

func reject(reason RejectReason, format string, args ...any) error {
	return &RejectError{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// ReasonOf returns the reject reason of err, or "" when err is no rejection.
func ReasonOf(err error) RejectReason {
	var rej *RejectError
	if errors.As(err, &rej) {
		return rej.Reason
	}
	return ""
}

// nonGlobal lists ranges that are never a host's public address, beyond
// what netip's own predicates (private, loopback, link-local, multicast,
// unspecified) cover. Sources: the IANA IPv4 and IPv6 special-purpose
// address registries.
var nonGlobal = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // CGNAT shared address space (RFC 6598)
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // TEST-NET-1
	netip.MustParsePrefix("192.88.99.0/24"),  // deprecated 6to4 relay anycast
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // TEST-NET-2
	netip.MustParsePrefix("203.0.113.0/24"),  // TEST-NET-3
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and broadcast
	netip.MustParsePrefix("64:ff9b::/96"),    // NAT64 well-known prefix
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001::/32"),       // Teredo: a tunnel endpoint, not the host's address
	netip.MustParsePrefix("2001:2::/48"),     // benchmarking
	netip.MustParsePrefix("2001:10::/28"),    // ORCHID (deprecated)
	netip.MustParsePrefix("2001:20::/28"),    // ORCHIDv2
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("3fff::/20"),       // documentation (RFC 9637)
}

// globalUnicast6 is the only IPv6 block IANA allocates global unicast from.
var globalUnicast6 = netip.MustParsePrefix("2000::/3")

// CheckGlobal returns nil when addr may be published as a public address of
// family fam: a global unicast address outside every special-purpose range.
func CheckGlobal(addr netip.Addr, fam Family) error {
	if err := CheckFamily(addr, fam); err != nil {
		return err
	}
	addr = addr.Unmap()
	if !addr.IsGlobalUnicast() || addr.IsPrivate() {
		return reject(RejectNotGlobal, "%s is not a global unicast address", addr)
	}
	if fam == IPv6 && !globalUnicast6.Contains(addr) {
		return reject(RejectNotGlobal, "%s is outside 2000::/3", addr)
	}
	for _, p := range nonGlobal {
		if p.Contains(addr) {
			return reject(RejectNotGlobal, "%s is in the special-purpose range %s", addr, p)
		}
	}
	return nil
}

// CheckFamily returns nil when addr is a plain (zone-less) address of fam.
// An IPv4-mapped IPv6 address counts as IPv4.
func CheckFamily(addr netip.Addr, fam Family) error {
	if !addr.IsValid() {
		return reject(RejectNotAnAddress, "no address")
	}
	if addr.Zone() != "" {
		return reject(RejectNotAnAddress, "%s has a zone", addr)
	}
	if !fam.Matches(addr.Unmap()) {
		return reject(RejectWrongFamily, "%s is not an %s address", addr, fam)
	}
	return nil
}

// CheckUsable is the weaker check for addresses a user chose to publish
// from the cluster (a Service, a Node, an interface) with private
// addresses allowed: the family must match and the address must be
// unicast and routable somewhere, so loopback, link-local, multicast and
// unspecified addresses are still refused.
func CheckUsable(addr netip.Addr, fam Family) error {
	if err := CheckFamily(addr, fam); err != nil {
		return err
	}
	addr = addr.Unmap()
	if !addr.IsGlobalUnicast() {
		return reject(RejectNotGlobal, "%s is not a unicast address another host can reach", addr)
	}
	return nil
}

// maxAnswerLen bounds a plain-text answer after trimming: the longest
// IPv6 text form is 45 bytes.
const maxAnswerLen = 64

// ParseAnswer turns a plain-text answer body (an echo service's response)
// into a checked address of family fam.
func ParseAnswer(body string, fam Family) (netip.Addr, error) {
	trimmed := strings.TrimSpace(body)
	if trimmed == "" {
		return netip.Addr{}, reject(RejectEmpty, "answer is empty")
	}
	if looksLikeHTML(trimmed) {
		return netip.Addr{}, reject(RejectHTML, "answer is HTML")
	}
	if len(trimmed) > maxAnswerLen {
		return netip.Addr{}, reject(RejectTooLong, "answer is %d bytes", len(trimmed))
	}
	if words := strings.FieldsFunc(trimmed, isSeparator); len(words) > 1 {
		return netip.Addr{}, reject(RejectManyAddresses, "answer holds %d words", len(words))
	}
	return parseAddr(trimmed, fam)
}

// parseAddr parses one address word and checks it.
func parseAddr(word string, fam Family) (netip.Addr, error) {
	addr, err := netip.ParseAddr(word)
	if err != nil || addr.Zone() != "" {
		return netip.Addr{}, reject(RejectNotAnAddress, "%q is not an IP address", clip(word))
	}
	if err := CheckGlobal(addr, fam); err != nil {
		return netip.Addr{}, err
	}
	return addr.Unmap(), nil
}

// isSeparator splits lists of addresses as proxies and echo services write
// them: spaces, commas, semicolons.
func isSeparator(r rune) bool {
	return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
}

// looksLikeHTML catches error and captive-portal pages.
func looksLikeHTML(s string) bool {
	if strings.HasPrefix(s, "<") {
		return true
	}
	l := strings.ToLower(s)
	return strings.Contains(l, "<html") || strings.Contains(l, "<!doctype") || strings.Contains(l, "<body")
}

// clip shortens untrusted text before it goes into an error or a log.
func clip(s string) string {
	const max = 48
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}

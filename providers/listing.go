package providers

import (
	"net/netip"
	"strings"
)

// PickZone chooses among zones, the account's zones as a provider listed
// them: the one named hint when hint is set, else the longest suffix of
// fqdn. what names the provider and its kind of zone in the
// KindZoneNotFound error ("huaweicloud: public zone").
func PickZone(zones []Zone, fqdn, hint, what string) (Zone, error) {
	prefix, kind, _ := strings.Cut(what, ": ")
	if hint != "" {
		hint = CanonicalName(hint)
		for _, z := range zones {
			if CanonicalName(z.Name) == hint {
				return z, nil
			}
		}
		return Zone{}, Errorf(KindZoneNotFound, "", "%s: the account has no %s %s", prefix, kind, hint)
	}
	if z, ok := LongestSuffixZone(fqdn, zones); ok {
		return z, nil
	}
	return Zone{}, Errorf(KindZoneNotFound, "", "%s: no %s of the account holds %s", prefix, kind, CanonicalName(fqdn))
}

// LastPage reports whether a paginated listing is complete after a page
// of n entries, read entries in all: when the page is empty, when read
// reaches the total the answer announced, or, with no total announced
// (total <= 0), when the page is shorter than size. A server may cap
// pages below the size asked, so a short page alone does not end a
// listing that announced its total.
func LastPage(n, read, total, size int) bool {
	switch {
	case n == 0:
		return true
	case total > 0:
		return read >= total
	}
	return n < size
}

// CanonicalValue writes an address in its canonical text form
// ("2001:db8::1", lower case, zeros compressed) and any other value as it
// is, so values an API returns in another spelling compare equal.
func CanonicalValue(v string) string {
	if ip, err := netip.ParseAddr(strings.TrimSpace(v)); err == nil {
		return ip.String()
	}
	return v
}

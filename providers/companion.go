package providers

import (
	"strings"
)

// Companion TXT records. Providers whose records carry no comment (Route 53,
// Google Cloud DNS, Gandi, DigitalOcean, OVH, and RFC 2136 servers) keep the
// ownership marker of the records named name of type typ in a TXT record of
// its own, the companion: "_ddns-owner-a.home.example.com" for the A
// records of home.example.com, "_ddns-owner-aaaa.home.example.com" for its
// AAAA records, and "_ddns-owner-a-wildcard.example.com" for
// "*.example.com". The rfc2136 provider uses the same names.

// companionLabel opens the first label of every companion name.
const companionLabel = "_ddns-owner-"

// MaxMarkerLen is the longest ownership marker a companion TXT holds: one
// TXT character-string. The reconciler's markers are at most 100
// characters.
const MaxMarkerLen = 255

// CompanionName returns the name of the TXT record that holds the marker
// of the records named name (any case, trailing dot or not) of type typ.
func CompanionName(name, typ string) string {
	name = CanonicalName(name)
	label := companionLabel + strings.ToLower(typ)
	if rest, ok := strings.CutPrefix(name, "*."); ok {
		return label + "-wildcard." + rest
	}
	return label + "." + name
}

// CompanionOf is the inverse of CompanionName: the name and type whose
// marker the TXT record named companion holds, and false for any other
// name.
func CompanionOf(companion string) (name, typ string, ok bool) {
	companion = CanonicalName(companion)
	first, rest, found := strings.Cut(companion, ".")
	if !found || !strings.HasPrefix(first, companionLabel) {
		return "", "", false
	}
	typ = strings.TrimPrefix(first, companionLabel)
	wildcard := false
	if t, ok := strings.CutSuffix(typ, "-wildcard"); ok {
		typ, wildcard = t, true
	}
	switch typ {
	case "a", "aaaa":
	default:
		return "", "", false
	}
	if wildcard {
		rest = "*." + rest
	}
	return rest, strings.ToUpper(typ), true
}

// CheckMarker refuses a marker a companion TXT cannot hold: longer than
// MaxMarkerLen, or with a quote, backslash or control character (the
// reconciler's markers have none; each provider quotes TXT values its own
// way).
func CheckMarker(marker string) error {
	if len(marker) > MaxMarkerLen {
		return Errorf(KindInvalid, "", "the ownership marker is %d bytes; a TXT string holds at most %d", len(marker), MaxMarkerLen)
	}
	for i := 0; i < len(marker); i++ {
		if c := marker[i]; c < 0x20 || c == 0x7f || c == '"' || c == '\\' {
			return Errorf(KindInvalid, "", "the ownership marker holds a quote, backslash or control character")
		}
	}
	return nil
}

// QuoteTXT returns marker as one quoted TXT character-string ("\"text\""),
// the form Route 53, Google Cloud DNS and Gandi take TXT values in.
func QuoteTXT(marker string) string { return `"` + marker + `"` }

// UnquoteTXT joins the quoted character-strings of a TXT value ("\"a\"
// \"b\"" is "ab"); a value without quotes is returned as it is.
func UnquoteTXT(v string) string {
	v = strings.TrimSpace(v)
	if !strings.HasPrefix(v, `"`) {
		return v
	}
	var b strings.Builder
	in, esc := false, false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case esc:
			b.WriteByte(c)
			esc = false
		case c == '\\' && in:
			esc = true
		case c == '"':
			in = !in
		case in:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// CompanionMarker returns the marker a companion TXT set holds, given its
// values as the provider lists them (quoted or not): "" for none, and the
// smallest text when someone wrote several, so every reader agrees.
func CompanionMarker(values []string) string {
	out := ""
	for i, v := range values {
		if t := UnquoteTXT(v); i == 0 || t < out {
			out = t
		}
	}
	return out
}

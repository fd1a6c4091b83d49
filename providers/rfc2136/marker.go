package rfc2136

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/ddns-operator/ddns-operator/providers"
)

// MaxMarker is the longest marker stored, in bytes: one TXT
// character-string. Splitting a longer one over several strings would
// work on the wire, but markers are short and one string keeps every
// server and every dig output simple.
const MaxMarker = 255

// markerLabel opens the first label of every companion TXT name.
const markerLabel = "_ddns-owner-"

// markerName is the name of the TXT record that holds the marker of the
// records named name (canonical) of type typ. The prefix label goes in
// front of the name, and replaces the '*' of a wildcard, after which no
// label may follow.
func markerName(name, typ string) string {
	label := markerLabel + strings.ToLower(typ)
	if rest, ok := strings.CutPrefix(name, "*."); ok {
		return label + "-wildcard." + rest
	}
	return label + "." + name
}

// markerRR builds the companion TXT of the records named name of type typ
// holding marker, with TTL 0 for the caller to set. A marker too long for
// one string, or a name too long to take the prefix, is invalid.
func markerRR(name, typ, marker string) (*dns.TXT, error) {
	if len(marker) > MaxMarker {
		return nil, providers.Errorf(providers.KindInvalid, "", "the ownership marker is %d bytes; a TXT string holds at most %d", len(marker), MaxMarker)
	}
	owner := dns.Fqdn(markerName(providers.CanonicalName(name), typ))
	if _, ok := dns.IsDomainName(owner); !ok {
		return nil, providers.Errorf(providers.KindInvalid, "", "name %q is too long to keep its ownership marker at %q", name, owner)
	}
	return &dns.TXT{
		Hdr: dns.RR_Header{Name: owner, Rrtype: dns.TypeTXT, Class: dns.ClassINET},
		Txt: []string{escapeTXT(marker)},
	}, nil
}

// markerSet stands for the whole companion TXT set of name and type, for
// removing it: only its owner name and type count.
func markerSet(name, typ string) dns.RR {
	return &dns.TXT{Hdr: dns.RR_Header{Name: dns.Fqdn(markerName(name, typ)), Rrtype: dns.TypeTXT, Class: dns.ClassINET}}
}

// readMarker queries the companion TXT of name and type; "" when there is
// none. Should several TXT records be there (written by hand), the
// smallest text wins, so every reader agrees.
func (p *Provider) readMarker(ctx context.Context, name, typ string) (string, error) {
	owner := dns.Fqdn(markerName(name, typ))
	m := new(dns.Msg)
	m.SetQuestion(owner, dns.TypeTXT)
	m.RecursionDesired = false
	op := fmt.Sprintf("read the ownership marker of %s %s", name, typ)
	r, err := p.exchange(ctx, m, op)
	if err != nil {
		return "", err
	}
	if r.Rcode == dns.RcodeNameError {
		return "", nil
	}
	if err := rcodeError(op, r); err != nil {
		return "", err
	}
	var texts []string
	for _, rr := range r.Answer {
		if txt, ok := rr.(*dns.TXT); ok && dns.CanonicalName(txt.Hdr.Name) == dns.CanonicalName(owner) {
			texts = append(texts, txtText(txt))
		}
	}
	if len(texts) == 0 {
		return "", nil
	}
	return slices.Min(texts), nil
}

// txtText is the raw text of a TXT record, its strings joined.
func txtText(txt *dns.TXT) string {
	var b strings.Builder
	for _, s := range txt.Txt {
		b.WriteString(unescapeTXT(s))
	}
	return b.String()
}

// escapeTXT turns raw bytes into the presentation form miekg/dns packs a
// TXT string from: '"' and '\' escaped, unprintable bytes as \DDD.
func escapeTXT(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < ' ' || c > '~':
			fmt.Fprintf(&b, "\\%03d", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// unescapeTXT is the inverse of escapeTXT, for the presentation form
// miekg/dns unpacks a TXT string into.
func unescapeTXT(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		if i+3 < len(s) && isDigits(s[i+1:i+4]) {
			n := int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0')
			if n <= 255 {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i+1])
		i++
	}
	return b.String()
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

package egress

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"regexp"
	"strings"

	"github.com/miekg/dns"
)

// Answer formats of HTTP echo services.
const (
	// FormatPlain is a body holding only the address (ipify, icanhazip,
	// ifconfig.co/ip).
	FormatPlain = "plain"
	// FormatTrace is Cloudflare's /cdn-cgi/trace: key=value lines, the
	// caller's address under "ip".
	FormatTrace = "trace"
	// FormatJSON is a JSON object holding the address under a field
	// (ipify's ?format=json and ifconfig.co/json use "ip").
	FormatJSON = "json"
	// FormatRegex takes the address from the first capture group of a
	// regular expression (the whole match when it has none).
	FormatRegex = "regex"
)

// ParseTrace reads the "ip" line of a Cloudflare trace body. Exactly one
// "ip=" line must be present.
func ParseTrace(body string, fam Family) (netip.Addr, error) {
	if looksLikeHTML(strings.TrimSpace(body)) {
		return netip.Addr{}, reject(RejectHTML, "answer is HTML")
	}
	var found []string
	for line := range strings.SplitSeq(body, "\n") {
		key, value, ok := strings.Cut(strings.TrimSpace(line), "=")
		if ok && key == "ip" {
			found = append(found, strings.TrimSpace(value))
		}
	}
	switch len(found) {
	case 0:
		return netip.Addr{}, reject(RejectBadFormat, "trace has no ip= line")
	case 1:
	default:
		return netip.Addr{}, reject(RejectManyAddresses, "trace has %d ip= lines", len(found))
	}
	if found[0] == "" {
		return netip.Addr{}, reject(RejectEmpty, "trace ip= line is empty")
	}
	return ParseAnswer(found[0], fam)
}

// ParseJSONField reads the string at field (dots separate nested objects,
// e.g. "data.ip") of a JSON object body.
func ParseJSONField(body []byte, field string, fam Family) (netip.Addr, error) {
	trimmed := bytes.TrimSpace(body)
	if looksLikeHTML(string(trimmed)) {
		return netip.Addr{}, reject(RejectHTML, "answer is HTML")
	}
	var cur any
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	if err := dec.Decode(&cur); err != nil {
		return netip.Addr{}, reject(RejectBadFormat, "answer is not JSON: %s", clip(err.Error()))
	}
	if dec.More() {
		return netip.Addr{}, reject(RejectBadFormat, "answer holds more than one JSON value")
	}
	for key := range strings.SplitSeq(field, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return netip.Addr{}, reject(RejectBadFormat, "answer has no object holding %q", key)
		}
		if cur, ok = obj[key]; !ok {
			return netip.Addr{}, reject(RejectBadFormat, "answer has no field %q", field)
		}
	}
	s, ok := cur.(string)
	if !ok {
		return netip.Addr{}, reject(RejectBadFormat, "field %q is not a string", field)
	}
	return ParseAnswer(s, fam)
}

// ParseRegex takes the address from re's first capture group (or the whole
// match). Matches that name more than one distinct address are rejected.
func ParseRegex(body string, re *regexp.Regexp, fam Family) (netip.Addr, error) {
	if looksLikeHTML(strings.TrimSpace(body)) {
		return netip.Addr{}, reject(RejectHTML, "answer is HTML")
	}
	distinct := map[string]bool{}
	var first string
	for _, m := range re.FindAllStringSubmatch(body, 8) {
		v := m[0]
		if len(m) > 1 {
			v = m[1]
		}
		v = strings.TrimSpace(v)
		if !distinct[v] {
			distinct[v] = true
			if first == "" {
				first = v
			}
		}
	}
	switch len(distinct) {
	case 0:
		return netip.Addr{}, reject(RejectBadFormat, "answer does not match %s", clip(re.String()))
	case 1:
		return ParseAnswer(first, fam)
	default:
		return netip.Addr{}, reject(RejectManyAddresses, "answer matches %d different values", len(distinct))
	}
}

// googleECS is the prefix of the extra TXT string Google's myaddr answers
// carry when the query came through a resolver sending EDNS client subnet.
const googleECS = "edns0-client-subnet"

// ParseDNSAnswer reads the caller's address from a whoami answer: one A or
// AAAA record (OpenDNS), or one TXT string (Cloudflare whoami.cloudflare,
// Google o-o.myaddr.l.google.com). qtype is the type asked for.
func ParseDNSAnswer(msg *dns.Msg, qtype uint16, fam Family) (netip.Addr, error) {
	if msg == nil {
		return netip.Addr{}, reject(RejectEmpty, "no answer")
	}
	if msg.Rcode != dns.RcodeSuccess {
		return netip.Addr{}, reject(RejectDNSError, "answer code %s", dns.RcodeToString[msg.Rcode])
	}
	if msg.Truncated {
		return netip.Addr{}, reject(RejectTooLong, "answer is truncated")
	}
	var words []string
	for _, rr := range msg.Answer {
		if rr.Header().Rrtype != qtype {
			continue // a CNAME on the way, or something we did not ask
		}
		switch v := rr.(type) {
		case *dns.A:
			words = append(words, v.A.String())
		case *dns.AAAA:
			words = append(words, v.AAAA.String())
		case *dns.TXT:
			for _, s := range v.Txt {
				if s = strings.TrimSpace(s); s != "" && !strings.HasPrefix(s, googleECS) {
					words = append(words, s)
				}
			}
		}
	}
	switch len(words) {
	case 0:
		return netip.Addr{}, reject(RejectEmpty, "answer has no %s record", dns.TypeToString[qtype])
	case 1:
		return ParseAnswer(words[0], fam)
	default:
		return netip.Addr{}, reject(RejectManyAddresses, "answer has %d values", len(words))
	}
}

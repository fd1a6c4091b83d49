package egress

import (
	"net/netip"
	"regexp"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// answerCase is one answer body and what must come of it.
type answerCase struct {
	name   string
	format string // plain (default), trace, json, regex
	body   string
	fam    Family
	want   string       // the accepted address, or ""
	reason RejectReason // the rejection reason when want is ""
}

var answerCases = []answerCase{
	// Accepted.
	{name: "plain IPv4", body: "81.2.69.160", fam: IPv4, want: "81.2.69.160"},
	{name: "plain IPv4 with newline", body: "81.2.69.160\n", fam: IPv4, want: "81.2.69.160"},
	{name: "plain IPv4 with CRLF and spaces", body: "  81.2.69.160\r\n", fam: IPv4, want: "81.2.69.160"},
	{name: "plain IPv6", body: "2a02:2e0:3fe:1001:302::1\n", fam: IPv6, want: "2a02:2e0:3fe:1001:302::1"},
	{name: "plain IPv6 uppercase", body: "2A02:2E0:3FE:1001:302::1", fam: IPv6, want: "2a02:2e0:3fe:1001:302::1"},
	{name: "IPv4-mapped IPv6 counts as IPv4", body: "::ffff:81.2.69.160", fam: IPv4, want: "81.2.69.160"},
	{name: "trace format", format: FormatTrace, body: "fl=123\nh=1.1.1.1\nip=81.2.69.160\nts=1.2\nvisit_scheme=https\n", fam: IPv4, want: "81.2.69.160"},
	{name: "trace format IPv6", format: FormatTrace, body: "h=[2606:4700:4700::1111]\nip=2a02:2e0:3fe:1001:302::1\n", fam: IPv6, want: "2a02:2e0:3fe:1001:302::1"},
	{name: "json ip field", format: FormatJSON, body: `{"ip":"81.2.69.160"}`, fam: IPv4, want: "81.2.69.160"},
	{name: "json with other fields", format: FormatJSON, body: `{"ip": "81.2.69.160", "ip_decimal": 1359103392, "country": "GB"}`, fam: IPv4, want: "81.2.69.160"},
	{name: "regex capture group", format: FormatRegex, body: "Current IP Address: 81.2.69.160", fam: IPv4, want: "81.2.69.160"},
	{name: "global unicast 2001:4860 (not Teredo)", body: "2001:4860:4860::8888", fam: IPv6, want: "2001:4860:4860::8888"},

	// Rejected: not an address at all.
	{name: "empty body", body: "", fam: IPv4, reason: RejectEmpty},
	{name: "whitespace only", body: " \n\t", fam: IPv4, reason: RejectEmpty},
	{name: "garbage", body: "hello", fam: IPv4, reason: RejectNotAnAddress},
	{name: "address with port", body: "81.2.69.160:443", fam: IPv4, reason: RejectNotAnAddress},
	{name: "CIDR instead of address", body: "81.2.69.160/32", fam: IPv4, reason: RejectNotAnAddress},
	{name: "octal-looking IPv4", body: "081.002.069.160", fam: IPv4, reason: RejectNotAnAddress},
	{name: "IPv6 with zone", body: "fe80::1%eth0", fam: IPv6, reason: RejectNotAnAddress},
	{name: "HTML page", body: "<html><body>Service Unavailable</body></html>", fam: IPv4, reason: RejectHTML},
	{name: "HTML doctype", body: "<!DOCTYPE html>\n<title>Captive portal</title>", fam: IPv4, reason: RejectHTML},
	{name: "HTML after text", body: "81.2.69.160 <html>", fam: IPv4, reason: RejectHTML},
	{name: "too long", body: strings.Repeat("8", 200), fam: IPv4, reason: RejectTooLong},
	{name: "two addresses space", body: "81.2.69.160 81.2.69.161", fam: IPv4, reason: RejectManyAddresses},
	{name: "two addresses comma (X-Forwarded-For style)", body: "81.2.69.160,81.2.69.161", fam: IPv4, reason: RejectManyAddresses},
	{name: "two addresses lines", body: "81.2.69.160\n2a02:2e0:3fe:1001:302::1\n", fam: IPv4, reason: RejectManyAddresses},

	// Rejected: wrong family.
	{name: "IPv6 for an A record", body: "2a02:2e0:3fe:1001:302::1", fam: IPv4, reason: RejectWrongFamily},
	{name: "IPv4 for an AAAA record", body: "81.2.69.160", fam: IPv6, reason: RejectWrongFamily},
	{name: "IPv4-mapped for an AAAA record", body: "::ffff:81.2.69.160", fam: IPv6, reason: RejectWrongFamily},

	// Rejected: not global.
	{name: "private 10/8", body: "10.1.2.3", fam: IPv4, reason: RejectNotGlobal},
	{name: "private 172.16/12", body: "172.20.0.1", fam: IPv4, reason: RejectNotGlobal},
	{name: "private 192.168/16", body: "192.168.1.1", fam: IPv4, reason: RejectNotGlobal},
	{name: "loopback IPv4", body: "127.0.0.1", fam: IPv4, reason: RejectNotGlobal},
	{name: "link-local IPv4", body: "169.254.10.1", fam: IPv4, reason: RejectNotGlobal},
	{name: "CGNAT 100.64/10", body: "100.72.1.1", fam: IPv4, reason: RejectNotGlobal},
	{name: "this network 0/8", body: "0.1.2.3", fam: IPv4, reason: RejectNotGlobal},
	{name: "unspecified IPv4", body: "0.0.0.0", fam: IPv4, reason: RejectNotGlobal},
	{name: "documentation TEST-NET-1", body: "192.0.2.10", fam: IPv4, reason: RejectNotGlobal},
	{name: "documentation TEST-NET-2", body: "198.51.100.10", fam: IPv4, reason: RejectNotGlobal},
	{name: "documentation TEST-NET-3", body: "203.0.113.7", fam: IPv4, reason: RejectNotGlobal},
	{name: "benchmarking 198.18/15", body: "198.19.0.1", fam: IPv4, reason: RejectNotGlobal},
	{name: "multicast IPv4", body: "224.0.0.1", fam: IPv4, reason: RejectNotGlobal},
	{name: "reserved 240/4", body: "250.1.1.1", fam: IPv4, reason: RejectNotGlobal},
	{name: "broadcast", body: "255.255.255.255", fam: IPv4, reason: RejectNotGlobal},
	{name: "loopback IPv6", body: "::1", fam: IPv6, reason: RejectNotGlobal},
	{name: "unspecified IPv6", body: "::", fam: IPv6, reason: RejectNotGlobal},
	{name: "link-local IPv6", body: "fe80::1", fam: IPv6, reason: RejectNotGlobal},
	{name: "unique-local IPv6", body: "fd00::2", fam: IPv6, reason: RejectNotGlobal},
	{name: "multicast IPv6", body: "ff02::1", fam: IPv6, reason: RejectNotGlobal},
	{name: "documentation 2001:db8::/32", body: "2001:db8::1", fam: IPv6, reason: RejectNotGlobal},
	{name: "documentation 3fff::/20", body: "3fff::1", fam: IPv6, reason: RejectNotGlobal},
	{name: "benchmarking 2001:2::/48", body: "2001:2::1", fam: IPv6, reason: RejectNotGlobal},
	{name: "Teredo 2001::/32", body: "2001:0:4136:e378::1", fam: IPv6, reason: RejectNotGlobal},
	{name: "NAT64 64:ff9b::/96", body: "64:ff9b::5102:45a0", fam: IPv6, reason: RejectNotGlobal},
	{name: "outside 2000::/3", body: "4000::1", fam: IPv6, reason: RejectNotGlobal},
	{name: "site-local fec0::/10", body: "fec0::1", fam: IPv6, reason: RejectNotGlobal},

	// Rejected: structured formats.
	{name: "trace without ip line", format: FormatTrace, body: "fl=1\nh=1.1.1.1\n", fam: IPv4, reason: RejectBadFormat},
	{name: "trace with two ip lines", format: FormatTrace, body: "ip=81.2.69.160\nip=81.2.69.161\n", fam: IPv4, reason: RejectManyAddresses},
	{name: "trace with private ip", format: FormatTrace, body: "ip=192.168.0.5\n", fam: IPv4, reason: RejectNotGlobal},
	{name: "trace that is HTML", format: FormatTrace, body: "<html>ip=81.2.69.160</html>", fam: IPv4, reason: RejectHTML},
	{name: "json not JSON", format: FormatJSON, body: `ip=81.2.69.160`, fam: IPv4, reason: RejectBadFormat},
	{name: "json field missing", format: FormatJSON, body: `{"addr":"81.2.69.160"}`, fam: IPv4, reason: RejectBadFormat},
	{name: "json field not a string", format: FormatJSON, body: `{"ip":1359103392}`, fam: IPv4, reason: RejectBadFormat},
	{name: "json two values", format: FormatJSON, body: `{"ip":"81.2.69.160"}{"ip":"81.2.69.161"}`, fam: IPv4, reason: RejectBadFormat},
	{name: "json field holds a list", format: FormatJSON, body: `{"ip":"81.2.69.160, 10.0.0.1"}`, fam: IPv4, reason: RejectManyAddresses},
	{name: "regex no match", format: FormatRegex, body: "nothing here", fam: IPv4, reason: RejectBadFormat},
	{name: "regex two different matches", format: FormatRegex, body: "Current IP Address: 81.2.69.160\nCurrent IP Address: 81.2.69.161", fam: IPv4, reason: RejectManyAddresses},
}

var testRegex = regexp.MustCompile(`Current IP Address: (\S+)`)

func parseCase(c answerCase) (netip.Addr, error) {
	switch c.format {
	case FormatTrace:
		return ParseTrace(c.body, c.fam)
	case FormatJSON:
		return ParseJSONField([]byte(c.body), "ip", c.fam)
	case FormatRegex:
		return ParseRegex(c.body, testRegex, c.fam)
	default:
		return ParseAnswer(c.body, c.fam)
	}
}

func TestAnswersAreAcceptedOrRejectedWithReason(t *testing.T) {
	for _, c := range answerCases {
		t.Run(c.name, func(t *testing.T) {
			addr, err := parseCase(c)
			if c.want != "" {
				if err != nil || addr.String() != c.want {
					t.Fatalf("got %v, %v; want %s accepted", addr, err, c.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted %s; want rejection %s", addr, c.reason)
			}
			if got := ReasonOf(err); got != c.reason {
				t.Fatalf("rejected with %q (%v); want %q", got, err, c.reason)
			}
			if addr.IsValid() {
				t.Fatalf("a rejection returned the address %s", addr)
			}
		})
	}
	t.Logf("%d answer cases", len(answerCases))
}

func TestDNSAnswersAreAcceptedOrRejectedWithReason(t *testing.T) {
	q := func(name string, qtype uint16) dns.Question {
		return dns.Question{Name: name, Qtype: qtype, Qclass: dns.ClassINET}
	}
	a := q("myip.opendns.com.", dns.TypeA)
	aaaa := q("myip.opendns.com.", dns.TypeAAAA)
	txt := q("o-o.myaddr.l.google.com.", dns.TypeTXT)
	cname := &dns.CNAME{Hdr: dns.RR_Header{Name: "x.", Rrtype: dns.TypeCNAME, Class: dns.ClassINET}, Target: "myip.opendns.com."}
	cases := []struct {
		name   string
		qtype  uint16
		rcode  int
		trunc  bool
		answer []dns.RR
		fam    Family
		want   string
		reason RejectReason
	}{
		{name: "OpenDNS A", qtype: dns.TypeA, answer: []dns.RR{rrA(a, "81.2.69.160")}, fam: IPv4, want: "81.2.69.160"},
		{name: "OpenDNS AAAA", qtype: dns.TypeAAAA, answer: []dns.RR{rrAAAA(aaaa, "2a02:2e0:3fe:1001:302::1")}, fam: IPv6, want: "2a02:2e0:3fe:1001:302::1"},
		{name: "CNAME before A is skipped", qtype: dns.TypeA, answer: []dns.RR{cname, rrA(a, "81.2.69.160")}, fam: IPv4, want: "81.2.69.160"},
		{name: "Google TXT", qtype: dns.TypeTXT, answer: []dns.RR{rrTXT(txt, "81.2.69.160")}, fam: IPv4, want: "81.2.69.160"},
		{name: "Google TXT with client subnet string", qtype: dns.TypeTXT, answer: []dns.RR{rrTXT(txt, "81.2.69.160"), rrTXT(txt, "edns0-client-subnet 81.2.69.0/24")}, fam: IPv4, want: "81.2.69.160"},
		{name: "NXDOMAIN", qtype: dns.TypeA, rcode: dns.RcodeNameError, fam: IPv4, reason: RejectDNSError},
		{name: "REFUSED", qtype: dns.TypeTXT, rcode: dns.RcodeRefused, fam: IPv4, reason: RejectDNSError},
		{name: "truncated", qtype: dns.TypeTXT, trunc: true, answer: []dns.RR{rrTXT(txt, "81.2.69.160")}, fam: IPv4, reason: RejectTooLong},
		{name: "no answer", qtype: dns.TypeA, fam: IPv4, reason: RejectEmpty},
		{name: "two A records", qtype: dns.TypeA, answer: []dns.RR{rrA(a, "81.2.69.160"), rrA(a, "81.2.69.161")}, fam: IPv4, reason: RejectManyAddresses},
		{name: "private A", qtype: dns.TypeA, answer: []dns.RR{rrA(a, "10.0.0.1")}, fam: IPv4, reason: RejectNotGlobal},
		{name: "TXT garbage", qtype: dns.TypeTXT, answer: []dns.RR{rrTXT(txt, "not an address")}, fam: IPv4, reason: RejectManyAddresses},
		{name: "TXT IPv6 for IPv4", qtype: dns.TypeTXT, answer: []dns.RR{rrTXT(txt, "2a02:2e0:3fe:1001:302::1")}, fam: IPv4, reason: RejectWrongFamily},
		{name: "A answered for AAAA question", qtype: dns.TypeAAAA, answer: []dns.RR{rrA(aaaa, "81.2.69.160")}, fam: IPv6, reason: RejectEmpty},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := new(dns.Msg)
			m.SetQuestion("x.", c.qtype)
			m.Response, m.Rcode, m.Truncated, m.Answer = true, c.rcode, c.trunc, c.answer
			wire, err := m.Pack()
			if err != nil {
				t.Fatal(err)
			}
			addr, err := ParseDNSWire(wire, c.qtype, c.fam)
			if c.want != "" {
				if err != nil || addr.String() != c.want {
					t.Fatalf("got %v, %v; want %s", addr, err, c.want)
				}
				return
			}
			if got := ReasonOf(err); got != c.reason {
				t.Fatalf("got %v (%v); want reason %q", addr, err, c.reason)
			}
		})
	}
}

func TestCheckUsableAllowsPrivateButNotLoopback(t *testing.T) {
	for _, c := range []struct {
		addr string
		fam  Family
		ok   bool
	}{
		{"192.168.1.20", IPv4, true},
		{"100.72.1.1", IPv4, true},
		{"fd00::2", IPv6, true},
		{"127.0.0.1", IPv4, false},
		{"169.254.1.1", IPv4, false},
		{"fe80::1", IPv6, false},
		{"::", IPv6, false},
		{"192.168.1.20", IPv6, false},
	} {
		err := CheckUsable(netip.MustParseAddr(c.addr), c.fam)
		if (err == nil) != c.ok {
			t.Errorf("CheckUsable(%s, %s) = %v; want ok=%v", c.addr, c.fam, err, c.ok)
		}
	}
}

func BenchmarkParseAnswer(b *testing.B) {
	for b.Loop() {
		_, _ = ParseAnswer("81.2.69.160\n", IPv4)
	}
}

func BenchmarkParseAnswerIPv6(b *testing.B) {
	for b.Loop() {
		_, _ = ParseAnswer("2a02:2e0:3fe:1001:302::1\n", IPv6)
	}
}

func BenchmarkCheckGlobal(b *testing.B) {
	addrs := []netip.Addr{goodV4, goodV6, netip.MustParseAddr("100.72.1.1"), netip.MustParseAddr("2001:db8::1")}
	for b.Loop() {
		for i, a := range addrs {
			_ = CheckGlobal(a, map[bool]Family{true: IPv6, false: IPv4}[i%2 == 1])
		}
	}
}

func BenchmarkParseTrace(b *testing.B) {
	body := "fl=29f\nh=1.1.1.1\nip=81.2.69.160\nts=1700000000.1\nvisit_scheme=https\nuag=ddns-operator\ncolo=LHR\nhttp=http/1.1\nloc=GB\ntls=TLSv1.3\nsni=off\nwarp=off\n"
	for b.Loop() {
		_, _ = ParseTrace(body, IPv4)
	}
}

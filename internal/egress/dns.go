package egress

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// DNSOptions describes a DNS "whoami" source: a name server that answers a
// fixed question with the address the query came from.
type DNSOptions struct {
	// Name in logs and metrics.
	Name string
	// Operator runs the server (see Operated); Name when empty.
	Operator string
	// Servers per family, as "ip:port". The IPv4 lookup asks the IPv4
	// server over udp4, the IPv6 lookup the IPv6 server over udp6; a family
	// without a server is not supported by the source.
	Servers map[Family]string
	// Question is the name asked, e.g. "myip.opendns.com.".
	Question string
	// Type asked per family: dns.TypeA/TypeAAAA, or dns.TypeTXT for both.
	Types map[Family]uint16
	// Class asked: dns.ClassINET, or dns.ClassCHAOS for whoami.cloudflare.
	Class uint16
	// Timeout bounds one lookup; DefaultTimeout when zero.
	Timeout time.Duration
}

// DNSSource asks a name server who we are (OpenDNS, Cloudflare, Google).
type DNSSource struct {
	opts DNSOptions
}

// NewDNSSource returns a DNS source for opts.
func NewDNSSource(opts DNSOptions) (*DNSSource, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Class == 0 {
		opts.Class = dns.ClassINET
	}
	if opts.Operator == "" {
		opts.Operator = opts.Name
	}
	opts.Question = dns.Fqdn(opts.Question)
	if _, ok := dns.IsDomainName(opts.Question); !ok {
		return nil, fmt.Errorf("dns source %s: %q is not a domain name", opts.Name, opts.Question)
	}
	for fam, server := range opts.Servers {
		ap, err := netip.ParseAddrPort(server)
		if err != nil || !fam.Matches(ap.Addr()) {
			return nil, fmt.Errorf("dns source %s: server %q is not an %s ip:port", opts.Name, server, fam)
		}
		if t := opts.Types[fam]; t != dns.TypeA && t != dns.TypeAAAA && t != dns.TypeTXT {
			return nil, fmt.Errorf("dns source %s: %s question type must be A, AAAA or TXT", opts.Name, fam)
		}
	}
	return &DNSSource{opts: opts}, nil
}

// Well-known whoami services. Each server is an address literal, so no
// resolver is needed and the family of the query is the family asked.
var dnsPresets = map[string]DNSOptions{
	// OpenDNS answers myip.opendns.com with the querier's address.
	"opendns": {
		Name: "dns:opendns", Operator: "opendns", Question: "myip.opendns.com.",
		Servers: map[Family]string{IPv4: "208.67.222.222:53", IPv6: "[2620:119:35::35]:53"},
		Types:   map[Family]uint16{IPv4: dns.TypeA, IPv6: dns.TypeAAAA},
	},
	// Cloudflare answers whoami.cloudflare TXT in class CHAOS.
	"cloudflare": {
		Name: "dns:cloudflare", Operator: "cloudflare", Question: "whoami.cloudflare.", Class: dns.ClassCHAOS,
		Servers: map[Family]string{IPv4: "1.1.1.1:53", IPv6: "[2606:4700:4700::1111]:53"},
		Types:   map[Family]uint16{IPv4: dns.TypeTXT, IPv6: dns.TypeTXT},
	},
	// Google's authoritative servers answer o-o.myaddr.l.google.com TXT.
	"google": {
		Name: "dns:google", Operator: "google", Question: "o-o.myaddr.l.google.com.",
		Servers: map[Family]string{IPv4: "216.239.32.10:53", IPv6: "[2001:4860:4802:32::a]:53"},
		Types:   map[Family]uint16{IPv4: dns.TypeTXT, IPv6: dns.TypeTXT},
	},
}

// DNSPreset returns the well-known whoami source name (opendns, cloudflare
// or google) with timeout.
func DNSPreset(name string, timeout time.Duration) (*DNSSource, error) {
	opts, ok := dnsPresets[name]
	if !ok {
		return nil, fmt.Errorf("unknown DNS source %q (want opendns, cloudflare or google)", name)
	}
	opts.Timeout = timeout
	return NewDNSSource(opts)
}

// Name returns the source's name.
func (s *DNSSource) Name() string { return s.opts.Name }

// Operator returns who runs the server.
func (s *DNSSource) Operator() string { return s.opts.Operator }

// Lookup asks the family's server over that family only.
func (s *DNSSource) Lookup(ctx context.Context, fam Family) (netip.Addr, error) {
	server, ok := s.opts.Servers[fam]
	if !ok {
		return netip.Addr{}, fmt.Errorf("%s has no %s server", s.opts.Name, fam)
	}
	qtype := s.opts.Types[fam]
	network := "udp4"
	if fam == IPv6 {
		network = "udp6"
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	m := new(dns.Msg)
	m.Id = dns.Id()
	m.RecursionDesired = false
	m.Question = []dns.Question{{Name: s.opts.Question, Qtype: qtype, Qclass: s.opts.Class}}
	c := &dns.Client{Net: network, Timeout: s.opts.Timeout, UDPSize: dns.MinMsgSize}
	in, _, err := c.ExchangeContext(ctx, m, server)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("ask %s at %s: %w", s.opts.Name, server, classifyDialError(err))
	}
	if err := checkReply(m, in); err != nil {
		return netip.Addr{}, err
	}
	return ParseDNSAnswer(in, qtype, fam)
}

// checkReply makes sure the reply answers our question (miekg/dns checks
// the ID; a spoofed or confused reply could still ask something else).
func checkReply(q, in *dns.Msg) error {
	if in == nil || len(in.Question) != 1 {
		return reject(RejectDNSError, "reply does not repeat the question")
	}
	got, want := in.Question[0], q.Question[0]
	if !strings.EqualFold(got.Name, want.Name) || got.Qtype != want.Qtype || got.Qclass != want.Qclass {
		return reject(RejectDNSError, "reply answers %s, not %s", clip(got.String()), want.String())
	}
	return nil
}

// ParseDNSWire parses a raw DNS reply and reads its answer (for fuzzing and
// for callers holding wire bytes).
func ParseDNSWire(wire []byte, qtype uint16, fam Family) (netip.Addr, error) {
	if len(wire) > dns.MaxMsgSize {
		return netip.Addr{}, reject(RejectTooLong, "reply is %d bytes", len(wire))
	}
	m := new(dns.Msg)
	if err := m.Unpack(wire); err != nil {
		return netip.Addr{}, reject(RejectBadFormat, "reply does not parse: %s", clip(err.Error()))
	}
	return ParseDNSAnswer(m, qtype, fam)
}

// isTimeout reports a network timeout, for the "timeout" failure reason.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

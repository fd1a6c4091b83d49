package providertest

import (
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/miekg/dns"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// DNSServer publishes a fake's zones in DNS, as the authoritative servers
// of an update-only service (dyndns2, DuckDNS) publish what its API wrote:
// providers that cannot list records read them from DNS, and point
// providers.Env's Nameserver at Addr. It answers over UDP and TCP on
// 127.0.0.1, authoritatively, from the fake's Store at the moment of the
// question: an SOA at each zone's apex (and in the authority section of
// negative answers), NS at the apex, the stored A, AAAA and TXT records, and
// REFUSED for names in no zone.
type DNSServer struct {
	// Addr is "127.0.0.1:port".
	Addr string

	mu      sync.Mutex
	rcode   int // answered instead, when not success
	drop    bool
	queries int

	udp, tcp *dns.Server
}

// DefaultDNSTTL is the TTL served for records stored with none.
const DefaultDNSTTL = 60

// ServeDNS starts a DNSServer over f's store; with t set it stops when
// the test ends.
func (f *Fake[X]) ServeDNS(t testing.TB) *DNSServer {
	s := &DNSServer{}
	handler := dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		s.mu.Lock()
		s.queries++
		rcode, drop := s.rcode, s.drop
		s.mu.Unlock()
		if drop {
			return
		}
		m := new(dns.Msg)
		m.SetReply(q)
		if rcode != dns.RcodeSuccess {
			m.Rcode = rcode
		} else {
			f.mu.Lock()
			answerFromStore(m, q, f.Store.zones)
			f.mu.Unlock()
		}
		_ = w.WriteMsg(m)
	})
	pc, ln := listenUDPAndTCP()
	s.Addr = pc.LocalAddr().String()
	started := make(chan struct{}, 2)
	s.udp = &dns.Server{PacketConn: pc, Handler: handler, NotifyStartedFunc: func() { started <- struct{}{} }}
	s.tcp = &dns.Server{Listener: ln, Handler: handler, NotifyStartedFunc: func() { started <- struct{}{} }}
	go func() { _ = s.udp.ActivateAndServe() }()
	go func() { _ = s.tcp.ActivateAndServe() }()
	<-started
	<-started
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// listenUDPAndTCP listens on one free port of 127.0.0.1 for both UDP and
// TCP (a free UDP port may be taken for TCP: then another is tried).
func listenUDPAndTCP() (net.PacketConn, net.Listener) {
	var last error
	for range 20 {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			panic("providertest: listen for DNS: " + err.Error())
		}
		ln, err := net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			return pc, ln
		}
		_ = pc.Close()
		last = err
	}
	panic("providertest: listen for DNS over TCP: " + last.Error())
}

// Close stops the server.
func (s *DNSServer) Close() {
	_ = s.udp.Shutdown()
	_ = s.tcp.Shutdown()
}

// FailWith makes every following question answer rcode (dns.RcodeSuccess
// answers from the store again).
func (s *DNSServer) FailWith(rcode int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rcode, s.drop = rcode, false
}

// Drop makes every following question go unanswered (true), as an
// unreachable server; false answers again.
func (s *DNSServer) Drop(drop bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drop = drop
}

// Queries returns how many questions the server received.
func (s *DNSServer) Queries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries
}

// answerFromStore fills m, the reply to q, from the zones.
func answerFromStore[X any](m, q *dns.Msg, zones []*Zone[X]) {
	if len(q.Question) != 1 {
		m.Rcode = dns.RcodeFormatError
		return
	}
	question := q.Question[0]
	name := providers.CanonicalName(question.Name)
	var zone *Zone[X]
	for _, z := range zones {
		if (name == z.Name || strings.HasSuffix(name, "."+z.Name)) && (zone == nil || len(z.Name) > len(zone.Name)) {
			zone = z
		}
	}
	if zone == nil {
		m.Rcode = dns.RcodeRefused
		return
	}
	m.Authoritative = true
	soa := &dns.SOA{
		Hdr:     dns.RR_Header{Name: dns.Fqdn(zone.Name), Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: 3600},
		Ns:      dns.Fqdn("ns1." + zone.Name),
		Mbox:    dns.Fqdn("hostmaster." + zone.Name),
		Serial:  1,
		Refresh: 3600, Retry: 600, Expire: 604800, Minttl: DefaultDNSTTL,
	}
	exists := name == zone.Name
	for _, r := range zone.Records {
		if r.Name == name || strings.HasSuffix(r.Name, "."+name) {
			exists = true
		}
		if r.Name != name || !strings.EqualFold(r.Type, dns.TypeToString[question.Qtype]) {
			continue
		}
		if rr := addressRR(r.Name, r.Type, r.Value, r.TTL); rr != nil {
			m.Answer = append(m.Answer, rr)
		}
	}
	switch {
	case name == zone.Name && question.Qtype == dns.TypeSOA:
		m.Answer = append(m.Answer, soa)
	case name == zone.Name && question.Qtype == dns.TypeNS:
		m.Answer = append(m.Answer, &dns.NS{Hdr: dns.RR_Header{Name: dns.Fqdn(zone.Name), Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: 3600}, Ns: soa.Ns})
	case name == "ns1."+zone.Name && question.Qtype == dns.TypeA:
		m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: dns.Fqdn(name), Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 3600}, A: net.IPv4(127, 0, 0, 1)})
	case len(m.Answer) == 0 && !exists:
		m.Rcode = dns.RcodeNameError
		m.Ns = append(m.Ns, soa)
	case len(m.Answer) == 0:
		m.Ns = append(m.Ns, soa)
	}
}

// addressRR is the A, AAAA or TXT record of a stored record; nil for a
// value that is not an address of its type, or another type.
func addressRR(name, typ, value string, ttl int) dns.RR {
	if ttl <= 0 {
		ttl = DefaultDNSTTL
	}
	h := dns.RR_Header{Name: dns.Fqdn(name), Class: dns.ClassINET, Ttl: uint32(ttl)}
	if strings.EqualFold(typ, "TXT") {
		h.Rrtype = dns.TypeTXT
		return &dns.TXT{Hdr: h, Txt: []string{value}}
	}
	a, err := netip.ParseAddr(value)
	if err != nil {
		return nil
	}
	switch {
	case strings.EqualFold(typ, "A") && a.Is4():
		h.Rrtype = dns.TypeA
		return &dns.A{Hdr: h, A: a.AsSlice()}
	case strings.EqualFold(typ, "AAAA") && a.Is6():
		h.Rrtype = dns.TypeAAAA
		return &dns.AAAA{Hdr: h, AAAA: a.AsSlice()}
	}
	return nil
}

// nameservers maps the endpoint of a running fake to the address of the
// DNSServer that publishes its zones (see DNSBacked).
var nameservers sync.Map

// Publishes records that s publishes the zones of the fake at endpoint,
// until the test ends (or forever with t nil).
func (s *DNSServer) Publishes(t testing.TB, endpoint string) {
	nameservers.Store(endpoint, s.Addr)
	if t != nil {
		t.Cleanup(func() { nameservers.Delete(endpoint) })
	}
}

// DNSBacked returns d building its provider with Env.Nameserver set to the
// DNS server of the fake that Env.Endpoint names, for Backends of
// providers that read records from DNS: the operator's suites point a
// provider at a fake by its endpoint only. An endpoint of no fake leaves
// the Env as it is.
func DNSBacked(d providers.Descriptor) providers.Descriptor {
	build := d.New
	d.New = func(env providers.Env, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
		if addr, ok := nameservers.Load(env.Endpoint); ok && env.Nameserver == "" {
			env.Nameserver = addr.(string)
		}
		return build(env, secret, spec)
	}
	return d
}

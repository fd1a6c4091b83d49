package providertest

import (
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/ddns-operator/ddns-operator/providers"
)

// DNSServer is an authoritative DNS server for a fake's zones, on
// 127.0.0.1 (UDP and TCP): what the public name servers of a provider
// answer. Providers whose API can write a record but not read it
// (Dynamic DNS update endpoints) read the current value from DNS; their
// fakes start one beside the HTTP server, so a write through the API is
// visible to the next DNS read at once, as on a provider whose name
// servers follow its database within seconds.
type DNSServer struct {
	// Addr is the server's host:port, for providers/dnsread.Reader.Servers.
	Addr string

	queries atomic.Int64
	servers []*dns.Server
}

// ServeDNS starts a DNSServer answering from f's Store; it stops when the
// test ends. It answers as an authoritative server does: SOA and NS at a
// zone's apex, the records of a name and type with the AA bit, NODATA or
// NXDOMAIN with the zone's SOA in the authority section, and REFUSED for
// names in no zone of the fake.
func ServeDNS[X any](t testing.TB, f *Fake[X]) *DNSServer {
	t.Helper()
	s := &DNSServer{}
	handler := dns.HandlerFunc(func(w dns.ResponseWriter, req *dns.Msg) {
		s.queries.Add(1)
		f.Lock()
		m := answer(&f.Store, req)
		f.Unlock()
		_ = w.WriteMsg(m)
	})
	pc, ln, err := listenBoth()
	if err != nil {
		t.Fatalf("providertest: DNS server: %v", err)
	}
	s.Addr = pc.LocalAddr().String()
	var started sync.WaitGroup
	started.Add(2)
	s.servers = []*dns.Server{
		{PacketConn: pc, Handler: handler, NotifyStartedFunc: started.Done},
		{Listener: ln, Handler: handler, NotifyStartedFunc: started.Done},
	}
	for _, srv := range s.servers {
		go func() { _ = srv.ActivateAndServe() }()
	}
	started.Wait()
	t.Cleanup(s.Close)
	return s
}

// listenBoth listens on one port of 127.0.0.1 over UDP and TCP. The UDP
// port the kernel picks may be taken over TCP (by an HTTP test server),
// so it tries a few.
func listenBoth() (net.PacketConn, net.Listener, error) {
	var last error
	for range 20 {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return nil, nil, err
		}
		ln, err := net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			return pc, ln, nil
		}
		last = err
		_ = pc.Close()
	}
	return nil, nil, last
}

// Queries returns how many queries the server answered.
func (s *DNSServer) Queries() int { return int(s.queries.Load()) }

// Close stops the server.
func (s *DNSServer) Close() {
	for _, srv := range s.servers {
		_ = srv.Shutdown()
	}
}

// answerTTL is the TTL served for a record stored without one, and the
// SOA's.
const answerTTL = 300

// answer builds the authoritative answer to req from st.
func answer[X any](st *Store[X], req *dns.Msg) *dns.Msg {
	m := new(dns.Msg)
	m.SetReply(req)
	if len(req.Question) != 1 {
		m.Rcode = dns.RcodeFormatError
		return m
	}
	q := req.Question[0]
	name := providers.CanonicalName(q.Name)
	var zone *Zone[X]
	for _, z := range st.Zones() {
		if (name == z.Name || strings.HasSuffix(name, "."+z.Name)) && (zone == nil || len(z.Name) > len(zone.Name)) {
			zone = z
		}
	}
	if zone == nil {
		m.Rcode = dns.RcodeRefused
		return m
	}
	m.Authoritative = true
	soa := soaOf(zone.Name)
	switch {
	case name == zone.Name && q.Qtype == dns.TypeSOA:
		m.Answer = append(m.Answer, soa)
		return m
	case name == zone.Name && q.Qtype == dns.TypeNS:
		m.Answer = append(m.Answer, &dns.NS{Hdr: header(zone.Name, dns.TypeNS, answerTTL), Ns: dns.Fqdn("ns1." + zone.Name)})
		return m
	}
	exists := name == zone.Name
	for _, r := range zone.Select(name, "") {
		exists = true
		if !strings.EqualFold(r.Type, dns.TypeToString[q.Qtype]) {
			continue
		}
		if rr := recordRR(r.Name, r.Type, r.Value, r.TTL); rr != nil {
			m.Answer = append(m.Answer, rr)
		}
	}
	if len(m.Answer) == 0 {
		m.Ns = append(m.Ns, soa)
		if !exists {
			m.Rcode = dns.RcodeNameError
		}
	}
	return m
}

// recordRR is the A, AAAA or TXT record a store record stands for; nil
// for values that do not fit the type.
func recordRR(name, typ, value string, ttl int) dns.RR {
	if ttl <= 0 {
		ttl = answerTTL
	}
	if strings.EqualFold(typ, "TXT") {
		return &dns.TXT{Hdr: header(name, dns.TypeTXT, ttl), Txt: []string{value}}
	}
	addr, err := netip.ParseAddr(value)
	if err != nil {
		return nil
	}
	switch {
	case strings.EqualFold(typ, "A") && addr.Is4():
		return &dns.A{Hdr: header(name, dns.TypeA, ttl), A: addr.AsSlice()}
	case strings.EqualFold(typ, "AAAA") && addr.Is6():
		return &dns.AAAA{Hdr: header(name, dns.TypeAAAA, ttl), AAAA: addr.AsSlice()}
	}
	return nil
}

func header(name string, typ uint16, ttl int) dns.RR_Header {
	return dns.RR_Header{Name: dns.Fqdn(name), Rrtype: typ, Class: dns.ClassINET, Ttl: uint32(ttl)}
}

func soaOf(zone string) *dns.SOA {
	return &dns.SOA{
		Hdr: header(zone, dns.TypeSOA, answerTTL), Ns: dns.Fqdn("ns1." + zone), Mbox: dns.Fqdn("hostmaster." + zone),
		Serial: uint32(time.Now().Unix()), Refresh: 3600, Retry: 600, Expire: 604800, Minttl: answerTTL,
	}
}

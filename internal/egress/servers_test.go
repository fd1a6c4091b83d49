package egress

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// Test addresses outside every special-purpose range (never documentation
// ranges: those are rejected by design).
var (
	goodV4  = netip.MustParseAddr("81.2.69.160")
	otherV4 = netip.MustParseAddr("81.2.69.161")
	goodV6  = netip.MustParseAddr("2a02:2e0:3fe:1001:302::1")
)

// echoServer is an HTTP echo service on loopback that answers with a
// body chosen per listener family, after an optional delay, and counts
// its requests.
type echoServer struct {
	URL      string
	requests atomic.Int64
	srv      *http.Server
}

type echoReply struct {
	body        string
	contentType string
	delay       time.Duration
}

// startEcho listens on host ("127.0.0.1" or "::1") and answers reply.
func startEcho(t *testing.T, host string, reply echoReply) *echoServer {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatalf("listen on %s: %v", host, err)
	}
	return serveEcho(t, ln, func(*http.Request) echoReply { return reply })
}

func serveEcho(t *testing.T, ln net.Listener, reply func(*http.Request) echoReply) *echoServer {
	t.Helper()
	e := &echoServer{URL: "http://" + ln.Addr().String() + "/"}
	e.srv = &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.requests.Add(1)
		rep := reply(r)
		if rep.delay > 0 {
			select {
			case <-time.After(rep.delay):
			case <-r.Context().Done():
				return
			}
		}
		if rep.contentType != "" {
			w.Header().Set("Content-Type", rep.contentType)
		}
		_, _ = w.Write([]byte(rep.body))
	})}
	go func() { _ = e.srv.Serve(ln) }()
	t.Cleanup(func() { _ = e.srv.Close() })
	return e
}

// dnsServer is a UDP name server on loopback answering every question
// with answer(question), counting queries.
type dnsServer struct {
	Addr    string
	queries atomic.Int64
}

func startDNS(t *testing.T, host string, answer func(q dns.Question) []dns.RR) *dnsServer {
	t.Helper()
	pc, err := net.ListenPacket("udp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatalf("listen udp on %s: %v", host, err)
	}
	d := &dnsServer{Addr: pc.LocalAddr().String()}
	started := make(chan struct{})
	srv := &dns.Server{PacketConn: pc, NotifyStartedFunc: func() { close(started) }, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, req *dns.Msg) {
		d.queries.Add(1)
		m := new(dns.Msg)
		m.SetReply(req)
		m.Authoritative = true
		m.Answer = answer(req.Question[0])
		_ = w.WriteMsg(m)
	})}
	go func() { _ = srv.ActivateAndServe() }()
	<-started
	t.Cleanup(func() { _ = srv.Shutdown() })
	return d
}

func rrA(q dns.Question, addr string) dns.RR {
	rr, err := dns.NewRR(fmt.Sprintf("%s 0 IN A %s", q.Name, addr))
	if err != nil {
		panic(err)
	}
	return rr
}

func rrAAAA(q dns.Question, addr string) dns.RR {
	rr, err := dns.NewRR(fmt.Sprintf("%s 0 IN AAAA %s", q.Name, addr))
	if err != nil {
		panic(err)
	}
	return rr
}

func rrTXT(q dns.Question, values ...string) dns.RR {
	return &dns.TXT{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeTXT, Class: q.Qclass, Ttl: 0}, Txt: values}
}

// requireIPv6Loopback skips a test when ::1 cannot be listened on.
func requireIPv6Loopback(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skipf("this host's loopback has no IPv6 (%v): IPv6 listener tests need ::1", err)
	}
	_ = ln.Close()
}

// fakeSource answers from a function and counts calls.
type fakeSource struct {
	name, operator string
	calls          atomic.Int64
	answer         func(Family) (netip.Addr, error)
}

func (f *fakeSource) Name() string     { return f.name }
func (f *fakeSource) Operator() string { return f.operator }
func (f *fakeSource) Lookup(_ context.Context, fam Family) (netip.Addr, error) {
	f.calls.Add(1)
	return f.answer(fam)
}

func fixed(name string, addr netip.Addr) *fakeSource {
	return &fakeSource{name: name, answer: func(Family) (netip.Addr, error) { return addr, nil }}
}

// settable is a fakeSource whose answer tests change.
type settable struct {
	mu   sync.Mutex
	addr netip.Addr
}

func (s *settable) set(a netip.Addr) { s.mu.Lock(); s.addr = a; s.mu.Unlock() }
func (s *settable) get() netip.Addr  { s.mu.Lock(); defer s.mu.Unlock(); return s.addr }

func httpSource(t *testing.T, spec string) Source {
	t.Helper()
	// Every test server runs on one host: name each URL its own operator.
	src, err := ParseSource(spec+"#operator="+spec, IPv4, SpecDefaults{Timeout: time.Second})
	if err != nil {
		t.Fatalf("ParseSource(%q): %v", spec, err)
	}
	return src
}

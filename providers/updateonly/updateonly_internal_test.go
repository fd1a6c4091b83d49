package updateonly

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Without a fixed server, the resolver finds the zone through the
// recursive resolver, then its NS records and their addresses, and reads
// the name from those servers directly.
func TestResolverAsksTheAuthoritativeServers(t *testing.T) {
	var f providertest.Fake[struct{}]
	f.Start(t, nil)
	f.AddZone("example.com")
	f.Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 120})
	srv := f.ServeDNS(t)
	_, port, _ := net.SplitHostPort(srv.Addr)
	r := &Resolver{resolvers: []string{srv.Addr}, authPort: port}
	ctx := context.Background()
	z, err := r.FindZone(ctx, "home.example.com", "")
	if err != nil || z.Name != "example.com" {
		t.Fatalf("FindZone = %+v, %v", z, err)
	}
	values, ttl, err := r.Lookup(ctx, z.Name, "home.example.com", "A")
	if err != nil || len(values) != 1 || values[0] != "81.2.69.160" || ttl != 120 {
		t.Fatalf("Lookup = %v, %d, %v", values, ttl, err)
	}
	if got := r.auth["example.com"].addrs; len(got) != 1 || got[0] != net.JoinHostPort("127.0.0.1", port) {
		t.Fatalf("authoritative servers %v, want ns1.example.com's address", got)
	}
	// A second read asks the authoritative server only: the NS lookup is
	// remembered.
	before := srv.Queries()
	if _, _, err := r.Lookup(ctx, z.Name, "home.example.com", "A"); err != nil || srv.Queries() != before+1 {
		t.Fatalf("second Lookup: %v, %d queries", err, srv.Queries()-before)
	}
	if v, _, err := r.Lookup(ctx, z.Name, "none.example.com", "A"); err != nil || len(v) != 0 {
		t.Fatalf("a name without records: %v, %v", v, err)
	}
}

// An answer from a server that is not authoritative (a resolver's cache
// in the way) is never taken as the record; with no other server it is a
// transient error.
func TestResolverRefusesNonAuthoritativeAnswers(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(q)
		m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Question[0].Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: net.IPv4(81, 2, 69, 1)})
		_ = w.WriteMsg(m)
	})}
	go func() { _ = s.ActivateAndServe() }()
	t.Cleanup(func() { _ = s.Shutdown() })
	r := &Resolver{Nameserver: pc.LocalAddr().String(), Timeout: time.Second}
	_, _, err = r.Lookup(context.Background(), "example.com", "home.example.com", "A")
	if providers.KindOf(err) != providers.KindTransient || !strings.Contains(err.Error(), "not authoritative") {
		t.Fatalf("error %v, want a transient error saying the server is not authoritative", err)
	}
}

// A server that does not answer is a transient error within the timeout.
func TestResolverTimesOut(t *testing.T) {
	var f providertest.Fake[struct{}]
	f.Start(t, nil)
	f.AddZone("example.com")
	srv := f.ServeDNS(t)
	srv.Drop(true)
	r := &Resolver{Nameserver: srv.Addr, Timeout: 200 * time.Millisecond}
	start := time.Now()
	_, err := r.FindZone(context.Background(), "home.example.com", "")
	if providers.KindOf(err) != providers.KindTransient || time.Since(start) > 5*time.Second {
		t.Fatalf("error %v after %s", err, time.Since(start))
	}
}

// recorder is a Sender that remembers what it was asked to send.
type recorder struct {
	mu   sync.Mutex
	sent []providers.Record
	err  error
}

func (r *recorder) Send(_ context.Context, _ providers.Zone, rec providers.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, rec)
	return r.err
}

// Without DNS (a callback), what was sent is what the name holds: the
// same address and TTL are sent once, a new TTL or address again, and a
// failed send is sent again at the next write.
func TestMemoryOnlyProvider(t *testing.T) {
	rec := &recorder{}
	p := New(Config{Sender: rec, DefaultTTL: 600})
	ctx := context.Background()
	z, _ := p.FindZone(ctx, "home.example.co.uk", "")
	if z.Name != "example.co.uk" {
		t.Fatalf("zone %q, want the registrable domain", z.Name)
	}
	write := func(value string, ttl int32) {
		t.Helper()
		got, err := p.ListRecords(ctx, z, "home.example.co.uk", "A")
		if err != nil {
			t.Fatal(err)
		}
		want := providers.Record{Name: "home.example.co.uk", Type: "A", Value: value, TTL: ttl, Marker: "m"}
		if len(got) == 1 && got[0].Value == value && (ttl == 0 || got[0].TTL == ttl) && got[0].Marker == "m" {
			return
		}
		if _, err := p.UpdateRecord(ctx, z, want); err != nil && rec.err == nil {
			t.Fatal(err)
		}
	}
	for range 5 {
		write("81.2.69.160", 0)
	}
	if len(rec.sent) != 1 || rec.sent[0].TTL != 600 {
		t.Fatalf("sent %+v, want once with the default TTL", rec.sent)
	}
	write("81.2.69.160", 300)
	write("81.2.69.161", 300)
	write("81.2.69.161", 300)
	if len(rec.sent) != 3 {
		t.Fatalf("sent %d times, want 3 (the first, a new TTL, a new address)", len(rec.sent))
	}
	rec.err = providers.Errorf(providers.KindTransient, "", "connection reset")
	write("81.2.69.162", 300)
	rec.err = nil
	write("81.2.69.162", 300)
	write("81.2.69.162", 300)
	if len(rec.sent) != 5 {
		t.Fatalf("sent %d times, want 5 (a failed send is sent again, once)", len(rec.sent))
	}
	if err := p.DeleteRecord(ctx, z, providers.Record{Name: "home.example.co.uk", Type: "A"}); providers.KindOf(err) != providers.KindInvalid {
		t.Fatalf("DeleteRecord without a Clearer: %v", err)
	}
}

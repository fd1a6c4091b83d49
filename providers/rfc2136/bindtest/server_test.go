package bindtest

import (
	"testing"

	"github.com/miekg/dns"
)

// The harness serves each zone, takes signed updates, and lists them back
// by zone transfer; the proxy counts only the updates it forwards.
func TestServerTakesSignedUpdatesThroughTheProxy(t *testing.T) {
	s := StartT(t, "example.com", "example.org")
	rr, err := dns.NewRR("home.example.com. 300 IN A 81.2.69.160")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Add("example.com", rr); err != nil {
		t.Fatalf("signed update: %v", err)
	}
	got, err := s.Records("example.com", "home.example.com", dns.TypeA)
	if err != nil || len(got) != 1 || got[0].(*dns.A).A.String() != "81.2.69.160" {
		t.Fatalf("records after update = %v, %v", got, err)
	}

	p, err := NewProxy(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	proxied := &Server{Addr: p.Addr, Keys: s.Keys}
	if err := proxied.Add("example.org", rr2(t)); err != nil {
		t.Fatalf("update through the proxy: %v", err)
	}
	if _, err := proxied.Records("example.org", "x.example.org", dns.TypeA); err != nil {
		t.Fatalf("transfer through the proxy: %v", err)
	}
	if p.Updates() != 1 {
		t.Fatalf("proxy counted %d updates, want 1", p.Updates())
	}
	p.FailWith(dns.RcodeServerFailure)
	if err := proxied.Add("example.org", rr2(t)); err == nil {
		t.Fatal("update through a failing proxy succeeded")
	}
	if p.Updates() != 1 {
		t.Fatalf("a refused update was counted as reaching the server")
	}

	unsigned := new(dns.Msg)
	unsigned.SetUpdate("example.com.")
	unsigned.Insert([]dns.RR{rr})
	r, err := dns.Exchange(unsigned, s.Addr)
	if err != nil || r.Rcode != dns.RcodeRefused {
		t.Fatalf("unsigned update answered %v, %v; want REFUSED", r, err)
	}
}

func rr2(t *testing.T) dns.RR {
	rr, err := dns.NewRR("x.example.org. 300 IN A 81.2.69.161")
	if err != nil {
		t.Fatal(err)
	}
	return rr
}

package bindtest

import (
	"fmt"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// StartT starts a server for a test, stopping it when the test ends; it
// fails the test when named cannot be found, installed or started, and
// skips it under `go test -short` (make test-unit).
func StartT(t testing.TB, zones ...string) *Server {
	t.Helper()
	if testing.Short() {
		t.Skip("needs BIND 9: run make test")
	}
	s, err := Start(Config{Zones: zones})
	if err != nil {
		t.Fatalf("bindtest: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}

// Exchange sends m to the server over TCP, signed with the key of alg
// (hmac-sha256 or hmac-sha512), and checks the answer's signature.
func (s *Server) Exchange(m *dns.Msg, alg string) (*dns.Msg, error) {
	k, ok := s.Keys[alg]
	if !ok || alg == "hmac-md5" {
		return nil, fmt.Errorf("bindtest: cannot sign with %q", alg)
	}
	name := dns.Fqdn(k.Name)
	c := &dns.Client{Net: "tcp", Timeout: 5 * time.Second, TsigSecret: map[string]string{name: k.Secret}}
	m.SetTsig(name, dns.Fqdn(alg), 300, time.Now().Unix())
	r, _, err := c.Exchange(m, s.Addr)
	if err != nil {
		return nil, err
	}
	if r.Rcode != dns.RcodeSuccess {
		return r, fmt.Errorf("bindtest: server answered %s", dns.RcodeToString[r.Rcode])
	}
	return r, nil
}

// Add adds rrs to zone with one signed update, bypassing any provider.
func (s *Server) Add(zone string, rrs ...dns.RR) error {
	m := new(dns.Msg)
	m.SetUpdate(dns.Fqdn(zone))
	m.Insert(rrs)
	_, err := s.Exchange(m, "hmac-sha256")
	return err
}

// Transfer returns every record of zone by a signed AXFR, without the
// SOA that opens and closes it.
func (s *Server) Transfer(zone string) ([]dns.RR, error) {
	k := s.Keys["hmac-sha256"]
	m := new(dns.Msg)
	m.SetAxfr(dns.Fqdn(zone))
	m.SetTsig(dns.Fqdn(k.Name), dns.HmacSHA256, 300, time.Now().Unix())
	tr := &dns.Transfer{TsigSecret: map[string]string{dns.Fqdn(k.Name): k.Secret}}
	envs, err := tr.In(m, s.Addr)
	if err != nil {
		return nil, fmt.Errorf("bindtest: axfr %s: %w", zone, err)
	}
	var out []dns.RR
	for env := range envs {
		if env.Error != nil {
			return nil, fmt.Errorf("bindtest: axfr %s: %w", zone, env.Error)
		}
		for _, rr := range env.RR {
			if rr.Header().Rrtype != dns.TypeSOA {
				out = append(out, rr)
			}
		}
	}
	return out, nil
}

// Records returns the records of zone named name of type typ (e.g.
// dns.TypeA), read by zone transfer.
func (s *Server) Records(zone, name string, typ uint16) ([]dns.RR, error) {
	all, err := s.Transfer(zone)
	if err != nil {
		return nil, err
	}
	var out []dns.RR
	for _, rr := range all {
		if rr.Header().Rrtype == typ && dns.CanonicalName(rr.Header().Name) == dns.CanonicalName(name) {
			out = append(out, rr)
		}
	}
	return out, nil
}

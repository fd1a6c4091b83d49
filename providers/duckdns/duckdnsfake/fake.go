// Package duckdnsfake is a stand-in for DuckDNS, for tests: GET
// /update?domains=&token=&ip=&ipv6=&clear=&verbose= answered OK or KO as
// https://www.duckdns.org/spec.jsp documents, over a store whose zones it
// also publishes in DNS (the provider reads names from DNS, as it does
// from DuckDNS's authoritative servers). A domain exists when it is one
// label under one of the fake's zones (DuckDNS has one, duckdns.org).
package duckdnsfake

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Token is the token the fake accepts.
const Token = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

// ServiceTTL is the TTL DuckDNS gives every record.
const ServiceTTL = 60

// Fake is a running DuckDNS with its DNS server.
type Fake struct {
	providertest.Fake[struct{}]
	// DNS publishes the fake's zones.
	DNS *providertest.DNSServer

	mu        sync.Mutex
	updates   []url.Values
	unchanged int
}

// New starts a fake holding the named zones; with t set it stops when the
// test ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	f.DNS = f.ServeDNS(t)
	return f
}

// Close stops both servers.
func (f *Fake) Close() {
	f.Fake.Close()
	f.DNS.Close()
}

// Updates returns the query of every authenticated update received.
func (f *Fake) Updates() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.updates...)
}

// Unchanged returns how many updates changed nothing (verbose NOCHANGE).
func (f *Fake) Unchanged() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.unchanged
}

type wire struct{ f *Fake }

// Operation names the update, the only call.
func (wire) Operation(r *http.Request, _ []byte) (string, bool) {
	if r.Method == http.MethodGet && r.URL.Path == "/update" {
		return "update", true
	}
	return "", false
}

// Authenticate checks the token; DuckDNS answers KO, with HTTP 200, to a
// wrong one.
func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	tok := r.URL.Query().Get("token")
	w.f.Note(tok)
	if tok == Token {
		return true
	}
	fmt.Fprint(rw, "KO")
	return false
}

// Fault answers DuckDNS's own failures: KO for a refused token and for a
// domain the account lacks (DuckDNS does not tell them apart), HTTP
// errors from its load balancer.
func (wire) Fault(rw http.ResponseWriter, _ *http.Request, fault providertest.Fault, _ string) bool {
	status := map[providertest.Fault]int{
		providertest.FaultRateLimited: 429, providertest.FaultRateLimitedNoRetryAfter: 429,
		providertest.FaultServerError: 500, providertest.FaultHTTP500: 500,
		providertest.FaultHTTP502: 502, providertest.FaultHTTP503: 503,
	}[fault]
	switch {
	case fault == providertest.FaultAuthRejected || fault == providertest.FaultZoneNotFound:
		fmt.Fprint(rw, "KO")
	case status == 0:
		return false
	default:
		if fault == providertest.FaultRateLimited {
			rw.Header().Set("Retry-After", providertest.RetryAfter)
		}
		rw.WriteHeader(status)
		fmt.Fprint(rw, http.StatusText(status))
	}
	return true
}

// Serve applies an update: sets ip and ipv6 where given, or clears both.
func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, _ []byte) {
	if op != "update" {
		rw.WriteHeader(http.StatusNotFound)
		return
	}
	f := w.f
	q := r.URL.Query()
	f.mu.Lock()
	f.updates = append(f.updates, q)
	f.mu.Unlock()
	sub := strings.ToLower(q.Get("domains"))
	var zone *providertest.Zone[struct{}]
	for _, z := range f.Store.Zones() {
		if name, ok := strings.CutSuffix(sub, "."+z.Name); ok {
			sub = name
		}
		if sub != "" && !strings.ContainsAny(sub, ".,") {
			zone = z
			break
		}
	}
	if zone == nil {
		fmt.Fprint(rw, "KO")
		return
	}
	name := sub + "." + zone.Name
	if q.Get("clear") == "true" {
		for _, r := range zone.Select(name, "") {
			zone.Remove(r.ID)
		}
		fmt.Fprint(rw, "OK\n\n\nUPDATED")
		return
	}
	if q.Get("ip") == "" && q.Get("ipv6") == "" {
		// DuckDNS would take the caller's address: never what a client
		// that names its address wants.
		rw.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(rw, "no address given: DuckDNS would guess it from the connection")
		return
	}
	changed := false
	for param, typ := range map[string]string{"ip": "A", "ipv6": "AAAA"} {
		v := q.Get(param)
		if v == "" {
			continue
		}
		a, err := netip.ParseAddr(v)
		if err != nil || (typ == "A") != a.Is4() {
			fmt.Fprint(rw, "KO")
			return
		}
		cur := zone.Select(name, typ)
		if len(cur) == 1 && cur[0].Value == a.String() {
			continue
		}
		for _, r := range cur {
			zone.Remove(r.ID)
		}
		f.Store.Add(zone, providertest.Rec[struct{}]{Name: name, Type: typ, Value: a.String(), TTL: ServiceTTL})
		changed = true
	}
	result := "UPDATED"
	if !changed {
		result = "NOCHANGE"
		f.mu.Lock()
		f.unchanged++
		f.mu.Unlock()
	}
	fmt.Fprintf(rw, "OK\n%s\n%s\n%s", q.Get("ip"), q.Get("ipv6"), result)
}

// Records returns a zone's records in the contract's terms.
func (f *Fake) Records(zone, name, typ string) []providers.Record {
	var out []providers.Record
	for _, r := range f.Fake.Records(zone, name, typ) {
		out = append(out, r.Record())
	}
	return out
}

// Package dyndns2fake is a stand-in for a dyndns2 update service, for
// tests: an HTTP server taking GET /nic/update?hostname=&myip= with basic
// authentication and answering the protocol's one-line return codes, over
// a store whose zones it also publishes in DNS (the provider reads hosts
// from DNS, as it does from a real service's authoritative servers).
//
// Shapes follow Dyn's Remote Access API
// (https://help.dyn.com/remote-access-api/perform-update/, return codes at
// https://help.dyn.com/remote-access-api/return-codes/) and No-IP's
// integration guide (https://www.noip.com/integrate/request and
// /integrate/response): "good IP" after a change, "nochg IP" for an
// update that changes nothing, "badauth" with HTTP 401 for a wrong
// password, "nohost" for a host the account lacks, "notfqdn" for a name
// that is not one, myipv6 (No-IP, Dynu) or an IPv6 address in myip for
// AAAA records. A host exists when its name lies in one of the fake's
// zones, as on a service where the account owns the domain.
package dyndns2fake

import (
	"encoding/base64"
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

// The credentials the fake accepts.
const (
	Username = "ddns-user@example.com"
	Password = "Sx9dT4vK2mQ7pL1w"
)

// ServiceTTL is the TTL the service gives every host (No-IP's is 60).
const ServiceTTL = 60

// Fake is a running dyndns2 service with its DNS server.
type Fake struct {
	providertest.Fake[struct{}]
	// DNS publishes the fake's zones.
	DNS *providertest.DNSServer

	mu      sync.Mutex
	answer  string // answered to every update instead, when set
	nochg   int
	updates []url.Values
	agents  []string
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

// SetAnswer makes every following authenticated update answer code (as
// "911" or "abuse") without changing anything; "" answers normally again.
func (f *Fake) SetAnswer(code string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answer = code
}

// Nochg returns how many updates were answered "nochg": updates that
// changed nothing, which the services count against a client.
func (f *Fake) Nochg() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.nochg
}

// Updates returns the query of every authenticated update received.
func (f *Fake) Updates() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.updates...)
}

// UserAgents returns the User-Agent of every update received.
func (f *Fake) UserAgents() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.agents...)
}

// SetHost sets a host's address directly, as a change made in the
// service's console or by another client: the drift the operator corrects.
func (f *Fake) SetHost(zone, name, typ, value string) {
	f.Lock()
	defer f.Unlock()
	z := f.Store.Zone(zone)
	if z == nil {
		panic("dyndns2fake: no zone " + zone)
	}
	f.set(z, name, typ, value)
}

// set makes value the one address of type typ of name; the lock is held.
func (f *Fake) set(z *providertest.Zone[struct{}], name, typ, value string) {
	for _, r := range z.Select(name, typ) {
		z.Remove(r.ID)
	}
	f.Store.Add(z, providertest.Rec[struct{}]{Name: name, Type: typ, Value: value, TTL: ServiceTTL})
}

// wire is the dyndns2 protocol as the fake speaks it.
type wire struct{ f *Fake }

// Operation names the update, the only call.
func (wire) Operation(r *http.Request, _ []byte) (string, bool) {
	if r.Method == http.MethodGet && r.URL.Path == "/nic/update" {
		return "update", true
	}
	return "", false
}

// Authenticate checks basic authentication; a wrong pair gets HTTP 401
// and "badauth", as No-IP answers it.
func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	h := r.Header.Get("Authorization")
	w.f.Note(h, strings.TrimPrefix(h, "Basic "))
	if raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(h, "Basic ")); err == nil {
		if _, pass, ok := strings.Cut(string(raw), ":"); ok {
			w.f.Note(pass)
		}
	}
	user, pass, ok := r.BasicAuth()
	if ok && user == Username && pass == Password {
		return true
	}
	rw.Header().Set("WWW-Authenticate", `Basic realm="dyndns2"`)
	rw.WriteHeader(http.StatusUnauthorized)
	fmt.Fprintln(rw, "badauth")
	return false
}

// Fault answers the faults the protocol has words for.
func (wire) Fault(rw http.ResponseWriter, _ *http.Request, fault providertest.Fault, _ string) bool {
	text := func(status int, body string) bool {
		rw.Header().Set("Content-Type", "text/plain")
		rw.WriteHeader(status)
		fmt.Fprintln(rw, body)
		return true
	}
	switch fault {
	case providertest.FaultRateLimited:
		// The protocol has no throttling code; servers in front of it
		// (deSEC's, Dynu's) answer HTTP 429 with Retry-After.
		rw.Header().Set("Retry-After", providertest.RetryAfter)
		return text(http.StatusTooManyRequests, "Too Many Requests")
	case providertest.FaultRateLimitedNoRetryAfter:
		return text(http.StatusTooManyRequests, "Too Many Requests")
	case providertest.FaultServerError, providertest.FaultHTTP500:
		return text(http.StatusInternalServerError, "Internal Server Error")
	case providertest.FaultHTTP502:
		return text(http.StatusBadGateway, "Bad Gateway")
	case providertest.FaultHTTP503:
		return text(http.StatusServiceUnavailable, "Service Unavailable")
	case providertest.FaultAuthRejected:
		return text(http.StatusOK, "badauth")
	case providertest.FaultZoneNotFound:
		return text(http.StatusOK, "nohost")
	}
	return false
}

// Serve answers an update: nohost outside the zones, nochg when the host
// already has the address, good after setting it.
func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, _ []byte) {
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if op != "update" {
		rw.WriteHeader(http.StatusNotFound)
		return
	}
	f := w.f
	q := r.URL.Query()
	f.mu.Lock()
	f.updates = append(f.updates, q)
	f.agents = append(f.agents, r.UserAgent())
	answer := f.answer
	f.mu.Unlock()
	if answer != "" {
		fmt.Fprintln(rw, answer)
		return
	}
	host := providers.CanonicalName(q.Get("hostname"))
	if host == "" || !strings.Contains(host, ".") || strings.Contains(host, ",") {
		fmt.Fprintln(rw, "notfqdn")
		return
	}
	var zone *providertest.Zone[struct{}]
	for _, z := range f.Store.Zones() {
		if (host == z.Name || strings.HasSuffix(host, "."+z.Name)) && (zone == nil || len(z.Name) > len(zone.Name)) {
			zone = z
		}
	}
	if zone == nil {
		fmt.Fprintln(rw, "nohost")
		return
	}
	typ, addr, ok := address(q)
	if !ok {
		// Dyn falls back to the connecting address; a client that sends
		// none (or garbage) has a bug the tests must see.
		rw.WriteHeader(http.StatusBadRequest)
		fmt.Fprintln(rw, "no valid address in myip or myipv6")
		return
	}
	if cur := zone.Select(host, typ); len(cur) == 1 && cur[0].Value == addr {
		f.mu.Lock()
		f.nochg++
		f.mu.Unlock()
		fmt.Fprintln(rw, "nochg "+addr)
		return
	}
	f.set(zone, host, typ, addr)
	fmt.Fprintln(rw, "good "+addr)
}

// address is the update's address and its record type: myipv6, else
// myip (either family).
func address(q url.Values) (typ, addr string, ok bool) {
	for _, p := range []string{"myipv6", "myip"} {
		if v := q.Get(p); v != "" {
			a, err := netip.ParseAddr(v)
			if err != nil || (p == "myipv6" && !a.Is6()) {
				return "", "", false
			}
			if a.Is4() || a.Is4In6() {
				return "A", a.Unmap().String(), true
			}
			return "AAAA", a.String(), true
		}
	}
	return "", "", false
}

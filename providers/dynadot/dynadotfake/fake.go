// Package dynadotfake is a fake of Dynadot's set_ddns endpoint and of the
// name servers that publish its zones, on the provider kit
// (providertest.Fake and its ServeDNS): an update through the
// endpoint changes what the DNS server answers at once.
//
// Shapes, from the only published description of the endpoint, the client
// Dynadot's team contributed to ddns-go (jeessy2/ddns-go pull request
// 1050, dns/dynadot.go):
//   - GET /set_ddns?domain&subDomain (comma-separated names, relative)
//     &type (A or AAAA)&ip&pwd (the domain's DDNS password)&ttl
//     &containRoot (true to set the domain itself too);
//   - the answer is JSON {"status","error_code","content":[...]};
//     error_code -1 is a failure, described in content; the endpoint
//     creates a name's record or replaces its address.
//
// Dynadot does not publish its failure texts; the fake's ("Invalid DDNS
// password", "Domain not found") are its own.
package dynadotfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Password is every domain's DDNS password.
const Password = "dd9f3b1c7e2a4605"

// Fake is a running fake set_ddns endpoint with its DNS server.
type Fake struct {
	providertest.Fake[struct{}]
	// DNS serves the fake's zones.
	DNS *providertest.DNSServer
}

// New starts a fake holding the named domains, each with DDNS on and
// Password as its password; it stops when the test ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Start(t, wire{f})
	f.DNS = f.Fake.ServeDNS(t)
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// Endpoint is the base URL a provider reaches the fake with: the
// endpoint, and the DNS server in the "dns" parameter.
func (f *Fake) Endpoint() string { return f.URL + "/?dns=" + f.DNS.Addr }

type wire struct{ f *Fake }

func (wire) Operation(r *http.Request, _ []byte) (string, bool) {
	if strings.HasSuffix(r.URL.Path, "/set_ddns") {
		return "set_ddns", true
	}
	return "", false
}

func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	q := r.URL.Query()
	w.f.Note(q.Get("pwd"))
	switch {
	case w.f.Store.Zone(q.Get("domain")) == nil:
		failure(rw, "Domain not found")
		return false
	case q.Get("pwd") != Password:
		failure(rw, "Invalid DDNS password")
		return false
	}
	return true
}

func (w wire) Fault(rw http.ResponseWriter, _ *http.Request, f providertest.Fault, _ string) bool {
	if sf, ok := providertest.StatusOf(f); ok {
		if sf.RetryAfter {
			rw.Header().Set("Retry-After", providertest.RetryAfter)
		}
		page(rw, sf.Status, sf.Text)
		return true
	}
	switch f {
	case providertest.FaultAuthRejected:
		failure(rw, "Invalid DDNS password")
	case providertest.FaultZoneNotFound:
		failure(rw, "Domain not found")
	default:
		// The endpoint lists nothing: FaultEndlessPages has no wire form.
		return false
	}
	return true
}

func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, _ []byte) {
	if op != "set_ddns" {
		http.NotFound(rw, r)
		return
	}
	q := r.URL.Query()
	z := w.f.Store.Zone(q.Get("domain"))
	typ := strings.ToUpper(q.Get("type"))
	ip, err := netip.ParseAddr(q.Get("ip"))
	if err != nil || (typ != "A" && typ != "AAAA") || (typ == "A") != ip.Is4() {
		failure(rw, "Invalid IP address or record type")
		return
	}
	ttl, err := strconv.Atoi(q.Get("ttl"))
	if err != nil || ttl <= 0 {
		ttl = 600
	}
	var names []string
	for _, n := range strings.Split(q.Get("subDomain"), ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, providers.AbsoluteName(n, z.Name))
		}
	}
	if q.Get("containRoot") == "true" {
		names = append(names, z.Name)
	}
	if len(names) == 0 {
		failure(rw, "No sub domain given")
		return
	}
	for _, name := range names {
		for _, rec := range z.Select(name, typ) {
			z.Remove(rec.ID)
		}
		w.f.Store.Add(z, providertest.Rec[struct{}]{Name: name, Type: typ, Value: ip.String(), TTL: ttl})
	}
	writeJSON(rw, map[string]any{"status": "success", "error_code": 0, "content": []string{fmt.Sprintf("%d record(s) set to %s", len(names), ip)}})
}

func failure(rw http.ResponseWriter, msg string) {
	writeJSON(rw, map[string]any{"status": "error", "error_code": -1, "content": []string{msg}})
}

func page(rw http.ResponseWriter, status int, title string) {
	rw.Header().Set("Content-Type", "text/html")
	rw.WriteHeader(status)
	fmt.Fprintf(rw, "<html><head><title>%d %s</title></head><body><h1>%s</h1></body></html>", status, title, title)
}

func writeJSON(rw http.ResponseWriter, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(rw).Encode(v)
}

// Package namecheapfake is a fake of Namecheap's Dynamic DNS endpoint and
// of the name servers that publish its zones, on the provider kit
// (providertest.Fake and its ServeDNS): an update through the
// endpoint changes what the DNS server answers at once.
//
// Shapes, from Namecheap's knowledge base ("How to dynamically update the
// host's IP with an HTTP request", "How do I set up a Host for Dynamic
// DNS?") and the answers clients quote (troglobit/inadyn pull request
// 467):
//   - GET /update?host=HOST&domain=DOMAIN&password=PASSWORD&ip=IP, HOST
//     relative ("@" for the apex, "*" for the wildcard), PASSWORD the
//     domain's Dynamic DNS password;
//   - the answer is HTTP 200 with an XML document declared as
//     encoding="utf-16" (while ASCII): <interface-response>
//     <Command>SETDNSHOST</Command><Language>eng</Language><IP/>
//     <ErrCount>0</ErrCount><errors/><ResponseCount>0</ResponseCount>
//     <responses/><Done>true</Done><debug><![CDATA[]]></debug>
//     </interface-response>;
//   - a wrong password: ErrCount 1, <Err1>Passwords do not match</Err1>,
//     ResponseNumber 304156, ResponseString "Validation error; invalid ;
//     password";
//   - a host without an "A + Dynamic DNS Record": "No Records updated. A
//     record not Found;" (quoted in troglobit/inadyn issue 108).
//
// The answer for a domain the account does not hold ("Domain name not
// found", ResponseNumber 316153) is the fake's own wording.
package namecheapfake

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Password is every domain's Dynamic DNS password unless SetPassword
// says otherwise.
const Password = "7a0354e9ae547b9d30ab0ea4ff0a30f7"

// Fake is a running fake Dynamic DNS endpoint with its DNS server.
type Fake struct {
	providertest.Fake[struct{}]
	// DNS serves the fake's zones.
	DNS *providertest.DNSServer
	// AnyHost takes every host of a zone as set up with an "A + Dynamic
	// DNS Record" (a user who followed the guide for the names a test
	// uses); false, only hosts with an A record may be updated, as at
	// Namecheap.
	AnyHost   bool
	passwords map[string]string
}

// New starts a fake holding the named domains, each with Dynamic DNS on
// and Password as its password; it stops when the test ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{passwords: map[string]string{}}
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

// SetPassword gives a domain a password of its own.
func (f *Fake) SetPassword(domain, password string) {
	f.Lock()
	defer f.Unlock()
	f.passwords[providers.CanonicalName(domain)] = password
}

type wire struct{ f *Fake }

func (wire) Operation(r *http.Request, _ []byte) (string, bool) {
	if strings.HasSuffix(r.URL.Path, "/update") {
		return "update", true
	}
	return "", false
}

func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	q := r.URL.Query()
	w.f.Note(q.Get("password"))
	domain := providers.CanonicalName(q.Get("domain"))
	want, ok := w.f.passwords[domain]
	if !ok {
		want = Password
	}
	switch {
	case w.f.Store.Zone(domain) == nil:
		reply(rw, "", "Domain name not found", "316153", "Validation error; not found; domain name(s)")
		return false
	case q.Get("password") != want:
		reply(rw, "", "Passwords do not match", "304156", "Validation error; invalid ; password")
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
		reply(rw, "", "Passwords do not match", "304156", "Validation error; invalid ; password")
	case providertest.FaultZoneNotFound:
		reply(rw, "", "Domain name not found", "316153", "Validation error; not found; domain name(s)")
	default:
		// The endpoint lists nothing: FaultEndlessPages has no wire form.
		return false
	}
	return true
}

func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, _ []byte) {
	if op != "update" {
		http.NotFound(rw, r)
		return
	}
	q := r.URL.Query()
	z := w.f.Store.Zone(q.Get("domain"))
	ip, err := netip.ParseAddr(q.Get("ip"))
	if err != nil || !ip.Is4() {
		reply(rw, "", "Invalid IP", "304158", "Validation error; invalid ; IP")
		return
	}
	host := providers.AbsoluteName(q.Get("host"), z.Name)
	existing := z.Select(host, "A")
	if len(existing) == 0 && !w.f.AnyHost {
		reply(rw, "", "No Records updated. A record not Found;", "380091", "No Records updated. A record not Found;")
		return
	}
	ttl := 1799 // "Automatic"
	for _, rec := range existing {
		ttl = rec.TTL
		z.Remove(rec.ID)
	}
	w.f.Store.Add(z, providertest.Rec[struct{}]{Name: host, Type: "A", Value: ip.String(), TTL: ttl})
	reply(rw, ip.String(), "", "", "")
}

// reply writes the endpoint's XML answer: success when desc is empty.
func reply(rw http.ResponseWriter, ip, desc, number, str string) {
	rw.Header().Set("Content-Type", "text/html")
	rw.WriteHeader(http.StatusOK)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-16"?>` + "\r\n<interface-response>\r\n  <Command>SETDNSHOST</Command>\r\n  <Language>eng</Language>\r\n")
	if desc == "" {
		fmt.Fprintf(&b, "  <IP>%s</IP>\r\n  <ErrCount>0</ErrCount>\r\n  <errors />\r\n  <ResponseCount>0</ResponseCount>\r\n  <responses />\r\n", ip)
	} else {
		fmt.Fprintf(&b, "  <ErrCount>1</ErrCount>\r\n  <errors>\r\n    <Err1>%s</Err1>\r\n  </errors>\r\n  <ResponseCount>1</ResponseCount>\r\n  <responses>\r\n    <response>\r\n      <Description>%s</Description>\r\n      <ResponseNumber>%s</ResponseNumber>\r\n      <ResponseString>%s</ResponseString>\r\n    </response>\r\n  </responses>\r\n", desc, desc, number, str)
	}
	b.WriteString("  <Done>true</Done>\r\n  <debug><![CDATA[]]></debug>\r\n</interface-response>")
	_, _ = rw.Write([]byte(b.String()))
}

func page(rw http.ResponseWriter, status int, title string) {
	rw.Header().Set("Content-Type", "text/html")
	rw.WriteHeader(status)
	fmt.Fprintf(rw, "<html><head><title>%d %s</title></head><body><h1>%s</h1></body></html>", status, title, title)
}

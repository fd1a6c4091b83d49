// Package gandifake is a fake Gandi LiveDNS API for tests, on the kit in
// providers/providertest. It speaks the wire format of
// https://api.gandi.net/docs/livedns/: GET /domains and GET
// /domains/{fqdn} (domains), GET /domains/{fqdn}/records (every set, or
// those of ?rrset_type / ?rrset_name) and GET, POST, PUT, DELETE
// /domains/{fqdn}/records/{rrset_name}/{rrset_type} (one set), with TXT
// values in quotes. Lists are paginated by page and per_page
// (https://api.gandi.net/docs/reference/, "Pagination") and carry the
// Total-Count header. Requests are authenticated with "Authorization:
// Bearer <personal access token>" (https://api.gandi.net/docs/authentication/);
// errors have LiveDNS's body {"code", "message", "object", "cause",
// "errors"} (https://api.gandi.net/docs/reference/, "Errors").
package gandifake

import (
	"encoding/json"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Token is the personal access token the fake accepts.
const Token = "pat_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"

// MinTTL is the smallest rrset_ttl LiveDNS accepts.
const MinTTL = 300

// defaultTTL is the TTL of a set written without one.
const defaultTTL = 10800

// Fake is a running fake LiveDNS API.
type Fake struct {
	providertest.Fake[struct{}]
}

// New starts a fake holding the named domains; it stops when t ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Store.RecordIDOf = providertest.SetRecordID[struct{}]
	f.Companions = true
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// wire is LiveDNS's protocol over the fake's store.
type wire struct{ f *Fake }

// route splits a path: the domain, and the set's name and type, as far as
// the path goes.
func route(r *http.Request) (domain, name, typ string, records bool) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	for i := range parts {
		parts[i], _ = url.PathUnescape(parts[i])
	}
	if len(parts) >= 2 && parts[0] == "domains" {
		domain = parts[1]
	}
	if len(parts) >= 3 && parts[2] == "records" {
		records = true
	}
	if len(parts) == 5 {
		name, typ = parts[3], parts[4]
	}
	return domain, name, typ, records
}

func (w wire) Operation(r *http.Request, _ []byte) (string, bool) {
	domain, name, _, records := route(r)
	switch {
	case domain == "":
		return "listDomains", false
	case !records:
		return "getDomain", false
	case name == "":
		return "listRecords", false
	}
	switch r.Method {
	case http.MethodPost:
		return "createRecord", true
	case http.MethodPut:
		return "replaceRecord", true
	case http.MethodDelete:
		return "deleteRecord", true
	}
	return "getRecord", false
}

func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	auth := r.Header.Get("Authorization")
	w.f.Note(auth, strings.TrimPrefix(auth, "Bearer "))
	if auth == "Bearer "+Token {
		return true
	}
	writeError(rw, http.StatusUnauthorized, "HTTPUnauthorized", "Unauthorized",
		"The server could not verify that you authorized to access the document you requested.")
	return false
}

func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	switch f {
	case providertest.FaultRateLimited:
		rw.Header().Set("Retry-After", "7")
		writeError(rw, http.StatusTooManyRequests, "HTTPTooManyRequests", "Too Many Requests", "Too many requests")
	case providertest.FaultRateLimitedNoRetryAfter:
		writeError(rw, http.StatusTooManyRequests, "HTTPTooManyRequests", "Too Many Requests", "Too many requests")
	case providertest.FaultServerError, providertest.FaultHTTP500:
		writeError(rw, http.StatusInternalServerError, "HTTPInternalServerError", "Internal Server Error", "Internal server error")
	case providertest.FaultHTTP502:
		writeError(rw, http.StatusBadGateway, "HTTPBadGateway", "Bad Gateway", "Bad gateway")
	case providertest.FaultHTTP503:
		writeError(rw, http.StatusServiceUnavailable, "HTTPServiceUnavailable", "Service Unavailable", "Service unavailable")
	case providertest.FaultAuthRejected:
		writeError(rw, http.StatusForbidden, "HTTPForbidden", "Forbidden", "Access was denied to this resource.")
	case providertest.FaultZoneNotFound:
		if op == "listDomains" {
			rw.Header().Set("Total-Count", "0")
			writeJSON(rw, http.StatusOK, []any{})
			return true
		}
		writeError(rw, http.StatusNotFound, "HTTPNotFound", "Not Found", "The resource could not be found.")
	case providertest.FaultEndlessPages:
		if op != "listDomains" && op != "listRecords" {
			return false
		}
		// Always the first page, and always more to come.
		q := r.URL.Query()
		q.Set("page", "1")
		r.URL.RawQuery = q.Encode()
		w.page(rw, r, w.items(r, op), providertest.EndlessTotal)
	default:
		return false
	}
	return true
}

func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	w.serve(rw, r, op, body)
}

func (w wire) serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	f := w.f
	domain, name, typ, _ := route(r)
	var z *providertest.Zone[struct{}]
	if domain != "" {
		if z = f.Store.Zone(domain); z == nil {
			writeError(rw, http.StatusNotFound, "HTTPNotFound", "Not Found", "The resource could not be found.")
			return
		}
	}
	switch op {
	case "listDomains", "listRecords":
		items := w.items(r, op)
		w.page(rw, r, items, len(items))
	case "getDomain":
		writeJSON(rw, http.StatusOK, map[string]any{"fqdn": z.Name, "automatic_snapshots": false,
			"domain_records_href": "https://api.gandi.net/v5/livedns/domains/" + z.Name + "/records"})
	case "getRecord":
		set := z.Set(providers.AbsoluteName(name, z.Name), typ)
		if len(set.Values) == 0 {
			writeError(rw, http.StatusNotFound, "dns-record", "Not Found", "Can't find the DNS record")
			return
		}
		writeJSON(rw, http.StatusOK, setJSON(z, set))
	case "createRecord", "replaceRecord":
		w.write(rw, z, name, typ, op, body)
	case "deleteRecord":
		set := z.Set(providers.AbsoluteName(name, z.Name), typ)
		if len(set.Values) == 0 {
			writeError(rw, http.StatusNotFound, "dns-record", "Not Found", "Can't find the DNS record")
			return
		}
		f.Store.ReplaceSet(z, providers.RecordSet{Name: set.Name, Type: typ}, struct{}{})
		rw.WriteHeader(http.StatusNoContent)
	}
}

// write creates (POST) or replaces (PUT) one set, checking the TTL and
// the values as LiveDNS does.
func (w wire) write(rw http.ResponseWriter, z *providertest.Zone[struct{}], name, typ, op string, body []byte) {
	var in struct {
		TTL    *int     `json:"rrset_ttl"`
		Values []string `json:"rrset_values"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		writeError(rw, http.StatusBadRequest, "HTTPBadRequest", "Bad Request", "Invalid JSON body")
		return
	}
	ttl := defaultTTL
	if in.TTL != nil {
		ttl = *in.TTL
	}
	if ttl < MinTTL || ttl > 2592000 {
		writeFieldError(rw, "rrset_ttl", "Must be between 300 and 2592000.")
		return
	}
	full := providers.AbsoluteName(name, z.Name)
	set := providers.RecordSet{Name: full, Type: strings.ToUpper(typ), TTL: int32(ttl)}
	for _, v := range in.Values {
		if !valueFits(set.Type, v) {
			writeFieldError(rw, "rrset_values", "Invalid value "+strconv.Quote(v)+" for a record of type "+set.Type+".")
			return
		}
		if set.Type == "TXT" {
			v = providers.UnquoteTXT(v)
		}
		set.Values = append(set.Values, providers.SetValue{Value: v})
	}
	if len(set.Values) == 0 {
		writeFieldError(rw, "rrset_values", "Shorter than minimum length 1")
		return
	}
	if op == "createRecord" && len(z.Select(full, typ)) > 0 {
		writeError(rw, http.StatusConflict, "HTTPConflict", "Conflict", "A DNS Record already exists with same value")
		return
	}
	w.f.Store.ReplaceSet(z, set, struct{}{})
	writeJSON(rw, http.StatusCreated, map[string]string{"message": "DNS Record Created"})
}

// items are what a list operation lists, all pages. Caller holds the lock.
func (w wire) items(r *http.Request, op string) []map[string]any {
	var all []map[string]any
	if op == "listDomains" {
		for _, z := range w.f.Store.Zones() {
			all = append(all, map[string]any{"fqdn": z.Name, "domain_href": "https://api.gandi.net/v5/livedns/domains/" + z.Name,
				"domain_records_href": "https://api.gandi.net/v5/livedns/domains/" + z.Name + "/records"})
		}
		return all
	}
	domain, _, _, _ := route(r)
	z := w.f.Store.Zone(domain)
	if z == nil {
		return nil
	}
	for _, set := range sets(z, r.URL.Query().Get("rrset_type"), r.URL.Query().Get("rrset_name")) {
		all = append(all, setJSON(z, set))
	}
	return all
}

// page serves items a page at a time (page, per_page), at most the fake's
// PageSize, with the Total-Count header saying total.
func (w wire) page(rw http.ResponseWriter, r *http.Request, items []map[string]any, total int) {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	size, _ := strconv.Atoi(q.Get("per_page"))
	if size <= 0 || size > w.f.PageSize {
		size = w.f.PageSize
	}
	out := providertest.Page(items, page, size)
	if out == nil {
		out = []map[string]any{}
	}
	rw.Header().Set("Total-Count", strconv.Itoa(total))
	writeJSON(rw, http.StatusOK, out)
}

// sets groups the zone's records into sets, in the order their first
// value was made, of type typ and name (relative) when set.
func sets(z *providertest.Zone[struct{}], typ, name string) []providers.RecordSet {
	var out []providers.RecordSet
	seen := map[string]bool{}
	for _, r := range z.Records {
		key := r.Name + " " + r.Type
		if seen[key] || (typ != "" && !strings.EqualFold(r.Type, typ)) || (name != "" && providers.AbsoluteName(name, z.Name) != r.Name) {
			continue
		}
		seen[key] = true
		out = append(out, z.Set(r.Name, r.Type))
	}
	return out
}

// setJSON is a set as LiveDNS shows it: its name relative to the domain,
// TXT values quoted.
func setJSON(z *providertest.Zone[struct{}], set providers.RecordSet) map[string]any {
	values := set.Addresses()
	if set.Type == "TXT" {
		for i, v := range values {
			values[i] = providers.QuoteTXT(v)
		}
	}
	rel := providers.RelativeName(set.Name, z.Name)
	return map[string]any{
		"rrset_name": rel, "rrset_type": set.Type, "rrset_ttl": set.TTL, "rrset_values": values,
		"rrset_href": "https://api.gandi.net/v5/livedns/domains/" + z.Name + "/records/" + rel + "/" + set.Type,
	}
}

// valueFits checks a value against its type, as LiveDNS validates it.
func valueFits(typ, v string) bool {
	switch typ {
	case "A", "AAAA":
		a, err := netip.ParseAddr(v)
		return err == nil && a.Is4() == (typ == "A") && a.String() == v
	case "TXT":
		return strings.HasPrefix(v, `"`) && strings.HasSuffix(v, `"`) && len(v) >= 2
	}
	return v != ""
}

func writeError(rw http.ResponseWriter, status int, object, cause, message string) {
	writeJSON(rw, status, map[string]any{"code": status, "message": message, "object": object, "cause": cause})
}

func writeFieldError(rw http.ResponseWriter, field, description string) {
	writeJSON(rw, http.StatusBadRequest, map[string]any{
		"code": 400, "message": "Bad Request", "object": "HTTPBadRequest", "cause": "Bad Request",
		"errors": []map[string]string{{"location": "body", "name": field, "description": description}},
	})
}

func writeJSON(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(v)
}

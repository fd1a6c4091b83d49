// Package desecfake is a fake deSEC API (v1) for tests, on the provider
// kit (providertest.Fake): domains and their RRsets, the Token header,
// cursor pagination with Link headers, and deSEC's error bodies and
// throttling.
//
// Shapes, from deSEC's API documentation (https://desec.readthedocs.io:
// "Authentication", "Domain Management", "Retrieving and Creating DNS
// Records", "Rate Limits"):
//   - "Authorization: Token TOKEN"; a wrong token answers 401 {"detail":
//     "Invalid token."}, none 401 {"detail": "Authentication credentials
//     were not provided."};
//   - GET /api/v1/domains/?owns_qname=NAME answers [] or the one domain
//     responsible for NAME; GET /api/v1/domains/{name}/ the domain
//     {"name", "minimum_ttl", ...} or 404 {"detail": "Not found."};
//   - GET /api/v1/domains/{name}/rrsets/ answers [{"domain", "subname",
//     "name", "type", "ttl", "records"}], filtered by subname and type;
//     more than a page (500 at deSEC, PageSize here) needs the cursor
//     parameter (400 "Pagination required" without), and pages are linked
//     by rel="next" in a Link header;
//   - POST .../rrsets/ creates an RRset (201; 400 when it exists), GET,
//     PATCH (an empty records list deletes, 204) and DELETE (204)
//     .../rrsets/{subname}/{type}/, "@" naming the apex;
//   - a TTL below the domain's minimum answers 400 {"ttl": ["Ensure this
//     value is greater than or equal to 3600."]};
//   - throttling answers 429 {"detail": "Request was throttled. Expected
//     available in N seconds."} with Retry-After: N.
package desecfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion/companionfake"
	"github.com/ddns-operator/ddns-operator/providers/internal/rrset"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Token is the API token the fake accepts.
const Token = "4pnk7u-NHvrEkFzrhFDRTjGFyX_S"

// MinTTL is the minimum_ttl of the fake's domains, deSEC's default.
const MinTTL = 3600

// Fake is a running fake deSEC API.
type Fake struct {
	providertest.Fake[struct{}]
}

// New starts a fake holding the named domains; it stops when the test
// ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// View is the fake as the provider sees it: values of an RRset carry the
// provider's IDs (package rrset), markers come from companion records.
func (f *Fake) View() companionfake.Sets[struct{}] {
	return companionfake.Sets[struct{}]{Fake: &f.Fake, Assign: rrset.Assign}
}

// Backend is the deSEC provider d with this fake, for the operator's
// suites.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		s := New(t, zones...).View().Server()
		s.Secret = map[string]string{"apiToken": Token}
		s.BadSecret = map[string]string{"apiToken": "4pnk7u-NHvrEkFzrhFDR00000000"}
		s.MinTTL = MinTTL
		s.Skip = map[string]string{
			providertest.CheckFault(providertest.FaultEndlessPages): "deSEC pages a listing only past 500 items (cursor links); a zone and account as small as the matrix's " +
				"are answered in one response, so the fault cannot arise there; TestEndlessPages covers a listing long enough to page",
		}
		return s
	}}
}

type wire struct{ f *Fake }

// route names the call and its domain, subname and type.
func route(r *http.Request) (op, domain, sub, typ string) {
	p := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/api/v1"), "/"), "/")
	switch {
	case len(p) == 1 && p[0] == "domains" && r.Method == http.MethodGet:
		return "list domains", "", "", ""
	case len(p) == 2 && p[0] == "domains" && r.Method == http.MethodGet:
		return "get domain", p[1], "", ""
	case len(p) == 3 && p[0] == "domains" && p[2] == "rrsets":
		return map[string]string{http.MethodGet: "list rrsets", http.MethodPost: "create rrset"}[r.Method], p[1], "", ""
	case len(p) == 5 && p[0] == "domains" && p[2] == "rrsets":
		return map[string]string{
			http.MethodGet: "get rrset", http.MethodPatch: "change rrset", http.MethodPut: "change rrset", http.MethodDelete: "delete rrset",
		}[r.Method], p[1], p[3], strings.ToUpper(p[4])
	}
	return "", "", "", ""
}

func (wire) Operation(r *http.Request, _ []byte) (string, bool) {
	op, _, _, _ := route(r)
	return op, op == "create rrset" || op == "change rrset" || op == "delete rrset"
}

func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	auth := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(auth, "Token ")
	w.f.Note(auth, token)
	switch {
	case !ok:
		detail(rw, http.StatusUnauthorized, "Authentication credentials were not provided.")
	case token != Token:
		detail(rw, http.StatusUnauthorized, "Invalid token.")
	default:
		return true
	}
	return false
}

func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	if sf, ok := providertest.StatusOf(f); ok {
		text := sf.Text
		if sf.Status == http.StatusTooManyRequests {
			text = "Request was throttled."
			if sf.RetryAfter {
				rw.Header().Set("Retry-After", providertest.RetryAfter)
				text = "Request was throttled. Expected available in 2 seconds."
			}
		}
		detail(rw, sf.Status, text)
		return true
	}
	switch f {
	case providertest.FaultAuthRejected:
		detail(rw, http.StatusUnauthorized, "Invalid token.")
	case providertest.FaultZoneNotFound:
		if op == "list domains" {
			providertest.WriteJSON(rw, http.StatusOK, []any{})
		} else {
			detail(rw, http.StatusNotFound, "Not found.")
		}
	case providertest.FaultEndlessPages:
		_, domain, _, _ := route(r)
		z := w.f.Store.Zone(domain)
		if op != "list rrsets" || z == nil {
			return false
		}
		w.listRRsets(rw, r, z, true)
	default:
		return false
	}
	return true
}

func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	_, domain, sub, typ := route(r)
	if op == "list domains" {
		out := []any{}
		if q := r.URL.Query().Get("owns_qname"); q != "" {
			if z, ok := providers.LongestSuffixZone(q, zones(w.f)); ok {
				out = append(out, domainJSON(z.Name))
			}
		}
		providertest.WriteJSON(rw, http.StatusOK, out)
		return
	}
	z := w.f.Store.Zone(domain)
	if op == "" || z == nil {
		detail(rw, http.StatusNotFound, "Not found.")
		return
	}
	name := providertest.Absolute(sub, z.Name)
	switch op {
	case "get domain":
		providertest.WriteJSON(rw, http.StatusOK, domainJSON(z.Name))
	case "list rrsets":
		w.listRRsets(rw, r, z, false)
	case "create rrset":
		w.create(rw, z, body)
	case "get rrset":
		recs := z.Select(name, typ)
		if len(recs) == 0 {
			detail(rw, http.StatusNotFound, "Not found.")
			return
		}
		providertest.WriteJSON(rw, http.StatusOK, rrsetJSON(z.Name, name, typ, recs))
	case "change rrset":
		w.change(rw, z, name, typ, body)
	case "delete rrset":
		for _, rec := range z.Select(name, typ) {
			z.Remove(rec.ID)
		}
		rw.WriteHeader(http.StatusNoContent)
	}
}

// listRRsets answers the zone's RRsets as filtered, a page from the
// cursor on; endless links the first page to itself forever.
func (w wire) listRRsets(rw http.ResponseWriter, r *http.Request, z *providertest.Zone[struct{}], endless bool) {
	q := r.URL.Query()
	all := []map[string]any{}
	for _, set := range sets(z) {
		sub := providers.RelativeName(set[0].Name, z.Name)
		if sub == "@" {
			sub = ""
		}
		if _, ok := q["subname"]; ok && q.Get("subname") != sub {
			continue
		}
		if t := q.Get("type"); t != "" && !strings.EqualFold(t, set[0].Type) {
			continue
		}
		all = append(all, rrsetJSON(z.Name, set[0].Name, set[0].Type, set))
	}
	cursor, paged := q["cursor"]
	if !paged {
		if len(all) > w.f.PageSize {
			detail(rw, http.StatusBadRequest, "Pagination required. You can query up to 500 items at a time ("+strconv.Itoa(len(all))+" total). Please use the `first` page link (see Link header).")
			return
		}
		providertest.WriteJSON(rw, http.StatusOK, all)
		return
	}
	start, _ := strconv.Atoi(strings.TrimPrefix(cursor[0], ":"))
	if endless {
		start = 0
	}
	page := providertest.Slice(all, start, w.f.PageSize)
	if page == nil {
		page = []map[string]any{}
	}
	if next := start + len(page); len(page) > 0 && (endless || next < len(all)) {
		link := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path}
		nq := url.Values{}
		for k, v := range q {
			nq[k] = v
		}
		nq.Set("cursor", ":"+strconv.Itoa(next))
		link.RawQuery = nq.Encode()
		rw.Header().Set("Link", fmt.Sprintf(`<%s?cursor=>; rel="first", <%s>; rel="next"`, "http://"+r.Host+r.URL.Path, link.String()))
	}
	providertest.WriteJSON(rw, http.StatusOK, page)
}

// input is the body of an RRset's creation or change.
type input struct {
	Subname *string   `json:"subname"`
	Type    string    `json:"type"`
	TTL     *int      `json:"ttl"`
	Records *[]string `json:"records"`
}

func (w wire) create(rw http.ResponseWriter, z *providertest.Zone[struct{}], body []byte) {
	var in input
	if err := json.Unmarshal(body, &in); err != nil {
		detail(rw, http.StatusBadRequest, "JSON parse error")
		return
	}
	switch {
	case in.Type == "" || in.Records == nil || in.TTL == nil:
		fields(rw, map[string]any{"type": []string{"This field is required."}, "ttl": []string{"This field is required."}, "records": []string{"This field is required."}})
		return
	case in.Type != strings.ToUpper(in.Type):
		fields(rw, map[string]any{"type": []string{"The type must be uppercase."}})
		return
	}
	sub := ""
	if in.Subname != nil {
		sub = *in.Subname
	}
	name := providertest.Absolute(sub, z.Name)
	if len(z.Select(name, in.Type)) > 0 {
		fields(rw, map[string]any{"non_field_errors": []string{"Another RRset with the same subdomain and type exists for this domain."}})
		return
	}
	if !w.ttlOK(rw, *in.TTL) {
		return
	}
	recs := w.store(z, name, in.Type, *in.TTL, *in.Records)
	providertest.WriteJSON(rw, http.StatusCreated, rrsetJSON(z.Name, name, in.Type, recs))
}

func (w wire) change(rw http.ResponseWriter, z *providertest.Zone[struct{}], name, typ string, body []byte) {
	var in input
	if err := json.Unmarshal(body, &in); err != nil {
		detail(rw, http.StatusBadRequest, "JSON parse error")
		return
	}
	cur := z.Select(name, typ)
	if len(cur) == 0 {
		detail(rw, http.StatusNotFound, "Not found.")
		return
	}
	ttl := cur[0].TTL
	if in.TTL != nil {
		ttl = *in.TTL
	}
	if !w.ttlOK(rw, ttl) {
		return
	}
	values := make([]string, 0, len(cur))
	for _, r := range cur {
		values = append(values, r.Value)
	}
	if in.Records != nil {
		values = *in.Records
	}
	for _, r := range cur {
		z.Remove(r.ID)
	}
	if len(values) == 0 {
		rw.WriteHeader(http.StatusNoContent)
		return
	}
	providertest.WriteJSON(rw, http.StatusOK, rrsetJSON(z.Name, name, typ, w.store(z, name, typ, ttl, values)))
}

// ttlOK refuses a TTL below the domain's minimum as deSEC does.
func (w wire) ttlOK(rw http.ResponseWriter, ttl int) bool {
	if ttl < MinTTL {
		fields(rw, map[string]any{"ttl": []string{fmt.Sprintf("Ensure this value is greater than or equal to %d.", MinTTL)}})
		return false
	}
	return true
}

// store adds a record per value.
func (w wire) store(z *providertest.Zone[struct{}], name, typ string, ttl int, values []string) []*providertest.Rec[struct{}] {
	var out []*providertest.Rec[struct{}]
	for _, v := range values {
		out = append(out, w.f.Store.Add(z, providertest.Rec[struct{}]{Name: name, Type: typ, Value: v, TTL: ttl}))
	}
	return out
}

// sets groups z's records into RRsets, newest first as deSEC lists them.
func sets(z *providertest.Zone[struct{}]) [][]*providertest.Rec[struct{}] {
	var out [][]*providertest.Rec[struct{}]
	at := map[string]int{}
	for _, r := range z.Records {
		k := r.Name + "/" + r.Type
		if i, ok := at[k]; ok {
			out[i] = append(out[i], r)
			continue
		}
		at[k] = len(out)
		out = append(out, []*providertest.Rec[struct{}]{r})
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func zones(f *Fake) []providers.Zone {
	var out []providers.Zone
	for _, z := range f.Store.Zones() {
		out = append(out, providers.Zone{ID: z.Name, Name: z.Name})
	}
	return out
}

func domainJSON(name string) map[string]any {
	return map[string]any{"name": name, "minimum_ttl": MinTTL, "created": "2024-03-01T09:00:00.000000Z", "published": "2024-03-01T09:00:01.000000Z", "touched": "2024-03-01T09:00:01.000000Z"}
}

func rrsetJSON(domain, name, typ string, recs []*providertest.Rec[struct{}]) map[string]any {
	sub := providers.RelativeName(name, domain)
	if sub == "@" {
		sub = ""
	}
	values := []string{}
	for _, r := range recs {
		values = append(values, r.Value)
	}
	return map[string]any{
		"created": "2024-03-01T09:00:00.000000Z", "domain": domain, "subname": sub, "name": name + ".",
		"type": typ, "records": values, "ttl": recs[0].TTL, "touched": "2024-03-01T09:00:00.000000Z",
	}
}

func detail(rw http.ResponseWriter, status int, msg string) {
	providertest.WriteJSON(rw, status, map[string]string{"detail": msg})
}

func fields(rw http.ResponseWriter, errs map[string]any) {
	providertest.WriteJSON(rw, http.StatusBadRequest, errs)
}

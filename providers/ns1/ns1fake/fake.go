// Package ns1fake is a fake IBM NS1 Connect API (v1) for tests, on the
// provider kit (providertest.Fake): it keeps zones and records (a record
// being a name and type with a list of answers), checks the X-NSONE-Key
// header, pages the zone list with Link headers, and answers with NS1's
// shapes.
//
// Shapes, from NS1's API reference (https://ns1.com/api, now
// developer.ibm.com's "IBM NS1 Connect API") and its SDK (ns1/ns1-go,
// rest/client.go, rest/record.go, rest/model/dns):
//   - the key travels in X-NSONE-Key; a wrong one answers 401;
//   - GET /v1/zones answers [{"zone", "id", ...}], further pages announced
//     in a Link header with rel="next" (NS1 pages at 2500 zones; this fake
//     at PageSize);
//   - GET, PUT (create), POST (change) and DELETE
//     /v1/zones/{zone}/{domain}/{type} on one record {"zone", "domain",
//     "type", "ttl", "answers": [{"id", "answer": [...], "meta":
//     {"note"}}]}; a missing record answers 404 {"message": "record not
//     found"}, a missing zone 404 {"message": "zone not found"}, creating
//     an existing record 400 {"message": "record already exists"};
//   - throttling answers 429 with X-RateLimit-Limit, -Remaining and
//     -Period ("API rate limiting");
//   - errors are {"message": "..."}.
//
// A new record without a TTL gets the zone's default, 3600.
package ns1fake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/rrset"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Key is the API key the fake accepts.
const Key = "qACMD09OJXBxT7XOuRs8"

// ZoneTTL is the default TTL of the fake's zones.
const ZoneTTL = 3600

// Fake is a running fake NS1 API.
type Fake struct {
	providertest.Fake[struct{}]
}

// New starts a fake holding the named zones; it stops when the test ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Store.RecordID = func(n int) string { return fmt.Sprintf("5f2b%020x", n) }
	f.Store.Defaults = func(r *providertest.Rec[struct{}]) {
		if r.TTL == 0 {
			r.TTL = ZoneTTL
		}
	}
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// View is the fake as the provider sees it: answers carry no ID of their
// own, so records carry the provider's (package rrset).
func (f *Fake) View() providertest.SetView[struct{}] {
	return providertest.SetView[struct{}]{Fake: &f.Fake, Assign: rrset.Assign}
}

// Backend is the NS1 provider d with this fake, for the operator's suites.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		srv := New(t, zones...).View().Server()
		srv.Secret = map[string]string{"apiKey": Key}
		srv.BadSecret = map[string]string{"apiKey": "qACMD09OJXBxT7XO0000"}
		return srv
	}}
}

type wire struct{ f *Fake }

// route names the call and its zone, domain and type.
func route(r *http.Request) (op, zone, domain, typ string) {
	p := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/v1"), "/"), "/")
	switch {
	case len(p) == 1 && p[0] == "zones" && r.Method == http.MethodGet:
		return "list zones", "", "", ""
	case len(p) == 4 && p[0] == "zones":
		return map[string]string{
			http.MethodGet: "get record", http.MethodPut: "create record",
			http.MethodPost: "update record", http.MethodDelete: "delete record",
		}[r.Method], p[1], providers.CanonicalName(p[2]), strings.ToUpper(p[3])
	}
	return "", "", "", ""
}

func (wire) Operation(r *http.Request, _ []byte) (string, bool) {
	op, _, _, _ := route(r)
	return op, op == "create record" || op == "update record" || op == "delete record"
}

func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	key := r.Header.Get("X-NSONE-Key")
	w.f.Note(key)
	if key != Key {
		fail(rw, http.StatusUnauthorized, "Unauthorized")
		return false
	}
	return true
}

func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	if sf, ok := providertest.StatusOf(f); ok {
		if sf.RetryAfter {
			// A bucket of 10 tokens refilled over 20 seconds: one token
			// every 2 seconds.
			rw.Header().Set("X-RateLimit-Limit", "10")
			rw.Header().Set("X-RateLimit-Remaining", "0")
			rw.Header().Set("X-RateLimit-Period", "20")
		}
		fail(rw, sf.Status, strings.ToLower(sf.Text))
		return true
	}
	switch f {
	case providertest.FaultAuthRejected:
		fail(rw, http.StatusUnauthorized, "Unauthorized")
	case providertest.FaultZoneNotFound:
		if op == "list zones" {
			writeJSON(rw, http.StatusOK, []any{})
		} else {
			fail(rw, http.StatusNotFound, "zone not found")
		}
	case providertest.FaultEndlessPages:
		if op != "list zones" {
			return false
		}
		w.listZones(rw, r, "", true)
	default:
		return false
	}
	return true
}

func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	_, zone, domain, typ := route(r)
	if op == "list zones" {
		w.listZones(rw, r, r.URL.Query().Get("after"), false)
		return
	}
	z := w.f.Store.Zone(zone)
	switch {
	case op == "":
		fail(rw, http.StatusNotFound, "not found")
		return
	case z == nil:
		fail(rw, http.StatusNotFound, "zone not found")
		return
	case domain != z.Name && !strings.HasSuffix(domain, "."+z.Name):
		fail(rw, http.StatusBadRequest, "invalid: domain "+domain+" is not in zone "+z.Name)
		return
	}
	recs := z.Select(domain, typ)
	switch {
	case op == "create record" && len(recs) > 0:
		fail(rw, http.StatusBadRequest, "record already exists")
	case op != "create record" && len(recs) == 0:
		fail(rw, http.StatusNotFound, "record not found")
	case op == "get record":
		writeJSON(rw, http.StatusOK, recordJSON(z.Name, domain, typ, recs))
	case op == "delete record":
		for _, rec := range recs {
			z.Remove(rec.ID)
		}
		writeJSON(rw, http.StatusOK, map[string]any{})
	default:
		w.write(rw, z, domain, typ, recs, body)
	}
}

// listZones answers a page of zones after the zone named after, with a
// Link to the next page; endless serves the first page again and again.
func (w wire) listZones(rw http.ResponseWriter, r *http.Request, after string, endless bool) {
	zones := w.f.Store.Zones()
	start := 0
	if after != "" && !endless {
		start = slices.IndexFunc(zones, func(z *providertest.Zone[struct{}]) bool { return z.Name == after }) + 1
	}
	page := providertest.Slice(zones, start, w.f.PageSize)
	out := []map[string]any{}
	for _, z := range page {
		out = append(out, map[string]any{"zone": z.Name, "id": fmt.Sprintf("52051b%018s", z.ID), "ttl": ZoneTTL})
	}
	if len(page) > 0 && (endless || start+len(page) < len(zones)) {
		next := url.Values{"after": {page[len(page)-1].Name}}
		rw.Header().Set("Link", fmt.Sprintf(`<http://%s/v1/zones?%s>; rel="next"`, r.Host, next.Encode()))
	}
	writeJSON(rw, http.StatusOK, out)
}

// input is the body of a create or change.
type input struct {
	TTL     *int `json:"ttl"`
	Answers []struct {
		Answer []any          `json:"answer"`
		Meta   map[string]any `json:"meta"`
	} `json:"answers"`
}

// write creates the record or replaces the fields the body holds.
func (w wire) write(rw http.ResponseWriter, z *providertest.Zone[struct{}], domain, typ string, recs []*providertest.Rec[struct{}], body []byte) {
	var in input
	if err := json.Unmarshal(body, &in); err != nil {
		fail(rw, http.StatusBadRequest, "invalid: request body could not be parsed")
		return
	}
	ttl := 0
	if len(recs) > 0 {
		ttl = recs[0].TTL
	}
	if in.TTL != nil {
		ttl = *in.TTL
	}
	if ttl < 0 {
		fail(rw, http.StatusBadRequest, "invalid: ttl must be a non-negative integer")
		return
	}
	if in.Answers == nil {
		for _, rec := range recs {
			rec.TTL = ttl
		}
		writeJSON(rw, http.StatusOK, recordJSON(z.Name, domain, typ, recs))
		return
	}
	if len(in.Answers) == 0 && len(recs) == 0 {
		fail(rw, http.StatusBadRequest, "invalid: a record needs at least one answer")
		return
	}
	for _, rec := range recs {
		z.Remove(rec.ID)
	}
	var stored []*providertest.Rec[struct{}]
	for _, a := range in.Answers {
		if len(a.Answer) == 0 {
			fail(rw, http.StatusBadRequest, "invalid: an answer needs rdata")
			return
		}
		note, _ := a.Meta["note"].(string)
		stored = append(stored, w.f.Store.Add(z, providertest.Rec[struct{}]{Name: domain, Type: typ, Value: fmt.Sprint(a.Answer[0]), TTL: ttl, Marker: note}))
	}
	writeJSON(rw, http.StatusOK, recordJSON(z.Name, domain, typ, stored))
}

// recordJSON is a record with its answers as NS1 shows it.
func recordJSON(zone, domain, typ string, recs []*providertest.Rec[struct{}]) map[string]any {
	answers := []map[string]any{}
	ttl := ZoneTTL
	for _, r := range recs {
		a := map[string]any{"id": r.ID, "answer": []string{r.Value}}
		if r.Marker != "" {
			a["meta"] = map[string]any{"note": r.Marker}
		}
		answers, ttl = append(answers, a), r.TTL
	}
	return map[string]any{
		"zone": zone, "domain": domain, "type": typ, "ttl": ttl, "answers": answers,
		"id": "52051b2c" + strconv.Itoa(len(domain)), "tier": 1, "filters": []any{}, "meta": map[string]any{},
	}
}

func fail(rw http.ResponseWriter, status int, msg string) {
	writeJSON(rw, status, map[string]string{"message": msg})
}

func writeJSON(rw http.ResponseWriter, status int, v any) { providertest.WriteJSON(rw, status, v) }

// Package digitaloceanfake is a fake DigitalOcean DNS API for tests, on the
// kit in providers/providertest. It speaks the wire format of
// https://docs.digitalocean.com/reference/api/digitalocean/#tag/Domains and
// #tag/Domain-Records: GET /v2/domains and /v2/domains/{name}, GET and
// POST /v2/domains/{name}/records (filters ?type and ?name, the latter a
// full name), GET, PATCH, PUT and DELETE /v2/domains/{name}/records/{id},
// records as {"id","type","name","data","ttl",...} with names relative to
// the domain ("@" for the apex). Lists page with page and per_page and say
// so in links.pages.next and meta.total ("Links & Pagination"). Requests
// carry "Authorization: Bearer <token>"; errors are {"id","message"}
// ("Responses"), 429 with the RateLimit-* headers ("Rate Limit").
package digitaloceanfake

import (
	"encoding/json"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Token is the personal access token the fake accepts.
const Token = "dop_v1_0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"

// MinTTL is the smallest TTL the API accepts.
const MinTTL = 30

const defaultTTL = 1800

// Fake is a running fake DigitalOcean API.
type Fake struct {
	providertest.Fake[struct{}]
}

// New starts a fake holding the named domains; it stops when t ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Companions = true
	f.Store.RecordID = func(n int) string { return strconv.Itoa(28448428 + n) }
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

type wire struct{ f *Fake }

// route splits a path under /v2: the domain, whether it goes on to the
// records, and the record ID.
func route(r *http.Request) (domain string, records bool, id string) {
	parts := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/v2"), "/"), "/")
	for i := range parts {
		parts[i], _ = url.PathUnescape(parts[i])
	}
	if len(parts) >= 2 && parts[0] == "domains" {
		domain = parts[1]
	}
	records = len(parts) >= 3 && parts[2] == "records"
	if len(parts) == 4 {
		id = parts[3]
	}
	return domain, records, id
}

func (w wire) Operation(r *http.Request, _ []byte) (string, bool) {
	domain, records, id := route(r)
	switch {
	case domain == "":
		return "listDomains", false
	case !records:
		return "getDomain", false
	case id == "" && r.Method == http.MethodPost:
		return "createRecord", true
	case id == "":
		return "listRecords", false
	}
	switch r.Method {
	case http.MethodPatch, http.MethodPut:
		return "updateRecord", true
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
	writeError(rw, http.StatusUnauthorized, "unauthorized", "Unable to authenticate you")
	return false
}

func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	switch f {
	case providertest.FaultRateLimited:
		rw.Header().Set("RateLimit-Limit", "250")
		rw.Header().Set("RateLimit-Remaining", "0")
		rw.Header().Set("RateLimit-Reset", strconv.FormatInt(time.Now().Add(7*time.Second).Unix(), 10))
		writeError(rw, http.StatusTooManyRequests, "too_many_requests", "API Rate limit exceeded.")
	case providertest.FaultRateLimitedNoRetryAfter:
		writeError(rw, http.StatusTooManyRequests, "too_many_requests", "API Rate limit exceeded.")
	case providertest.FaultServerError, providertest.FaultHTTP500:
		writeError(rw, http.StatusInternalServerError, "server_error", "Unexpected server-side error")
	case providertest.FaultHTTP502:
		writeError(rw, http.StatusBadGateway, "bad_gateway", "Bad gateway")
	case providertest.FaultHTTP503:
		writeError(rw, http.StatusServiceUnavailable, "service_unavailable", "Service unavailable")
	case providertest.FaultAuthRejected:
		writeError(rw, http.StatusForbidden, "Forbidden", "You are not authorized to perform this operation")
	case providertest.FaultZoneNotFound:
		if op == "listDomains" {
			writeJSON(rw, http.StatusOK, map[string]any{"domains": []any{}, "links": map[string]any{}, "meta": map[string]int{"total": 0}})
			return true
		}
		writeError(rw, http.StatusNotFound, "not_found", "The resource you were accessing could not be found.")
	case providertest.FaultEndlessPages:
		if op != "listDomains" && op != "listRecords" {
			return false
		}
		key, items := w.items(r, op)
		w.page(rw, r, key, items, true)
	default:
		return false
	}
	return true
}

func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	f := w.f
	domain, _, id := route(r)
	var z *providertest.Zone[struct{}]
	if domain != "" {
		if z = f.Store.Zone(domain); z == nil {
			writeError(rw, http.StatusNotFound, "not_found", "The resource you were accessing could not be found.")
			return
		}
	}
	switch op {
	case "listDomains", "listRecords":
		key, items := w.items(r, op)
		w.page(rw, r, key, items, false)
	case "getDomain":
		writeJSON(rw, http.StatusOK, map[string]any{"domain": map[string]any{"name": z.Name, "ttl": defaultTTL, "zone_file": ""}})
	case "createRecord":
		w.create(rw, z, body)
	case "getRecord", "updateRecord", "deleteRecord":
		rec := z.Record(id)
		if rec == nil {
			writeError(rw, http.StatusNotFound, "not_found", "The resource you were accessing could not be found.")
			return
		}
		switch op {
		case "getRecord":
			writeJSON(rw, http.StatusOK, map[string]any{"domain_record": recordJSON(z, rec)})
		case "updateRecord":
			w.update(rw, z, rec, body)
		case "deleteRecord":
			z.Remove(id)
			rw.WriteHeader(http.StatusNoContent)
		}
	}
}

type recordIn struct {
	Type string  `json:"type"`
	Name *string `json:"name"`
	Data *string `json:"data"`
	TTL  *int    `json:"ttl"`
}

func (w wire) create(rw http.ResponseWriter, z *providertest.Zone[struct{}], body []byte) {
	var in recordIn
	if err := json.Unmarshal(body, &in); err != nil || in.Name == nil || in.Data == nil || in.Type == "" {
		writeError(rw, http.StatusUnprocessableEntity, "unprocessable_entity", "Type, name and data are required.")
		return
	}
	ttl := defaultTTL
	if in.TTL != nil {
		ttl = *in.TTL
	}
	if msg := check(strings.ToUpper(in.Type), *in.Data, ttl); msg != "" {
		writeError(rw, http.StatusUnprocessableEntity, "unprocessable_entity", msg)
		return
	}
	rec := w.f.Store.Add(z, providertest.Rec[struct{}]{Name: *in.Name, Type: in.Type, Value: *in.Data, TTL: ttl})
	writeJSON(rw, http.StatusCreated, map[string]any{"domain_record": recordJSON(z, rec)})
}

func (w wire) update(rw http.ResponseWriter, z *providertest.Zone[struct{}], rec *providertest.Rec[struct{}], body []byte) {
	var in recordIn
	if err := json.Unmarshal(body, &in); err != nil {
		writeError(rw, http.StatusBadRequest, "bad_request", "The request body is not valid JSON.")
		return
	}
	data, ttl := rec.Value, rec.TTL
	if in.Data != nil {
		data = *in.Data
	}
	if in.TTL != nil {
		ttl = *in.TTL
	}
	if msg := check(rec.Type, data, ttl); msg != "" {
		writeError(rw, http.StatusUnprocessableEntity, "unprocessable_entity", msg)
		return
	}
	rec.Value, rec.TTL = data, ttl
	if in.Name != nil {
		rec.Name = providers.AbsoluteName(*in.Name, z.Name)
	}
	writeJSON(rw, http.StatusOK, map[string]any{"domain_record": recordJSON(z, rec)})
}

// check validates a record as the API does; "" when it is fine.
func check(typ, data string, ttl int) string {
	if ttl < MinTTL {
		return "TTL must be at least 30 seconds."
	}
	switch typ {
	case "A", "AAAA":
		a, err := netip.ParseAddr(data)
		if err != nil || a.Is4() != (typ == "A") {
			return "Data needs to be a valid IP address of the record's type."
		}
	case "TXT":
		if data == "" {
			return "Data can't be blank."
		}
	}
	return ""
}

// items are what a list operation lists, all pages, and the key each
// page is named by. Caller holds the lock.
func (w wire) items(r *http.Request, op string) (string, []any) {
	if op == "listDomains" {
		var out []any
		for _, z := range w.f.Store.Zones() {
			out = append(out, map[string]any{"name": z.Name, "ttl": defaultTTL, "zone_file": ""})
		}
		return "domains", out
	}
	domain, _, _ := route(r)
	z := w.f.Store.Zone(domain)
	if z == nil {
		return "domain_records", nil
	}
	q := r.URL.Query()
	var out []any
	for _, rec := range z.Select(q.Get("name"), q.Get("type")) {
		out = append(out, recordJSON(z, rec))
	}
	return "domain_records", out
}

// page serves the page-th page of items under key, at most the fake's
// PageSize, with links.pages.next while more follow (always, when endless).
func (w wire) page(rw http.ResponseWriter, r *http.Request, key string, items []any, endless bool) {
	q := r.URL.Query()
	n, _ := strconv.Atoi(q.Get("page"))
	n = max(n, 1)
	size, _ := strconv.Atoi(q.Get("per_page"))
	if size <= 0 || size > w.f.PageSize {
		size = w.f.PageSize
	}
	if endless {
		n = 1
	}
	out := providertest.Page(items, n, size)
	if out == nil {
		out = []any{}
	}
	pages := map[string]string{}
	if endless || n*size < len(items) {
		next := *r.URL
		nq := next.Query()
		nq.Set("page", strconv.Itoa(n+1))
		next.RawQuery = nq.Encode()
		pages["next"] = "https://api.digitalocean.com" + next.RequestURI()
	}
	total := len(items)
	if endless {
		total = providertest.EndlessTotal
	}
	writeJSON(rw, http.StatusOK, map[string]any{key: out, "links": map[string]any{"pages": pages}, "meta": map[string]int{"total": total}})
}

// recordJSON is a record as the API shows it.
func recordJSON(z *providertest.Zone[struct{}], r *providertest.Rec[struct{}]) map[string]any {
	id, _ := strconv.ParseInt(r.ID, 10, 64)
	return map[string]any{"id": id, "type": r.Type, "name": providers.RelativeName(r.Name, z.Name), "data": r.Value,
		"priority": nil, "port": nil, "ttl": r.TTL, "weight": nil, "flags": nil, "tag": nil}
}

func writeError(rw http.ResponseWriter, status int, id, message string) {
	writeJSON(rw, status, map[string]string{"id": id, "message": message, "request_id": "b1c9a2f5-13e1-4f0a-9d1c-5a2c3e4f6071"})
}

func writeJSON(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(v)
}

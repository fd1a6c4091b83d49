// Package vercelfake is a fake Vercel REST API for tests, on the provider
// kit (providertest.Fake): it keeps domains and DNS records, checks the
// bearer token and the team, pages lists with Vercel's timestamp cursor,
// and answers with Vercel's envelopes.
//
// Shapes, from https://vercel.com/docs/rest-api:
//   - "Authentication": Authorization: Bearer TOKEN; a team's resources
//     take ?teamId=; a bad token is refused with 403 and
//     {"error":{"code":"forbidden","message":"Not authorized","invalidToken":true}},
//     a good token without access to the team with the same envelope
//     without invalidToken ("Errors");
//   - "Pagination": list answers carry {"pagination":{"count","next","prev"}};
//     the next page is asked with until=next, and next is null on the
//     last page; items are newest first;
//   - GET /v5/domains ("List all the domains"), GET
//     /v4/domains/{domain}/records ("List existing DNS records", name
//     relative to the domain, "" for the apex), POST
//     /v2/domains/{domain}/records ("Create a DNS record", answers
//     {"uid"}), PATCH /v1/domains/records/{recordId} ("Update an existing
//     DNS record", answers the record), DELETE
//     /v2/domains/{domain}/records/{recordId} ("Delete a DNS record");
//   - "Rate limits": 429 with X-RateLimit-Limit, -Remaining and -Reset
//     (Unix seconds) and {"error":{"code":"rate_limited",...}}.
//
// The wording of the refusal of a TTL below 60 is the fake's own, in the
// style of Vercel's validation errors.
package vercelfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Token is the access token the fake accepts.
const Token = "vcp_4kQ9xL2mN7pR1sT8uV3wY6zA0bC5dE"

// MinTTL is Vercel's smallest TTL.
const MinTTL = 60

// epoch is the creation time of the first domain and record, in
// milliseconds; each one after is a second younger.
const epoch = 1540095775000

// Fake is a running fake Vercel API.
type Fake struct {
	providertest.Fake[struct{}]
	// TeamID, when set, is the team that owns every domain: requests
	// must carry it as teamId.
	TeamID string
}

// New starts a fake holding the named domains; it stops when the test
// ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Store.RecordID = func(n int) string { return fmt.Sprintf("rec_%024d", n) }
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// created is a record's creation time, from the number in its ID.
func created(id string) int64 {
	n, _ := strconv.Atoi(strings.TrimLeft(strings.TrimPrefix(id, "rec_"), "0"))
	return epoch + int64(n)*1000
}

type wire struct{ f *Fake }

// route names the call and returns the path's arguments: the domain, the
// record ID.
func route(r *http.Request) (op, domain, id string) {
	p := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.Method == http.MethodGet && len(p) == 2 && p[0] == "v5" && p[1] == "domains":
		return "list domains", "", ""
	case r.Method == http.MethodGet && len(p) == 4 && p[0] == "v4" && p[3] == "records":
		return "list records", p[2], ""
	case r.Method == http.MethodPost && len(p) == 4 && p[0] == "v2" && p[3] == "records":
		return "create record", p[2], ""
	case r.Method == http.MethodPatch && len(p) == 4 && p[0] == "v1" && p[2] == "records":
		return "update record", "", p[3]
	case r.Method == http.MethodDelete && len(p) == 5 && p[0] == "v2" && p[3] == "records":
		return "delete record", p[2], p[4]
	}
	return "", "", ""
}

func (wire) Operation(r *http.Request, _ []byte) (string, bool) {
	op, _, _ := route(r)
	return op, op == "create record" || op == "update record" || op == "delete record"
}

func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	auth := r.Header.Get("Authorization")
	w.f.Note(auth, strings.TrimPrefix(auth, "Bearer "))
	if auth != "Bearer "+Token {
		fail(rw, http.StatusForbidden, "forbidden", "Not authorized", true)
		return false
	}
	if r.URL.Query().Get("teamId") != w.f.TeamID {
		fail(rw, http.StatusForbidden, "forbidden", "Not authorized", false)
		return false
	}
	return true
}

func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	switch f {
	case providertest.FaultRateLimited, providertest.FaultRateLimitedNoRetryAfter:
		if f == providertest.FaultRateLimited {
			rw.Header().Set("X-RateLimit-Limit", "100")
			rw.Header().Set("X-RateLimit-Remaining", "0")
			rw.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(2*time.Second).Unix(), 10))
		}
		fail(rw, http.StatusTooManyRequests, "rate_limited", "Rate limit exceeded", false)
	case providertest.FaultServerError, providertest.FaultHTTP500:
		fail(rw, http.StatusInternalServerError, "internal_server_error", "An unexpected internal error occurred", false)
	case providertest.FaultHTTP502:
		fail(rw, http.StatusBadGateway, "bad_gateway", "Bad Gateway", false)
	case providertest.FaultHTTP503:
		fail(rw, http.StatusServiceUnavailable, "service_unavailable", "Service Unavailable", false)
	case providertest.FaultAuthRejected:
		fail(rw, http.StatusForbidden, "forbidden", "Not authorized", true)
	case providertest.FaultZoneNotFound:
		if op == "list domains" {
			writeJSON(rw, http.StatusOK, map[string]any{"domains": []any{}, "pagination": map[string]any{"count": 0, "next": nil, "prev": nil}})
		} else {
			fail(rw, http.StatusNotFound, "not_found", "Domain not found", false)
		}
	case providertest.FaultEndlessPages:
		switch op {
		case "list domains":
			w.listDomains(rw, 0, true)
		case "list records":
			w.serve(rw, r, op, nil, true)
		default:
			return false
		}
	default:
		return false
	}
	return true
}

func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	w.serve(rw, r, op, body, false)
}

// serve answers r; endless makes the records list serve its first page
// and a next cursor forever.
func (w wire) serve(rw http.ResponseWriter, r *http.Request, op string, body []byte, endless bool) {
	_, domain, id := route(r)
	until, _ := strconv.ParseInt(r.URL.Query().Get("until"), 10, 64)
	var z *providertest.Zone[struct{}]
	if domain != "" {
		if z = w.f.Store.Zone(domain); z == nil {
			fail(rw, http.StatusNotFound, "not_found", "Domain not found", false)
			return
		}
	}
	switch op {
	case "list domains":
		w.listDomains(rw, until, false)
	case "list records":
		w.listRecords(rw, z, until, endless)
	case "create record":
		w.create(rw, z, body)
	case "update record":
		w.update(rw, id, body)
	case "delete record":
		if !z.Remove(id) {
			fail(rw, http.StatusNotFound, "not_found", "DNS record not found", false)
			return
		}
		writeJSON(rw, http.StatusOK, map[string]any{})
	default:
		fail(rw, http.StatusNotFound, "not_found", "The requested path was not found", false)
	}
}

// listDomains answers a page of domains created before until (all when
// 0), newest first; endless serves the first page and a next cursor
// forever.
func (w wire) listDomains(rw http.ResponseWriter, until int64, endless bool) {
	zones := slices.Clone(w.f.Store.Zones())
	slices.Reverse(zones)
	var items []map[string]any
	var stamps []int64
	for i, z := range zones {
		c := epoch + int64(len(zones)-1-i)*1000
		if until == 0 || c < until || endless {
			items = append(items, map[string]any{"id": "dom_" + z.ID, "name": z.Name, "createdAt": c})
			stamps = append(stamps, c)
		}
	}
	page, next := cut(items, stamps, w.f.PageSize, endless)
	writeJSON(rw, http.StatusOK, map[string]any{"domains": page, "pagination": map[string]any{"count": len(page), "next": next, "prev": nil}})
}

func (w wire) listRecords(rw http.ResponseWriter, z *providertest.Zone[struct{}], until int64, endless bool) {
	recs := slices.Clone(z.Records)
	slices.Reverse(recs)
	var items []map[string]any
	var stamps []int64
	for _, r := range recs {
		c := created(r.ID)
		if until != 0 && c >= until && !endless {
			continue
		}
		items = append(items, recordJSON(z.Name, r))
		stamps = append(stamps, c)
	}
	page, next := cut(items, stamps, w.f.PageSize, endless)
	writeJSON(rw, http.StatusOK, map[string]any{"records": page, "pagination": map[string]any{"count": len(page), "next": next, "prev": nil}})
}

// cut returns the first size items and the cursor of the next page (nil
// when none is left).
func cut(items []map[string]any, stamps []int64, size int, endless bool) ([]map[string]any, any) {
	if items == nil {
		items = []map[string]any{}
	}
	if len(items) <= size && !endless {
		return items, nil
	}
	n := min(size, len(items))
	if n == 0 {
		return items, nil
	}
	return items[:n], stamps[n-1]
}

// input is the body of a create or update.
type input struct {
	Name    *string `json:"name"`
	Type    string  `json:"type"`
	Value   string  `json:"value"`
	TTL     *int    `json:"ttl"`
	Comment *string `json:"comment"`
}

func (w wire) create(rw http.ResponseWriter, z *providertest.Zone[struct{}], body []byte) {
	var in input
	if err := json.Unmarshal(body, &in); err != nil || in.Name == nil || in.Type == "" || in.Value == "" {
		fail(rw, http.StatusBadRequest, "bad_request", "Invalid request: missing required property `name`, `type` or `value`.", false)
		return
	}
	ttl := MinTTL
	if in.TTL != nil {
		ttl = *in.TTL
	}
	if ttl < MinTTL {
		fail(rw, http.StatusBadRequest, "bad_request", fmt.Sprintf("Invalid request: `ttl` should be >= %d.", MinTTL), false)
		return
	}
	rec := w.f.Store.Add(z, providertest.Rec[struct{}]{Name: *in.Name, Type: in.Type, Value: in.Value, TTL: ttl, Marker: deref(in.Comment)})
	writeJSON(rw, http.StatusOK, map[string]any{"uid": rec.ID, "updated": created(rec.ID)})
}

func (w wire) update(rw http.ResponseWriter, id string, body []byte) {
	z, rec := w.f.Store.Find(id)
	if rec == nil {
		fail(rw, http.StatusNotFound, "not_found", "DNS record not found", false)
		return
	}
	var in input
	if err := json.Unmarshal(body, &in); err != nil {
		fail(rw, http.StatusBadRequest, "bad_request", "Invalid request: the body is not JSON.", false)
		return
	}
	if in.TTL != nil && *in.TTL < MinTTL {
		fail(rw, http.StatusBadRequest, "bad_request", fmt.Sprintf("Invalid request: `ttl` should be >= %d.", MinTTL), false)
		return
	}
	if in.Name != nil {
		rec.Name = providers.AbsoluteName(*in.Name, z.Name)
	}
	if in.Type != "" {
		rec.Type = strings.ToUpper(in.Type)
	}
	if in.Value != "" {
		rec.Value = in.Value
	}
	if in.TTL != nil {
		rec.TTL = *in.TTL
	}
	if in.Comment != nil {
		rec.Marker = *in.Comment
	}
	writeJSON(rw, http.StatusOK, recordJSON(z.Name, rec))
}

func recordJSON(zone string, r *providertest.Rec[struct{}]) map[string]any {
	name := providers.RelativeName(r.Name, zone)
	if name == "@" {
		name = ""
	}
	out := map[string]any{
		"id": r.ID, "slug": name + "." + zone + "-" + r.ID, "name": name, "type": r.Type, "value": r.Value,
		"creator": "system", "created": created(r.ID), "updated": created(r.ID), "createdAt": created(r.ID), "updatedAt": created(r.ID),
		"ttl": r.TTL,
	}
	if r.Marker != "" {
		out["comment"] = r.Marker
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func fail(rw http.ResponseWriter, status int, code, msg string, invalidToken bool) {
	e := map[string]any{"code": code, "message": msg}
	if invalidToken {
		e["invalidToken"] = true
	}
	writeJSON(rw, status, map[string]any{"error": e})
}

func writeJSON(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", "application/json; charset=utf-8")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(v)
}

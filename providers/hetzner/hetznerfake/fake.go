// Package hetznerfake is a fake Hetzner Cloud DNS API for tests, on the kit
// in providers/providertest. It speaks the wire format of
// https://docs.hetzner.cloud/reference/cloud: GET /zones (?name, paginated)
// and GET /zones/{id_or_name} ("Zones"); GET /zones/{id_or_name}/rrsets
// (?type, ?name, paginated), GET and DELETE
// /zones/{id_or_name}/rrsets/{name}/{type}, POST /zones/{id_or_name}/rrsets
// ("Zone RRSets"); POST .../rrsets/{name}/{type}/actions/set_records and
// .../actions/change_ttl ("Zone RRSet Actions"), each answered with an
// action; pagination in meta.pagination ("Pagination"); errors as
// {"error": {"code", "message", "details"}} ("Errors"), 429
// rate_limit_exceeded with the RateLimit-* headers ("Rate Limiting").
// Requests carry "Authorization: Bearer <API token>".
package hetznerfake

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

// Token is the API token the fake accepts.
const Token = "hcloud0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d"

// MinTTL is the smallest RRset TTL the API accepts.
const MinTTL = 60

// ZoneTTL is every fake zone's default TTL.
const ZoneTTL = 3600

// Fake is a running fake Hetzner Cloud API.
type Fake struct {
	providertest.Fake[struct{}]
	actions int
}

// New starts a fake holding the named zones; it stops when t ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Store.RecordIDOf = providertest.SetRecordID[struct{}]
	f.Store.ZoneID = func(_ string, n int) string { return strconv.Itoa(4710 + n) }
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

type wire struct{ f *Fake }

// path is a request's path split: zone, rrset name and type, action.
type path struct {
	zone, name, typ, action string
	rrsets                  bool
}

func route(r *http.Request) path {
	parts := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/v1"), "/"), "/")
	for i := range parts {
		parts[i], _ = url.PathUnescape(parts[i])
	}
	var p path
	if len(parts) >= 2 && parts[0] == "zones" {
		p.zone = parts[1]
	}
	p.rrsets = len(parts) >= 3 && parts[2] == "rrsets"
	if len(parts) >= 5 {
		p.name, p.typ = parts[3], parts[4]
	}
	if len(parts) == 7 && parts[5] == "actions" {
		p.action = parts[6]
	}
	return p
}

func (w wire) Operation(r *http.Request, _ []byte) (string, bool) {
	p := route(r)
	switch {
	case p.zone == "":
		return "listZones", false
	case !p.rrsets:
		return "getZone", false
	case p.name == "" && r.Method == http.MethodPost:
		return "createRRSet", true
	case p.name == "":
		return "listRRSets", false
	case p.action != "":
		return p.action, true
	case r.Method == http.MethodDelete:
		return "deleteRRSet", true
	}
	return "getRRSet", false
}

func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	auth := r.Header.Get("Authorization")
	w.f.Note(auth, strings.TrimPrefix(auth, "Bearer "))
	if auth == "Bearer "+Token {
		return true
	}
	writeError(rw, http.StatusUnauthorized, "unauthorized", "unable to authenticate", nil)
	return false
}

func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	switch f {
	case providertest.FaultRateLimited:
		rw.Header().Set("RateLimit-Limit", "3600")
		rw.Header().Set("RateLimit-Remaining", "0")
		rw.Header().Set("RateLimit-Reset", strconv.FormatInt(time.Now().Add(7*time.Second).Unix(), 10))
		writeError(rw, http.StatusTooManyRequests, "rate_limit_exceeded", "limit of 3600 requests per hour reached", nil)
	case providertest.FaultRateLimitedNoRetryAfter:
		writeError(rw, http.StatusTooManyRequests, "rate_limit_exceeded", "limit of 3600 requests per hour reached", nil)
	case providertest.FaultServerError, providertest.FaultHTTP500:
		writeError(rw, http.StatusInternalServerError, "server_error", "internal server error", nil)
	case providertest.FaultHTTP502:
		writeError(rw, http.StatusBadGateway, "bad_gateway", "the request could not be answered by the API backend", nil)
	case providertest.FaultHTTP503:
		writeError(rw, http.StatusServiceUnavailable, "unavailable", "the service is currently unavailable", nil)
	case providertest.FaultAuthRejected:
		writeError(rw, http.StatusForbidden, "forbidden", "insufficient permissions for this request", nil)
	case providertest.FaultZoneNotFound:
		if op == "listZones" {
			writeJSON(rw, http.StatusOK, map[string]any{"zones": []any{}, "meta": pagination(1, 50, 0)})
			return true
		}
		writeError(rw, http.StatusNotFound, "not_found", "zone not found", nil)
	case providertest.FaultEndlessPages:
		if op != "listZones" && op != "listRRSets" {
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
	p := route(r)
	var z *providertest.Zone[struct{}]
	if p.zone != "" {
		if z = w.zone(p.zone); z == nil {
			writeError(rw, http.StatusNotFound, "not_found", "zone not found", nil)
			return
		}
	}
	name := ""
	if p.name != "" {
		name = providers.AbsoluteName(p.name, z.Name)
	}
	switch op {
	case "listZones", "listRRSets":
		key, items := w.items(r, op)
		w.page(rw, r, key, items, false)
	case "getZone":
		writeJSON(rw, http.StatusOK, map[string]any{"zone": zoneJSON(z)})
	case "createRRSet":
		w.create(rw, z, body)
	case "getRRSet", "deleteRRSet", "set_records", "change_ttl":
		set := z.Set(name, p.typ)
		if len(set.Values) == 0 {
			writeError(rw, http.StatusNotFound, "not_found", "rrset not found", nil)
			return
		}
		switch op {
		case "getRRSet":
			writeJSON(rw, http.StatusOK, map[string]any{"rrset": rrsetJSON(z, set)})
		case "deleteRRSet":
			w.f.Store.ReplaceSet(z, providers.RecordSet{Name: name, Type: p.typ}, struct{}{})
			writeJSON(rw, http.StatusCreated, map[string]any{"action": w.action("delete_rrset", z)})
		case "set_records":
			w.setRecords(rw, z, set, body)
		case "change_ttl":
			w.changeTTL(rw, z, set, body)
		}
	default:
		writeError(rw, http.StatusNotFound, "not_found", "not found", nil)
	}
}

// zone finds a zone by ID or name.
func (w wire) zone(idOrName string) *providertest.Zone[struct{}] {
	if z := w.f.Store.ZoneByID(idOrName); z != nil {
		return z
	}
	return w.f.Store.Zone(idOrName)
}

type recordIn struct {
	Value   string `json:"value"`
	Comment string `json:"comment"`
}

func (w wire) create(rw http.ResponseWriter, z *providertest.Zone[struct{}], body []byte) {
	var in struct {
		Name    string     `json:"name"`
		Type    string     `json:"type"`
		TTL     *int       `json:"ttl"`
		Records []recordIn `json:"records"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		writeError(rw, http.StatusBadRequest, "json_error", "invalid JSON", nil)
		return
	}
	set := providers.RecordSet{Name: providers.AbsoluteName(in.Name, z.Name), Type: in.Type}
	if in.TTL != nil {
		if *in.TTL < MinTTL {
			invalid(rw, "ttl", "must be greater than or equal to 60")
			return
		}
		set.TTL = int32(*in.TTL)
	}
	if !w.records(rw, &set, in.Records) {
		return
	}
	if len(z.Select(set.Name, set.Type)) > 0 {
		writeError(rw, http.StatusConflict, "uniqueness_error", "rrset with the same name and type already exists", nil)
		return
	}
	w.f.Store.ReplaceSet(z, set, struct{}{})
	writeJSON(rw, http.StatusCreated, map[string]any{"rrset": rrsetJSON(z, z.Set(set.Name, set.Type)), "action": w.action("create_rrset", z)})
}

func (w wire) setRecords(rw http.ResponseWriter, z *providertest.Zone[struct{}], set providers.RecordSet, body []byte) {
	var in struct {
		Records []recordIn `json:"records"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		writeError(rw, http.StatusBadRequest, "json_error", "invalid JSON", nil)
		return
	}
	next := providers.RecordSet{Name: set.Name, Type: set.Type, TTL: set.TTL}
	if !w.records(rw, &next, in.Records) {
		return
	}
	w.f.Store.ReplaceSet(z, next, struct{}{})
	writeJSON(rw, http.StatusCreated, map[string]any{"action": w.action("set_rrset_records", z)})
}

func (w wire) changeTTL(rw http.ResponseWriter, z *providertest.Zone[struct{}], set providers.RecordSet, body []byte) {
	var in struct {
		TTL *int `json:"ttl"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		writeError(rw, http.StatusBadRequest, "json_error", "invalid JSON", nil)
		return
	}
	set.TTL = 0
	if in.TTL != nil {
		if *in.TTL < MinTTL {
			invalid(rw, "ttl", "must be greater than or equal to 60")
			return
		}
		set.TTL = int32(*in.TTL)
	}
	w.f.Store.ReplaceSet(z, set, struct{}{})
	writeJSON(rw, http.StatusCreated, map[string]any{"action": w.action("change_rrset_ttl", z)})
}

// records checks records as the API does and puts them into set.
func (w wire) records(rw http.ResponseWriter, set *providers.RecordSet, in []recordIn) bool {
	if len(in) == 0 {
		invalid(rw, "records", "must contain at least 1 item")
		return false
	}
	for _, r := range in {
		if set.Type == "A" || set.Type == "AAAA" {
			a, err := netip.ParseAddr(r.Value)
			if err != nil || a.Is4() != (set.Type == "A") || a.String() != r.Value {
				invalid(rw, "records", "invalid value "+strconv.Quote(r.Value)+" for type "+set.Type)
				return false
			}
		}
		if len(r.Comment) > 255 {
			invalid(rw, "records", "comment must be at most 255 characters")
			return false
		}
		set.Values = append(set.Values, providers.SetValue{Value: r.Value, Marker: r.Comment})
	}
	return true
}

// action is a finished action on z, as the API returns it.
func (w wire) action(command string, z *providertest.Zone[struct{}]) map[string]any {
	w.f.actions++
	now := time.Now().UTC().Format(time.RFC3339)
	id, _ := strconv.ParseInt(z.ID, 10, 64)
	return map[string]any{"id": 1000 + w.f.actions, "command": command, "status": "success", "progress": 100,
		"started": now, "finished": now, "resources": []map[string]any{{"id": id, "type": "zone"}}, "error": nil}
}

// items lists what a list operation lists, all pages, under its key.
// Caller holds the lock.
func (w wire) items(r *http.Request, op string) (string, []any) {
	q := r.URL.Query()
	var out []any
	if op == "listZones" {
		for _, z := range w.f.Store.Zones() {
			if name := q.Get("name"); name == "" || name == z.Name {
				out = append(out, zoneJSON(z))
			}
		}
		return "zones", out
	}
	z := w.zone(route(r).zone)
	if z == nil {
		return "rrsets", nil
	}
	seen := map[string]bool{}
	types := q["type"]
	for _, rec := range z.Records {
		key := rec.Name + " " + rec.Type
		if seen[key] || (len(types) > 0 && !contains(types, rec.Type)) || (q.Get("name") != "" && providers.AbsoluteName(q.Get("name"), z.Name) != rec.Name) {
			continue
		}
		seen[key] = true
		out = append(out, rrsetJSON(z, z.Set(rec.Name, rec.Type)))
	}
	return "rrsets", out
}

// page serves one page of items with meta.pagination (always a next page,
// when endless).
func (w wire) page(rw http.ResponseWriter, r *http.Request, key string, items []any, endless bool) {
	q := r.URL.Query()
	n, _ := strconv.Atoi(q.Get("page"))
	n = max(n, 1)
	size, _ := strconv.Atoi(q.Get("per_page"))
	if size <= 0 || size > w.f.PageSize {
		size = w.f.PageSize
	}
	total := len(items)
	if endless {
		n, total = 1, providertest.EndlessTotal
	}
	out := providertest.Page(items, n, size)
	if out == nil {
		out = []any{}
	}
	writeJSON(rw, http.StatusOK, map[string]any{key: out, "meta": pagination(n, size, total)})
}

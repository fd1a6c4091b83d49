// Package gcorefake is a fake Gcore Managed DNS API (dns/v2) for tests, on
// the provider kit (providertest.Fake): it keeps zones and RRsets, checks
// the APIKey header, pages by offset and limit, and answers with Gcore's
// shapes.
//
// Shapes, from https://api.gcore.com/docs/dns ("Zones", "RRsets") and
// Gcore's own SDK (G-Core/gcore-dns-sdk-go):
//   - Authorization: APIKey TOKEN for a permanent API token; a refused
//     one answers 401;
//   - GET /v2/zones?limit&offset answers {"zones":[{"id","name"}],
//     "total_amount"};
//   - GET /v2/zones/{zone}/rrsets?limit&offset answers {"rrsets":[...],
//     "total_amount"};
//   - GET, POST (create), PUT (replace) and DELETE
//     /v2/zones/{zone}/{name}/{type} on one RRset
//     {"name","type","ttl","resource_records":[{"id","content":[...],
//     "enabled","meta":{"notes":[...]}}],"meta"}; a missing set or zone
//     answers 404, creating an existing set 409;
//   - errors are {"error":"..."}.
//
// The wording of the error texts is the fake's own: Gcore documents the
// statuses and the envelope.
package gcorefake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Token is the permanent API token the fake accepts.
const Token = "15087$3b8f1c0a9e2d4b6f8a7c5e3d1b9f0a2c4e6d8b0f1a3c5e7d9b2f4a6c8e0d1b3f"

// X is what the fake keeps on a value beside the kit's fields: its meta
// other than notes (the marker is the kit's Marker).
type X struct {
	Meta map[string]any
}

// Fake is a running fake Gcore DNS API.
type Fake struct {
	providertest.Fake[X]
}

// New starts a fake holding the named zones; it stops when the test ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Store.RecordID = func(n int) string { return strconv.Itoa(3000 + n) }
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

type wire struct{ f *Fake }

// route names the call: the zone, and the RRset's name and type.
func route(r *http.Request) (op, zone, name, typ string) {
	p := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if i := indexOf(p, "v2"); i >= 0 {
		p = p[i+1:]
	}
	switch {
	case len(p) == 1 && p[0] == "zones" && r.Method == http.MethodGet:
		return "list zones", "", "", ""
	case len(p) == 3 && p[0] == "zones" && p[2] == "rrsets" && r.Method == http.MethodGet:
		return "list rrsets", p[1], "", ""
	case len(p) == 4 && p[0] == "zones":
		return map[string]string{
			http.MethodGet: "get rrset", http.MethodPost: "create rrset",
			http.MethodPut: "update rrset", http.MethodDelete: "delete rrset",
		}[r.Method], p[1], p[2], strings.ToUpper(p[3])
	}
	return "", "", "", ""
}

func indexOf(p []string, s string) int {
	for i, v := range p {
		if v == s {
			return i
		}
	}
	return -1
}

func (wire) Operation(r *http.Request, _ []byte) (string, bool) {
	op, _, _, _ := route(r)
	return op, op == "create rrset" || op == "update rrset" || op == "delete rrset"
}

func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	auth := r.Header.Get("Authorization")
	w.f.Note(auth, strings.TrimPrefix(auth, "APIKey "))
	if auth != "APIKey "+Token {
		fail(rw, http.StatusUnauthorized, "authentication failed: the API token is invalid")
		return false
	}
	return true
}

func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	if sf, ok := providertest.StatusOf(f); ok {
		if sf.RetryAfter {
			rw.Header().Set("Retry-After", providertest.RetryAfter)
		}
		fail(rw, sf.Status, strings.ToLower(sf.Text))
		return true
	}
	switch f {
	case providertest.FaultAuthRejected:
		fail(rw, http.StatusUnauthorized, "authentication failed: the API token is invalid")
	case providertest.FaultZoneNotFound:
		if op == "list zones" {
			writeJSON(rw, http.StatusOK, map[string]any{"zones": []any{}, "total_amount": 0})
		} else {
			fail(rw, http.StatusNotFound, "zone is not found")
		}
	case providertest.FaultEndlessPages:
		switch op {
		case "list zones":
			w.listZones(rw, 0, true)
		case "list rrsets":
			_, zone, _, _ := route(r)
			if z := w.f.Store.Zone(zone); z != nil {
				w.listRRsets(rw, z, 0, true)
				return true
			}
			return false
		default:
			return false
		}
	default:
		return false
	}
	return true
}

func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	_, zone, name, typ := route(r)
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	if op == "list zones" {
		w.listZones(rw, offset, false)
		return
	}
	z := w.f.Store.Zone(zone)
	if z == nil {
		fail(rw, http.StatusNotFound, "zone is not found")
		return
	}
	name = providers.CanonicalName(name)
	switch op {
	case "list rrsets":
		w.listRRsets(rw, z, offset, false)
	case "get rrset":
		recs := z.Select(name, typ)
		if len(recs) == 0 {
			fail(rw, http.StatusNotFound, "record is not found")
			return
		}
		writeJSON(rw, http.StatusOK, rrsetJSON(name, typ, recs))
	case "create rrset", "update rrset":
		w.write(rw, z, name, typ, body, op == "create rrset")
	case "delete rrset":
		recs := z.Select(name, typ)
		if len(recs) == 0 {
			fail(rw, http.StatusNotFound, "record is not found")
			return
		}
		for _, rec := range recs {
			z.Remove(rec.ID)
		}
		writeJSON(rw, http.StatusOK, map[string]any{})
	default:
		fail(rw, http.StatusNotFound, "not found")
	}
}

func (w wire) listZones(rw http.ResponseWriter, offset int, endless bool) {
	zones := w.f.Store.Zones()
	total := len(zones)
	if endless {
		offset, total = 0, providertest.EndlessTotal
	}
	out := []map[string]any{}
	for _, z := range providertest.Slice(zones, offset, w.f.PageSize) {
		id, _ := strconv.Atoi(z.ID)
		out = append(out, map[string]any{"id": id, "name": z.Name})
	}
	writeJSON(rw, http.StatusOK, map[string]any{"zones": out, "total_amount": total})
}

// sets groups z's records into RRsets, in the order of their first value.
func sets(z *providertest.Zone[X]) [][]*providertest.Rec[X] {
	var out [][]*providertest.Rec[X]
	at := map[string]int{}
	for _, r := range z.Records {
		k := r.Name + "/" + r.Type
		if i, ok := at[k]; ok {
			out[i] = append(out[i], r)
			continue
		}
		at[k] = len(out)
		out = append(out, []*providertest.Rec[X]{r})
	}
	return out
}

func (w wire) listRRsets(rw http.ResponseWriter, z *providertest.Zone[X], offset int, endless bool) {
	all := sets(z)
	total := len(all)
	if endless {
		offset, total = 0, providertest.EndlessTotal
	}
	out := []map[string]any{}
	for _, set := range providertest.Slice(all, offset, w.f.PageSize) {
		out = append(out, rrsetJSON(set[0].Name, set[0].Type, set))
	}
	writeJSON(rw, http.StatusOK, map[string]any{"rrsets": out, "total_amount": total})
}

// input is the body of a create or replace.
type input struct {
	TTL             *int `json:"ttl"`
	ResourceRecords []struct {
		Content []any          `json:"content"`
		Enabled *bool          `json:"enabled"`
		Meta    map[string]any `json:"meta"`
	} `json:"resource_records"`
}

// write creates or replaces the RRset of name and typ with the body's
// values.
func (w wire) write(rw http.ResponseWriter, z *providertest.Zone[X], name, typ string, body []byte, create bool) {
	var in input
	if err := json.Unmarshal(body, &in); err != nil || len(in.ResourceRecords) == 0 {
		fail(rw, http.StatusBadRequest, "resource_records: at least one resource record is required")
		return
	}
	existing := z.Select(name, typ)
	switch {
	case create && len(existing) > 0:
		fail(rw, http.StatusConflict, "rrset already exists")
		return
	case !create && len(existing) == 0:
		fail(rw, http.StatusNotFound, "record is not found")
		return
	}
	ttl := 300
	if in.TTL != nil {
		ttl = *in.TTL
	}
	if ttl < 0 {
		fail(rw, http.StatusBadRequest, "ttl: must be no less than 0")
		return
	}
	for _, rec := range existing {
		z.Remove(rec.ID)
	}
	for _, rr := range in.ResourceRecords {
		meta := map[string]any{}
		marker := ""
		for k, v := range rr.Meta {
			if k == "notes" {
				marker = notesText(v)
				continue
			}
			meta[k] = v
		}
		value := ""
		if len(rr.Content) > 0 {
			value = fmt.Sprint(rr.Content[0])
		}
		w.f.Store.Add(z, providertest.Rec[X]{Name: name, Type: typ, Value: value, TTL: ttl, Marker: marker, X: X{Meta: meta}})
	}
	writeJSON(rw, http.StatusOK, map[string]any{})
}

func notesText(v any) string {
	if list, ok := v.([]any); ok {
		parts := make([]string, 0, len(list))
		for _, p := range list {
			parts = append(parts, fmt.Sprint(p))
		}
		return strings.Join(parts, " ")
	}
	return fmt.Sprint(v)
}

func rrsetJSON(name, typ string, recs []*providertest.Rec[X]) map[string]any {
	rrs := []map[string]any{}
	for _, r := range recs {
		id, _ := strconv.Atoi(r.ID)
		meta := map[string]any{}
		for k, v := range r.X.Meta {
			meta[k] = v
		}
		if r.Marker != "" {
			meta["notes"] = []string{r.Marker}
		}
		rrs = append(rrs, map[string]any{"id": id, "content": []string{r.Value}, "enabled": true, "meta": meta})
	}
	return map[string]any{"name": name, "type": typ, "ttl": recs[0].TTL, "resource_records": rrs, "meta": map[string]any{}}
}

func fail(rw http.ResponseWriter, status int, msg string) {
	writeJSON(rw, status, map[string]string{"error": msg})
}

func writeJSON(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(v)
}

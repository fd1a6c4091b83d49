// Package dynv6fake is a fake dynv6 REST API (v2) for tests, on the
// provider kit (providertest.Fake): it keeps zones, each with its own
// IPv4 address and IPv6 prefix, and their records, checks the bearer
// token, and answers with dynv6's shapes.
//
// Shapes, from https://dynv6.github.io/api-spec/ (the v2 API's OpenAPI
// description):
//   - Authorization: Bearer TOKEN (an HTTP token from dynv6.com/keys); a
//     refused one answers 401;
//   - GET /api/v2/zones answers [{"id","name","ipv4address","ipv6prefix",
//     "createdAt","updatedAt"}], every zone at once (no pagination);
//   - GET and PATCH /api/v2/zones/{id} read and change a zone (its
//     ipv4address and ipv6prefix are the apex's addresses);
//   - GET /api/v2/zones/{id}/records answers [{"id","zoneID","type",
//     "name","data","priority","flags","tag","weight","port",
//     "expandedData"}] (name relative to the zone), POST creates one,
//     PATCH and DELETE /api/v2/zones/{id}/records/{recordID} change and
//     remove one; unknown IDs answer 404;
//   - there is no TTL anywhere in the API.
//
// The texts of the error answers are the fake's own.
package dynv6fake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Token is the HTTP token the fake accepts.
const Token = "zxEkqH3y9pV6rN2tB8mW4cL7fD1sG5jA"

// Fake is a running fake dynv6 API.
type Fake struct {
	providertest.Fake[struct{}]
}

// New starts a fake holding the named zones; it stops when the test ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Store.ZoneID = func(_ string, n int) string { return strconv.Itoa(6000 + n) }
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

type wire struct{ f *Fake }

// route names the call with its zone and record IDs.
func route(r *http.Request) (op, zoneID, recID string) {
	p := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	for len(p) > 0 && p[0] != "zones" {
		p = p[1:]
	}
	switch {
	case len(p) == 1 && r.Method == http.MethodGet:
		return "list zones", "", ""
	case len(p) == 2:
		return map[string]string{http.MethodGet: "get zone", http.MethodPatch: "update zone"}[r.Method], p[1], ""
	case len(p) == 3 && p[2] == "records":
		return map[string]string{http.MethodGet: "list records", http.MethodPost: "create record"}[r.Method], p[1], ""
	case len(p) == 4 && p[2] == "records":
		return map[string]string{http.MethodGet: "get record", http.MethodPatch: "update record", http.MethodDelete: "delete record"}[r.Method], p[1], p[3]
	}
	return "", "", ""
}

func (wire) Operation(r *http.Request, _ []byte) (string, bool) {
	op, _, _ := route(r)
	return op, op == "update zone" || op == "create record" || op == "update record" || op == "delete record"
}

func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	auth := r.Header.Get("Authorization")
	w.f.Note(auth, strings.TrimPrefix(auth, "Bearer "))
	if auth != "Bearer "+Token {
		fail(rw, http.StatusUnauthorized, "invalid token")
		return false
	}
	return true
}

func (w wire) Fault(rw http.ResponseWriter, _ *http.Request, f providertest.Fault, op string) bool {
	if sf, ok := providertest.StatusOf(f); ok {
		if sf.RetryAfter {
			rw.Header().Set("Retry-After", providertest.RetryAfter)
		}
		fail(rw, sf.Status, strings.ToLower(sf.Text))
		return true
	}
	switch f {
	case providertest.FaultAuthRejected:
		fail(rw, http.StatusUnauthorized, "invalid token")
	case providertest.FaultZoneNotFound:
		if op == "list zones" {
			writeJSON(rw, http.StatusOK, []any{})
		} else {
			fail(rw, http.StatusNotFound, "zone not found")
		}
	default:
		// dynv6's lists are not paginated: FaultEndlessPages has no
		// wire form here.
		return false
	}
	return true
}

func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	_, zoneID, recID := route(r)
	if op == "list zones" {
		out := []map[string]any{}
		for _, z := range w.f.Store.Zones() {
			out = append(out, zoneJSON(z))
		}
		writeJSON(rw, http.StatusOK, out)
		return
	}
	z := w.f.Store.ZoneByID(zoneID)
	if z == nil {
		fail(rw, http.StatusNotFound, "zone not found")
		return
	}
	var in map[string]*string
	if len(body) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			fail(rw, http.StatusBadRequest, "invalid JSON")
			return
		}
	}
	switch op {
	case "get zone":
		writeJSON(rw, http.StatusOK, zoneJSON(z))
	case "update zone":
		for field, typ := range map[string]string{"ipv4address": "A", "ipv6prefix": "AAAA"} {
			if v, ok := in[field]; ok && v != nil {
				w.setApex(z, typ, *v)
			}
		}
		writeJSON(rw, http.StatusOK, zoneJSON(z))
	case "list records":
		out := []map[string]any{}
		for _, rec := range z.Records {
			if !isApexAddress(z, rec) {
				out = append(out, recordJSON(z, rec))
			}
		}
		writeJSON(rw, http.StatusOK, out)
	case "create record":
		name, typ, data := deref(in["name"]), strings.ToUpper(deref(in["type"])), deref(in["data"])
		if name == "" || name == "@" || typ == "" || data == "" {
			fail(rw, http.StatusUnprocessableEntity, "name, type and data are required; the zone's own addresses are fields of the zone")
			return
		}
		rec := w.f.Store.Add(z, providertest.Rec[struct{}]{Name: name, Type: typ, Value: data})
		writeJSON(rw, http.StatusOK, recordJSON(z, rec))
	case "get record", "update record", "delete record":
		rec := z.Record(recID)
		if rec == nil || isApexAddress(z, rec) {
			fail(rw, http.StatusNotFound, "record not found")
			return
		}
		switch op {
		case "update record":
			if v := in["data"]; v != nil {
				rec.Value = *v
			}
		case "delete record":
			z.Remove(rec.ID)
			rw.WriteHeader(http.StatusNoContent)
			return
		}
		writeJSON(rw, http.StatusOK, recordJSON(z, rec))
	default:
		fail(rw, http.StatusNotFound, "not found")
	}
}

// setApex sets the zone's own address of type typ; "" clears it.
func (w wire) setApex(z *providertest.Zone[struct{}], typ, v string) {
	for _, rec := range z.Select(z.Name, typ) {
		z.Remove(rec.ID)
	}
	if v == "" {
		return
	}
	if i := strings.Index(v, "/"); i >= 0 {
		v = v[:i]
	}
	w.f.Store.Add(z, providertest.Rec[struct{}]{Name: z.Name, Type: typ, Value: v})
}

// isApexAddress reports whether rec stands for a field of the zone.
func isApexAddress(z *providertest.Zone[struct{}], rec *providertest.Rec[struct{}]) bool {
	return rec.Name == z.Name && (rec.Type == "A" || rec.Type == "AAAA")
}

func zoneJSON(z *providertest.Zone[struct{}]) map[string]any {
	id, _ := strconv.Atoi(z.ID)
	out := map[string]any{"id": id, "name": z.Name, "ipv4address": "", "ipv6prefix": "", "createdAt": "2024-05-01T10:00:00.000Z", "updatedAt": "2024-05-01T10:00:00.000Z"}
	if a := z.Select(z.Name, "A"); len(a) > 0 {
		out["ipv4address"] = a[0].Value
	}
	if a := z.Select(z.Name, "AAAA"); len(a) > 0 {
		out["ipv6prefix"] = a[0].Value
	}
	return out
}

func recordJSON(z *providertest.Zone[struct{}], r *providertest.Rec[struct{}]) map[string]any {
	id, _ := strconv.Atoi(r.ID)
	zid, _ := strconv.Atoi(z.ID)
	return map[string]any{
		"id": id, "zoneID": zid, "type": r.Type, "name": providers.RelativeName(r.Name, z.Name), "data": r.Value,
		"priority": nil, "flags": nil, "tag": nil, "weight": nil, "port": nil, "expandedData": r.Value,
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func fail(rw http.ResponseWriter, status int, msg string) {
	writeJSON(rw, status, map[string]string{"error": msg})
}

func writeJSON(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(v)
}

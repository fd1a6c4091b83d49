// Package spaceshipfake is a fake Spaceship API for tests, on the provider
// kit (providertest.Fake): it keeps domains and records, checks the
// X-API-Key and X-API-Secret headers, pages with take and skip, and
// answers with Spaceship's shapes.
//
// Shapes, from https://docs.spaceship.dev ("Authentication", "Domains",
// "DNS records") and clients that follow it (go-acme/lego's spaceship
// provider):
//   - every request carries X-API-Key and X-API-Secret; a refused pair
//     answers 401;
//   - GET /v1/domains?take&skip answers {"items":[{"name",...}],"total"};
//   - GET /v1/dns/records/{domain}?take&skip answers
//     {"items":[{"type","name","address","ttl","group":{"type"}}],"total"}
//     with names relative to the domain ("@" for the apex);
//   - PUT /v1/dns/records/{domain} {"force","items":[...]} saves records:
//     an item equal to a stored one in type, name and address changes its
//     TTL, any other is added; DELETE /v1/dns/records/{domain} [items]
//     removes the items given (by type, name and address); both answer
//     204;
//   - errors are {"detail","data":[{"field","details"}]}; throttling is
//     429 with Retry-After.
//
// The wording of the error texts is the fake's own.
package spaceshipfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/value"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The API key and secret the fake accepts.
const (
	Key    = "spk_Z8pQm2Lr7TxV4cN9bH1kW6sD3fJ0gY5e"
	Secret = "sps_e4R7tY1uI9oP3aS6dF8gH2jK5lZ0xC7vB4nM1qW9"
)

// MinTTL and MaxTTL bound the TTLs the fake accepts, Spaceship's range.
const (
	MinTTL = 60
	MaxTTL = 3600
)

// Fake is a running fake Spaceship API.
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

type wire struct{ f *Fake }

// route names the call and its domain.
func route(r *http.Request) (op, domain string) {
	p := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(p) > 0 && p[0] == "v1" {
		p = p[1:]
	}
	switch {
	case len(p) == 1 && p[0] == "domains" && r.Method == http.MethodGet:
		return "list domains", ""
	case len(p) == 3 && p[0] == "dns" && p[1] == "records":
		return map[string]string{
			http.MethodGet: "list records", http.MethodPut: "save records", http.MethodDelete: "delete records",
		}[r.Method], p[2]
	}
	return "", ""
}

func (wire) Operation(r *http.Request, _ []byte) (string, bool) {
	op, _ := route(r)
	return op, op == "save records" || op == "delete records"
}

func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	key, secret := r.Header.Get("X-API-Key"), r.Header.Get("X-API-Secret")
	w.f.Note(key, secret)
	if key != Key || secret != Secret {
		fail(rw, http.StatusUnauthorized, "Unauthorized: the API key or secret is invalid")
		return false
	}
	return true
}

func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	if sf, ok := providertest.StatusOf(f); ok {
		if sf.RetryAfter {
			rw.Header().Set("Retry-After", providertest.RetryAfter)
		}
		fail(rw, sf.Status, sf.Text)
		return true
	}
	switch f {
	case providertest.FaultAuthRejected:
		fail(rw, http.StatusUnauthorized, "Unauthorized: the API key or secret is invalid")
	case providertest.FaultZoneNotFound:
		if op == "list domains" {
			writeJSON(rw, http.StatusOK, map[string]any{"items": []any{}, "total": 0})
		} else {
			fail(rw, http.StatusNotFound, "Domain not found")
		}
	case providertest.FaultEndlessPages:
		switch op {
		case "list domains":
			w.listDomains(rw, 0, true)
		case "list records":
			_, domain := route(r)
			z := w.f.Store.Zone(domain)
			if z == nil {
				return false
			}
			w.listRecords(rw, z, 0, true)
		default:
			return false
		}
	default:
		return false
	}
	return true
}

func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	_, domain := route(r)
	skip, _ := strconv.Atoi(r.URL.Query().Get("skip"))
	if op == "list domains" {
		w.listDomains(rw, skip, false)
		return
	}
	z := w.f.Store.Zone(domain)
	if z == nil {
		fail(rw, http.StatusNotFound, "Domain not found")
		return
	}
	switch op {
	case "list records":
		w.listRecords(rw, z, skip, false)
	case "save records":
		var in struct {
			Force bool   `json:"force"`
			Items []item `json:"items"`
		}
		if err := json.Unmarshal(body, &in); err != nil || len(in.Items) == 0 {
			invalid(rw, "items", "at least one item is required")
			return
		}
		for i, it := range in.Items {
			if it.TTL < MinTTL || it.TTL > MaxTTL {
				invalid(rw, fmt.Sprintf("items[%d].ttl", i), fmt.Sprintf("must be between %d and %d", MinTTL, MaxTTL))
				return
			}
		}
		for _, it := range in.Items {
			if rec := find(z, it); rec != nil {
				rec.TTL = it.TTL
				continue
			}
			w.f.Store.Add(z, providertest.Rec[struct{}]{Name: it.Name, Type: it.Type, Value: it.Address, TTL: it.TTL})
		}
		rw.WriteHeader(http.StatusNoContent)
	case "delete records":
		var in []item
		if err := json.Unmarshal(body, &in); err != nil {
			invalid(rw, "body", "must be an array of items")
			return
		}
		for _, it := range in {
			if rec := find(z, it); rec != nil {
				z.Remove(rec.ID)
			}
		}
		rw.WriteHeader(http.StatusNoContent)
	default:
		fail(rw, http.StatusNotFound, "Not found")
	}
}

// item is a record as the API takes it.
type item struct {
	Type    string `json:"type"`
	Name    string `json:"name"`
	Address string `json:"address"`
	TTL     int    `json:"ttl"`
}

// find returns the stored record equal to it in type, name and address.
func find(z *providertest.Zone[struct{}], it item) *providertest.Rec[struct{}] {
	for _, r := range z.Select(providers.AbsoluteName(it.Name, z.Name), it.Type) {
		if value.Canonical(r.Value) == value.Canonical(it.Address) {
			return r
		}
	}
	return nil
}

func (w wire) listDomains(rw http.ResponseWriter, skip int, endless bool) {
	zones := w.f.Store.Zones()
	total := len(zones)
	if endless {
		skip, total = 0, providertest.EndlessTotal
	}
	out := []map[string]any{}
	for _, z := range providertest.Slice(zones, skip, w.f.PageSize) {
		out = append(out, map[string]any{"name": z.Name, "unicodeName": z.Name, "isPremium": false})
	}
	writeJSON(rw, http.StatusOK, map[string]any{"items": out, "total": total})
}

func (w wire) listRecords(rw http.ResponseWriter, z *providertest.Zone[struct{}], skip int, endless bool) {
	total := len(z.Records)
	if endless {
		skip, total = 0, providertest.EndlessTotal
	}
	out := []map[string]any{}
	for _, r := range providertest.Slice(z.Records, skip, w.f.PageSize) {
		out = append(out, map[string]any{
			"type": r.Type, "name": providers.RelativeName(r.Name, z.Name), "address": r.Value, "ttl": r.TTL,
			"group": map[string]string{"type": "custom"},
		})
	}
	writeJSON(rw, http.StatusOK, map[string]any{"items": out, "total": total})
}

func invalid(rw http.ResponseWriter, field, details string) {
	writeJSON(rw, http.StatusUnprocessableEntity, map[string]any{
		"detail": "The request is invalid", "data": []map[string]string{{"field": field, "details": details}},
	})
}

func fail(rw http.ResponseWriter, status int, detail string) {
	writeJSON(rw, status, map[string]string{"detail": detail})
}

func writeJSON(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(v)
}

// Package godaddyfake is a fake GoDaddy Domains API for tests, on the
// provider kit (providertest.Fake): it keeps domains and record sets,
// checks the sso-key header, pages, and answers with GoDaddy's error
// model, including the 403 ACCESS_DENIED GoDaddy gives accounts that do
// not qualify for the API.
//
// Shapes, from https://developer.godaddy.com/doc/endpoint/domains:
//   - "Authorization: sso-key KEY:SECRET"; a wrong pair answers 401
//     {"code":"UNABLE_TO_AUTHENTICATE","message":"Unauthorized : Could
//     not authenticate API key/secret"} (as GoDaddy sends it, quoted in
//     many client reports, e.g. acmesh-official/acme.sh issue 1564);
//   - since 2024 an account with fewer than 10 domains gets 403
//     {"code":"ACCESS_DENIED","message":"Authenticated user is not allowed
//     access"} on every call (developer.godaddy.com "API access"; quoted
//     in jeessy2/ddns-go issue 1105);
//   - GET /v1/domains?statuses&limit&marker lists DomainSummary objects
//     sorted by name, from after the marker;
//   - GET /v1/domains/{domain}/records/{type}[/{name}]?offset&limit
//     answers [DNSRecord] ({data,name,ttl,type}), [] when none;
//   - PATCH /v1/domains/{domain}/records adds records; PUT
//     .../records/{type}/{name} replaces the set with [{data,ttl}];
//     DELETE .../records/{type}/{name} removes it (404 when none);
//   - a TTL below 600 answers 422 {"code":"INVALID_BODY","fields":[{
//     "path":"records[0].ttl","message":"must be >= 600"}]}; an unknown
//     domain 404 UNKNOWN_DOMAIN; throttling 429 TOO_MANY_REQUESTS with
//     retryAfterSec ("ErrorLimit").
package godaddyfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The API key and secret the fake accepts.
const (
	Key    = "dLiY6dWkEZ1w_8xHc3XnbQG7kRzr2JmMpY"
	Secret = "Xk7Q2mPvR9sT4wY1zA6bC3dE8fG5hJ0k"
)

// MinTTL is GoDaddy's smallest TTL.
const MinTTL = 600

// Fake is a running fake GoDaddy API.
type Fake struct {
	providertest.Fake[struct{}]
	// Ineligible makes every call answer 403 ACCESS_DENIED, as GoDaddy
	// does for accounts with fewer than 10 domains.
	Ineligible bool
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

// route names the call and its domain, type and name (relative).
func route(r *http.Request) (op, domain, typ, name string) {
	p := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(p) < 2 || p[0] != "v1" || p[1] != "domains" {
		return "", "", "", ""
	}
	p = p[2:]
	switch {
	case len(p) == 0 && r.Method == http.MethodGet:
		return "list domains", "", "", ""
	case len(p) == 2 && p[1] == "records" && r.Method == http.MethodPatch:
		return "add records", p[0], "", ""
	case len(p) == 3 && p[1] == "records" && r.Method == http.MethodGet:
		return "list records", p[0], strings.ToUpper(p[2]), ""
	case len(p) == 4 && p[1] == "records":
		return map[string]string{
			http.MethodGet: "get records", http.MethodPut: "replace records", http.MethodDelete: "delete records",
		}[r.Method], p[0], strings.ToUpper(p[2]), p[3]
	}
	return "", "", "", ""
}

func (wire) Operation(r *http.Request, _ []byte) (string, bool) {
	op, _, _, _ := route(r)
	return op, op == "add records" || op == "replace records" || op == "delete records"
}

func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	auth := r.Header.Get("Authorization")
	pair := strings.TrimPrefix(auth, "sso-key ")
	_, secret, _ := strings.Cut(pair, ":")
	w.f.Note(auth, pair, secret)
	switch {
	case auth != "sso-key "+Key+":"+Secret:
		fail(rw, http.StatusUnauthorized, "UNABLE_TO_AUTHENTICATE", "Unauthorized : Could not authenticate API key/secret")
		return false
	case w.f.Ineligible:
		fail(rw, http.StatusForbidden, "ACCESS_DENIED", "Authenticated user is not allowed access")
		return false
	}
	return true
}

func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	switch f {
	case providertest.FaultRateLimited:
		writeJSON(rw, http.StatusTooManyRequests, map[string]any{"code": "TOO_MANY_REQUESTS", "message": "Too many requests received within interval", "retryAfterSec": 2})
	case providertest.FaultRateLimitedNoRetryAfter:
		fail(rw, http.StatusTooManyRequests, "TOO_MANY_REQUESTS", "Too many requests received within interval")
	case providertest.FaultServerError, providertest.FaultHTTP500:
		fail(rw, http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", "Internal server error")
	case providertest.FaultHTTP502:
		fail(rw, http.StatusBadGateway, "BAD_GATEWAY", "Bad gateway")
	case providertest.FaultHTTP503:
		fail(rw, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE", "Service unavailable")
	case providertest.FaultAuthRejected:
		fail(rw, http.StatusUnauthorized, "UNABLE_TO_AUTHENTICATE", "Unauthorized : Could not authenticate API key/secret")
	case providertest.FaultZoneNotFound:
		if op == "list domains" {
			writeJSON(rw, http.StatusOK, []any{})
		} else {
			unknownDomain(rw)
		}
	case providertest.FaultEndlessPages:
		switch op {
		case "list domains":
			w.listDomains(rw, "")
		case "list records":
			_, domain, typ, _ := route(r)
			z := w.f.Store.Zone(domain)
			if z == nil {
				return false
			}
			w.records(rw, z, z.Select("", typ), 0)
		default:
			return false
		}
	default:
		return false
	}
	return true
}

func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	_, domain, typ, name := route(r)
	if op == "list domains" {
		w.listDomains(rw, r.URL.Query().Get("marker"))
		return
	}
	z := w.f.Store.Zone(domain)
	if z == nil {
		unknownDomain(rw)
		return
	}
	full := providers.AbsoluteName(name, z.Name)
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	switch op {
	case "list records":
		w.records(rw, z, z.Select("", typ), offset)
	case "get records":
		w.records(rw, z, z.Select(full, typ), offset)
	case "add records":
		var in []struct {
			Data, Name, Type string
			TTL              *int
		}
		if err := json.Unmarshal(body, &in); err != nil || len(in) == 0 {
			invalidBody(rw, "records", "must be a non-empty array of records")
			return
		}
		for i, rec := range in {
			if rec.TTL != nil && *rec.TTL < MinTTL {
				invalidBody(rw, fmt.Sprintf("records[%d].ttl", i), fmt.Sprintf("must be >= %d", MinTTL))
				return
			}
		}
		for _, rec := range in {
			w.f.Store.Add(z, providertest.Rec[struct{}]{Name: providers.AbsoluteName(rec.Name, z.Name), Type: rec.Type, Value: rec.Data, TTL: ttlOr(rec.TTL)})
		}
		rw.WriteHeader(http.StatusOK)
	case "replace records":
		var in []struct {
			Data string
			TTL  *int
		}
		if err := json.Unmarshal(body, &in); err != nil {
			invalidBody(rw, "records", "must be an array of records")
			return
		}
		for i, rec := range in {
			if rec.TTL != nil && *rec.TTL < MinTTL {
				invalidBody(rw, fmt.Sprintf("records[%d].ttl", i), fmt.Sprintf("must be >= %d", MinTTL))
				return
			}
		}
		for _, rec := range z.Select(full, typ) {
			z.Remove(rec.ID)
		}
		for _, rec := range in {
			w.f.Store.Add(z, providertest.Rec[struct{}]{Name: full, Type: typ, Value: rec.Data, TTL: ttlOr(rec.TTL)})
		}
		rw.WriteHeader(http.StatusOK)
	case "delete records":
		recs := z.Select(full, typ)
		if len(recs) == 0 {
			fail(rw, http.StatusNotFound, "NOT_FOUND", "The given record was not found")
			return
		}
		for _, rec := range recs {
			z.Remove(rec.ID)
		}
		rw.WriteHeader(http.StatusNoContent)
	default:
		fail(rw, http.StatusNotFound, "NOT_FOUND", "Not found")
	}
}

// listDomains answers the domains after marker, in name order, a page at
// a time.
func (w wire) listDomains(rw http.ResponseWriter, marker string) {
	var names []string
	for _, z := range w.f.Store.Zones() {
		names = append(names, z.Name)
	}
	slices.Sort(names)
	start := 0
	if marker != "" {
		start, _ = slices.BinarySearch(names, providers.CanonicalName(marker))
		if start < len(names) && names[start] == providers.CanonicalName(marker) {
			start++
		}
	}
	out := []map[string]any{}
	for i, n := range providertest.Slice(names, start, w.f.PageSize) {
		out = append(out, map[string]any{"domain": n, "domainId": 1000 + start + i, "status": "ACTIVE"})
	}
	writeJSON(rw, http.StatusOK, out)
}

// records answers recs from offset, a page at a time.
func (w wire) records(rw http.ResponseWriter, z *providertest.Zone[struct{}], recs []*providertest.Rec[struct{}], offset int) {
	out := []map[string]any{}
	for _, r := range providertest.Slice(recs, offset, w.f.PageSize) {
		out = append(out, map[string]any{"data": r.Value, "name": providers.RelativeName(r.Name, z.Name), "ttl": r.TTL, "type": r.Type})
	}
	writeJSON(rw, http.StatusOK, out)
}

func ttlOr(ttl *int) int {
	if ttl == nil {
		return 3600
	}
	return *ttl
}

func unknownDomain(rw http.ResponseWriter) {
	fail(rw, http.StatusNotFound, "UNKNOWN_DOMAIN", "The given domain is not registered, or does not have a zone file")
}

func invalidBody(rw http.ResponseWriter, path, msg string) {
	writeJSON(rw, http.StatusUnprocessableEntity, map[string]any{
		"code": "INVALID_BODY", "message": "Request body doesn't fulfill schema, see details in `fields`",
		"fields": []map[string]string{{"code": "UNEXPECTED_VALUE", "message": msg, "path": path}},
	})
}

func fail(rw http.ResponseWriter, status int, code, msg string) {
	writeJSON(rw, status, map[string]string{"code": code, "message": msg})
}

func writeJSON(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(v)
}

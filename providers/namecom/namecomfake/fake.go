// Package namecomfake is a fake Name.com core API for tests, on the
// provider kit (providertest.Fake): domains and their records, HTTP Basic
// auth with the user name and API token, page/perPage pagination with
// nextPage and lastPage, and Name.com's ErrorMessage bodies.
//
// Shapes, from Name.com's API documentation (https://www.name.com/api-docs,
// "API Overview" and "DNS"; the core/v1 API keeps v4's resources, as
// ddns-go's dns/name_com.go calls them):
//   - a wrong user name or token answers 401 {"message": "Unauthenticated"};
//   - POST and PUT without Content-Type application/json answer 403;
//   - GET /core/v1/domains?page&perPage answers {"domains":
//     [{"domainName"}], "nextPage", "lastPage"}, the page fields only when
//     another page follows;
//   - GET /core/v1/domains/{domain}/records likewise answers {"records":
//     [{"id", "domainName", "host", "fqdn", "type", "answer", "ttl"}]};
//   - GET, PUT and DELETE .../records/{id}, POST .../records take and
//     answer one record {"host", "type", "answer", "ttl"};
//   - an unknown domain or record answers 404 {"message": "Not Found"}.
//
// The wording of the details of a refused TTL is the fake's own; Name.com
// documents the minimum (300).
package namecomfake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion/companionfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The credentials the fake accepts.
const (
	Username = "ddnsuser"
	Token    = "4790fea6e456f7fe9cf4f61a30f025acd63ecd1c"
)

// MinTTL is the smallest TTL the fake takes, Name.com's.
const MinTTL = 300

// Fake is a running fake Name.com API.
type Fake struct {
	providertest.Fake[struct{}]
}

// New starts a fake holding the named domains; it stops when the test
// ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Store.RecordID = func(n int) string { return strconv.Itoa(234500 + n) }
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// Backend is the Name.com provider d with this fake, for the operator's
// suites.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		s := companionfake.Server(&f.Fake)
		s.Secret = map[string]string{"username": Username, "apiToken": Token}
		s.BadSecret = map[string]string{"username": Username, "apiToken": "0000fea6e456f7fe9cf4f61a30f025acd63e0000"}
		return s
	}}
}

type wire struct{ f *Fake }

// route splits the path into the domain and record ID ("" when absent).
func route(r *http.Request) (op, domain, id string) {
	p := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/core/v1"), "/"), "/")
	switch {
	case len(p) == 1 && p[0] == "domains" && r.Method == http.MethodGet:
		return "list domains", "", ""
	case len(p) == 3 && p[0] == "domains" && p[2] == "records":
		return map[string]string{http.MethodGet: "list records", http.MethodPost: "create record"}[r.Method], p[1], ""
	case len(p) == 4 && p[0] == "domains" && p[2] == "records":
		return map[string]string{http.MethodGet: "get record", http.MethodPut: "update record", http.MethodDelete: "delete record"}[r.Method], p[1], p[3]
	}
	return "", "", ""
}

func (wire) Operation(r *http.Request, _ []byte) (string, bool) {
	op, _, _ := route(r)
	return op, op == "create record" || op == "update record" || op == "delete record"
}

func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	user, token, _ := r.BasicAuth()
	w.f.Note(r.Header.Get("Authorization"), token)
	if user != Username || token != Token {
		fail(rw, http.StatusUnauthorized, "Unauthenticated", "")
		return false
	}
	if (r.Method == http.MethodPost || r.Method == http.MethodPut) && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		fail(rw, http.StatusForbidden, "Permission Denied", "POST and PUT must send Content-Type application/json")
		return false
	}
	return true
}

func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	if sf, ok := providertest.StatusOf(f); ok {
		if sf.RetryAfter {
			rw.Header().Set("Retry-After", providertest.RetryAfter)
		}
		fail(rw, sf.Status, sf.Text, "")
		return true
	}
	switch f {
	case providertest.FaultAuthRejected:
		fail(rw, http.StatusUnauthorized, "Unauthenticated", "")
	case providertest.FaultZoneNotFound:
		if op == "list domains" {
			providertest.WriteJSON(rw, http.StatusOK, map[string]any{"domains": []any{}})
		} else {
			fail(rw, http.StatusNotFound, "Not Found", "domain not found")
		}
	case providertest.FaultEndlessPages:
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		switch op {
		case "list domains":
			w.listDomains(rw, page, true)
		case "list records":
			_, domain, _ := route(r)
			z := w.f.Store.Zone(domain)
			if z == nil {
				return false
			}
			w.listRecords(rw, z, page, true)
		default:
			return false
		}
	default:
		return false
	}
	return true
}

func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	_, domain, id := route(r)
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if op == "list domains" {
		w.listDomains(rw, page, false)
		return
	}
	z := w.f.Store.Zone(domain)
	if op == "" || z == nil {
		fail(rw, http.StatusNotFound, "Not Found", "")
		return
	}
	switch op {
	case "list records":
		w.listRecords(rw, z, page, false)
		return
	case "create record":
		w.write(rw, z, nil, body)
		return
	}
	rec := z.Record(id)
	switch {
	case rec == nil:
		fail(rw, http.StatusNotFound, "Not Found", "record not found")
	case op == "get record":
		providertest.WriteJSON(rw, http.StatusOK, recordJSON(z, rec))
	case op == "update record":
		w.write(rw, z, rec, body)
	case op == "delete record":
		z.Remove(id)
		providertest.WriteJSON(rw, http.StatusOK, map[string]any{})
	}
}

// paged answers items' page (from 1) under key, with nextPage and
// lastPage while another page follows; endless announces one forever.
func (w wire) paged(rw http.ResponseWriter, key string, items []any, page int, endless bool) {
	page = max(page, 1)
	// Endless: every page holds the first page's items and names the
	// page after the one asked for as next, so the listing never ends.
	served := page
	if endless {
		served = 1
	}
	out := map[string]any{key: providertest.Page(items, served, w.f.PageSize)}
	last := (len(items) + w.f.PageSize - 1) / w.f.PageSize
	if endless || page < last {
		out["nextPage"], out["lastPage"] = page+1, max(last, page+1)
	}
	providertest.WriteJSON(rw, http.StatusOK, out)
}

func (w wire) listDomains(rw http.ResponseWriter, page int, endless bool) {
	var items []any
	for _, z := range w.f.Store.Zones() {
		items = append(items, map[string]any{"domainName": z.Name, "locked": true, "autorenewEnabled": true})
	}
	w.paged(rw, "domains", items, page, endless)
}

func (w wire) listRecords(rw http.ResponseWriter, z *providertest.Zone[struct{}], page int, endless bool) {
	var items []any
	for _, r := range z.Records {
		items = append(items, recordJSON(z, r))
	}
	w.paged(rw, "records", items, page, endless)
}

// write creates a record (rec nil) or replaces rec's fields with the
// body's.
func (w wire) write(rw http.ResponseWriter, z *providertest.Zone[struct{}], rec *providertest.Rec[struct{}], body []byte) {
	var in struct {
		Host   string `json:"host"`
		Type   string `json:"type"`
		Answer string `json:"answer"`
		TTL    *int   `json:"ttl"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		fail(rw, http.StatusBadRequest, "Invalid Argument", "the body is not a record")
		return
	}
	ttl := MinTTL
	if in.TTL != nil {
		ttl = *in.TTL
	}
	switch {
	case in.Type == "" || in.Answer == "":
		fail(rw, http.StatusBadRequest, "Invalid Argument", "Parameter Value Error - type and answer are required")
		return
	case ttl < MinTTL:
		fail(rw, http.StatusBadRequest, "Invalid Argument", "Parameter Value Error - TTL must be at least 300")
		return
	}
	if rec == nil {
		rec = w.f.Store.Add(z, providertest.Rec[struct{}]{Name: in.Host, Type: in.Type, Value: in.Answer, TTL: ttl})
	} else {
		rec.Name, rec.Type, rec.Value, rec.TTL = providertest.Absolute(in.Host, z.Name), strings.ToUpper(in.Type), in.Answer, ttl
	}
	providertest.WriteJSON(rw, http.StatusOK, recordJSON(z, rec))
}

// recordJSON is rec as Name.com shows it.
func recordJSON(z *providertest.Zone[struct{}], rec *providertest.Rec[struct{}]) map[string]any {
	id, _ := strconv.Atoi(rec.ID)
	out := map[string]any{"id": id, "domainName": z.Name, "fqdn": rec.Name + ".", "type": rec.Type, "answer": rec.Value, "ttl": rec.TTL}
	if h := providers.RelativeName(rec.Name, z.Name); h != "@" {
		out["host"] = h
	}
	return out
}

func fail(rw http.ResponseWriter, status int, msg, details string) {
	body := map[string]string{"message": msg}
	if details != "" {
		body["details"] = details
	}
	providertest.WriteJSON(rw, status, body)
}

// Package porkbunfake is a fake Porkbun API (v3) for tests, on the
// provider kit (providertest.Fake): it keeps domains and records, checks
// the API key pair in every request body as Porkbun does, refuses DNS
// calls for domains whose API access is off, pages Domain List All, and
// answers with Porkbun's envelopes.
//
// Shapes, from https://porkbun.com/api/json/v3/documentation:
//   - every call is a POST of a JSON object holding "apikey" and
//     "secretapikey" ("Authentication");
//   - answers are {"status":"SUCCESS",...} or, with HTTP 400,
//     {"status":"ERROR","message":"..."} ("Errors"); the messages for a
//     wrong key ("Invalid API key. (002)") and a domain without API
//     access ("Domain is not opted in to API access.") are as Porkbun
//     sends them (quoted in jeessy2/ddns-go issues 388 and 1015);
//   - /domain/listAll {"start"} answers up to 1000 domains a page
//     ("Domain List All"); this fake answers PageSize;
//   - /dns/create/DOMAIN {name, type, content, ttl, prio, notes} answers
//     {"status":"SUCCESS","id":N}; /dns/edit/DOMAIN/ID takes the same
//     fields; /dns/delete/DOMAIN/ID; /dns/retrieve/DOMAIN[/ID] and
//     /dns/retrieveByNameType/DOMAIN/TYPE[/SUBDOMAIN] answer
//     {"status":"SUCCESS","records":[{id,name,type,content,ttl,prio,notes}]}
//     with full names and string numbers.
//
// Porkbun documents no answer for throttling nor for a TTL below its
// minimum of 600; the fake throttles with HTTP 429 and refuses such a TTL
// with an ERROR of its own wording.
package porkbunfake

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

// The credentials the fake accepts.
const (
	APIKey       = "pk1_5299b57125c8f3cdf347d2fe0e713311ee3a1e11f11a14942b26472593e35368"
	SecretAPIKey = "sk1_7d119e3f656b00ae042980302e1425a04163c476efec1833a3cb0e54fc6f5022"
)

// MinTTL is the smallest TTL the fake accepts, Porkbun's.
const MinTTL = 600

// Fake is a running fake Porkbun API.
type Fake struct {
	providertest.Fake[struct{}]
	// apiOff holds the domains whose API access is off.
	apiOff map[string]bool
}

// New starts a fake holding the named domains, each with API access on;
// it stops when the test ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{apiOff: map[string]bool{}}
	f.Store.RecordID = func(n int) string { return strconv.Itoa(106926650 + n) }
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// DisableAPIAccess turns the domain's API access off, as a new domain at
// Porkbun has it.
func (f *Fake) DisableAPIAccess(domain string) {
	f.Lock()
	defer f.Unlock()
	f.apiOff[providers.CanonicalName(domain)] = true
}

// wire is Porkbun's protocol.
type wire struct{ f *Fake }

// request is the body of every call.
type request struct {
	APIKey       string          `json:"apikey"`
	SecretAPIKey string          `json:"secretapikey"`
	Start        string          `json:"start"`
	Name         *string         `json:"name"`
	Type         string          `json:"type"`
	Content      string          `json:"content"`
	TTL          json.RawMessage `json:"ttl"`
	Notes        *string         `json:"notes"`
}

// route splits a path into the command ("dns/create") and its arguments.
func route(r *http.Request) (string, []string) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	for i := 0; i+1 < len(parts); i++ {
		if parts[i] == "domain" || parts[i] == "dns" || parts[i] == "ping" {
			return parts[i] + "/" + parts[i+1], parts[i+2:]
		}
	}
	if len(parts) > 0 && parts[len(parts)-1] == "ping" {
		return "ping", nil
	}
	return "", nil
}

func (wire) Operation(r *http.Request, _ []byte) (string, bool) {
	op, _ := route(r)
	return op, op == "dns/create" || op == "dns/edit" || op == "dns/delete"
}

func (w wire) Authenticate(rw http.ResponseWriter, _ *http.Request, body []byte) bool {
	var req request
	_ = json.Unmarshal(body, &req)
	w.f.Note(req.APIKey, req.SecretAPIKey)
	if req.APIKey != APIKey || req.SecretAPIKey != SecretAPIKey {
		fail(rw, http.StatusBadRequest, "Invalid API key. (002)")
		return false
	}
	return true
}

func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	if sf, ok := providertest.StatusOf(f); ok {
		if sf.RetryAfter {
			rw.Header().Set("Retry-After", providertest.RetryAfter)
		}
		page(rw, sf.Status, fmt.Sprintf("%d %s", sf.Status, sf.Text))
		return true
	}
	switch f {
	case providertest.FaultAuthRejected:
		fail(rw, http.StatusBadRequest, "Invalid API key. (002)")
	case providertest.FaultZoneNotFound:
		if op == "domain/listAll" {
			ok(rw, map[string]any{"domains": []any{}})
		} else {
			fail(rw, http.StatusBadRequest, "Invalid domain.")
		}
	case providertest.FaultEndlessPages:
		if op != "domain/listAll" {
			return false
		}
		// Every page is the first: Domain List All ignores "start".
		w.listAll(rw, 0)
	default:
		return false
	}
	return true
}

func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	var req request
	if err := json.Unmarshal(body, &req); err != nil {
		fail(rw, http.StatusBadRequest, "Invalid JSON.")
		return
	}
	_, args := route(r)
	if op == "ping" {
		ok(rw, map[string]any{"yourIp": "81.2.69.160"})
		return
	}
	if op == "domain/listAll" {
		start, _ := strconv.Atoi(req.Start)
		w.listAll(rw, start)
		return
	}
	if len(args) == 0 {
		fail(rw, http.StatusBadRequest, "Invalid domain.")
		return
	}
	domain := providers.CanonicalName(args[0])
	z := w.f.Store.Zone(domain)
	switch {
	case z == nil:
		fail(rw, http.StatusBadRequest, "Invalid domain.")
		return
	case w.f.apiOff[domain]:
		fail(rw, http.StatusBadRequest, "Domain is not opted in to API access.")
		return
	}
	switch op {
	case "dns/retrieve":
		recs := z.Select("", "")
		if len(args) > 1 {
			recs = nil
			if rec := z.Record(args[1]); rec != nil {
				recs = append(recs, rec)
			}
		}
		records(rw, recs)
	case "dns/retrieveByNameType":
		if len(args) < 2 {
			fail(rw, http.StatusBadRequest, "Invalid type.")
			return
		}
		sub := ""
		if len(args) > 2 {
			sub = args[2]
		}
		records(rw, z.Select(fullName(sub, z.Name), args[1]))
	case "dns/create":
		w.create(rw, z, req)
	case "dns/edit":
		w.edit(rw, z, args, req)
	case "dns/delete":
		if len(args) < 2 || !z.Remove(args[1]) {
			fail(rw, http.StatusBadRequest, "Invalid record ID.")
			return
		}
		ok(rw, nil)
	default:
		fail(rw, http.StatusNotFound, "Invalid command.")
	}
}

func (w wire) listAll(rw http.ResponseWriter, start int) {
	zones := providertest.Slice(w.f.Store.Zones(), start, w.f.PageSize)
	out := []map[string]any{}
	for _, z := range zones {
		out = append(out, map[string]any{"domain": z.Name, "status": "ACTIVE", "tld": z.Name[strings.LastIndex(z.Name, ".")+1:]})
	}
	ok(rw, map[string]any{"domains": out})
}

func (w wire) create(rw http.ResponseWriter, z *providertest.Zone[struct{}], req request) {
	ttl, msg := checkRecord(req)
	if msg != "" {
		fail(rw, http.StatusBadRequest, msg)
		return
	}
	name := ""
	if req.Name != nil {
		name = *req.Name
	}
	notes := ""
	if req.Notes != nil {
		notes = *req.Notes
	}
	rec := w.f.Store.Add(z, providertest.Rec[struct{}]{Name: fullName(name, z.Name), Type: req.Type, Value: req.Content, TTL: ttl, Marker: notes})
	id, _ := strconv.Atoi(rec.ID)
	ok(rw, map[string]any{"id": id})
}

func (w wire) edit(rw http.ResponseWriter, z *providertest.Zone[struct{}], args []string, req request) {
	if len(args) < 2 || z.Record(args[1]) == nil {
		fail(rw, http.StatusBadRequest, "Invalid record ID.")
		return
	}
	ttl, msg := checkRecord(req)
	if msg != "" {
		fail(rw, http.StatusBadRequest, msg)
		return
	}
	rec := z.Record(args[1])
	if req.Name != nil {
		rec.Name = fullName(*req.Name, z.Name)
	}
	rec.Type, rec.Value, rec.TTL = strings.ToUpper(req.Type), req.Content, ttl
	// Edit replaces the record: notes left out are cleared.
	rec.Marker = ""
	if req.Notes != nil {
		rec.Marker = *req.Notes
	}
	ok(rw, nil)
}

// checkRecord returns the TTL a create or edit asks for (600 when left
// out) and the refusal of a record Porkbun would not take.
func checkRecord(req request) (int, string) {
	ttl := MinTTL
	if len(req.TTL) > 0 {
		var s string
		if err := json.Unmarshal(req.TTL, &s); err != nil {
			return 0, "Invalid TTL."
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, "Invalid TTL."
		}
		ttl = n
	}
	switch {
	case ttl < MinTTL:
		return 0, fmt.Sprintf("TTL must be at least %d.", MinTTL)
	case req.Type == "" || req.Content == "":
		return 0, "Type and content are required."
	}
	return ttl, ""
}

// fullName expands a subdomain of zone ("" for the apex).
func fullName(sub, zone string) string {
	if sub == "" {
		return zone
	}
	return providers.CanonicalName(sub) + "." + zone
}

func records(rw http.ResponseWriter, recs []*providertest.Rec[struct{}]) {
	out := []map[string]string{}
	for _, r := range recs {
		out = append(out, map[string]string{
			"id": r.ID, "name": r.Name, "type": r.Type, "content": r.Value,
			"ttl": strconv.Itoa(r.TTL), "prio": "0", "notes": r.Marker,
		})
	}
	ok(rw, map[string]any{"records": out})
}

func ok(rw http.ResponseWriter, fields map[string]any) {
	out := map[string]any{"status": "SUCCESS"}
	for k, v := range fields {
		out[k] = v
	}
	writeJSON(rw, http.StatusOK, out)
}

func fail(rw http.ResponseWriter, code int, msg string) {
	writeJSON(rw, code, map[string]string{"status": "ERROR", "message": msg})
}

// page answers as Porkbun's front end (openresty) does, with HTML.
func page(rw http.ResponseWriter, code int, title string) {
	rw.Header().Set("Content-Type", "text/html")
	rw.WriteHeader(code)
	fmt.Fprintf(rw, "<html>\n<head><title>%s</title></head>\n<body>\n<center><h1>%s</h1></center>\n<hr><center>openresty</center>\n</body>\n</html>\n", title, title)
}

func writeJSON(rw http.ResponseWriter, code int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(code)
	_ = json.NewEncoder(rw).Encode(v)
}

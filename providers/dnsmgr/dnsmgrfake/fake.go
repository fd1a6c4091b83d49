// Package dnsmgrfake is a fake HiPM DNSMgr API for tests, on the provider
// kit (providertest.Fake): the domains an API token reaches and their
// records, the Bearer token, DNSMgr's {"code", "data", "msg"} envelope and
// its refusals.
//
// Shapes, from DNSMgr's sources and documentation (HiPM-Tech/DNSMgr:
// docs/api-reference.md, docs/development/domain-list-api-format.md,
// server/src/routes/domains.ts and records.ts, server/src/middleware/auth.ts,
// server/src/utils/http.ts), as ddns-go's dns/hipmdnsmgr.go calls them:
//   - "Authorization: Bearer TOKEN"; none answers 401 {"code": -1,
//     "msg": "Unauthorized"}, an unknown token 401 {"code": -1, "msg":
//     "Invalid or expired token"}, a domain the token may not reach 403
//     {"code": -1, "msg": "Token does not have permission for this
//     domain"};
//   - GET /api/domains answers an API token a plain array of {"id",
//     "name", ...};
//   - GET /api/domains/{id}/records?page&pageSize&subdomain&type answers
//     {"total", "list": [{"id", "name", "type", "value", "line", "ttl",
//     "remark", "status"}]}, name being the host ("@" for the apex);
//   - POST .../records {name, type, value, ttl, line, remark} answers
//     {"id"}; PUT .../records/{recordId} needs name, type and value;
//     DELETE .../records/{recordId};
//   - a refusal is HTTP 200 with code -1 and msg ("Domain not found",
//     "name, type, and value are required", "Invalid value for A record").
//
// The msg of a record that does not exist ("Record not found") is the
// fake's own: DNSMgr relays the error of the DNS provider behind it.
package dnsmgrfake

import (
	"encoding/json"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Token is the API token the fake accepts.
const Token = "dnsmgr_3f9c2a7b1d4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081"

// X is what DNSMgr keeps on a record beside the kit's fields.
type X struct {
	Line string
}

// Fake is a running fake DNSMgr.
type Fake struct {
	providertest.Fake[X]
}

// New starts a fake holding the named domains; it stops when the test
// ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Store.ZoneID = func(_ string, n int) string { return strconv.Itoa(n) }
	f.Store.RecordID = func(n int) string { return "1" + strconv.Itoa(83000+n) }
	f.Store.Defaults = func(r *providertest.Rec[X]) {
		if r.TTL == 0 {
			r.TTL = 600
		}
		if r.X.Line == "" {
			r.X.Line = "0"
		}
	}
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// Options points a record at the fake's instance; the suites' Env
// endpoint, the fake's URL, wins over it as a gateway would.
func Options(s *v1alpha1.DynamicDNSRecordSpec) {
	s.DNSMgr = &v1alpha1.DNSMgrOptions{URL: "https://dnsmgr.example.com"}
}

// Backend is the DNSMgr provider d with this fake, for the operator's
// suites.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		s := New(t, zones...).Server()
		s.Secret = map[string]string{"apiToken": Token}
		s.BadSecret = map[string]string{"apiToken": "dnsmgr_0000000000000000000000000000000000000000000000000000000000000000"}
		s.Options = Options
		s.Skip = map[string]string{
			providertest.CheckFault(providertest.FaultEndlessPages): "DNSMgr answers a token's domains in one array and filters the record listing by name and type: " +
				"for a name without records the first page is empty, which ends the listing as it does at the real API; TestEndlessPages covers repeated pages of records",
		}
		return s
	}}
}

type wire struct{ f *Fake }

// route names the call, its domain ID and record ID.
func route(r *http.Request) (op, domain, record string) {
	p := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/api"), "/"), "/")
	switch {
	case len(p) == 1 && p[0] == "domains" && r.Method == http.MethodGet:
		return "list domains", "", ""
	case len(p) == 3 && p[0] == "domains" && p[2] == "records":
		return map[string]string{http.MethodGet: "list records", http.MethodPost: "create record"}[r.Method], p[1], ""
	case len(p) == 4 && p[0] == "domains" && p[2] == "records":
		return map[string]string{http.MethodPut: "change record", http.MethodDelete: "delete record"}[r.Method], p[1], p[3]
	}
	return "", "", ""
}

func (wire) Operation(r *http.Request, _ []byte) (string, bool) {
	op, _, _ := route(r)
	return op, op == "create record" || op == "change record" || op == "delete record"
}

func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	auth := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(auth, "Bearer ")
	w.f.Note(auth, token)
	switch {
	case !ok:
		envelope(rw, http.StatusUnauthorized, -1, nil, "Unauthorized")
	case token != Token:
		envelope(rw, http.StatusUnauthorized, -1, nil, "Invalid or expired token")
	default:
		return true
	}
	return false
}

func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	if sf, ok := providertest.StatusOf(f); ok {
		if sf.Status == http.StatusTooManyRequests {
			// express-rate-limit's answer: text, with standard headers.
			if sf.RetryAfter {
				rw.Header().Set("Retry-After", providertest.RetryAfter)
			}
			rw.Header().Set("RateLimit-Limit", "120")
			rw.Header().Set("RateLimit-Remaining", "0")
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			rw.WriteHeader(sf.Status)
			_, _ = rw.Write([]byte("Too many requests to this endpoint, please try again later."))
			return true
		}
		envelope(rw, sf.Status, sf.Status, nil, sf.Text)
		return true
	}
	switch f {
	case providertest.FaultAuthRejected:
		envelope(rw, http.StatusUnauthorized, -1, nil, "Invalid or expired token")
	case providertest.FaultZoneNotFound:
		if op == "list domains" {
			envelope(rw, http.StatusOK, 0, []any{}, "success")
		} else {
			envelope(rw, http.StatusOK, -1, nil, "Domain not found")
		}
	case providertest.FaultEndlessPages:
		_, domain, _ := route(r)
		z := w.f.Store.ZoneByID(domain)
		if op != "list records" || z == nil {
			return false
		}
		w.listRecords(rw, r, z, true)
	default:
		return false
	}
	return true
}

func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	_, domain, record := route(r)
	if op == "list domains" {
		out := []map[string]any{}
		for _, z := range w.f.Store.Zones() {
			id, _ := strconv.Atoi(z.ID)
			out = append(out, map[string]any{"id": id, "name": z.Name, "account_id": 1, "third_id": "", "record_count": len(z.Records)})
		}
		envelope(rw, http.StatusOK, 0, out, "success")
		return
	}
	z := w.f.Store.ZoneByID(domain)
	if op == "" || z == nil {
		envelope(rw, http.StatusOK, -1, nil, "Domain not found")
		return
	}
	switch op {
	case "list records":
		w.listRecords(rw, r, z, false)
	case "create record", "change record":
		w.write(rw, z, record, body)
	case "delete record":
		if !z.Remove(record) {
			envelope(rw, http.StatusOK, -1, nil, "Record not found")
			return
		}
		envelope(rw, http.StatusOK, 0, nil, "success")
	}
}

func (w wire) listRecords(rw http.ResponseWriter, r *http.Request, z *providertest.Zone[X], endless bool) {
	q := r.URL.Query()
	name := ""
	if sub := q.Get("subdomain"); sub != "" {
		name = providertest.Absolute(sub, z.Name)
	}
	recs := z.Select(name, q.Get("type"))
	pageN, _ := strconv.Atoi(q.Get("page"))
	size, _ := strconv.Atoi(q.Get("pageSize"))
	if size <= 0 {
		size = 100
	}
	lo, hi := w.f.Window(len(recs), (max(pageN, 1)-1)*min(size, w.f.PageSize), size)
	list := []map[string]any{}
	for _, rec := range recs[lo:hi] {
		list = append(list, recordJSON(z, rec))
	}
	total := w.f.Total(len(recs))
	if endless {
		total = providertest.EndlessTotal
	}
	envelope(rw, http.StatusOK, 0, map[string]any{"total": total, "list": list}, "success")
}

// write creates a record (record "") or changes it, as DNSMgr validates
// the body.
func (w wire) write(rw http.ResponseWriter, z *providertest.Zone[X], record string, body []byte) {
	var in struct {
		Name   string `json:"name"`
		Type   string `json:"type"`
		Value  string `json:"value"`
		Line   string `json:"line"`
		TTL    int    `json:"ttl"`
		Remark string `json:"remark"`
	}
	if err := json.Unmarshal(body, &in); err != nil || in.Name == "" || in.Type == "" || in.Value == "" {
		envelope(rw, http.StatusOK, -1, nil, "name, type, and value are required")
		return
	}
	if a, err := netip.ParseAddr(in.Value); (in.Type == "A" || in.Type == "AAAA") && (err != nil || a.Is4() != (in.Type == "A")) {
		envelope(rw, http.StatusOK, -1, nil, "Invalid value for "+in.Type+" record")
		return
	}
	if record == "" {
		rec := w.f.Store.Add(z, providertest.Rec[X]{Name: in.Name, Type: in.Type, Value: in.Value, TTL: in.TTL, Marker: in.Remark, X: X{Line: in.Line}})
		envelope(rw, http.StatusOK, 0, map[string]any{"id": rec.ID}, "success")
		return
	}
	rec := z.Record(record)
	if rec == nil {
		envelope(rw, http.StatusOK, -1, nil, "Record not found")
		return
	}
	rec.Name, rec.Type, rec.Value, rec.Marker = providertest.Absolute(in.Name, z.Name), strings.ToUpper(in.Type), in.Value, in.Remark
	if in.TTL > 0 {
		rec.TTL = in.TTL
	}
	if in.Line != "" {
		rec.X.Line = in.Line
	}
	envelope(rw, http.StatusOK, 0, nil, "success")
}

// recordJSON is rec as DNSMgr shows it.
func recordJSON(z *providertest.Zone[X], rec *providertest.Rec[X]) map[string]any {
	var remark any
	if rec.Marker != "" {
		remark = rec.Marker
	}
	return map[string]any{
		"id": rec.ID, "name": providers.RelativeName(rec.Name, z.Name), "type": rec.Type, "value": rec.Value,
		"line": rec.X.Line, "ttl": rec.TTL, "mx": 0, "weight": nil, "status": 1, "proxiable": nil,
		"cloudflare": nil, "remark": remark, "updated_at": nil,
	}
}

func envelope(rw http.ResponseWriter, status, code int, data any, msg string) {
	out := map[string]any{"code": code, "msg": msg}
	if data != nil {
		out["data"] = data
	}
	providertest.WriteJSON(rw, status, out)
}

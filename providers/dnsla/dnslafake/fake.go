// Package dnslafake is a stateful fake of the DNS.LA API for tests, built
// on the provider kit (providertest.Fake). It speaks the wire format of
// DNS.LA's API documentation (https://www.dns.la/docs/ApiDoc) as clients
// use it (lego's dnsla provider, dnsmgr's dnsla.php, ddns-go's
// dns/dnsla.go): HTTP Basic auth with APIID:APISecret, answered with 401
// when refused; the {"code", "msg", "data"} envelope; domainList and
// recordList paged by pageIndex and pageSize, answering {"total",
// "results"}; domain names with a trailing dot; record types as numbers
// (1 A, 28 AAAA, 16 TXT); POST, PUT (the whole record, id in the body) and
// DELETE ?id= on /api/record; /api/dnsMeasures with the domain's minTTL.
// Which code an unknown domain or record gets (404 here) and the texts of
// messages are the fake's own; the documentation lists no error codes.
package dnslafake

import (
	"encoding/json"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion/companionfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The credentials the fake accepts.
const (
	APIID     = "1f7b3c9a6e2d4f80"
	APISecret = "dnsla-fake-api-secret-0123456789ab"
)

// MinTTL is the smallest TTL the fake accepts, as /api/dnsMeasures tells
// it for a free-plan domain.
const MinTTL = 600

// types are DNS.LA's type numbers.
var types = map[int]string{1: "A", 2: "NS", 5: "CNAME", 15: "MX", 16: "TXT", 28: "AAAA", 33: "SRV", 257: "CAA"}

// X is what DNS.LA keeps on a record besides the kit's fields.
type X struct {
	LineID     string
	Weight     *int
	Preference *int
}

// Fake is the fake API server.
type Fake struct {
	providertest.Fake[X]
}

// New starts a fake holding the named zones.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Store.ZoneID = func(_ string, n int) string { return strconv.Itoa(85369994254488576 + n) }
	f.Store.RecordID = func(n int) string { return strconv.Itoa(85370000000000000 + n) }
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// Backend is the DNS.LA provider d with this fake, for the operator's
// suites.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		s := companionfake.Server(&f.Fake)
		s.Secret = map[string]string{"apiId": APIID, "apiSecret": APISecret}
		s.BadSecret = map[string]string{"apiId": APIID, "apiSecret": "dnsla-wrong-api-secret-000000000"}
		return s
	}}
}

// wire is DNS.LA's protocol.
type wire struct{ f *Fake }

// Operation names the call by path and method.
func (w wire) Operation(r *http.Request, _ []byte) (string, bool) {
	switch r.URL.Path {
	case "/api/domainList":
		return "domainList", false
	case "/api/recordList":
		return "recordList", false
	case "/api/dnsMeasures":
		return "dnsMeasures", false
	case "/api/record":
		switch r.Method {
		case http.MethodPost:
			return "create", true
		case http.MethodPut:
			return "change", true
		case http.MethodDelete:
			return "delete", true
		}
	}
	return "", false
}

// Authenticate checks Basic auth.
func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	h := r.Header.Get("Authorization")
	id, secret, ok := r.BasicAuth()
	w.f.Note(h, strings.TrimPrefix(h, "Basic "), secret)
	if !ok || id != APIID || secret != APISecret {
		answer(rw, http.StatusUnauthorized, 401, "认证失败", nil)
		return false
	}
	return true
}

// Fault answers as DNS.LA does under f.
func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	switch f {
	case providertest.FaultRateLimited, providertest.FaultRateLimitedNoRetryAfter:
		answer(rw, http.StatusTooManyRequests, 429, "请求过于频繁", nil)
	case providertest.FaultServerError, providertest.FaultHTTP500:
		answer(rw, http.StatusInternalServerError, 500, "服务器错误", nil)
	case providertest.FaultHTTP502:
		answer(rw, http.StatusBadGateway, 502, "Bad Gateway", nil)
	case providertest.FaultHTTP503:
		answer(rw, http.StatusServiceUnavailable, 503, "Service Unavailable", nil)
	case providertest.FaultAuthRejected:
		w.f.Note(r.Header.Get("Authorization"))
		answer(rw, http.StatusUnauthorized, 401, "认证失败", nil)
	case providertest.FaultZoneNotFound:
		if op == "domainList" {
			answer(rw, http.StatusOK, 200, "", map[string]any{"total": 0, "results": []any{}})
		} else {
			answer(rw, http.StatusOK, 404, "域名不存在", nil)
		}
	case providertest.FaultEndlessPages:
		if op != "domainList" && op != "recordList" {
			return false
		}
		if op == "domainList" {
			answer(rw, http.StatusOK, 200, "", map[string]any{"total": providertest.EndlessTotal, "results": domains(w.f.Store.Zones()[:min(w.f.PageSize, len(w.f.Store.Zones()))])})
			return true
		}
		var recs []*providertest.Rec[X]
		if z := w.f.Store.ZoneByID(r.URL.Query().Get("domainId")); z != nil {
			recs = z.Records
		}
		answer(rw, http.StatusOK, 200, "", map[string]any{"total": providertest.EndlessTotal, "results": records(providertest.Page(recs, 1, w.f.PageSize))})
	default:
		return false
	}
	return true
}

// Serve answers an authenticated request.
func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	q := r.URL.Query()
	index, _ := strconv.Atoi(q.Get("pageIndex"))
	size, _ := strconv.Atoi(q.Get("pageSize"))
	size = min(max(size, 1), w.f.PageSize)
	switch op {
	case "domainList":
		zs := w.f.Store.Zones()
		answer(rw, http.StatusOK, 200, "", map[string]any{"total": len(zs), "results": domains(providertest.Page(zs, index, size))})
	case "recordList":
		z := w.f.Store.ZoneByID(q.Get("domainId"))
		if z == nil {
			answer(rw, http.StatusOK, 404, "域名不存在", nil)
			return
		}
		var sel []*providertest.Rec[X]
		for _, rec := range z.Records {
			if matches(rec, z.Name, q) {
				sel = append(sel, rec)
			}
		}
		answer(rw, http.StatusOK, 200, "", map[string]any{"total": len(sel), "results": records(providertest.Page(sel, index, size))})
	case "dnsMeasures":
		if w.f.Store.ZoneByID(q.Get("id")) == nil {
			answer(rw, http.StatusOK, 404, "域名不存在", nil)
			return
		}
		answer(rw, http.StatusOK, 200, "", map[string]any{"minTTL": MinTTL, "maxRecords": 100})
	case "create", "change":
		w.write(rw, op, body)
	case "delete":
		z, rec := w.f.Store.Find(q.Get("id"))
		if rec == nil {
			answer(rw, http.StatusOK, 404, "记录不存在", nil)
			return
		}
		z.Remove(rec.ID)
		answer(rw, http.StatusOK, 200, "", nil)
	}
}

// matches applies recordList's filters: host (exact, relative), type and
// lineId.
func matches(rec *providertest.Rec[X], zone string, q map[string][]string) bool {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	if h := get("host"); h != "" && !strings.EqualFold(providers.RelativeName(rec.Name, zone), h) {
		return false
	}
	if t := get("type"); t != "" && t != strconv.Itoa(typeNumber(rec.Type)) {
		return false
	}
	if l := get("lineId"); l != "" && l != rec.X.LineID {
		return false
	}
	return true
}

// body is POST and PUT /api/record.
type body struct {
	ID         string `json:"id"`
	DomainID   string `json:"domainId"`
	Type       int    `json:"type"`
	Host       string `json:"host"`
	Data       string `json:"data"`
	TTL        int    `json:"ttl"`
	LineID     string `json:"lineId"`
	Weight     *int   `json:"weight"`
	Preference *int   `json:"preference"`
}

// write creates or replaces a record after checking it as DNS.LA does.
func (w wire) write(rw http.ResponseWriter, op string, raw []byte) {
	var b body
	if err := json.Unmarshal(raw, &b); err != nil {
		answer(rw, http.StatusOK, 400, "参数错误", nil)
		return
	}
	typ, ok := types[b.Type]
	switch {
	case !ok:
		answer(rw, http.StatusOK, 400, "记录类型错误", nil)
		return
	case b.Host == "":
		answer(rw, http.StatusOK, 400, "主机记录不能为空", nil)
		return
	case b.TTL < MinTTL:
		answer(rw, http.StatusOK, 400, "TTL值不合法", nil)
		return
	case typ == "A" || typ == "AAAA":
		if ip, err := netip.ParseAddr(b.Data); err != nil || ip.Is4() != (typ == "A") {
			answer(rw, http.StatusOK, 400, "记录值不合法", nil)
			return
		}
	}
	rec := providertest.Rec[X]{Name: b.Host, Type: typ, Value: b.Data, TTL: b.TTL, X: X{LineID: b.LineID, Weight: b.Weight, Preference: b.Preference}}
	if op == "create" {
		z := w.f.Store.ZoneByID(b.DomainID)
		if z == nil {
			answer(rw, http.StatusOK, 404, "域名不存在", nil)
			return
		}
		stored := w.f.Store.Add(z, rec)
		answer(rw, http.StatusOK, 200, "", map[string]any{"id": stored.ID})
		return
	}
	z, cur := w.f.Store.Find(b.ID)
	if cur == nil {
		answer(rw, http.StatusOK, 404, "记录不存在", nil)
		return
	}
	rec.ID, rec.Zone, rec.Name = cur.ID, z.Name, providers.AbsoluteName(b.Host, z.Name)
	*cur = rec
	answer(rw, http.StatusOK, 200, "", nil)
}

func typeNumber(t string) int {
	for n, name := range types {
		if name == t {
			return n
		}
	}
	return 0
}

func domains(zs []*providertest.Zone[X]) []map[string]any {
	out := []map[string]any{}
	for _, z := range zs {
		out = append(out, map[string]any{"id": z.ID, "domain": z.Name + ".", "displayDomain": z.Name + ".", "state": 1})
	}
	return out
}

func records(rs []*providertest.Rec[X]) []map[string]any {
	out := []map[string]any{}
	for _, r := range rs {
		line := r.X.LineID
		if line == "" {
			line = "0"
		}
		m := map[string]any{"id": r.ID, "host": providers.RelativeName(r.Name, r.Zone), "type": typeNumber(r.Type),
			"data": r.Value, "ttl": r.TTL, "lineId": line, "disable": false}
		if r.X.Weight != nil {
			m["weight"] = *r.X.Weight
		}
		if r.X.Preference != nil {
			m["preference"] = *r.X.Preference
		}
		out = append(out, m)
	}
	return out
}

// answer writes the envelope with HTTP status status.
func answer(rw http.ResponseWriter, status, code int, msg string, data any) {
	rw.Header().Set("Content-Type", "application/json; charset=utf-8")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(map[string]any{"code": code, "msg": msg, "data": data})
}

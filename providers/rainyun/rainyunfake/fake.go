// Package rainyunfake is a stateful fake of Rainyun's API v2 for tests,
// built on the provider kit (providertest.Fake). It speaks the wire format
// the provider's doc names: the x-api-key header, the {"code", "message",
// "data"} envelope with HTTP-like codes, the domain list paged by an
// options JSON (page, perPage) and the record list by limit and page_no,
// both answering {"TotalRecords", "Records"}; records created with POST,
// changed with PATCH (record_id in the body, the whole record sent) and
// deleted with DELETE ?record_id=.
//
// Sources: the API's documentation on apifox
// (https://s.apifox.cn/a4595cc8-44c5-4678-a2a3-eed7738dab03, record
// fields and the 600-second minimum TTL), the shapes ddns-go
// (dns/rainyun.go) and lego's rainyun provider send and read, and its
// line names (DEFAULT, LTEL, LCNC, LMOB, LEDU, LSEO, LFOR). The texts of
// error messages are the fake's own; Rainyun documents codes, not texts.
// A create answers no record ID (the documentation shows none), so the
// provider reads the new record back.
package rainyunfake

import (
	"encoding/json"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion/companionfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// APIKey is the key the fake accepts.
const APIKey = "rainyun-fake-api-key-0123456789abcdef"

// MinTTL is the smallest TTL the fake accepts.
const MinTTL = 600

// lines are the line names Rainyun knows.
var lines = map[string]bool{"DEFAULT": true, "LTEL": true, "LCNC": true, "LMOB": true, "LEDU": true, "LSEO": true, "LFOR": true}

// X is what Rainyun keeps on a record besides the kit's fields.
type X struct {
	Line  string
	Level int
}

// Fake is the fake API server.
type Fake struct {
	providertest.Fake[X]
}

// New starts a fake holding the named zones (domain IDs from 78001).
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Store.ZoneID = func(_ string, n int) string { return strconv.Itoa(78000 + n) }
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// Backend is the Rainyun provider d with this fake, for the operator's
// suites.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		s := companionfake.Server(&f.Fake)
		s.Secret = map[string]string{"apiKey": APIKey}
		s.BadSecret = map[string]string{"apiKey": "rainyun-wrong-api-key-00000000000"}
		return s
	}}
}

// wire is Rainyun's protocol.
type wire struct{ f *Fake }

// Operation names the call by method and path.
func (w wire) Operation(r *http.Request, _ []byte) (string, bool) {
	switch p := r.URL.Path; {
	case p == "/product/domain/" || p == "/product/domain":
		return "list domains", false
	case strings.HasPrefix(p, "/product/domain/") && strings.Contains(p, "/dns"):
		switch r.Method {
		case http.MethodGet:
			return "list records", false
		case http.MethodPost:
			return "create record", true
		case http.MethodPatch:
			return "change record", true
		case http.MethodDelete:
			return "delete record", true
		}
	}
	return "", false
}

// Authenticate checks the x-api-key header.
func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	key := r.Header.Get("x-api-key")
	w.f.Note(key)
	if key != APIKey {
		answer(rw, http.StatusUnauthorized, 401, "API密钥无效", nil)
		return false
	}
	return true
}

// Fault answers as Rainyun does when throttling, failing or refusing.
func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	switch f {
	case providertest.FaultRateLimited:
		rw.Header().Set("Retry-After", "7")
		answer(rw, http.StatusTooManyRequests, 429, "请求过于频繁，请稍后再试", nil)
	case providertest.FaultRateLimitedNoRetryAfter:
		answer(rw, http.StatusTooManyRequests, 429, "请求过于频繁，请稍后再试", nil)
	case providertest.FaultServerError, providertest.FaultHTTP500:
		answer(rw, http.StatusInternalServerError, 500, "服务器内部错误", nil)
	case providertest.FaultHTTP502:
		answer(rw, http.StatusBadGateway, 502, "Bad Gateway", nil)
	case providertest.FaultHTTP503:
		answer(rw, http.StatusServiceUnavailable, 503, "Service Unavailable", nil)
	case providertest.FaultAuthRejected:
		w.f.Note(r.Header.Get("x-api-key"))
		answer(rw, http.StatusUnauthorized, 401, "API密钥无效", nil)
	case providertest.FaultZoneNotFound:
		if op == "list domains" {
			answer(rw, http.StatusOK, 200, "ok", map[string]any{"TotalRecords": 0, "Records": []any{}})
		} else {
			answer(rw, http.StatusNotFound, 404, "域名不存在", nil)
		}
	case providertest.FaultEndlessPages:
		if op != "list domains" && op != "list records" {
			return false
		}
		if op == "list domains" {
			answer(rw, http.StatusOK, 200, "ok", map[string]any{"TotalRecords": providertest.EndlessTotal, "Records": domains(w.f.Store.Zones())})
			return true
		}
		z := w.zone(r)
		var recs []*providertest.Rec[X]
		if z != nil {
			recs = z.Records
		}
		answer(rw, http.StatusOK, 200, "ok", map[string]any{"TotalRecords": providertest.EndlessTotal, "Records": records(providertest.Page(recs, 1, w.f.PageSize))})
	default:
		return false
	}
	return true
}

// Serve answers an authenticated request.
func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	if op == "list domains" {
		var o struct{ Page, PerPage int }
		if err := json.Unmarshal([]byte(r.URL.Query().Get("options")), &o); err != nil {
			answer(rw, http.StatusBadRequest, 400, "options 参数格式错误", nil)
			return
		}
		zs := w.f.Store.Zones()
		answer(rw, http.StatusOK, 200, "ok", map[string]any{"TotalRecords": len(zs), "Records": domains(providertest.Page(zs, o.Page, min(max(o.PerPage, 1), w.f.PageSize)))})
		return
	}
	z := w.zone(r)
	if z == nil {
		answer(rw, http.StatusNotFound, 404, "域名不存在", nil)
		return
	}
	switch op {
	case "list records":
		q := r.URL.Query()
		limit, _ := strconv.Atoi(q.Get("limit"))
		pageNo, _ := strconv.Atoi(q.Get("page_no"))
		answer(rw, http.StatusOK, 200, "ok", map[string]any{"TotalRecords": len(z.Records), "Records": records(providertest.Page(z.Records, pageNo, min(max(limit, 1), w.f.PageSize)))})
	case "create record", "change record":
		w.write(rw, z, op, body)
	case "delete record":
		if !z.Remove(r.URL.Query().Get("record_id")) {
			answer(rw, http.StatusNotFound, 404, "解析记录不存在", nil)
			return
		}
		answer(rw, http.StatusOK, 200, "ok", nil)
	default:
		answer(rw, http.StatusNotFound, 404, "not found", nil)
	}
}

// body is a create or change.
type body struct {
	RecordID int64  `json:"record_id"`
	Host     string `json:"host"`
	Type     string `json:"type"`
	Value    string `json:"value"`
	Line     string `json:"line"`
	TTL      int    `json:"ttl"`
	Level    int    `json:"level"`
}

// write creates or changes a record after checking it as Rainyun does.
func (w wire) write(rw http.ResponseWriter, z *providertest.Zone[X], op string, raw []byte) {
	var b body
	if err := json.Unmarshal(raw, &b); err != nil {
		answer(rw, http.StatusBadRequest, 400, "请求参数无效", nil)
		return
	}
	if msg := check(b); msg != "" {
		answer(rw, http.StatusBadRequest, 400, msg, nil)
		return
	}
	rec := providertest.Rec[X]{Name: b.Host, Type: strings.ToUpper(b.Type), Value: b.Value, TTL: b.TTL, X: X{Line: b.Line, Level: b.Level}}
	if op == "create record" {
		w.f.Store.Add(z, rec)
		answer(rw, http.StatusOK, 200, "ok", nil)
		return
	}
	cur := z.Record(strconv.FormatInt(b.RecordID, 10))
	if cur == nil {
		answer(rw, http.StatusNotFound, 404, "解析记录不存在", nil)
		return
	}
	id := cur.ID
	*cur = rec
	cur.ID, cur.Zone = id, z.Name
	cur.Name = providers.AbsoluteName(b.Host, z.Name)
	answer(rw, http.StatusOK, 200, "ok", nil)
}

// check returns Rainyun's refusal of a record, "" when it is fine.
func check(b body) string {
	switch t := strings.ToUpper(b.Type); {
	case b.Host == "":
		return "主机记录不能为空"
	case t != "A" && t != "AAAA" && t != "CNAME" && t != "TXT" && t != "MX":
		return "不支持的记录类型"
	case !lines[b.Line]:
		return "解析线路无效"
	case b.TTL < MinTTL:
		return "TTL 最小值为 600"
	case t == "A" || t == "AAAA":
		ip, err := netip.ParseAddr(b.Value)
		if err != nil || ip.Is4() != (t == "A") {
			return "记录值不是合法的 IP 地址"
		}
	}
	return ""
}

// zone finds the domain of /product/domain/{id}/dns.
func (w wire) zone(r *http.Request) *providertest.Zone[X] {
	rest := strings.TrimPrefix(r.URL.Path, "/product/domain/")
	id, _, _ := strings.Cut(rest, "/")
	id, _ = url.PathUnescape(id)
	return w.f.Store.ZoneByID(id)
}

func domains(zs []*providertest.Zone[X]) []map[string]any {
	out := []map[string]any{}
	for _, z := range zs {
		n, _ := strconv.Atoi(z.ID)
		out = append(out, map[string]any{"id": n, "domain": z.Name, "status": "ok"})
	}
	return out
}

func records(rs []*providertest.Rec[X]) []map[string]any {
	out := []map[string]any{}
	for _, r := range rs {
		n, _ := strconv.Atoi(r.ID)
		line, level := r.X.Line, r.X.Level
		if line == "" {
			line, level = "DEFAULT", 10
		}
		out = append(out, map[string]any{
			"record_id": n, "host": providers.RelativeName(r.Name, r.Zone), "type": r.Type,
			"value": r.Value, "line": line, "ttl": r.TTL, "level": level,
		})
	}
	return out
}

// answer writes the envelope.
func answer(rw http.ResponseWriter, status, code int, msg string, data any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(map[string]any{"code": code, "message": msg, "data": data})
}

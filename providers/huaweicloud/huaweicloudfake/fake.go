// Package huaweicloudfake is a stateful fake of Huawei Cloud DNS's REST
// API (public zones, record sets with lines) for tests, built on the
// provider kit (providertest.Fake). It speaks the wire format of the DNS
// API reference (https://support.huaweicloud.com/intl/en-us/api-dns/):
// ListPublicZones (GET /v2/zones, offset/limit paging, names ending with a
// dot, metadata.total_count), ShowRecordSetByZone (GET
// /v2.1/zones/{zone_id}/recordsets with type, name, search_mode and
// line_id), CreateRecordSetWithLine (POST, 202), UpdateRecordSets (PUT,
// fields left out keep their value, 202) and DeleteRecordSets (DELETE,
// 202); the shapes are the SDK's models (huaweicloud-sdk-go-v3
// services/dns/v2/model). It verifies every request's SDK-HMAC-SHA256
// signature with the known SK as the API Gateway does ("AK/SK Signing and
// Authentication Algorithm",
// https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm.html),
// refusing a wrong one with 401 APIGW.0301, and throttles with 429
// APIGW.0308. Error bodies are the gateway's {"error_code", "error_msg"}
// and the service's {"code", "message"}; DNS.0101 (no such zone) and
// DNS.0305 (no such record set) are the codes the fake uses for the two
// 404s, whose texts are its own.
package huaweicloudfake

import (
	"encoding/json"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The AK/SK pair the fake accepts.
const (
	AK = "HPUAFAKEHUAWEIAK0001"
	SK = "fakeHuaweiCloudSecretAccessKeyForTests00001"
)

// DefaultTTL is the TTL of a record set created without one.
const DefaultTTL = 300

// lines are the line IDs the fake knows (a few of ListSystemLines').
var lines = map[string]bool{"default_view": true, "Dianxin": true, "Liantong": true, "Yidong": true, "Jiaoyuwang": true, "Abroad": true}

// X is what Huawei Cloud keeps on a record set besides the kit's fields.
type X struct {
	Line string
	// Extra are the set's values after the first (Value).
	Extra  []string
	Weight *int
}

// Fake is the fake API server.
type Fake struct {
	providertest.Fake[X]
}

// New starts a fake holding the named public zones.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Store.ZoneID = func(_ string, n int) string { return "ff8080825b8fc86c015b94bc6f8" + strconv.Itoa(10000+n) }
	f.Store.RecordID = func(n int) string { return "ff8080825b8fc86c015b94bc6f9" + strconv.Itoa(10000+n) }
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// Backend is the Huawei Cloud provider d with this fake, for the
// operator's suites.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		s := f.Server()
		s.Secret = map[string]string{"accessKeyId": AK, "secretAccessKey": SK}
		s.BadSecret = map[string]string{"accessKeyId": AK, "secretAccessKey": "wrongHuaweiCloudSecretAccessKey0000000"}
		return s
	}}
}

// wire is the DNS API's protocol.
type wire struct{ f *Fake }

// Operation names the call after the API reference.
func (w wire) Operation(r *http.Request, _ []byte) (string, bool) {
	p := r.URL.Path
	switch {
	case p == "/v2/zones" && r.Method == http.MethodGet:
		return "ListPublicZones", false
	case strings.HasPrefix(p, "/v2.1/zones/") && strings.HasSuffix(p, "/recordsets"):
		if r.Method == http.MethodPost {
			return "CreateRecordSetWithLine", true
		}
		return "ShowRecordSetByZone", false
	case strings.HasPrefix(p, "/v2.1/zones/") && strings.Contains(p, "/recordsets/"):
		switch r.Method {
		case http.MethodPut:
			return "UpdateRecordSets", true
		case http.MethodDelete:
			return "DeleteRecordSets", true
		}
	}
	return "", false
}

// Fault answers as Huawei Cloud does under f.
func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	switch f {
	case providertest.FaultRateLimited, providertest.FaultRateLimitedNoRetryAfter:
		gatewayError(rw, http.StatusTooManyRequests, "APIGW.0308", "The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute")
	case providertest.FaultServerError, providertest.FaultHTTP500:
		serviceError(rw, http.StatusInternalServerError, "DNS.0001", "Internal server error.")
	case providertest.FaultHTTP502:
		gatewayError(rw, http.StatusBadGateway, "APIGW.0203", "Backend unavailable")
	case providertest.FaultHTTP503:
		gatewayError(rw, http.StatusServiceUnavailable, "APIGW.0204", "Backend timeout")
	case providertest.FaultAuthRejected:
		w.f.Note(r.Header.Get("Authorization"))
		gatewayError(rw, http.StatusUnauthorized, "APIGW.0301", "Incorrect IAM authentication information: verify aksk signature fail")
	case providertest.FaultZoneNotFound:
		if op == "ListPublicZones" {
			writeJSON(rw, http.StatusOK, map[string]any{"zones": []any{}, "metadata": map[string]any{"total_count": 0}})
		} else {
			serviceError(rw, http.StatusNotFound, "DNS.0101", "The zone does not exist.")
		}
	case providertest.FaultEndlessPages:
		if op != "ListPublicZones" && op != "ShowRecordSetByZone" {
			return false
		}
		if op == "ListPublicZones" {
			writeJSON(rw, http.StatusOK, map[string]any{"zones": zones(providertest.Page(w.f.Store.Zones(), 1, w.f.PageSize)), "metadata": map[string]any{"total_count": providertest.EndlessTotal}})
			return true
		}
		var recs []*providertest.Rec[X]
		if z := w.zone(r); z != nil {
			recs = z.Records
		}
		writeJSON(rw, http.StatusOK, map[string]any{"recordsets": sets(providertest.Page(recs, 1, w.f.PageSize)), "metadata": map[string]any{"total_count": providertest.EndlessTotal}})
	default:
		return false
	}
	return true
}

// Serve answers an authenticated request.
func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	q := r.URL.Query()
	offset, _ := strconv.Atoi(q.Get("offset"))
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit <= 0 || limit > 500 {
		limit = 500
	}
	limit = min(limit, w.f.PageSize)
	if op == "ListPublicZones" {
		all := w.f.Store.Zones()
		if t := q.Get("type"); t != "" && t != "public" {
			all = nil
		}
		writeJSON(rw, http.StatusOK, map[string]any{"zones": zones(providertest.Slice(all, offset, limit)), "metadata": map[string]any{"total_count": len(all)}})
		return
	}
	z := w.zone(r)
	if z == nil {
		serviceError(rw, http.StatusNotFound, "DNS.0101", "The zone does not exist.")
		return
	}
	switch op {
	case "ShowRecordSetByZone":
		var sel []*providertest.Rec[X]
		for _, rec := range z.Records {
			if matches(rec, q) {
				sel = append(sel, rec)
			}
		}
		writeJSON(rw, http.StatusOK, map[string]any{"recordsets": sets(providertest.Slice(sel, offset, limit)), "metadata": map[string]any{"total_count": len(sel)}})
	case "CreateRecordSetWithLine":
		w.create(rw, z, body)
	case "UpdateRecordSets":
		w.update(rw, z, r, body)
	case "DeleteRecordSets":
		id := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		rec := z.Record(id)
		if rec == nil {
			serviceError(rw, http.StatusNotFound, "DNS.0305", "The record set does not exist.")
			return
		}
		z.Remove(id)
		out := set(rec)
		out["status"] = "PENDING_DELETE"
		writeJSON(rw, http.StatusAccepted, out)
	}
}

// matches applies ShowRecordSetByZone's filters.
func matches(rec *providertest.Rec[X], q url.Values) bool {
	if t := q.Get("type"); t != "" && !strings.EqualFold(t, rec.Type) {
		return false
	}
	if l := q.Get("line_id"); l != "" && l != lineOf(rec) {
		return false
	}
	if n := providers.CanonicalName(q.Get("name")); n != "" {
		if q.Get("search_mode") == "equal" {
			return rec.Name == n
		}
		return strings.Contains(rec.Name, n)
	}
	return true
}

// setBody is a create or update body.
type setBody struct {
	Name        string    `json:"name"`
	Type        string    `json:"type"`
	TTL         *int      `json:"ttl"`
	Records     *[]string `json:"records"`
	Line        string    `json:"line"`
	Description *string   `json:"description"`
	Weight      *int      `json:"weight"`
}

func (w wire) create(rw http.ResponseWriter, z *providertest.Zone[X], raw []byte) {
	var b setBody
	if err := json.Unmarshal(raw, &b); err != nil {
		serviceError(rw, http.StatusBadRequest, "DNS.0303", "The request body is not valid JSON.")
		return
	}
	if b.Line == "" {
		b.Line = "default_view"
	}
	ttl := DefaultTTL
	if b.TTL != nil {
		ttl = *b.TTL
	}
	if msg := check(z.Name, b.Name, b.Type, b.Records, ttl, b.Description); msg != "" {
		serviceError(rw, http.StatusBadRequest, "DNS.0303", msg)
		return
	}
	if !lines[b.Line] {
		serviceError(rw, http.StatusBadRequest, "DNS.0808", "Invalid line: "+b.Line+".")
		return
	}
	vals := *b.Records
	desc := ""
	if b.Description != nil {
		desc = *b.Description
	}
	rec := w.f.Store.Add(z, providertest.Rec[X]{Name: b.Name, Type: b.Type, Value: vals[0], TTL: ttl, Marker: desc, X: X{Line: b.Line, Extra: vals[1:], Weight: b.Weight}})
	out := set(rec)
	out["status"] = "PENDING_CREATE"
	writeJSON(rw, http.StatusAccepted, out)
}

func (w wire) update(rw http.ResponseWriter, z *providertest.Zone[X], r *http.Request, raw []byte) {
	rec := z.Record(r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:])
	if rec == nil {
		serviceError(rw, http.StatusNotFound, "DNS.0305", "The record set does not exist.")
		return
	}
	var b setBody
	if err := json.Unmarshal(raw, &b); err != nil {
		serviceError(rw, http.StatusBadRequest, "DNS.0303", "The request body is not valid JSON.")
		return
	}
	ttl := rec.TTL
	if b.TTL != nil {
		ttl = *b.TTL
	}
	vals := append([]string{rec.Value}, rec.X.Extra...)
	if b.Records != nil {
		vals = *b.Records
	}
	if msg := check(z.Name, b.Name, b.Type, &vals, ttl, b.Description); msg != "" {
		serviceError(rw, http.StatusBadRequest, "DNS.0303", msg)
		return
	}
	if providers.CanonicalName(b.Name) != rec.Name || !strings.EqualFold(b.Type, rec.Type) {
		serviceError(rw, http.StatusBadRequest, "DNS.0303", "The name and type of a record set cannot be changed.")
		return
	}
	rec.Value, rec.X.Extra, rec.TTL = vals[0], vals[1:], ttl
	if b.Description != nil {
		rec.Marker = *b.Description
	}
	if b.Weight != nil {
		rec.X.Weight = b.Weight
	}
	out := set(rec)
	out["status"] = "PENDING_UPDATE"
	writeJSON(rw, http.StatusAccepted, out)
}

// check returns the API's refusal of a record set, "" when it is fine.
func check(zone, name, typ string, records *[]string, ttl int, desc *string) string {
	n := providers.CanonicalName(name)
	switch t := strings.ToUpper(typ); {
	case !strings.HasSuffix(name, "."):
		return "Attribute 'name' must be a fully qualified domain name ending with a dot."
	case n != zone && !strings.HasSuffix(n, "."+zone):
		return "Attribute 'name' must be in the zone " + zone + "."
	case t != "A" && t != "AAAA" && t != "CNAME" && t != "TXT" && t != "MX" && t != "CAA" && t != "SRV":
		return "Attribute 'type' is invalid."
	case records == nil || len(*records) == 0:
		return "Attribute 'records' is required."
	case ttl < 1 || ttl > 2147483647:
		return "Attribute 'ttl' must be in the range 1 to 2147483647."
	case desc != nil && len(*desc) > 255:
		return "Attribute 'description' is longer than 255 characters."
	case t == "A" || t == "AAAA":
		for _, v := range *records {
			if ip, err := netip.ParseAddr(v); err != nil || ip.Is4() != (t == "A") {
				return "Attribute 'records' holds an invalid value for type " + t + "."
			}
		}
	}
	return ""
}

// zone finds the zone of /v2.1/zones/{zone_id}/...
func (w wire) zone(r *http.Request) *providertest.Zone[X] {
	id, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/v2.1/zones/"), "/")
	return w.f.Store.ZoneByID(id)
}

func lineOf(r *providertest.Rec[X]) string {
	if r.X.Line == "" {
		return "default_view"
	}
	return r.X.Line
}

func zones(zs []*providertest.Zone[X]) []map[string]any {
	out := []map[string]any{}
	for _, z := range zs {
		out = append(out, map[string]any{"id": z.ID, "name": z.Name + ".", "zone_type": "public", "status": "ACTIVE", "ttl": 300, "record_num": len(z.Records)})
	}
	return out
}

func sets(rs []*providertest.Rec[X]) []map[string]any {
	out := []map[string]any{}
	for _, r := range rs {
		out = append(out, set(r))
	}
	return out
}

func set(r *providertest.Rec[X]) map[string]any {
	m := map[string]any{
		"id": r.ID, "name": r.Name + ".", "type": r.Type, "ttl": r.TTL, "records": append([]string{r.Value}, r.X.Extra...),
		"line": lineOf(r), "description": r.Marker, "status": "ACTIVE", "zone_name": r.Zone + ".", "default": false,
	}
	if r.X.Weight != nil {
		m["weight"] = *r.X.Weight
	}
	return m
}

func gatewayError(rw http.ResponseWriter, status int, code, msg string) {
	writeJSON(rw, status, map[string]any{"error_code": code, "error_msg": msg, "request_id": "0a5c2b7f3e9d4c1a8b6e2f4d7c9a1b3e"})
}

func serviceError(rw http.ResponseWriter, status int, code, msg string) {
	writeJSON(rw, status, map[string]any{"code": code, "message": msg})
}

func writeJSON(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.Header().Set("X-Request-Id", "0a5c2b7f3e9d4c1a8b6e2f4d7c9a1b3e")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(v)
}

// Package volcenginefake is a stateful fake of Volcengine DNS's OpenAPI
// (service DNS, version 2018-08-01) for tests, built on the provider kit
// (providertest.Fake). It speaks the wire format of the DNS API reference
// (https://www.volcengine.com/docs/6758/155086): Action and Version in the
// query; ListZones and ListRecords as GETs (PageNumber/PageSize; Host,
// Type, Line and SearchMode filters), CreateRecord, UpdateRecord and
// DeleteRecord as POSTs of JSON; answers in {"ResponseMetadata": {...,
// "Error": {"CodeN", "Code", "Message"}}, "Result": {...}}. It verifies
// every request's HMAC-SHA256 signature with the known secret key as the
// gateway does ("签名方法", https://www.volcengine.com/docs/6369/67269),
// refusing a wrong one with SignatureDoesNotMatch (HTTP 401), and applies
// the free edition's 600-second minimum TTL with ErrSpecNotValid. The DNS
// codes (ErrZoneNotFound 400105, ErrDBNotFound 400104, ErrSpecNotValid
// 400135) are those of DNS's error code page
// (https://www.volcengine.com/docs/6758/163143); the gateway's CodeN
// numbers and the message texts are the fake's own.
package volcenginefake

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

// The key pair the fake accepts.
const (
	AK = "AKLTZmFrZVZvbGNlbmdpbmVBSzAwMDE"
	SK = "ZmFrZVZvbGNlbmdpbmVTZWNyZXRBY2Nlc3NLZXkwMDAx"
)

// MinTTL is the free edition's smallest TTL; DefaultTTL a new record's.
const (
	MinTTL     = 600
	DefaultTTL = 600
)

// X is what Volcengine keeps on a record besides the kit's fields.
type X struct {
	Line   string
	Weight *int
}

// Fake is the fake API server.
type Fake struct {
	providertest.Fake[X]
}

// New starts a fake holding the named zones (ZIDs from 1001).
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Store.ZoneID = func(_ string, n int) string { return strconv.Itoa(1000 + n) }
	f.Store.RecordID = func(n int) string { return strconv.Itoa(7520000000000000000 + n) }
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// Backend is the Volcengine provider d with this fake, for the operator's
// suites.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		s := f.Server()
		s.Secret = map[string]string{"accessKeyId": AK, "secretAccessKey": SK}
		s.BadSecret = map[string]string{"accessKeyId": AK, "secretAccessKey": "d3JvbmdWb2xjZW5naW5lU2VjcmV0S2V5MDAwMDAw"}
		return s
	}}
}

// wire is the OpenAPI's protocol.
type wire struct{ f *Fake }

var writes = map[string]bool{"CreateRecord": true, "UpdateRecord": true, "DeleteRecord": true}

// Operation is the Action.
func (w wire) Operation(r *http.Request, _ []byte) (string, bool) {
	a := r.URL.Query().Get("Action")
	return a, writes[a]
}

// Fault answers as Volcengine does under f.
func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	switch f {
	case providertest.FaultRateLimited, providertest.FaultRateLimitedNoRetryAfter:
		fail(rw, r, http.StatusTooManyRequests, 100018, "AccountFlowLimitExceeded", "The request is throttled: the account's flow limit for this API is exceeded.")
	case providertest.FaultServerError, providertest.FaultHTTP500:
		fail(rw, r, http.StatusInternalServerError, 500100, "ErrInternalServer", "server internal error")
	case providertest.FaultHTTP502:
		fail(rw, r, http.StatusBadGateway, 100023, "ServiceUnavailableTemp", "Bad gateway.")
	case providertest.FaultHTTP503:
		fail(rw, r, http.StatusServiceUnavailable, 100023, "ServiceUnavailableTemp", "The service is temporarily unavailable.")
	case providertest.FaultAuthRejected:
		w.f.Note(r.Header.Get("Authorization"))
		fail(rw, r, http.StatusUnauthorized, 100010, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
	case providertest.FaultZoneNotFound:
		if op == "ListZones" {
			result(rw, r, map[string]any{"Zones": []any{}, "Total": 0})
		} else {
			fail(rw, r, http.StatusBadRequest, 400105, "ErrZoneNotFound", "zone not found")
		}
	case providertest.FaultEndlessPages:
		switch op {
		case "ListZones":
			result(rw, r, map[string]any{"Zones": zones(providertest.Page(w.f.Store.Zones(), 1, w.f.PageSize)), "Total": providertest.EndlessTotal})
		case "ListRecords":
			var recs []*providertest.Rec[X]
			if z := w.f.Store.ZoneByID(r.URL.Query().Get("ZID")); z != nil {
				recs = z.Records
			}
			result(rw, r, map[string]any{"Records": records(providertest.Page(recs, 1, w.f.PageSize)), "TotalCount": providertest.EndlessTotal})
		default:
			return false
		}
	default:
		return false
	}
	return true
}

// Serve answers an authenticated request.
func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	q := r.URL.Query()
	if q.Get("Version") != "2018-08-01" {
		fail(rw, r, http.StatusBadRequest, 100004, "InvalidVersion", "The version "+q.Get("Version")+" of the action is invalid.")
		return
	}
	number, _ := strconv.Atoi(q.Get("PageNumber"))
	size, _ := strconv.Atoi(q.Get("PageSize"))
	size = min(max(size, 1), w.f.PageSize)
	switch op {
	case "ListZones":
		all := w.f.Store.Zones()
		result(rw, r, map[string]any{"Zones": zones(providertest.Page(all, number, size)), "Total": len(all)})
	case "ListRecords":
		z := w.f.Store.ZoneByID(q.Get("ZID"))
		if z == nil {
			fail(rw, r, http.StatusBadRequest, 400105, "ErrZoneNotFound", "zone not found")
			return
		}
		var sel []*providertest.Rec[X]
		for _, rec := range z.Records {
			if matches(rec, z.Name, q) {
				sel = append(sel, rec)
			}
		}
		result(rw, r, map[string]any{"Records": records(providertest.Page(sel, number, size)), "TotalCount": len(sel)})
	case "CreateRecord", "UpdateRecord":
		w.write(rw, r, op, body)
	case "DeleteRecord":
		var b struct{ RecordID string }
		_ = json.Unmarshal(body, &b)
		z, rec := w.f.Store.Find(b.RecordID)
		if rec == nil {
			fail(rw, r, http.StatusBadRequest, 400104, "ErrDBNotFound", "record not found :"+b.RecordID)
			return
		}
		z.Remove(rec.ID)
		result(rw, r, nil)
	default:
		fail(rw, r, http.StatusNotFound, 100002, "InvalidActionOrVersion", "The action "+op+" does not exist.")
	}
}

// matches applies ListRecords' filters.
func matches(rec *providertest.Rec[X], zone string, q url.Values) bool {
	if t := q.Get("Type"); t != "" && !strings.EqualFold(t, rec.Type) {
		return false
	}
	if l := q.Get("Line"); l != "" && l != lineOf(rec) {
		return false
	}
	if h := q.Get("Host"); h != "" {
		host := providers.RelativeName(rec.Name, zone)
		if q.Get("SearchMode") == "exact" {
			return host == h
		}
		return strings.Contains(host, h)
	}
	return true
}

// body is CreateRecord's and UpdateRecord's.
type body struct {
	ZID      int64
	RecordID string
	Host     string
	Type     string
	Value    string
	TTL      *int
	Line     string
	Remark   *string
	Weight   *int
}

func (w wire) write(rw http.ResponseWriter, r *http.Request, op string, raw []byte) {
	var b body
	if err := json.Unmarshal(raw, &b); err != nil {
		fail(rw, r, http.StatusBadRequest, 400100, "ErrParsingParams", "parsing params error")
		return
	}
	if b.Line == "" {
		b.Line = "default"
	}
	ttl := DefaultTTL
	if b.TTL != nil {
		ttl = *b.TTL
	}
	if code, msg := check(b, ttl); code != "" {
		n := 400102
		if code == "ErrSpecNotValid" {
			n = 400135
		}
		fail(rw, r, http.StatusBadRequest, n, code, msg)
		return
	}
	remark := ""
	if b.Remark != nil {
		remark = *b.Remark
	}
	if op == "CreateRecord" {
		z := w.f.Store.ZoneByID(strconv.FormatInt(b.ZID, 10))
		if z == nil {
			fail(rw, r, http.StatusBadRequest, 400105, "ErrZoneNotFound", "zone not found")
			return
		}
		rec := w.f.Store.Add(z, providertest.Rec[X]{Name: b.Host, Type: b.Type, Value: b.Value, TTL: ttl, Marker: remark, X: X{Line: b.Line, Weight: b.Weight}})
		result(rw, r, record(rec))
		return
	}
	z, rec := w.f.Store.Find(b.RecordID)
	if rec == nil {
		fail(rw, r, http.StatusBadRequest, 400104, "ErrDBNotFound", "record not found :"+b.RecordID)
		return
	}
	rec.Name, rec.Type, rec.Value, rec.TTL = providers.AbsoluteName(b.Host, z.Name), strings.ToUpper(b.Type), b.Value, ttl
	rec.Marker, rec.X = remark, X{Line: b.Line, Weight: b.Weight}
	result(rw, r, record(rec))
}

// check returns the API's refusal of a record ("" when it is fine).
func check(b body, ttl int) (code, msg string) {
	switch t := strings.ToUpper(b.Type); {
	case b.Host == "":
		return "ErrHostCanNotBeEmpty", "host can't be empty, use @ instead"
	case t != "A" && t != "AAAA" && t != "CNAME" && t != "TXT" && t != "MX":
		return "ErrParamInvalid", "validation fail: Type"
	case ttl < MinTTL:
		return "ErrSpecNotValid", "record ttl not valid when creating record"
	case b.Remark != nil && len(*b.Remark) > 255:
		return "ErrParamInvalid", "validation fail: Remark"
	case t == "A" || t == "AAAA":
		if ip, err := netip.ParseAddr(b.Value); err != nil || ip.Is4() != (t == "A") {
			return "ErrParamInvalid", "validation fail: Value"
		}
	}
	return "", ""
}

func lineOf(r *providertest.Rec[X]) string {
	if r.X.Line == "" {
		return "default"
	}
	return r.X.Line
}

func zones(zs []*providertest.Zone[X]) []map[string]any {
	out := []map[string]any{}
	for _, z := range zs {
		n, _ := strconv.Atoi(z.ID)
		out = append(out, map[string]any{"ZID": n, "ZoneName": z.Name, "RecordCount": len(z.Records), "TradeCode": "free_inner"})
	}
	return out
}

func records(rs []*providertest.Rec[X]) []map[string]any {
	out := []map[string]any{}
	for _, r := range rs {
		out = append(out, record(r))
	}
	return out
}

func record(r *providertest.Rec[X]) map[string]any {
	m := map[string]any{
		"RecordID": r.ID, "Host": providers.RelativeName(r.Name, r.Zone), "Type": r.Type, "Value": r.Value,
		"TTL": r.TTL, "Line": lineOf(r), "Remark": r.Marker, "Enable": true, "PQDN": r.Name,
	}
	if r.X.Weight != nil {
		m["Weight"] = *r.X.Weight
	}
	return m
}

func meta(r *http.Request) map[string]any {
	return map[string]any{"RequestId": "20240101120000ABCDEF0123456789", "Action": r.URL.Query().Get("Action"),
		"Version": r.URL.Query().Get("Version"), "Service": "DNS", "Region": "cn-north-1"}
}

func result(rw http.ResponseWriter, r *http.Request, res any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(rw).Encode(map[string]any{"ResponseMetadata": meta(r), "Result": res})
}

func fail(rw http.ResponseWriter, r *http.Request, status, codeN int, code, msg string) {
	m := meta(r)
	m["Error"] = map[string]any{"CodeN": codeN, "Code": code, "Message": msg}
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(map[string]any{"ResponseMetadata": m})
}

// Package edgeonefake is a stateful fake of Tencent EdgeOne's DNS record
// API (service teo, version 2022-09-01) for tests, built on the provider
// kit (providertest.Fake). It speaks API 3.0's wire format: POST of JSON to
// "/", the action in X-TC-Action, answers in {"Response": {...,
// "RequestId"}} with errors as {"Response": {"Error": {"Code", "Message"}}}
// and HTTP 200 ("返回结果", https://cloud.tencent.com/document/api/1552/80734).
// The actions and fields are those of DescribeZones
// (https://cloud.tencent.com/document/api/1552/80713), DescribeDnsRecords
// (/80716, Filters name, type, id), CreateDnsRecord (/80720, TTL 60 to
// 86400, default 300), ModifyDnsRecords (/114252) and DeleteDnsRecords
// (/80718). Every request's TC3-HMAC-SHA256 signature is recomputed with
// the known SecretKey (providertest.TC3); a wrong one is refused with
// AuthFailure.SignatureFailure. Which codes a missing site or record and
// a refused TTL get (ResourceNotFound, InvalidParameter) follow the common
// error code families; the message texts are the fake's own.
package edgeonefake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion/companionfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The API key the fake accepts.
const (
	SecretID  = "AKIDfakeEdgeOneDDNSOperatorKey000001"
	SecretKey = "fakeEdgeOneSecretKeyForTests00000001"
)

// TTL bounds and default of EdgeOne DNS records.
const (
	MinTTL     = 60
	MaxTTL     = 86400
	DefaultTTL = 300
)

// X is what EdgeOne keeps on a record besides the kit's fields.
type X struct {
	Location string
	Weight   *int
}

// Fake is the fake API server.
type Fake struct {
	providertest.Fake[X]
	tc3 providertest.TC3
}

// New starts a fake holding the named NS-accessed sites.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{tc3: providertest.TC3{Service: "teo", Keys: map[string]string{SecretID: SecretKey}}}
	f.Store.ZoneID = func(_ string, n int) string { return "zone-2o0h2a8j" + strconv.Itoa(1000+n) }
	f.Store.RecordID = func(n int) string { return "record-2o0h3b9k" + strconv.Itoa(100000+n) }
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// Backend is the EdgeOne provider d with this fake, for the operator's
// suites.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		s := companionfake.Server(&f.Fake)
		s.Secret = map[string]string{"secretId": SecretID, "secretKey": SecretKey}
		s.BadSecret = map[string]string{"secretId": SecretID, "secretKey": "wrongEdgeOneSecretKeyForTests0000"}
		return s
	}}
}

// wire is API 3.0's protocol for teo.
type wire struct{ f *Fake }

var writes = map[string]bool{"CreateDnsRecord": true, "ModifyDnsRecords": true, "DeleteDnsRecords": true}

// Operation is the X-TC-Action header.
func (w wire) Operation(r *http.Request, _ []byte) (string, bool) {
	a := r.Header.Get("X-TC-Action")
	return a, writes[a]
}

// Authenticate recomputes the TC3 signature.
func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, body []byte) bool {
	h := r.Header.Get("Authorization")
	_, sig, _ := strings.Cut(h, "Signature=")
	w.f.Note(h, sig)
	if code := w.f.tc3.Verify(r, body, time.Now()); code != "" {
		fail(rw, http.StatusOK, code, map[string]string{
			"AuthFailure.InvalidAuthorization": "Authorization in the request header is invalid.",
			"AuthFailure.SecretIdNotFound":     "The SecretId is not found, please ensure that your SecretId is correct.",
			"AuthFailure.SignatureExpire":      "Signature expired. Timestamp and server time cannot differ by more than five minutes.",
			"AuthFailure.SignatureFailure":     "The provided credentials could not be validated. Please check your signature is correct.",
		}[code])
		return false
	}
	if r.Header.Get("X-TC-Version") != "2022-09-01" {
		fail(rw, http.StatusOK, "NoSuchVersion", "The API version does not exist.")
		return false
	}
	return true
}

// Fault answers as the API does under f.
func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	switch f {
	case providertest.FaultRateLimited, providertest.FaultRateLimitedNoRetryAfter:
		fail(rw, http.StatusOK, "RequestLimitExceeded", "Your current request times equals to `20` in a second, which exceeds the frequency limit `20` for a second. Please reduce the frequency of calls.")
	case providertest.FaultServerError:
		fail(rw, http.StatusOK, "InternalError", "An internal error has occurred. Retry your request.")
	case providertest.FaultHTTP500:
		fail(rw, http.StatusInternalServerError, "InternalError", "An internal error has occurred.")
	case providertest.FaultHTTP502:
		fail(rw, http.StatusBadGateway, "InternalError", "Bad gateway.")
	case providertest.FaultHTTP503:
		fail(rw, http.StatusServiceUnavailable, "InternalError", "Service unavailable.")
	case providertest.FaultAuthRejected:
		w.f.Note(r.Header.Get("Authorization"))
		fail(rw, http.StatusOK, "AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.")
	case providertest.FaultZoneNotFound:
		if op == "DescribeZones" {
			result(rw, map[string]any{"TotalCount": 0, "Zones": []any{}})
		} else {
			fail(rw, http.StatusOK, "ResourceNotFound", "站点不存在。")
		}
	case providertest.FaultEndlessPages:
		switch op {
		case "DescribeZones":
			result(rw, map[string]any{"TotalCount": providertest.EndlessTotal, "Zones": zones(providertest.Page(w.f.Store.Zones(), 1, w.f.PageSize))})
		case "DescribeDnsRecords":
			var p struct {
				ZoneID string `json:"ZoneId"`
			}
			_ = json.NewDecoder(r.Body).Decode(&p)
			var recs []*providertest.Rec[X]
			if z := w.f.Store.ZoneByID(p.ZoneID); z != nil {
				recs = z.Records
			}
			result(rw, map[string]any{"TotalCount": providertest.EndlessTotal, "DnsRecords": records(providertest.Page(recs, 1, w.f.PageSize))})
		default:
			return false
		}
	default:
		return false
	}
	return true
}

// params is every action's request body.
type params struct {
	ZoneID  string `json:"ZoneId"`
	Offset  int    `json:"Offset"`
	Limit   int    `json:"Limit"`
	Filters []struct {
		Name   string   `json:"Name"`
		Values []string `json:"Values"`
		Fuzzy  bool     `json:"Fuzzy"`
	} `json:"Filters"`
	Name       string       `json:"Name"`
	Type       string       `json:"Type"`
	Content    string       `json:"Content"`
	Location   string       `json:"Location"`
	TTL        *int         `json:"TTL"`
	Weight     *int         `json:"Weight"`
	DNSRecords []recordBody `json:"DnsRecords"`
	RecordIDs  []string     `json:"RecordIds"`
}

// recordBody is one record of ModifyDnsRecords.
type recordBody struct {
	RecordID string `json:"RecordId"`
	Name     string `json:"Name"`
	Type     string `json:"Type"`
	Content  string `json:"Content"`
	Location string `json:"Location"`
	TTL      *int   `json:"TTL"`
	Weight   *int   `json:"Weight"`
}

// Serve answers an authenticated request.
func (w wire) Serve(rw http.ResponseWriter, _ *http.Request, op string, body []byte) {
	var p params
	if err := json.Unmarshal(body, &p); err != nil {
		fail(rw, http.StatusOK, "InvalidParameter", "The request body is not valid JSON.")
		return
	}
	limit := min(max(p.Limit, 1), w.f.PageSize)
	if op == "DescribeZones" {
		all := w.f.Store.Zones()
		result(rw, map[string]any{"TotalCount": len(all), "Zones": zones(providertest.Slice(all, p.Offset, limit))})
		return
	}
	z := w.f.Store.ZoneByID(p.ZoneID)
	if z == nil {
		fail(rw, http.StatusOK, "ResourceNotFound", "站点不存在。")
		return
	}
	switch op {
	case "DescribeDnsRecords":
		var sel []*providertest.Rec[X]
		for _, rec := range z.Records {
			if matches(rec, p) {
				sel = append(sel, rec)
			}
		}
		result(rw, map[string]any{"TotalCount": len(sel), "DnsRecords": records(providertest.Slice(sel, p.Offset, limit))})
	case "CreateDnsRecord":
		b := recordBody{Name: p.Name, Type: p.Type, Content: p.Content, Location: p.Location, TTL: p.TTL, Weight: p.Weight}
		rec, code, msg := apply(z, nil, b)
		if code != "" {
			fail(rw, http.StatusOK, code, msg)
			return
		}
		stored := w.f.Store.Add(z, rec)
		result(rw, map[string]any{"RecordId": stored.ID})
	case "ModifyDnsRecords":
		next := make([]providertest.Rec[X], len(p.DNSRecords))
		for i, b := range p.DNSRecords {
			cur := z.Record(b.RecordID)
			if cur == nil {
				fail(rw, http.StatusOK, "ResourceNotFound", "记录 "+b.RecordID+" 不存在。")
				return
			}
			rec, code, msg := apply(z, cur, b)
			if code != "" {
				fail(rw, http.StatusOK, code, msg)
				return
			}
			next[i] = rec
		}
		for i, b := range p.DNSRecords {
			*z.Record(b.RecordID) = next[i]
		}
		result(rw, map[string]any{})
	case "DeleteDnsRecords":
		for _, id := range p.RecordIDs {
			if z.Record(id) == nil {
				fail(rw, http.StatusOK, "ResourceNotFound", "记录 "+id+" 不存在。")
				return
			}
		}
		for _, id := range p.RecordIDs {
			z.Remove(id)
		}
		result(rw, map[string]any{})
	default:
		fail(rw, http.StatusOK, "InvalidAction", "The action does not exist.")
	}
}

// matches applies DescribeDnsRecords' filters (exact unless Fuzzy).
func matches(rec *providertest.Rec[X], p params) bool {
	for _, f := range p.Filters {
		var field string
		switch f.Name {
		case "name":
			field = rec.Name
		case "type":
			field = rec.Type
		case "id":
			field = rec.ID
		case "content":
			field = rec.Value
		default:
			continue
		}
		ok := false
		for _, v := range f.Values {
			ok = ok || strings.EqualFold(field, strings.TrimSuffix(v, ".")) || (f.Fuzzy && strings.Contains(field, v))
		}
		if !ok {
			return false
		}
	}
	return true
}

// apply checks b as CreateDnsRecord and ModifyDnsRecords do and returns
// the record it makes of cur (nil: a new one), or the refusal's code and
// message.
func apply(z *providertest.Zone[X], cur *providertest.Rec[X], b recordBody) (providertest.Rec[X], string, string) {
	rec := providertest.Rec[X]{TTL: DefaultTTL, X: X{Location: "Default"}}
	if cur != nil {
		rec = *cur
	}
	name := providers.CanonicalName(b.Name)
	typ := strings.ToUpper(b.Type)
	switch {
	case name != z.Name && !strings.HasSuffix(name, "."+z.Name):
		return rec, "InvalidParameter", "记录名称不属于该站点。"
	case typ != "A" && typ != "AAAA" && typ != "CNAME" && typ != "TXT" && typ != "MX" && typ != "NS" && typ != "CAA" && typ != "SRV":
		return rec, "InvalidParameter", "记录类型无效。"
	case b.TTL != nil && (*b.TTL < MinTTL || *b.TTL > MaxTTL):
		return rec, "InvalidParameter", "TTL 值无效。"
	case typ == "A" || typ == "AAAA":
		if ip, err := netip.ParseAddr(b.Content); err != nil || ip.Is4() != (typ == "A") {
			return rec, "InvalidParameter", "记录值无效。"
		}
	}
	rec.Name, rec.Zone, rec.Type, rec.Value = name, z.Name, typ, b.Content
	if b.TTL != nil {
		rec.TTL = *b.TTL
	}
	if b.Location != "" {
		rec.X.Location = b.Location
	}
	if b.Weight != nil {
		rec.X.Weight = b.Weight
	}
	return rec, "", ""
}

func zones(zs []*providertest.Zone[X]) []map[string]any {
	out := []map[string]any{}
	for _, z := range zs {
		out = append(out, map[string]any{"ZoneId": z.ID, "ZoneName": z.Name, "Type": "full", "Status": "active", "ActiveStatus": "active"})
	}
	return out
}

func records(rs []*providertest.Rec[X]) []map[string]any {
	out := []map[string]any{}
	for _, r := range rs {
		loc, weight := r.X.Location, -1
		if loc == "" {
			loc = "Default"
		}
		if r.X.Weight != nil {
			weight = *r.X.Weight
		}
		out = append(out, map[string]any{"ZoneId": "", "RecordId": r.ID, "Name": r.Name, "Type": r.Type, "Location": loc,
			"Content": r.Value, "TTL": r.TTL, "Weight": weight, "Priority": 0, "Status": "enable"})
	}
	return out
}

func requestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func result(rw http.ResponseWriter, body map[string]any) {
	body["RequestId"] = requestID()
	writeJSON(rw, http.StatusOK, map[string]any{"Response": body})
}

func fail(rw http.ResponseWriter, status int, code, msg string) {
	writeJSON(rw, status, map[string]any{"Response": map[string]any{"Error": map[string]string{"Code": code, "Message": msg}, "RequestId": requestID()}})
}

func writeJSON(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(v)
}

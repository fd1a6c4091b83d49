// Package aliesafake is a stateful fake of Alibaba Cloud ESA's API
// (2024-09-10) for tests, built on the provider kit (providertest.Fake).
// It speaks the wire format of the ESA API reference
// (https://help.aliyun.com/zh/edge-security-acceleration/esa/api-esa-2024-09-10-overview)
// as the darabonba OpenAPI client sends it: RPC actions named in the
// x-acs-action header with their parameters in the query, answers as JSON
// with RequestId, errors as {"RequestId", "Code", "Message"} with an HTTP
// status. ListSites and ListRecords page by PageNumber and PageSize and
// answer TotalCount; records have the one address type "A/AAAA", Data
// {"Value"}, Ttl (1 is automatic), Proxied with BizName, and Comment (at
// most 100 characters, "ALIYUN::ESA::Record"). Every request's signature
// V3 (ACS3-HMAC-SHA256) is recomputed with the known secret
// (providertest.ACS3); a wrong one is refused with SignatureDoesNotMatch.
// The codes of a missing site or record (Site.NotFound, Record.NotFound)
// and the message texts are the fake's own.
package aliesafake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The AccessKey the fake accepts.
const (
	AccessKeyID     = "LTAI5tFakeESAKeyForTests01"
	AccessKeySecret = "fakeAliyunESAAccessKeySecret000001"
)

// MaxComment is the longest comment ESA keeps.
const MaxComment = 100

// X is what ESA keeps on a record besides the kit's fields.
type X struct {
	Proxied bool
	BizName string
}

// Fake is the fake API server.
type Fake struct {
	providertest.Fake[X]
	acs3 *providertest.ACS3
	// access is the access type of each site, by name ("NS" unless set).
	access map[string]string
}

// New starts a fake holding the named sites, accessed by NS.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{acs3: &providertest.ACS3{Keys: map[string]string{AccessKeyID: AccessKeySecret}}, access: map[string]string{}}
	f.Store.ZoneID = func(_ string, n int) string { return strconv.Itoa(1150000000000000 + n) }
	f.Store.RecordID = func(n int) string { return strconv.Itoa(3800000000000000 + n) }
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// SetAccessType makes the named site one accessed by CNAME or by NS.
func (f *Fake) SetAccessType(site, access string) {
	f.Lock()
	defer f.Unlock()
	f.access[providers.CanonicalName(site)] = access
}

// Backend is the ESA provider d with this fake, for the operator's suites.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		s := f.Server()
		s.Secret = map[string]string{"accessKeyId": AccessKeyID, "accessKeySecret": AccessKeySecret}
		s.BadSecret = map[string]string{"accessKeyId": AccessKeyID, "accessKeySecret": "wrongAliyunESAAccessKeySecret0000"}
		return s
	}}
}

// wire is the ESA API's protocol.
type wire struct{ f *Fake }

var writes = map[string]bool{"CreateRecord": true, "UpdateRecord": true, "DeleteRecord": true}

// Operation is the x-acs-action header.
func (w wire) Operation(r *http.Request, _ []byte) (string, bool) {
	a := r.Header.Get("x-acs-action")
	return a, writes[a]
}

// Authenticate recomputes the ACS3 signature.
func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, body []byte) bool {
	h := r.Header.Get("Authorization")
	_, sig, _ := strings.Cut(h, "Signature=")
	w.f.Note(h, sig, r.Header.Get("x-acs-security-token"))
	switch code := w.f.acs3.Verify(r, body, time.Now()); code {
	case "":
	case providertest.ACS3UnknownKey:
		fail(rw, http.StatusNotFound, code, "Specified access key is not found.")
		return false
	case providertest.ACS3Mismatch:
		fail(rw, http.StatusBadRequest, code, "Specified signature is not matched with our calculation.")
		return false
	default:
		fail(rw, http.StatusBadRequest, code, "The request signature is incomplete, expired or replayed.")
		return false
	}
	if v := r.Header.Get("x-acs-version"); v != "2024-09-10" {
		fail(rw, http.StatusBadRequest, "InvalidVersion", "Specified parameter Version is not valid.")
		return false
	}
	return true
}

// Fault answers as ESA does under f.
func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	switch f {
	case providertest.FaultRateLimited, providertest.FaultRateLimitedNoRetryAfter:
		fail(rw, http.StatusTooManyRequests, "Throttling.User", "Request was denied due to user flow control.")
	case providertest.FaultServerError, providertest.FaultHTTP500:
		fail(rw, http.StatusInternalServerError, "InternalError", "The request processing has failed due to some unknown error, exception or failure.")
	case providertest.FaultHTTP502:
		fail(rw, http.StatusBadGateway, "ServiceUnavailable", "Bad gateway.")
	case providertest.FaultHTTP503:
		fail(rw, http.StatusServiceUnavailable, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")
	case providertest.FaultAuthRejected:
		w.f.Note(r.Header.Get("Authorization"))
		fail(rw, http.StatusBadRequest, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.")
	case providertest.FaultZoneNotFound:
		if op == "ListSites" {
			answer(rw, map[string]any{"TotalCount": 0, "Sites": []any{}})
		} else {
			fail(rw, http.StatusNotFound, "Site.NotFound", "The site does not exist.")
		}
	case providertest.FaultEndlessPages:
		switch op {
		case "ListSites":
			answer(rw, map[string]any{"TotalCount": providertest.EndlessTotal, "Sites": w.sites(providertest.Page(w.f.Store.Zones(), 1, w.f.PageSize))})
		case "ListRecords":
			var recs []*providertest.Rec[X]
			if z := w.f.Store.ZoneByID(r.URL.Query().Get("SiteId")); z != nil {
				recs = z.Records
			}
			answer(rw, map[string]any{"TotalCount": providertest.EndlessTotal, "Records": records(providertest.Page(recs, 1, w.f.PageSize))})
		default:
			return false
		}
	default:
		return false
	}
	return true
}

// Serve answers an authenticated request.
func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, _ []byte) {
	q := r.URL.Query()
	number, _ := strconv.Atoi(q.Get("PageNumber"))
	size, _ := strconv.Atoi(q.Get("PageSize"))
	size = min(max(size, 1), w.f.PageSize)
	switch op {
	case "ListSites":
		all := w.f.Store.Zones()
		answer(rw, map[string]any{"TotalCount": len(all), "PageNumber": number, "PageSize": size, "Sites": w.sites(providertest.Page(all, number, size))})
	case "ListRecords":
		z := w.f.Store.ZoneByID(q.Get("SiteId"))
		if z == nil {
			fail(rw, http.StatusNotFound, "Site.NotFound", "The site does not exist.")
			return
		}
		var sel []*providertest.Rec[X]
		for _, rec := range z.Records {
			if matches(rec, q) {
				sel = append(sel, rec)
			}
		}
		answer(rw, map[string]any{"TotalCount": len(sel), "PageNumber": number, "PageSize": size, "Records": records(providertest.Page(sel, number, size))})
	case "CreateRecord":
		z := w.f.Store.ZoneByID(q.Get("SiteId"))
		if z == nil {
			fail(rw, http.StatusNotFound, "Site.NotFound", "The site does not exist.")
			return
		}
		rec := providertest.Rec[X]{Name: q.Get("RecordName"), TTL: 1}
		if code, msg := w.apply(z, &rec, q); code != "" {
			fail(rw, http.StatusBadRequest, code, msg)
			return
		}
		stored := w.f.Store.Add(z, rec)
		answer(rw, map[string]any{"RecordId": json.Number(stored.ID)})
	case "UpdateRecord":
		z, cur := w.f.Store.Find(q.Get("RecordId"))
		if cur == nil {
			fail(rw, http.StatusNotFound, "Record.NotFound", "The record does not exist.")
			return
		}
		next := *cur
		if code, msg := w.apply(z, &next, q); code != "" {
			fail(rw, http.StatusBadRequest, code, msg)
			return
		}
		*cur = next
		answer(rw, map[string]any{})
	case "DeleteRecord":
		z, cur := w.f.Store.Find(q.Get("RecordId"))
		if cur == nil {
			fail(rw, http.StatusNotFound, "Record.NotFound", "The record does not exist.")
			return
		}
		z.Remove(cur.ID)
		answer(rw, map[string]any{})
	default:
		fail(rw, http.StatusNotFound, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
	}
}

// apply checks a create's or update's parameters as ESA does and sets
// them on rec.
func (w wire) apply(z *providertest.Zone[X], rec *providertest.Rec[X], q url.Values) (code, msg string) {
	if t := q.Get("Type"); t != "A/AAAA" {
		return "InvalidParameter.RecordType", "Only A/AAAA records are supported by this fake."
	}
	var data struct{ Value string }
	if err := json.Unmarshal([]byte(q.Get("Data")), &data); err != nil {
		return "InvalidParameter.Data", "Specified parameter Data is not valid JSON."
	}
	ip, err := netip.ParseAddr(data.Value)
	if err != nil {
		return "InvalidParameter.Data", "The value of an A/AAAA record must be an IP address."
	}
	if s := q.Get("Ttl"); s != "" {
		ttl, err := strconv.Atoi(s)
		if err != nil || ttl < 1 || ttl > 86400 {
			return "InvalidParameter.Ttl", "Specified parameter Ttl is not valid."
		}
		rec.TTL = ttl
	}
	if c := q.Get("Comment"); len(c) > MaxComment {
		return "InvalidParameter.Comment", "The comment is longer than 100 characters."
	}
	if q.Has("Comment") {
		rec.Marker = q.Get("Comment")
	}
	if q.Has("Proxied") {
		rec.X.Proxied = q.Get("Proxied") == "true"
	}
	if rec.X.Proxied {
		rec.X.BizName = q.Get("BizName")
		if rec.X.BizName == "" {
			return "InvalidParameter.BizName", "BizName is required for a proxied record."
		}
	} else {
		rec.X.BizName = ""
		if w.f.access[z.Name] == "CNAME" {
			return "InvalidParameter.Proxied", "Records of a site accessed by CNAME must be proxied."
		}
	}
	rec.Type, rec.Value = "AAAA", ip.String()
	if ip.Is4() {
		rec.Type = "A"
	}
	return "", ""
}

// matches applies ListRecords' filters: RecordName (exact unless
// RecordMatchType says otherwise) and Type.
func matches(rec *providertest.Rec[X], q url.Values) bool {
	if t := q.Get("Type"); t != "" && t != wireType(rec.Type) {
		return false
	}
	if n := q.Get("RecordName"); n != "" {
		if q.Get("RecordMatchType") == "exact" {
			return rec.Name == providers.CanonicalName(n)
		}
		return strings.Contains(rec.Name, providers.CanonicalName(n))
	}
	return true
}

func wireType(t string) string {
	if t == "A" || t == "AAAA" {
		return "A/AAAA"
	}
	return t
}

func (w wire) sites(zs []*providertest.Zone[X]) []map[string]any {
	out := []map[string]any{}
	for _, z := range zs {
		access := w.f.access[z.Name]
		if access == "" {
			access = "NS"
		}
		out = append(out, map[string]any{"SiteId": json.Number(z.ID), "SiteName": z.Name, "AccessType": access, "Status": "active", "Coverage": "domestic"})
	}
	return out
}

func records(rs []*providertest.Rec[X]) []map[string]any {
	out := []map[string]any{}
	for _, r := range rs {
		m := map[string]any{"RecordId": json.Number(r.ID), "RecordName": r.Name, "RecordType": wireType(r.Type),
			"Data": map[string]any{"Value": r.Value}, "Ttl": r.TTL, "Proxied": r.X.Proxied, "Comment": r.Marker, "RecordSourceType": "OP"}
		if r.X.BizName != "" {
			m["BizName"] = r.X.BizName
		}
		out = append(out, m)
	}
	return out
}

func requestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

func answer(rw http.ResponseWriter, body map[string]any) {
	body["RequestId"] = requestID()
	writeJSON(rw, http.StatusOK, body)
}

func fail(rw http.ResponseWriter, status int, code, msg string) {
	writeJSON(rw, status, map[string]any{"RequestId": requestID(), "HostId": "esa.cn-hangzhou.aliyuncs.com", "Code": code, "Message": msg})
}

func writeJSON(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", "application/json;charset=utf-8")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(v)
}

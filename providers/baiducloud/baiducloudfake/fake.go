// Package baiducloudfake is a stateful fake of Baidu AI Cloud's domain
// service (BCD) resolve API for tests, built on the provider kit
// (providertest.Fake). It speaks the wire format of BCD's API reference
// (https://cloud.baidu.com/doc/BCD/s/4jwvymhs7) and its SDK samples
// (https://cloud.baidu.com/doc/BCD/s/dkps0ww42): JSON POSTs to
// /v1/domain/resolve/{list,add,edit,delete}; list paged by pageNo (or
// pageNum, as ddns-go sends it) and pageSize, answering {"orderBy",
// "order", "pageNo", "pageSize", "totalCount", "result"} with records
// {recordId, domain (the host record), view, rdtype, ttl, rdata, zoneName,
// status}; AAAA values taken in upper case only; add answering no record
// ID. Every request's bce-auth-v1 signature is recomputed with the known
// secret key ("生成认证字符串", https://cloud.baidu.com/doc/Reference/s/njwvz1yfu)
// and a wrong one refused with SignatureDoesNotMatch; errors are
// {"requestId", "code", "message"} with an HTTP status. The code for a
// domain the account does not hold (DomainNotExist) and for a missing
// record (RecordNotExist), and the message texts, are the fake's own.
package baiducloudfake

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/netip"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion/companionfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The key pair the fake accepts.
const (
	AK = "f7be7cbe0000000000000000fake7789"
	SK = "29dbe98d00000000000000000fake6381"
)

// X is what BCD keeps on a record besides the kit's fields.
type X struct {
	View string
}

// Fake is the fake API server.
type Fake struct {
	providertest.Fake[X]
}

// New starts a fake holding the named domains.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Store.RecordID = func(n int) string { return strconv.Itoa(21311000 + n) }
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// Backend is the BCD provider d with this fake, for the operator's suites.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		s := companionfake.Server(&f.Fake)
		s.Secret = map[string]string{"accessKeyId": AK, "secretAccessKey": SK}
		s.BadSecret = map[string]string{"accessKeyId": AK, "secretAccessKey": "00000000000000000wrongbcdsecret00"}
		return s
	}}
}

// wire is BCD's protocol.
type wire struct{ f *Fake }

// Operation is the path's last segment.
func (w wire) Operation(r *http.Request, _ []byte) (string, bool) {
	op, ok := strings.CutPrefix(r.URL.Path, "/v1/domain/resolve/")
	if !ok {
		return "", false
	}
	return op, op == "add" || op == "edit" || op == "delete"
}

// Authenticate recomputes the bce-auth-v1 signature.
func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	h := r.Header.Get("Authorization")
	parts := strings.Split(h, "/")
	w.f.Note(h)
	if len(parts) != 6 || parts[0] != "bce-auth-v1" {
		fail(rw, http.StatusBadRequest, "InvalidHTTPAuthHeader", "The Authorization header is not a bce-auth-v1 authorization string.")
		return false
	}
	w.f.Note(parts[5])
	ts, err := time.Parse("2006-01-02T15:04:05Z", parts[2])
	exp, _ := strconv.Atoi(parts[3])
	switch {
	case parts[1] != AK:
		fail(rw, http.StatusForbidden, "InvalidAccessKeyId", "The access key ID you provided does not exist.")
	case err != nil || time.Since(ts) > time.Duration(exp)*time.Second || time.Until(ts) > 5*time.Minute:
		fail(rw, http.StatusBadRequest, "RequestExpired", "The request has expired.")
	case !hmac.Equal([]byte(signature(r, strings.Join(parts[:4], "/"), parts[4])), []byte(parts[5])):
		fail(rw, http.StatusBadRequest, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
	default:
		return true
	}
	return false
}

// signature recomputes the signature with SK; host must be signed.
func signature(r *http.Request, prefix, signedHeaders string) string {
	names := strings.Split(signedHeaders, ";")
	found := false
	var headers []string
	for _, n := range names {
		v := r.Header.Get(n)
		if n == "host" {
			v, found = r.Host, true
		}
		headers = append(headers, uri(n)+":"+uri(strings.TrimSpace(v)))
	}
	if !found {
		return ""
	}
	sort.Strings(headers)
	var query []string
	for k, vs := range r.URL.Query() {
		for _, v := range vs {
			query = append(query, uri(k)+"="+uri(v))
		}
	}
	sort.Strings(query)
	segs := strings.Split(r.URL.Path, "/")
	for i, s := range segs {
		segs[i] = uri(s)
	}
	canonical := r.Method + "\n" + strings.Join(segs, "/") + "\n" + strings.Join(query, "&") + "\n" + strings.Join(headers, "\n")
	key := mac([]byte(SK), prefix)
	return mac([]byte(key), canonical)
}

func uri(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

func mac(key []byte, msg string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// Fault answers as BCD does under f.
func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	switch f {
	case providertest.FaultRateLimited, providertest.FaultRateLimitedNoRetryAfter:
		fail(rw, http.StatusTooManyRequests, "RequestRateLimitExceeded", "The request rate limit has been exceeded.")
	case providertest.FaultServerError, providertest.FaultHTTP500:
		fail(rw, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
	case providertest.FaultHTTP502:
		fail(rw, http.StatusBadGateway, "ServiceUnavailable", "Bad gateway.")
	case providertest.FaultHTTP503:
		fail(rw, http.StatusServiceUnavailable, "ServiceUnavailable", "Please reduce your request rate.")
	case providertest.FaultAuthRejected:
		w.f.Note(r.Header.Get("Authorization"))
		fail(rw, http.StatusBadRequest, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
	case providertest.FaultZoneNotFound:
		fail(rw, http.StatusBadRequest, "DomainNotExist", "The domain does not exist or does not belong to you.")
	case providertest.FaultEndlessPages:
		if op != "list" {
			return false
		}
		var b listBody
		_ = json.NewDecoder(r.Body).Decode(&b)
		z := w.f.Store.Zone(b.Domain)
		if z == nil {
			fail(rw, http.StatusBadRequest, "DomainNotExist", "The domain does not exist or does not belong to you.")
			return true
		}
		answer(rw, map[string]any{"orderBy": "domain", "order": "desc", "pageNo": 1, "pageSize": w.f.PageSize, "totalCount": providertest.EndlessTotal, "result": records(providertest.Page(z.Records, 1, w.f.PageSize))})
	default:
		return false
	}
	return true
}

// listBody is resolve/list's request.
type listBody struct {
	Domain   string `json:"domain"`
	PageNo   int    `json:"pageNo"`
	PageNum  int    `json:"pageNum"`
	PageSize int    `json:"pageSize"`
}

// writeBody is resolve/add's, edit's and delete's request.
type writeBody struct {
	RecordID json.Number `json:"recordId"`
	Domain   string      `json:"domain"`
	View     string      `json:"view"`
	RdType   string      `json:"rdType"`
	TTL      int         `json:"ttl"`
	Rdata    string      `json:"rdata"`
	ZoneName string      `json:"zoneName"`
}

// Serve answers an authenticated request.
func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	if r.Method != http.MethodPost {
		fail(rw, http.StatusMethodNotAllowed, "MethodNotAllowed", "The method is not allowed.")
		return
	}
	if op == "list" {
		var b listBody
		if err := json.Unmarshal(body, &b); err != nil {
			fail(rw, http.StatusBadRequest, "MalformedJSON", "The JSON you provided was not well-formed.")
			return
		}
		z := w.f.Store.Zone(b.Domain)
		if z == nil {
			fail(rw, http.StatusBadRequest, "DomainNotExist", "The domain does not exist or does not belong to you.")
			return
		}
		page := max(b.PageNo, b.PageNum, 1)
		size := b.PageSize
		if size <= 0 {
			size = 10
		}
		size = min(size, w.f.PageSize)
		answer(rw, map[string]any{"orderBy": "domain", "order": "desc", "pageNo": page, "pageSize": size, "totalCount": len(z.Records), "result": records(providertest.Page(z.Records, page, size))})
		return
	}
	var b writeBody
	if err := json.Unmarshal(body, &b); err != nil {
		fail(rw, http.StatusBadRequest, "MalformedJSON", "The JSON you provided was not well-formed.")
		return
	}
	z := w.f.Store.Zone(b.ZoneName)
	if z == nil {
		fail(rw, http.StatusBadRequest, "DomainNotExist", "The domain does not exist or does not belong to you.")
		return
	}
	switch op {
	case "add":
		if msg := check(b); msg != "" {
			fail(rw, http.StatusBadRequest, "InvalidParameter", msg)
			return
		}
		w.f.Store.Add(z, providertest.Rec[X]{Name: b.Domain, Type: strings.ToUpper(b.RdType), Value: b.Rdata, TTL: b.TTL, X: X{View: b.View}})
		rw.WriteHeader(http.StatusOK)
	case "edit":
		cur := z.Record(b.RecordID.String())
		if cur == nil {
			fail(rw, http.StatusBadRequest, "RecordNotExist", "The record does not exist.")
			return
		}
		if msg := check(b); msg != "" {
			fail(rw, http.StatusBadRequest, "InvalidParameter", msg)
			return
		}
		cur.Name, cur.Type, cur.Value, cur.TTL, cur.X.View = providers.AbsoluteName(b.Domain, z.Name), strings.ToUpper(b.RdType), b.Rdata, b.TTL, b.View
		rw.WriteHeader(http.StatusOK)
	case "delete":
		if !z.Remove(b.RecordID.String()) {
			fail(rw, http.StatusBadRequest, "RecordNotExist", "The record does not exist.")
			return
		}
		rw.WriteHeader(http.StatusOK)
	default:
		fail(rw, http.StatusNotFound, "NoSuchAPI", "The API does not exist.")
	}
}

// check returns BCD's refusal of a record, "" when it is fine.
func check(b writeBody) string {
	switch t := strings.ToUpper(b.RdType); {
	case b.Domain == "":
		return "The host record (domain) is required."
	case t != "A" && t != "AAAA" && t != "CNAME" && t != "TXT" && t != "MX":
		return "The record type is not supported."
	case b.View == "":
		return "The view is required."
	case b.TTL < 1:
		return "The TTL is not valid."
	case t == "A" || t == "AAAA":
		ip, err := netip.ParseAddr(b.Rdata)
		if err != nil || ip.Is4() != (t == "A") {
			return "The record value is not a valid address."
		}
		if t == "AAAA" && b.Rdata != strings.ToUpper(b.Rdata) {
			return "An IPv6 address must be in upper case."
		}
	}
	return ""
}

func records(rs []*providertest.Rec[X]) []map[string]any {
	out := []map[string]any{}
	for _, r := range rs {
		view := r.X.View
		if view == "" {
			view = "DEFAULT"
		}
		value := r.Value
		if r.Type == "AAAA" {
			value = strings.ToUpper(value)
		}
		n, _ := strconv.Atoi(r.ID)
		out = append(out, map[string]any{"recordId": n, "domain": providers.RelativeName(r.Name, r.Zone), "view": view,
			"rdtype": r.Type, "ttl": r.TTL, "rdata": value, "zoneName": r.Zone, "status": "RUNNING"})
	}
	return out
}

func answer(rw http.ResponseWriter, body map[string]any) {
	rw.Header().Set("Content-Type", "application/json;charset=UTF-8")
	rw.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(rw).Encode(body)
}

func fail(rw http.ResponseWriter, status int, code, msg string) {
	rw.Header().Set("Content-Type", "application/json;charset=UTF-8")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(map[string]any{"requestId": "b4e2a1c0-1111-4222-8333-944455556666", "code": code, "message": msg})
}

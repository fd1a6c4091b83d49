// Package todaynicfake is a fake of the Todaynic platform's DNS API (the
// API of Now.cn, Eranet and TNet) for tests, on the provider kit
// (providertest.Fake). It speaks the API as ddns-go's dns/nowcn.go,
// dns/eranet.go and dns/tnethk.go call it (https://www.todaynic.com/docApi/):
//
//   - GET /api/Dns/{DescribeRecordIndex, AddDomainRecord,
//     UpdateDomainRecord, DeleteDomainRecord} with the parameters as a
//     query;
//   - every request signed as Alibaba Cloud's RPC API is (signature
//     version 1.0): AccessInstanceID, SignatureMethod=HMAC-SHA1,
//     SignatureNonce, Timestamp (ISO 8601, UTC) and Signature, the Base64
//     HMAC-SHA1 of "GET&%2F&" + the escaped sorted query under the API
//     key and "&", which the fake recomputes with the key it knows; it
//     refuses an unknown AccessInstanceID, a wrong signature, a timestamp
//     more than 15 minutes off and a nonce used before;
//   - answers {"RequestId", "Id", "Data": [{"id", "Domain", "Host",
//     "Type", "Value", "State", "Ttl"}], "error"} with HTTP 200, a refusal
//     being a non-empty error.
//
// The platform's documentation was not at hand: the texts of the errors
// (and the Ttl field of a listed record) are the fake's own, worded as the
// provider expects the platform to word them (package todaynic's
// errors.go).
package todaynicfake

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
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

// The credentials the fake accepts.
const (
	UserID = "1088352"
	APIKey = "todaynic-fake-api-key-5f0c2a9b71e4"
)

// The fake's refusals.
const (
	msgSignature = "Signature verification failed: the AccessInstanceID or the signature is invalid (签名验证失败)"
	msgDomain    = "域名不存在 (domain does not exist in this account)"
	msgRecord    = "记录不存在 (record does not exist)"
	msgThrottled = "请求过于频繁 (too many requests)"
)

// Fake is a running fake of the API.
type Fake struct {
	providertest.Fake[struct{}]
	nonces map[string]bool
}

// New starts a fake holding the named domains; it stops when the test
// ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{nonces: map[string]bool{}}
	f.Store.RecordID = func(n int) string { return strconv.Itoa(7310000 + n) }
	f.Store.Defaults = func(r *providertest.Rec[struct{}]) {
		if r.TTL == 0 {
			r.TTL = 600
		}
	}
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// Backend is the provider d (nowcn, eranet or tnethk) with this fake, for
// the operator's suites.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		s := companionfake.Server(&f.Fake)
		s.Secret = map[string]string{"authUserId": UserID, "apiKey": APIKey}
		s.BadSecret = map[string]string{"authUserId": UserID, "apiKey": "todaynic-wrong-api-key-000000000000"}
		s.Skip = map[string]string{
			providertest.CheckFault(providertest.FaultEndlessPages): "the API does not paginate: DescribeRecordIndex answers every record at once",
		}
		return s
	}}
}

// wire is the platform's protocol.
type wire struct{ f *Fake }

// Operation is the action the path names.
func (wire) Operation(r *http.Request, _ []byte) (string, bool) {
	op := strings.TrimPrefix(r.URL.Path, "/api/Dns/")
	return op, op == "AddDomainRecord" || op == "UpdateDomainRecord" || op == "DeleteDomainRecord"
}

// Authenticate checks the query's signature.
func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	q := r.URL.Query()
	w.f.Note(q.Get("Signature"))
	ts, err := time.Parse("2006-01-02T15:04:05Z", q.Get("Timestamp"))
	nonce := q.Get("SignatureNonce")
	switch {
	case q.Get("AccessInstanceID") != UserID, q.Get("SignatureMethod") != "HMAC-SHA1", !hmac.Equal([]byte(q.Get("Signature")), []byte(sign(r.Method, APIKey, q))):
		fail(rw, msgSignature)
		return false
	case err != nil || time.Since(ts).Abs() > 15*time.Minute:
		fail(rw, "Signature expired: the Timestamp is more than 15 minutes off (签名已过期)")
		return false
	case nonce == "" || w.f.nonces[nonce]:
		fail(rw, "Signature nonce used before (SignatureNonce 重复)")
		return false
	}
	w.f.nonces[nonce] = true
	return true
}

// sign is the signature of q's parameters (Signature left out) under key.
func sign(method, key string, q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	pairs := make([]string, 0, len(keys))
	for _, k := range keys {
		pairs = append(pairs, percent(k)+"="+percent(q.Get(k)))
	}
	m := hmac.New(sha1.New, []byte(key+"&"))
	m.Write([]byte(method + "&" + percent("/") + "&" + percent(strings.Join(pairs, "&"))))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// percent is RFC 3986 percent-encoding as the signature's documentation
// gives it: QueryEscape, with "+" as %20, "*" as %2A and "~" kept.
func percent(s string) string {
	s = url.QueryEscape(s)
	return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(s)
}

// Fault answers as the platform does.
func (w wire) Fault(rw http.ResponseWriter, _ *http.Request, f providertest.Fault, op string) bool {
	if sf, ok := providertest.StatusOf(f); ok {
		text := sf.Text
		if sf.RetryAfter {
			rw.Header().Set("Retry-After", providertest.RetryAfter)
		}
		if sf.Status == http.StatusTooManyRequests {
			text = msgThrottled
		}
		providertest.WriteJSON(rw, sf.Status, map[string]any{"RequestId": "fault", "error": text})
		return true
	}
	switch f {
	case providertest.FaultAuthRejected:
		fail(rw, msgSignature)
	case providertest.FaultZoneNotFound:
		fail(rw, msgDomain)
	default:
		return false
	}
	return true
}

// Serve answers the four actions over the store.
func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, _ []byte) {
	q := r.URL.Query()
	z := w.f.Store.Zone(q.Get("Domain"))
	if z == nil {
		fail(rw, msgDomain)
		return
	}
	switch op {
	case "DescribeRecordIndex":
		name := ""
		if h := q.Get("Host"); h != "" {
			name = providertest.Absolute(h, z.Name)
		}
		data := []map[string]any{}
		for _, rec := range z.Select(name, q.Get("Type")) {
			data = append(data, map[string]any{
				"id": atoi(rec.ID), "Domain": z.Name, "Host": providers.RelativeName(rec.Name, z.Name),
				"Type": rec.Type, "Value": rec.Value, "State": 1, "Ttl": rec.TTL,
			})
		}
		ok(rw, map[string]any{"Data": data})
	case "AddDomainRecord", "UpdateDomainRecord":
		w.write(rw, z, q, op == "AddDomainRecord")
	case "DeleteDomainRecord":
		if !z.Remove(q.Get("Id")) {
			fail(rw, msgRecord)
			return
		}
		ok(rw, map[string]any{"Id": atoi(q.Get("Id"))})
	default:
		providertest.WriteJSON(rw, http.StatusNotFound, map[string]any{"error": "unknown action " + op})
	}
}

// write adds a record or changes the record Id.
func (w wire) write(rw http.ResponseWriter, z *providertest.Zone[struct{}], q url.Values, add bool) {
	ttl, err := strconv.Atoi(q.Get("Ttl"))
	switch {
	case q.Get("Host") == "" || q.Get("Type") == "" || q.Get("Value") == "":
		fail(rw, "Host, Type and Value are required (参数错误)")
		return
	case err != nil || ttl < 1:
		fail(rw, "TTL must be a whole number of seconds (TTL 值不合法)")
		return
	}
	rec := providertest.Rec[struct{}]{Name: q.Get("Host"), Type: q.Get("Type"), Value: q.Get("Value"), TTL: ttl}
	if add {
		stored := w.f.Store.Add(z, rec)
		ok(rw, map[string]any{"Id": atoi(stored.ID)})
		return
	}
	cur := z.Record(q.Get("Id"))
	if cur == nil {
		fail(rw, msgRecord)
		return
	}
	cur.Name, cur.Type, cur.Value, cur.TTL = providertest.Absolute(rec.Name, z.Name), strings.ToUpper(rec.Type), rec.Value, ttl
	ok(rw, map[string]any{"Id": atoi(cur.ID)})
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func ok(rw http.ResponseWriter, fields map[string]any) {
	fields["RequestId"] = "5D2A7C1E-0F3B-4E55-9A60-4C2B8E7D1F00"
	fields["error"] = ""
	providertest.WriteJSON(rw, http.StatusOK, fields)
}

func fail(rw http.ResponseWriter, msg string) {
	providertest.WriteJSON(rw, http.StatusOK, map[string]any{"RequestId": "5D2A7C1E-0F3B-4E55-9A60-4C2B8E7D1F01", "Id": 0, "error": msg})
}

// Secret is the Secret data of the fake's account; with a key other than
// APIKey, of an account whose signatures the fake refuses.
func Secret(key string) map[string][]byte {
	return map[string][]byte{"authUserId": []byte(UserID), "apiKey": []byte(key)}
}

// Setup is the conformance suite's setup for provider d over this fake.
func Setup(d providers.Descriptor) providertest.Setup {
	return func(t *testing.T, zones []string) *providertest.Fixture {
		f := New(t, zones...)
		t.Cleanup(func() { t.Logf("%s fake: %d requests, %d writes", d.Name, f.Requests(), f.Writes()) })
		return companionfake.Fill(&f.Fake, &providertest.Fixture{
			Descriptor: d,
			Env:        providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}},
			Secret:     Secret(APIKey),
			// The right user ID with a wrong key: the signature does not
			// match and the platform refuses it.
			BadSecret:  Secret("todaynic-wrong-api-key-000000000000"),
			RetryAfter: true,
		})
	}
}

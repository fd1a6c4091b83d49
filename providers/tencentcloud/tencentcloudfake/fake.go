// Package tencentcloudfake is a stateful fake of the Tencent Cloud DNSPod API
// 3.0 (service dnspod, version 2021-03-23) for tests: an httptest server that
// speaks the real wire format (POST JSON to "/", the action in X-TC-Action,
// the {"Response": ...} envelope, errors with HTTP 200), verifies every
// request's TC3-HMAC-SHA256 signature with the known SecretKey, pages lists
// with Offset/Limit, and enforces the free plan's TTL minimum. It is built
// on the fake-server kit (providertest.Fake): this package writes only the
// wire format and the authentication.
//
// Every action is served on "/": POST, Content-Type application/json,
// X-TC-Action / X-TC-Version / X-TC-Timestamp headers and the Authorization
// header of signature v3 (DNSPod's "调用方式" section,
// https://cloud.tencent.com/document/api/1427/56186; the "Common Params"
// page, e.g. https://tencentcloud.com/document/product/1097/42103; the
// signature page cited in auth.go).
package tencentcloudfake

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The fake's constants.
const (
	// SecretID and SecretKey are the API key the fake accepts.
	SecretID  = "AKIDfakeTencentCloudDDNSOperatorKey01"
	SecretKey = "fakeTencentCloudSecretKeyForTests01"
	// Service and Version are the DNSPod API's service name and version.
	Service = "dnspod"
	Version = "2021-03-23"
	// MinTTL is the smallest TTL of DNSPod's free plan (DP_FREE): the API
	// answers LimitExceeded.RecordTtlLimit below it. Paid plans go lower.
	MinTTL = 600
	// DefaultTTL is the TTL of a record created without one.
	DefaultTTL = 600
	// DefaultLine and DefaultLineID name the default line ("默认", ID "0").
	DefaultLine   = "默认"
	DefaultLineID = "0"
)

// lines are the line names and IDs the fake knows (a subset of what
// DescribeRecordLineList returns for a free domain).
var lines = map[string]string{
	"默认": "0", "电信": "10=0", "联通": "10=1", "教育网": "10=2", "移动": "10=3", "境外": "3=0",
}

// Extra is what only DNSPod keeps on a record, with the fields
// DescribeRecordList returns (RecordListItem).
type Extra struct {
	Line, LineID string
	MX           uint64
	Weight       *uint64
	Status       string // ENABLE or DISABLE
	DefaultNS    bool
}

// Record is a DNS record as the fake stores it; Marker is its remark.
type Record = providertest.Rec[Extra]

// Fake is the fake DNSPod API server.
type Fake struct {
	providertest.Fake[Extra]
	keys map[string]string // SecretId -> SecretKey
}

// New starts a fake holding the named zones, each with the two NS records
// at "@" that the API lists for every domain. With t set, the server is
// closed when the test ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{keys: map[string]string{SecretID: SecretKey}}
	f.Store.RecordID = func(n int) string { return strconv.Itoa(1000 + n) }
	f.Store.Defaults = func(r *Record) {
		if r.X.Line == "" && r.X.LineID == "" {
			r.X.Line, r.X.LineID = DefaultLine, DefaultLineID
		}
		r.X.Status, r.TTL = cmp.Or(r.X.Status, "ENABLE"), cmp.Or(r.TTL, DefaultTTL)
	}
	f.Start(t, f)
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// AddZone adds an empty domain, with its default NS records, to the
// account.
func (f *Fake) AddZone(name string) providers.Zone {
	z := f.Fake.AddZone(name)
	for i := 1; i <= 2; i++ {
		f.SeedRec(z.Name, Record{Type: "NS", Value: fmt.Sprintf("ns%d.dnspod.net.", i), TTL: 86400, X: Extra{DefaultNS: true}})
	}
	return z
}

// AddKey makes the fake accept another SecretId/SecretKey pair.
func (f *Fake) AddKey(secretID, secretKey string) {
	f.Lock()
	defer f.Unlock()
	f.keys[secretID] = secretKey
}

// Operation is the request's action (X-TC-Action); CreateRecord,
// ModifyRecord and DeleteRecord write.
func (f *Fake) Operation(r *http.Request, _ []byte) (string, bool) {
	action := r.Header.Get("X-TC-Action")
	return action, action == "CreateRecord" || action == "ModifyRecord" || action == "DeleteRecord"
}

// Authenticate takes only POSTs of JSON and checks their signature
// (auth.go); the Authorization header and the signature in it are
// credential material.
func (f *Fake) Authenticate(w http.ResponseWriter, r *http.Request, body []byte) bool {
	v := r.Header.Get("Authorization")
	_, sig, _ := strings.Cut(v, "Signature=")
	f.Note(v, sig)
	e := &errUnsupportedHTTP
	if r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		e = f.verify(r, body)
	}
	if e != nil {
		writeError(w, http.StatusOK, *e)
	}
	return e == nil
}

// Fault answers as the API does: errors with HTTP 200 (RequestLimitExceeded,
// with no Retry-After, InternalError, a SecretId not found, no domain),
// and as its gateway does when the service behind it fails (5xx).
func (f *Fake) Fault(w http.ResponseWriter, _ *http.Request, fault providertest.Fault, action string) bool {
	status, e := http.StatusOK, errInternal
	switch fault {
	case providertest.FaultRateLimited, providertest.FaultRateLimitedNoRetryAfter:
		e = errRequestLimitExceeded
	case providertest.FaultServerError:
	case providertest.FaultHTTP500, providertest.FaultHTTP502, providertest.FaultHTTP503:
		status = providertest.FaultStatus(fault)
	case providertest.FaultAuthRejected:
		e = errSecretIDNotFound
	case providertest.FaultZoneNotFound:
		e = errDomainNotExists
		if action == "DescribeDomainList" {
			e = errNoDataOfDomain
		}
	default:
		return false
	}
	writeError(w, status, e)
	return true
}

// Serve runs an authenticated request's action.
func (f *Fake) Serve(w http.ResponseWriter, r *http.Request, action string, body []byte) {
	var req request
	var result map[string]any
	var e *apiError
	switch h, known := actions[action]; {
	case r.Header.Get("X-TC-Version") != Version:
		e = &errNoSuchVersion
	case !known:
		e = &errInvalidAction
	case json.NewDecoder(bytes.NewReader(body)).Decode(&req) != nil:
		e = &errBadJSON
	default:
		result, e = h(f, req)
	}
	if e != nil {
		writeError(w, http.StatusOK, *e)
		return
	}
	result["RequestId"] = requestID()
	providertest.WriteJSON(w, http.StatusOK, map[string]any{"Response": result})
}

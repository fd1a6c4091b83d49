// Package alidnsfake is a stateful fake of the Alibaba Cloud DNS API
// (alidns 2015-01-09) for tests: an httptest.Server speaking the service's
// RPC wire format as the official Go SDK sends it (POST /, parameters in the
// query, x-acs-action/x-acs-version headers, ACS3-HMAC-SHA256 signature in
// the Authorization header, JSON answers), recomputing every signature with
// the known secret and answering as the service does. It is built on the
// fake-server kit (providertest.Fake): this package writes only the wire
// format and the authentication.
package alidnsfake

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The credentials the fake accepts, and the service's limits.
const (
	// AccessKeyID and AccessKeySecret are a valid long-term key pair.
	AccessKeyID     = "LTAI5tFakeAccessKeyId0001"
	AccessKeySecret = "fakeAccessKeySecretForTests0123"
	// STSAccessKeyID, STSAccessKeySecret and SecurityToken are valid
	// temporary (STS) credentials: the token is required with them.
	STSAccessKeyID     = "STS.NUfakeTemporaryKeyId01"
	STSAccessKeySecret = "fakeStsSecretForTests0123456789"
	SecurityToken      = "CAISfakeSecurityTokenForTests0123456789"

	// Version is the API version the fake serves.
	Version = "2015-01-09"
	// DefaultMinTTL is the free edition's smallest TTL ("TTL definitions":
	// Free Edition 600-86400 s); MaxTTL is the largest for every edition.
	DefaultMinTTL = 600
	MaxTTL        = 86400
	// maxPageSize and maxRecordsPageSize are the list actions' documented
	// largest PageSize: 1-100 (DescribeDomains, DescribeSubDomainRecords),
	// 1-500 (api-alidns-2015-01-09-describedomainrecords: "Valid values: 1
	// to 500"). The fake also caps at its PageSize, so tests cross pages.
	maxPageSize, maxRecordsPageSize = 100, 500
)

// Extra is what only Alibaba Cloud DNS keeps on a record: its line
// ("default" unless set), status (ENABLE or DISABLE), lock and weight.
type Extra struct {
	Line, Status string
	Locked       bool
	Weight       int
}

// Record is a DNS record as the fake stores it; Marker is its remark.
type Record = providertest.Rec[Extra]

type credential struct {
	secret, token string
	disabled      bool
}

// Fake is the fake service; set MinTTL before the first request.
type Fake struct {
	providertest.Fake[Extra]
	// MinTTL is the smallest TTL a record may have (QuotaExceeded.TTL).
	MinTTL int

	creds  map[string]*credential
	nonces map[string]bool
	denied map[string]bool
	reqSeq atomic.Int64
}

// New starts a fake holding zones, closed when tb (if set) ends.
func New(tb testing.TB, zones ...string) *Fake {
	f := &Fake{
		MinTTL: DefaultMinTTL,
		creds: map[string]*credential{
			AccessKeyID:    {secret: AccessKeySecret},
			STSAccessKeyID: {secret: STSAccessKeySecret, token: SecurityToken},
		},
		nonces: map[string]bool{},
		denied: map[string]bool{},
	}
	f.Store.ZoneID = func(_ string, n int) string { return fmt.Sprintf("00c5fa6f-%04x-4b3e-9f6a-%012x", n, n) }
	// Record IDs are long decimals, as the service's; the highest is the newest.
	f.Store.RecordID = func(n int) string { return fmt.Sprint(1000000000000000000 + int64(n)*7919) }
	f.Store.Defaults = func(r *Record) {
		r.TTL, r.X.Line, r.X.Status, r.X.Weight = cmp.Or(r.TTL, 600), cmp.Or(r.X.Line, "default"), cmp.Or(r.X.Status, "ENABLE"), cmp.Or(r.X.Weight, 1)
	}
	f.Start(tb, f)
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// Deny makes the named action answer Forbidden.RAM, as for a RAM user
// whose policy does not allow it.
func (f *Fake) Deny(action string) {
	f.Lock()
	defer f.Unlock()
	f.denied[action] = true
}

// DisableKey marks a known AccessKey as disabled in the console.
func (f *Fake) DisableKey(id string) {
	f.Lock()
	defer f.Unlock()
	f.creds[id].disabled = true
}

// Operation is the request's action (x-acs-action); AddDomainRecord,
// UpdateDomainRecord, UpdateDomainRecordRemark and DeleteDomainRecord
// write.
func (f *Fake) Operation(r *http.Request, _ []byte) (string, bool) {
	action := r.Header.Get("x-acs-action")
	return action, slices.Contains([]string{"AddDomainRecord", "UpdateDomainRecord", "UpdateDomainRecordRemark", "DeleteDomainRecord"}, action)
}

// Authenticate checks the V3 signature (sign.go) and answers the
// documented error when it fails. The Authorization header and the
// signature in it (or a V2 Signature parameter) are credential material.
func (f *Fake) Authenticate(w http.ResponseWriter, r *http.Request, body []byte) bool {
	v := r.Header.Get("Authorization")
	_, sig, _ := strings.Cut(v, "Signature=")
	f.Note(v, sig, r.URL.Query().Get("Signature"))
	if e := f.verify(r, body); e != nil {
		f.answer(w, r, nil, e)
		return false
	}
	return true
}

// Fault answers the service's errors: Throttling.User, InternalError,
// ServiceUnavailable, a key not found, and, for a zone not found, an
// account without domains (DescribeDomains) or InvalidDomainName.NoExist.
func (f *Fake) Fault(w http.ResponseWriter, r *http.Request, fault providertest.Fault, action string) bool {
	if fault == providertest.FaultZoneNotFound && action == "DescribeDomains" {
		resp, e := f.domains(r.URL.Query(), nil)
		f.answer(w, r, resp, e)
		return true
	}
	e := map[providertest.Fault]*apiError{
		providertest.FaultRateLimited: errThrottled, providertest.FaultRateLimitedNoRetryAfter: errThrottled,
		providertest.FaultServerError: errInternal, providertest.FaultHTTP500: errInternal,
		providertest.FaultHTTP502: errBadGateway, providertest.FaultHTTP503: errUnavailable,
		providertest.FaultAuthRejected: errAccessKeyNotFound, providertest.FaultZoneNotFound: errDomainNoExist,
	}[fault]
	if e != nil {
		f.answer(w, r, nil, e)
	}
	return e != nil
}

// Serve runs an authenticated request's action on its parameters (the
// query, and a form body if there is one).
func (f *Fake) Serve(w http.ResponseWriter, r *http.Request, action string, body []byte) {
	params := r.URL.Query()
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		form, _ := url.ParseQuery(string(body))
		for k, vs := range form {
			params[k] = append(params[k], vs...)
		}
	}
	var resp map[string]any
	var e *apiError
	switch h, known := actions[action]; {
	case r.Header.Get("x-acs-version") != Version:
		e = errVersion
	case f.denied[action]:
		e = errForbiddenRAM
	case !known:
		e = errActionNotFound
	default:
		resp, e = h(f, params)
	}
	f.answer(w, r, resp, e)
}

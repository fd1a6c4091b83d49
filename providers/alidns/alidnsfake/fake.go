// Package alidnsfake is a stateful fake of the Alibaba Cloud DNS API
// (alidns 2015-01-09) for tests: an httptest.Server speaking the service's
// RPC wire format as the official Go SDK sends it (POST /, parameters in the
// query, x-acs-action/x-acs-version headers, ACS3-HMAC-SHA256 signature in
// the Authorization header, JSON answers), recomputing every signature with
// the known secret and answering as the service does.
package alidnsfake

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The credentials the fake accepts.
const (
	// AccessKeyID and AccessKeySecret are a valid long-term key pair.
	AccessKeyID     = "LTAI5tFakeAccessKeyId0001"
	AccessKeySecret = "fakeAccessKeySecretForTests0123"
	// STSAccessKeyID, STSAccessKeySecret and SecurityToken are valid
	// temporary (STS) credentials: the token is required with them.
	STSAccessKeyID     = "STS.NUfakeTemporaryKeyId01"
	STSAccessKeySecret = "fakeStsSecretForTests0123456789"
	SecurityToken      = "CAISfakeSecurityTokenForTests0123456789"
)

// Version is the API version the fake serves.
const Version = "2015-01-09"

// DefaultPageSize is the fake's default page cap: the real service serves
// what the client asks for up to the action's documented maximum (100 for
// DescribeDomains and DescribeSubDomainRecords, 500 for
// DescribeDomainRecords); the fake caps smaller so tests exercise paging.
const DefaultPageSize = 5

// The documented maximum PageSize of the list actions: DescribeDomains and
// DescribeSubDomainRecords take 1-100, DescribeDomainRecords 1-500
// (api-alidns-2015-01-09-describedomainrecords: "Valid values: 1 to 500").
const (
	maxPageSize        = 100
	maxRecordsPageSize = 500
)

// DefaultMinTTL is the free edition's smallest TTL ("TTL definitions": Free
// Edition 600-86400 s); MaxTTL is the largest for every edition.
const (
	DefaultMinTTL = 600
	MaxTTL        = 86400
)

// Record is a DNS record as the fake stores it.
type Record struct {
	ID     string
	Domain string
	RR     string
	Type   string
	Value  string
	TTL    int64
	Line   string
	Status string
	Remark string
	Locked bool
	Weight int
}

type credential struct {
	secret, token string
	disabled      bool
}

// Fake is the fake service. Its exported fields may be set before the
// first request.
type Fake struct {
	// URL is the base URL to use as the provider's endpoint.
	URL string
	// PageSize caps every page the fake serves.
	PageSize int
	// MinTTL is the smallest TTL AddDomainRecord and UpdateDomainRecord
	// accept (QuotaExceeded.TTL below it).
	MinTTL int64

	srv *httptest.Server

	mu       sync.Mutex
	creds    map[string]credential
	zones    []string // names, in the order added
	records  map[string]*Record
	nextID   int64
	reqSeq   int64
	nonces   map[string]bool
	fault    providertest.Fault
	denied   map[string]bool
	calls    map[string]int
	writes   int
	requests int
	providertest.CredentialLog
}

// New starts a fake holding the named zones; with tb set it is closed when
// the test ends.
func New(tb testing.TB, zones ...string) *Fake {
	f := &Fake{
		PageSize: DefaultPageSize,
		MinTTL:   DefaultMinTTL,
		creds: map[string]credential{
			AccessKeyID:    {secret: AccessKeySecret},
			STSAccessKeyID: {secret: STSAccessKeySecret, token: SecurityToken},
		},
		records: map[string]*Record{},
		nextID:  1000000000000000000,
		nonces:  map[string]bool{},
		denied:  map[string]bool{},
		calls:   map[string]int{},
	}
	for _, z := range zones {
		f.AddZone(z)
	}
	f.srv = httptest.NewServer(f)
	f.URL = f.srv.URL
	if tb != nil {
		tb.Cleanup(f.Close)
	}
	return f
}

// Close stops the server.
func (f *Fake) Close() { f.srv.Close() }

// AddZone adds a domain to the account.
func (f *Fake) AddZone(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	name = providers.CanonicalName(name)
	for _, z := range f.zones {
		if z == name {
			return
		}
	}
	f.zones = append(f.zones, name)
}

// Seed stores r in zone directly, on the default line, with r.Marker as
// its remark, and returns it with its ID. TTL 0 stores the service's
// default, 600.
func (f *Fake) Seed(zone string, r providers.Record) providers.Record {
	zone = providers.CanonicalName(zone)
	stored := f.SeedRecord(Record{Domain: zone, RR: providers.RelativeName(r.Name, zone), Type: r.Type, Value: r.Value, TTL: int64(r.TTL), Remark: r.Marker})
	r.ID, r.Name, r.TTL = stored.ID, providers.AbsoluteName(stored.RR, zone), int32(stored.TTL)
	return r
}

// SeedRecord stores r as given (Line, Remark, Status...), filling the
// service's defaults, and returns it with its ID.
func (f *Fake) SeedRecord(r Record) Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	r.Domain = providers.CanonicalName(r.Domain)
	r.ID = f.newID()
	if r.TTL == 0 {
		r.TTL = 600
	}
	if r.Line == "" {
		r.Line = "default"
	}
	if r.Status == "" {
		r.Status = "ENABLE"
	}
	if r.Weight == 0 {
		r.Weight = 1
	}
	stored := r
	f.records[r.ID] = &stored
	return r
}

// Record returns the stored record with id.
func (f *Fake) Record(id string) (Record, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.records[id]
	if !ok {
		return Record{}, false
	}
	return *r, true
}

// Records returns every stored record, ordered by ID.
func (f *Fake) Records() []Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sortedLocked(func(*Record) bool { return true })
}

// SetFault makes every following request fail with f (FaultNone clears).
func (f *Fake) SetFault(fault providertest.Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fault = fault
}

// Deny makes the named action answer Forbidden.RAM, as for a RAM user
// whose policy does not allow it.
func (f *Fake) Deny(action string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.denied[action] = true
}

// DisableKey marks an AccessKey as disabled in the console.
func (f *Fake) DisableKey(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.creds[id]
	c.disabled = true
	f.creds[id] = c
}

// Writes returns how many AddDomainRecord, UpdateDomainRecord,
// UpdateDomainRecordRemark and DeleteDomainRecord requests passed
// authentication.
func (f *Fake) Writes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.writes
}

// Requests returns how many requests the fake received.
func (f *Fake) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// Calls returns how many authenticated requests named action.
func (f *Fake) Calls(action string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[action]
}

var writeActions = map[string]bool{"AddDomainRecord": true, "UpdateDomainRecord": true, "UpdateDomainRecordRemark": true, "DeleteDomainRecord": true}

// ServeHTTP authenticates a request and runs its action.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests++
	f.noteCredentials(r)
	fault := f.fault
	f.mu.Unlock()
	if providertest.ServeWireFault(w, r, fault) {
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	if e := f.authenticate(r, body); e != nil {
		f.writeError(w, r, e)
		return
	}
	action := r.Header.Get("x-acs-action")
	if r.Header.Get("x-acs-version") != Version {
		f.writeError(w, r, errVersion)
		return
	}
	params := r.URL.Query()
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if form, err := url.ParseQuery(string(body)); err == nil {
			for k, vs := range form {
				params[k] = append(params[k], vs...)
			}
		}
	}
	f.mu.Lock()
	f.calls[action]++
	if writeActions[action] {
		f.writes++
	}
	fault, denied := f.fault, f.denied[action]
	f.mu.Unlock()
	if e := faultError(fault, action); e != nil {
		f.writeError(w, r, e)
		return
	}
	switch {
	case denied:
		f.writeError(w, r, errForbiddenRAM)
		return
	}
	h, ok := f.handlers()[action]
	if !ok {
		f.writeError(w, r, errActionNotFound)
		return
	}
	if fault == providertest.FaultLostResponse && writeActions[action] {
		providertest.LoseResponse(w, func(rec http.ResponseWriter) { f.answer(rec, r, h, params) })
		return
	}
	f.answer(w, r, h, params)
}

// answer runs an action's handler and writes its answer.
func (f *Fake) answer(w http.ResponseWriter, r *http.Request, h handler, params url.Values) {
	resp, e := h(params)
	if e != nil {
		f.writeError(w, r, e)
		return
	}
	f.writeOK(w, resp)
}

// newID returns a record ID shaped like the service's (a long decimal).
func (f *Fake) newID() string {
	f.nextID += 7919
	return fmt.Sprint(f.nextID)
}

// sortedLocked returns the records keep accepts, ordered by ID.
func (f *Fake) sortedLocked(keep func(*Record) bool) []Record {
	var out []Record
	for _, r := range f.records {
		if keep(r) {
			out = append(out, *r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// faultError is the service's answer under a provider-level fault, or nil.
func faultError(fault providertest.Fault, action string) *apiError {
	switch fault {
	case providertest.FaultRateLimited, providertest.FaultRateLimitedNoRetryAfter:
		return errThrottled
	case providertest.FaultServerError, providertest.FaultHTTP500:
		return errInternal
	case providertest.FaultHTTP502:
		return errBadGateway
	case providertest.FaultHTTP503:
		return errUnavailable
	case providertest.FaultAuthRejected:
		return errAccessKeyNotFound
	case providertest.FaultZoneNotFound:
		if action != "DescribeDomains" {
			return errDomainNoExist
		}
	}
	return nil
}

// noteCredentials keeps the credential material a request carried (the
// Authorization header and the signature in it), for tests that check it
// never reaches a log, event or status.
func (f *Fake) noteCredentials(r *http.Request) {
	if v := r.Header.Get("Authorization"); v != "" {
		f.Note(v)
		if _, sig, found := strings.Cut(v, "Signature="); found {
			f.Note(sig)
		}
	}
	if v := r.URL.Query().Get("Signature"); v != "" {
		f.Note(v)
	}
}

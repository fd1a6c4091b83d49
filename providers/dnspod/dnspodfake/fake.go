// Package dnspodfake is a stateful stand-in for the legacy DNSPod user API
// (https://dnsapi.cn, token authentication) for tests: an httptest.Server
// that speaks the API's wire format (form POSTs to /<Action>, the JSON
// status envelope, numbers sent as strings, offset/length paging) and
// enforces its rules (the login token, the free plan's TTL minimum, the
// full-replace semantics of Record.Modify).
package dnspodfake

import (
	"fmt"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The credentials the fake accepts: a DNSPod Token is an ID and a token
// value, sent as login_token "ID,TOKEN".
const (
	// TokenID is the numeric ID of the valid token.
	TokenID = "123456"
	// Token is the secret value of the valid token.
	Token = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	// LoginToken is the valid Secret value: "ID,TOKEN".
	LoginToken = TokenID + "," + Token
)

const (
	// MinTTL is the smallest TTL the fake accepts: the minimum of DNSPod's
	// free plan (DP_Free), 600 seconds. Records.rst documents TTLs of
	// 1-604800 with "不同等级域名最小值不同" (each plan has its own minimum).
	MinTTL = 600
	// MaxTTL is the documented largest TTL.
	MaxTTL = 604800
	// DefaultTTL is the TTL of a record created without one (the free
	// plan's domain default).
	DefaultTTL = 600
	// DefaultPageSize is the fake's page size unless SetPageSize changes
	// it: small, so tests cross pages with few records.
	DefaultPageSize = 5
	// MaxLength is the documented forced page of Domain.List and
	// Record.List: "如果...数量超过了3000, 将会强制分页并且只返回前3000条".
	MaxLength = 3000
	// DefaultLine is the default line's name and DefaultLineID its ID.
	DefaultLine   = "默认"
	DefaultLineID = "0"
)

// lines are the line names the fake knows, with their IDs, as Record.Line
// lists them for a free-plan domain.
var lines = map[string]string{
	DefaultLine: DefaultLineID,
	"电信":        "10=0",
	"联通":        "10=1",
	"教育网":       "10=2",
	"移动":        "10=3",
	"境外":        "3=0",
	"搜索引擎":      "80=0",
}

// Record is a record as the fake stores it.
type Record struct {
	ID string
	// Name is relative to the zone: "@" for the apex.
	Name    string
	Type    string
	Value   string
	TTL     int
	Line    string
	LineID  string
	MX      int
	Weight  *int
	Enabled bool
	Remark  string
}

// zone is one domain of the account.
type zone struct {
	id      int
	name    string
	records []*Record
}

// Fake is the fake API server.
type Fake struct {
	// URL is the server's base URL, to use as the provider's Endpoint.
	URL string

	srv *httptest.Server
	t   testing.TB

	mu         sync.Mutex
	zones      []*zone
	nextDomain int
	nextRecord int
	pageSize   int
	fault      providertest.Fault
	calls      map[string]int
	requests   int
	writes     int
	userAgent  string
	providertest.CredentialLog
}

// New starts a fake holding the named zones. With t set, protocol
// violations by the client fail the test and the server closes at cleanup.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{t: t, nextDomain: 2317346, nextRecord: 16894439, pageSize: DefaultPageSize, calls: map[string]int{}}
	for _, z := range zones {
		f.AddZone(z)
	}
	f.srv = httptest.NewServer(f.handler())
	f.URL = f.srv.URL
	if t != nil {
		t.Cleanup(f.Close)
	}
	return f
}

// Close stops the server.
func (f *Fake) Close() { f.srv.Close() }

// AddZone adds a domain to the account and returns its domain_id.
func (f *Fake) AddZone(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextDomain++
	f.zones = append(f.zones, &zone{id: f.nextDomain, name: providers.CanonicalName(name)})
	return strconv.Itoa(f.nextDomain)
}

// ZoneID returns the domain_id of the named zone.
func (f *Fake) ZoneID(name string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	z := f.zoneByName(providers.CanonicalName(name))
	if z == nil {
		return "", false
	}
	return strconv.Itoa(z.id), true
}

// Seed stores r (an absolute name) on the default line of zone, bypassing
// the API, and returns it with its ID. r.Marker is stored as the remark.
func (f *Fake) Seed(zoneName string, r providers.Record) providers.Record {
	ttl := int(r.TTL)
	if ttl == 0 {
		ttl = DefaultTTL
	}
	s := f.SeedRecord(zoneName, Record{
		Name: providers.RelativeName(r.Name, zoneName), Type: r.Type, Value: r.Value, TTL: ttl,
		Line: DefaultLine, LineID: DefaultLineID, Enabled: true, Remark: r.Marker,
	})
	r.ID, r.Name, r.TTL = s.ID, providers.CanonicalName(r.Name), int32(ttl)
	return r
}

// SeedRecord stores r as given (Name relative to the zone) and returns it
// with its ID. It panics when the zone does not exist.
func (f *Fake) SeedRecord(zoneName string, r Record) Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	z := f.zoneByName(providers.CanonicalName(zoneName))
	if z == nil {
		panic(fmt.Sprintf("dnspodfake: no zone %q", zoneName))
	}
	if r.Line == "" {
		r.Line = DefaultLine
	}
	if r.LineID == "" {
		r.LineID = lines[r.Line]
	}
	r.ID = f.newRecordID()
	stored := r
	z.records = append(z.records, &stored)
	return stored
}

// Get returns the stored record with the given ID.
func (f *Fake) Get(id string) (Record, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, z := range f.zones {
		if _, r := z.record(id); r != nil {
			return *r, true
		}
	}
	return Record{}, false
}

// Records returns the records of a zone, in creation order.
func (f *Fake) Records(zoneName string) []Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	z := f.zoneByName(providers.CanonicalName(zoneName))
	if z == nil {
		return nil
	}
	out := make([]Record, 0, len(z.records))
	for _, r := range z.records {
		out = append(out, *r)
	}
	return out
}

// Writes returns how many Record.Create, Record.Modify, Record.Remove and
// Record.Remark requests the fake has received, whatever their outcome.
func (f *Fake) Writes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.writes
}

// Requests returns how many requests the fake has received.
func (f *Fake) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// Calls returns how many requests named action ("Record.List").
func (f *Fake) Calls(action string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[action]
}

// UserAgent returns the User-Agent of the last request.
func (f *Fake) UserAgent() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.userAgent
}

// SetFault makes every following request fail as fault says.
func (f *Fake) SetFault(fault providertest.Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fault = fault
}

// SetPageSize sets the most entries one list answer holds.
func (f *Fake) SetPageSize(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pageSize = n
}

// PageSize returns the most entries one list answer holds.
func (f *Fake) PageSize() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pageSize
}

// writeActions are the actions that change records.
var writeActions = map[string]bool{"Record.Create": true, "Record.Modify": true, "Record.Remove": true, "Record.Remark": true}

// zoneByName finds a zone by canonical name; f.mu is held.
func (f *Fake) zoneByName(name string) *zone {
	for _, z := range f.zones {
		if z.name == name {
			return z
		}
	}
	return nil
}

// zoneByParams finds the zone a request names by domain_id or domain;
// f.mu is held.
func (f *Fake) zoneByParams(id, name string) *zone {
	for _, z := range f.zones {
		if (id != "" && strconv.Itoa(z.id) == id) || (id == "" && name != "" && z.name == providers.CanonicalName(name)) {
			return z
		}
	}
	return nil
}

// newRecordID allocates a record ID; f.mu is held.
func (f *Fake) newRecordID() string {
	f.nextRecord++
	return strconv.Itoa(f.nextRecord)
}

// record finds a record of z by ID.
func (z *zone) record(id string) (int, *Record) {
	for i, r := range z.records {
		if r.ID == id {
			return i, r
		}
	}
	return -1, nil
}

// sortedZones returns the zones ordered by name, as Domain.List lists them.
func (f *Fake) sortedZones() []*zone {
	out := append([]*zone(nil), f.zones...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// errorf reports a client protocol violation to the test, when there is one.
func (f *Fake) errorf(format string, args ...any) {
	if f.t != nil {
		f.t.Helper()
		f.t.Errorf("dnspodfake: "+format, args...)
	}
}

// lineOf resolves record_line / record_line_id to a known line; the ID wins
// when both are set, as documented for Record.Create.
func lineOf(name, id string) (string, string, bool) {
	if id != "" {
		for n, i := range lines {
			if i == id {
				return n, i, true
			}
		}
		return "", "", false
	}
	i, ok := lines[name]
	return name, i, ok
}

// validSubDomain reports whether sub is a usable host record: "@", or
// labels of letters, digits, '-' and '_', the first possibly "*".
func validSubDomain(sub string) bool {
	if sub == "@" {
		return true
	}
	for i, label := range strings.Split(sub, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		if label == "*" && i == 0 {
			continue
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

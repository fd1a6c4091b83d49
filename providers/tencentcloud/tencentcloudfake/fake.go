// Package tencentcloudfake is a stateful fake of the Tencent Cloud DNSPod API
// 3.0 (service dnspod, version 2021-03-23) for tests: an httptest server that
// speaks the real wire format (POST JSON to "/", the action in X-TC-Action,
// the {"Response": ...} envelope, errors with HTTP 200), verifies every
// request's TC3-HMAC-SHA256 signature with the known SecretKey, pages lists
// with Offset/Limit, and enforces the free plan's TTL minimum.
package tencentcloudfake

import (
	"net/http/httptest"
	"net/netip"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

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
	// DefaultPageSize is the fake's default largest page.
	DefaultPageSize = 5
	// DefaultLine and DefaultLineID name the default line ("默认", ID "0").
	DefaultLine   = "默认"
	DefaultLineID = "0"
)

// lines are the line names and IDs the fake knows (a subset of what
// DescribeRecordLineList returns for a free domain).
var lines = map[string]string{
	"默认": "0", "电信": "10=0", "联通": "10=1", "教育网": "10=2", "移动": "10=3", "境外": "3=0",
}

// Record is a DNS record as the fake stores it, with the fields
// DescribeRecordList returns (RecordListItem).
type Record struct {
	ID        uint64
	SubDomain string // "@" for the apex
	Type      string
	Line      string
	LineID    string
	Value     string
	TTL       uint64
	MX        uint64
	Weight    *uint64
	Status    string // ENABLE or DISABLE
	Remark    string
	DefaultNS bool
	UpdatedOn time.Time
}

type domain struct {
	id      uint64
	name    string
	created time.Time
	records []*Record
}

// Fake is the fake DNSPod API server.
type Fake struct {
	// URL is the server's base URL, e.g. http://127.0.0.1:41234.
	URL string

	srv  *httptest.Server
	keys map[string]string // SecretId -> SecretKey
	now  func() time.Time

	mu       sync.Mutex
	domains  []*domain
	nextID   uint64
	pageSize int
	minTTL   uint64
	fault    providertest.Fault
	counts   map[string]int // action -> requests that passed authentication
	received int
	providertest.CredentialLog
}

// New starts a fake holding the named zones, each with the two NS records
// at "@" that the API lists for every domain. With t set, the server is
// closed when the test ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{
		keys:     map[string]string{SecretID: SecretKey},
		now:      time.Now,
		nextID:   1000,
		pageSize: DefaultPageSize,
		minTTL:   MinTTL,
		counts:   map[string]int{},
	}
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

// Close shuts the server down.
func (f *Fake) Close() { f.srv.Close() }

// AddZone adds an empty domain (with its default NS records) to the account.
func (f *Fake) AddZone(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	d := &domain{id: f.nextID, name: providers.CanonicalName(name), created: f.now()}
	for i := 1; i <= 2; i++ {
		f.nextID++
		d.records = append(d.records, &Record{ID: f.nextID, SubDomain: "@", Type: "NS", Line: DefaultLine,
			LineID: DefaultLineID, Value: "ns" + strconv.Itoa(i) + ".dnspod.net.", TTL: 86400,
			Status: "ENABLE", DefaultNS: true, UpdatedOn: f.now()})
	}
	f.domains = append(f.domains, d)
}

// SetPageSize sets the largest page DescribeDomainList and
// DescribeRecordList return, whatever Limit the client asks for.
func (f *Fake) SetPageSize(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pageSize = n
}

// PageSize returns the largest page the fake returns.
func (f *Fake) PageSize() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pageSize
}

// SetFault makes every following authenticated request fail with fault:
// FaultRateLimited answers RequestLimitExceeded (the API sends no
// Retry-After), FaultServerError answers InternalError.
func (f *Fake) SetFault(fault providertest.Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fault = fault
}

// AddKey makes the fake accept another SecretId/SecretKey pair.
func (f *Fake) AddKey(secretID, secretKey string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keys[secretID] = secretKey
}

// Seed stores r in zone on the default line, bypassing the API, and returns
// it with its ID. TTL 0 stores DefaultTTL; r.Marker is stored as the
// record's remark.
func (f *Fake) Seed(zone string, r providers.Record) providers.Record {
	rel := providers.RelativeName(r.Name, zone)
	ttl := uint64(r.TTL)
	if ttl == 0 {
		ttl = DefaultTTL
	}
	stored := f.SeedRecord(zone, Record{SubDomain: rel, Type: r.Type, Value: r.Value, TTL: ttl, Remark: r.Marker})
	r.ID = strconv.FormatUint(stored.ID, 10)
	r.Name = providers.AbsoluteName(rel, zone)
	r.TTL = int32(ttl)
	if a, err := netip.ParseAddr(r.Value); err == nil {
		r.Value = a.String()
	}
	return r
}

// SeedRecord stores rec in zone with every field as given (the line defaults
// to "默认", the status to ENABLE) and returns it with its new ID. It panics
// when the zone does not exist.
func (f *Fake) SeedRecord(zone string, rec Record) Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.domain(zone)
	if d == nil {
		panic("tencentcloudfake: no zone " + zone)
	}
	if rec.Line == "" && rec.LineID == "" {
		rec.Line, rec.LineID = DefaultLine, DefaultLineID
	}
	if rec.Status == "" {
		rec.Status = "ENABLE"
	}
	if rec.SubDomain == "" {
		rec.SubDomain = "@"
	}
	f.nextID++
	rec.ID = f.nextID
	rec.UpdatedOn = f.now()
	d.records = append(d.records, &rec)
	return rec
}

// Get returns the record with id in zone.
func (f *Fake) Get(zone string, id uint64) (Record, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if d := f.domain(zone); d != nil {
		if _, r := d.record(id); r != nil {
			return *r, true
		}
	}
	return Record{}, false
}

// Records returns the records of zone, NS records included, by ID.
func (f *Fake) Records(zone string) []Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Record
	if d := f.domain(zone); d != nil {
		for _, r := range d.records {
			out = append(out, *r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Writes returns how many CreateRecord, ModifyRecord and DeleteRecord
// requests passed authentication.
func (f *Fake) Writes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts["CreateRecord"] + f.counts["ModifyRecord"] + f.counts["DeleteRecord"]
}

// Requests returns how many requests of any action passed authentication.
func (f *Fake) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.counts {
		n += c
	}
	return n
}

// Count returns how many requests for action passed authentication.
func (f *Fake) Count(action string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[action]
}

// domain finds a domain by name; the caller holds f.mu.
func (f *Fake) domain(name string) *domain {
	name = providers.CanonicalName(name)
	for _, d := range f.domains {
		if d.name == name {
			return d
		}
	}
	return nil
}

// record finds a record by ID.
func (d *domain) record(id uint64) (int, *Record) {
	for i, r := range d.records {
		if r.ID == id {
			return i, r
		}
	}
	return -1, nil
}

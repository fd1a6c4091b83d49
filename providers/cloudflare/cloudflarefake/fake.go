// Package cloudflarefake is a stateful fake of the Cloudflare API v4 DNS
// endpoints, for tests: an httptest.Server that speaks the real wire format,
// so the unmodified SDK (github.com/cloudflare/cloudflare-go/v6) can be
// pointed at it with option.WithBaseURL.
//
// Shapes follow the Cloudflare API reference:
//   - envelope, errors and result_info pagination:
//     https://developers.cloudflare.com/fundamentals/api/how-to/make-api-calls/
//   - GET /zones (name filter, page, per_page 5..50, default 20):
//     https://developers.cloudflare.com/api/resources/zones/methods/list/
//   - GET/POST /zones/{zone_id}/dns_records, GET/PATCH/PUT/DELETE
//     /zones/{zone_id}/dns_records/{dns_record_id}, POST .../batch
//     (name / name.exact and type filters, per_page default 100, TTL 1 =
//     automatic or 60..86400, 30 on Enterprise; proxied records are always
//     automatic TTL):
//     https://developers.cloudflare.com/api/resources/dns/subresources/records/
//   - authentication: "Authorization: Bearer <token>", or the Global API
//     Key as X-Auth-Key with X-Auth-Email:
//     https://developers.cloudflare.com/fundamentals/api/get-started/
//   - throttling: HTTP 429 with Retry-After (seconds, rounded up):
//     https://developers.cloudflare.com/fundamentals/api/reference/limits/
//
// The API reference gives no table of error codes; the codes and messages
// used here (9109, 9103, 9106, 6003/6102/6103/6111, 971, 81044, 81058,
// 7003/7000, 1004/9021, 9313) are those the live API sends, as quoted
// verbatim in Cloudflare's own SDK and tooling issue trackers.
package cloudflarefake

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The credentials the fake accepts.
const (
	// Token is the valid API token (Authorization: Bearer Token).
	Token = "fAkEcLoUdFlArEtOkEn0123456789abcdefGHIJ"
	// APIKey is the valid Global API Key (X-Auth-Key), 37 hex digits.
	APIKey = "0123456789abcdef0123456789abcdef01234"
	// Email is the account e-mail that goes with APIKey (X-Auth-Email).
	Email = "dns-admin@example.com"
)

// Defaults of a new Fake.
const (
	// DefaultPageSize is the largest page the fake serves, whatever
	// per_page asks, so a few records prove a client reads every page.
	DefaultPageSize = 5
	// DefaultMinTTL is Cloudflare's minimum TTL below Enterprise plans.
	DefaultMinTTL = 60
	// DefaultRetryAfter is the Retry-After, in seconds, of FaultRateLimited.
	DefaultRetryAfter = 7
	// MaxCommentLength is the longest record comment, in characters, a
	// Free zone accepts (Pro, Business and Enterprise zones take 500):
	// https://developers.cloudflare.com/dns/manage-dns-records/reference/record-attributes/
	MaxCommentLength = 100
)

// Record is a DNS record held by the fake, with the Cloudflare-only
// settings tests look at.
type Record struct {
	ID      string
	Name    string
	Type    string
	Content string
	TTL     int
	Proxied bool
	Comment string
	Tags    []string
}

type zone struct {
	id, name string
	records  []*Record // in creation order
}

// Fake is a running fake Cloudflare API.
type Fake struct {
	// URL is the base URL to hand to option.WithBaseURL.
	URL string

	srv *httptest.Server

	mu         sync.Mutex
	zones      []*zone // in creation order
	nextID     int
	pageSize   int
	minTTL     int
	retryAfter int
	fault      providertest.Fault
	counts     map[string]int
	providertest.CredentialLog
}

// New starts a fake holding the given empty zones. With t set, the server
// closes when the test ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{pageSize: DefaultPageSize, minTTL: DefaultMinTTL, retryAfter: DefaultRetryAfter, counts: map[string]int{}}
	for _, z := range zones {
		f.AddZone(z)
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	f.URL = f.srv.URL
	if t != nil {
		t.Cleanup(f.Close)
	}
	return f
}

// Close stops the server.
func (f *Fake) Close() { f.srv.Close() }

// SetPageSize sets the largest page served (at least 1).
func (f *Fake) SetPageSize(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pageSize = max(n, 1)
}

// PageSize returns the largest page served.
func (f *Fake) PageSize() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pageSize
}

// SetMinTTL sets the smallest TTL accepted besides 1 (30 for Enterprise).
func (f *Fake) SetMinTTL(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.minTTL = n
}

// SetRetryAfter sets the Retry-After seconds FaultRateLimited sends; 0
// sends none.
func (f *Fake) SetRetryAfter(seconds int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.retryAfter = seconds
}

// SetFault makes every following request fail as fault says.
func (f *Fake) SetFault(fault providertest.Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fault = fault
}

// AddZone adds an empty zone and returns it with its ID.
func (f *Fake) AddZone(name string) providers.Zone {
	f.mu.Lock()
	defer f.mu.Unlock()
	name = providers.CanonicalName(name)
	if z := f.zoneByName(name); z != nil {
		return providers.Zone{ID: z.id, Name: z.name}
	}
	sum := md5.Sum([]byte("zone:" + name))
	z := &zone{id: hex.EncodeToString(sum[:]), name: name}
	f.zones = append(f.zones, z)
	return providers.Zone{ID: z.id, Name: z.name}
}

// ZoneID returns the ID of the named zone, or "" when the fake has none.
func (f *Fake) ZoneID(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if z := f.zoneByName(providers.CanonicalName(name)); z != nil {
		return z.id
	}
	return ""
}

// Seed stores r in the named zone directly, not proxied, with r.Marker as
// its comment, and returns it with its ID. It panics when the zone does not
// exist.
func (f *Fake) Seed(zoneName string, r providers.Record) providers.Record {
	rec := f.SeedRecord(zoneName, Record{Name: r.Name, Type: r.Type, Content: r.Value, TTL: int(r.TTL), Comment: r.Marker})
	r.ID, r.Name = rec.ID, rec.Name
	return r
}

// SeedRecord stores rec, Cloudflare-only settings included, and returns it
// with its ID. TTL 0 stores 1 (automatic).
func (f *Fake) SeedRecord(zoneName string, rec Record) Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	z := f.zoneByName(providers.CanonicalName(zoneName))
	if z == nil {
		panic(fmt.Sprintf("cloudflarefake: no zone %q", zoneName))
	}
	rec.ID = f.newID()
	rec.Name = absolute(rec.Name, z.name)
	rec.Type = strings.ToUpper(rec.Type)
	if rec.TTL == 0 || rec.Proxied {
		rec.TTL = 1
	}
	cp := rec
	z.records = append(z.records, &cp)
	return rec
}

// Get returns the record with id, in any zone.
func (f *Fake) Get(id string) (Record, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, z := range f.zones {
		if r := z.record(id); r != nil {
			return *r, true
		}
	}
	return Record{}, false
}

// Records returns the records of the named zone, in creation order.
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

// Writes returns how many create, update, delete and batch requests the
// fake has received, whatever their outcome.
func (f *Fake) Writes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts["create"] + f.counts["update"] + f.counts["delete"] + f.counts["batch"]
}

// Requests returns how many requests the fake has received.
func (f *Fake) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts["all"]
}

// Count returns how many requests of op were received: "listZones",
// "getZone", "listRecords", "getRecord", "create", "update", "delete",
// "batch".
func (f *Fake) Count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[op]
}

func (f *Fake) zoneByName(name string) *zone {
	for _, z := range f.zones {
		if z.name == name {
			return z
		}
	}
	return nil
}

func (f *Fake) zoneByID(id string) *zone {
	for _, z := range f.zones {
		if z.id == id {
			return z
		}
	}
	return nil
}

func (z *zone) record(id string) *Record {
	for _, r := range z.records {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func (f *Fake) newID() string {
	f.nextID++
	sum := md5.Sum([]byte(fmt.Sprintf("record:%d", f.nextID)))
	return hex.EncodeToString(sum[:])
}

// absolute expands a record name the way Cloudflare does: "@" is the apex,
// a name outside the zone is relative to it.
func absolute(name, zoneName string) string {
	name = providers.CanonicalName(name)
	switch {
	case name == "" || name == "@":
		return zoneName
	case name == zoneName || strings.HasSuffix(name, "."+zoneName):
		return name
	}
	return name + "." + zoneName
}

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

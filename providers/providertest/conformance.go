package providertest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// RetryAfter is the Retry-After a fake answers under FaultRateLimited when
// its provider documents no figure of its own. The operator waits it out,
// so in the envtest fault matrix's 8-second window a throttled record
// makes at most four requests, within its limit of six; a value of 1
// allowed eight and failed the matrix.
const RetryAfter = "2"

// Fault is a failure a provider's fake server can be told to produce, in the
// provider's own wire format.
type Fault int

const (
	// FaultNone clears any fault.
	FaultNone Fault = iota
	// FaultRateLimited answers as the provider does when throttling
	// (HTTP 429 with Retry-After, Throttling.User, RequestLimitExceeded...).
	FaultRateLimited
	// FaultServerError answers with the provider's internal-error response.
	FaultServerError
	// FaultAuthRejected refuses the credentials as the provider does (HTTP
	// 401/403 or the provider's auth-failure code), whatever was sent.
	FaultAuthRejected
	// FaultZoneNotFound answers as if the account held no zone: empty zone
	// lists and the provider's "no such domain" error (404 or its code).
	FaultZoneNotFound
	// FaultRateLimitedNoRetryAfter throttles without saying for how long.
	FaultRateLimitedNoRetryAfter
	// FaultHTTP500, FaultHTTP502 and FaultHTTP503 answer with that HTTP
	// status and the provider's error body for it.
	FaultHTTP500
	FaultHTTP502
	FaultHTTP503
	// FaultConnectionReset closes the connection without an answer.
	FaultConnectionReset
	// FaultTimeout holds every request without an answer until the client
	// gives up (or HoldLimit passes).
	FaultTimeout
	// FaultTruncatedJSON answers 200 with JSON cut off mid-object.
	FaultTruncatedJSON
	// FaultHTMLPage answers 200 with an HTML page, as a captive portal or a
	// misrouted proxy does.
	FaultHTMLPage
	// FaultEmptyOK answers 200 with an empty body.
	FaultEmptyOK
	// FaultEndlessBody answers 200 with a JSON body that never ends (until
	// EndlessBodyLimit bytes or the client hangs up).
	FaultEndlessBody
	// FaultEndlessPages makes every list endpoint say there is another page
	// and serve the first page again, forever.
	FaultEndlessPages
	// FaultLostResponse applies every write (create, update, delete) and
	// then closes the connection before the answer; reads are served
	// normally.
	FaultLostResponse
)

// Faults lists every fault but FaultNone, for tables that try them all.
var Faults = []Fault{
	FaultRateLimited, FaultServerError, FaultAuthRejected, FaultZoneNotFound,
	FaultRateLimitedNoRetryAfter, FaultHTTP500, FaultHTTP502, FaultHTTP503,
	FaultConnectionReset, FaultTimeout, FaultTruncatedJSON, FaultHTMLPage,
	FaultEmptyOK, FaultEndlessBody, FaultEndlessPages, FaultLostResponse,
}

// String names the fault, for test names and reports.
func (f Fault) String() string {
	names := []string{"none", "rate-limited", "server-error", "auth-rejected", "zone-not-found",
		"rate-limited-no-retry-after", "http-500", "http-502", "http-503", "connection-reset",
		"timeout", "truncated-json", "html-page", "empty-200", "endless-body", "endless-pages", "lost-response"}
	if int(f) >= 0 && int(f) < len(names) {
		return names[f]
	}
	return "fault-" + strconv.Itoa(int(f))
}

// Fixture is one provider under test, talking to a fresh fake server that
// holds the zones the suite asked for. The suite builds the provider itself
// through its Descriptor, as the operator does.
type Fixture struct {
	// Descriptor is the provider's, as the registry holds it.
	Descriptor providers.Descriptor
	// Env reaches the fake (its Endpoint, a client with a short timeout).
	Env providers.Env
	// Secret holds the right credentials; BadSecret the same keys with a
	// wrong secret (for signed APIs the fake recomputes the signature and
	// rejects it).
	Secret, BadSecret map[string][]byte
	// Spec holds the options block the provider needs, if any (nil: none).
	Spec *v1alpha1.DynamicDNSRecordSpec
	// Seed stores a record in the fake directly, bypassing the provider,
	// and returns it with its ID.
	Seed func(t *testing.T, zone string, r providers.Record) providers.Record
	// Writes returns how many create, update and delete requests the fake
	// has received.
	Writes func() int
	// Requests, when set, returns how many requests the fake has
	// received; the suite then logs each case's count (go test -v).
	Requests func() int
	// Fault makes the fake answer every following request with f.
	Fault func(f Fault)
	// PageSize is the largest page the fake's list endpoints return; the
	// suite stores more than that to prove every page is read.
	PageSize int
	// MinTTL is the smallest TTL the fake accepts (the plan's minimum). The
	// suite expects KindInvalid, with the number in the message, below it;
	// 0 or 1 says the provider accepts every TTL.
	MinTTL int32
	// RetryAfter says whether the provider's throttling answer carries a
	// wait time the provider must report.
	RetryAfter bool
	// FixedTTL says the service sets every record's TTL itself (dyndns2,
	// DuckDNS): records are listed with TTL 0, which matches any desired
	// TTL, and the suite expects 0 where it reads back a TTL it wrote.
	FixedTTL bool
	// WriteOnly says the provider's API has only a write call (dyndns2,
	// DuckDNS, a callback): its reads go to DNS or to memory, so the
	// credential and throttling cases write a record to meet the API.
	WriteOnly bool
	// NoDelete says why the provider cannot delete a record (the API only
	// sets addresses); the create-read-update-delete cases then expect
	// DeleteRecord to be refused with KindInvalid. Empty: it deletes.
	NoDelete string
	// WritesPerChange is how many write requests the provider takes to
	// change a record's value: 1 when 0. An API that cannot change a
	// value in place (add the new one, remove the old) takes 2.
	WritesPerChange int
	// UpdateTTLWrites is how many write requests an update changing both
	// the value and the TTL takes; 0 means one. An API that changes a
	// set's TTL with a call of its own (Hetzner's change_ttl action) takes
	// two; an update of the value alone must still take one.
	UpdateTTLWrites int
	// TTLs, when set, are the only TTLs the provider takes (ClouDNS
	// accepts a fixed list): the suite writes the smallest of them at
	// least 600 (and MinTTL) where it would write that, and the next one
	// where it changes a TTL. Empty, every TTL from MinTTL up is taken.
	TTLs []int32
	// Skip opts out of cases by name (see Cases), each with the reason
	// the provider cannot satisfy it. A name that is not a case fails the
	// suite, so a renamed case cannot silently stop being skipped.
	Skip map[string]string

	// Provider talks to the fake with Secret and BadCredentials with
	// BadSecret; Run builds both through the Descriptor.
	Provider, BadCredentials providers.Provider
}

// Gated builds the provider as Provider is built, with its requests paced
// by g.
func (f *Fixture) Gated(t *testing.T, g providers.Gate) providers.Provider {
	t.Helper()
	env := f.Env
	env.Gate = g
	return f.build(t, env, f.Secret)
}

func (f *Fixture) build(t *testing.T, env providers.Env, secret map[string][]byte) providers.Provider {
	t.Helper()
	p, err := f.Descriptor.New(env, secret, f.Spec)
	if err != nil {
		t.Fatalf("%s: New: %v", f.Descriptor.Name, err)
	}
	return p
}

// Setup builds a Fixture whose fake holds the named zones.
type Setup func(t *testing.T, zones []string) *Fixture

// Case is one named check of the conformance suite. Run gets a setup that
// returns a fixture with Provider and BadCredentials built.
type Case struct {
	Name string
	Run  func(t *testing.T, setup func(t *testing.T, zones []string) *Fixture)
}

// conformanceZones are the zones most cases start with.
var conformanceZones = []string{"example.com", "sub.example.com", "example.org"}

// Run runs every case of the conformance suite against the provider that
// setup builds, skipping only those the fixture opts out of with a reason.
func Run(t *testing.T, setup Setup) {
	t.Helper()
	var built []*Fixture // by the running case, for its request count
	build := func(t *testing.T, zones []string) *Fixture {
		t.Helper()
		f := setup(t, zones)
		f.Provider = f.build(t, f.Env, f.Secret)
		f.BadCredentials = f.build(t, f.Env, f.BadSecret)
		built = append(built, f)
		return f
	}
	skips := build(t, []string{"example.com"}).Skip
	known := map[string]bool{}
	for _, c := range Cases {
		known[c.Name] = true
	}
	for name, why := range skips {
		if !known[name] {
			t.Errorf("Skip names %q, which is not a conformance case", name)
		}
		if strings.TrimSpace(why) == "" {
			t.Errorf("Skip of %q gives no reason", name)
		}
	}
	for _, c := range Cases {
		t.Run(c.Name, func(t *testing.T) {
			if why, ok := skips[c.Name]; ok {
				t.Skip(why)
			}
			built = nil
			c.Run(t, build)
			if n, ok := requestsOf(built); ok {
				t.Logf("requests: %d", n)
			}
		})
	}
}

// Cases is the conformance suite, in the order it runs.
var Cases = []Case{
	{Name: "the descriptor says what the provider does", Run: describesItself},
	{Name: "FindZone picks the longest suffix", Run: func(t *testing.T, setup func(*testing.T, []string) *Fixture) {
		ctx := context.Background()
		f := setup(t, conformanceZones)
		for fqdn, want := range map[string]string{
			"home.example.com":         "example.com",
			"example.com":              "example.com",
			"a.b.sub.example.com":      "sub.example.com",
			"sub.example.com":          "sub.example.com",
			"notsub.example.com":       "example.com",
			"deep.name.in.example.org": "example.org",
		} {
			z, err := f.Provider.FindZone(ctx, fqdn, "")
			if err != nil {
				t.Fatalf("FindZone(%q): %v", fqdn, err)
			}
			if z.Name != want {
				t.Errorf("FindZone(%q) = %q, want %q", fqdn, z.Name, want)
			}
		}
	}},
	{Name: "FindZone with a hint", Run: func(t *testing.T, setup func(*testing.T, []string) *Fixture) {
		ctx := context.Background()
		f := setup(t, conformanceZones)
		z, err := f.Provider.FindZone(ctx, "a.sub.example.com", "example.com")
		if err != nil || z.Name != "example.com" {
			t.Fatalf("FindZone with hint example.com = %+v, %v", z, err)
		}
		_, err = f.Provider.FindZone(ctx, "a.example.com", "missing.example.com")
		wantKind(t, err, providers.KindZoneNotFound)
	}},
	{Name: "FindZone for a name no zone holds", Run: func(t *testing.T, setup func(*testing.T, []string) *Fixture) {
		ctx := context.Background()
		f := setup(t, conformanceZones)
		_, err := f.Provider.FindZone(ctx, "home.example.net", "")
		wantKind(t, err, providers.KindZoneNotFound)
		_, err = f.Provider.FindZone(ctx, "xexample.com", "")
		wantKind(t, err, providers.KindZoneNotFound)
	}},
	{Name: "FindZone reads every page of zones", Run: func(t *testing.T, setup func(*testing.T, []string) *Fixture) {
		ctx := context.Background()
		many := []string{}
		for i := 0; i < 2*pageOf(t, setup)+1; i++ {
			many = append(many, fmt.Sprintf("zone%03d.example", i))
		}
		f := setup(t, many)
		last := many[len(many)-1]
		z, err := f.Provider.FindZone(ctx, "home."+last, "")
		if err != nil || z.Name != last {
			t.Fatalf("FindZone(home.%s) = %+v, %v", last, z, err)
		}
	}},
	crudCase("A record", "home.example.com", "A", "81.2.69.160", "81.2.69.161"),
	crudCase("apex", "example.com", "A", "81.2.69.162", "81.2.69.163"),
	crudCase("deep name", "a.b.c.sub.example.com", "A", "81.2.69.164", "81.2.69.165"),
	crudCase("AAAA record", "v6.example.com", "AAAA", "2a02:2e0:3fe:1001:302::1", "2a02:2e0:3fe:1001:302::2"),
	{Name: "ListRecords filters by name and type", Run: func(t *testing.T, setup func(*testing.T, []string) *Fixture) {
		ctx := context.Background()
		f := setup(t, conformanceZones)
		z := findZone(t, f, "example.com")
		ttl := f.ttl()
		f.Seed(t, "example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: ttl})
		f.Seed(t, "example.com", providers.Record{Name: "home.example.com", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1", TTL: ttl})
		f.Seed(t, "example.com", providers.Record{Name: "other.example.com", Type: "A", Value: "81.2.69.161", TTL: ttl})
		f.Seed(t, "example.com", providers.Record{Name: "x.home.example.com", Type: "A", Value: "81.2.69.162", TTL: ttl})
		got, err := f.Provider.ListRecords(ctx, z, "home.example.com", "A")
		if err != nil {
			t.Fatalf("ListRecords: %v", err)
		}
		if len(got) != 1 || got[0].Value != "81.2.69.160" || got[0].Name != "home.example.com" || got[0].Type != "A" {
			t.Fatalf("ListRecords(home.example.com, A) = %+v, want only the one A record", got)
		}
	}},
	{Name: "duplicates are all reported, across pages", Run: func(t *testing.T, setup func(*testing.T, []string) *Fixture) {
		ctx := context.Background()
		f := setup(t, conformanceZones)
		z := findZone(t, f, "example.com")
		ttl := f.ttl()
		n := 2*f.PageSize + 1
		for i := 0; i < n; i++ {
			f.Seed(t, "example.com", providers.Record{Name: "dup.example.com", Type: "A", Value: fmt.Sprintf("81.2.%d.%d", 70+i/250, 1+i%250), TTL: ttl})
		}
		for i := 0; i < f.PageSize; i++ {
			f.Seed(t, "example.com", providers.Record{Name: fmt.Sprintf("n%d.example.com", i), Type: "A", Value: "81.2.69.160", TTL: ttl})
		}
		before := f.Writes()
		got, err := f.Provider.ListRecords(ctx, z, "dup.example.com", "A")
		if err != nil {
			t.Fatalf("ListRecords: %v", err)
		}
		if len(got) != n {
			t.Fatalf("ListRecords returned %d records, want all %d (page size %d)", len(got), n, f.PageSize)
		}
		ids := map[string]bool{}
		for _, r := range got {
			ids[r.ID] = true
		}
		if len(ids) != n {
			t.Fatalf("ListRecords returned %d distinct IDs, want %d", len(ids), n)
		}
		if f.Writes() != before {
			t.Fatalf("listing made %d write requests", f.Writes()-before)
		}
	}},
	{Name: "the ownership marker is stored, listed and kept", Run: func(t *testing.T, setup func(*testing.T, []string) *Fixture) {
		ctx := context.Background()
		f := setup(t, conformanceZones)
		z := findZone(t, f, "example.com")
		ttl := f.ttl()
		const mark = "ddns-operator/3f2c6a4e-0d6b-4c55-9a3e-2b7f1f0c9d11/default/home"
		created, err := f.Provider.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: ttl, Marker: mark})
		if err != nil {
			t.Fatalf("CreateRecord with a marker: %v", err)
		}
		readBack(t, f, z, "home.example.com", "A", providers.Record{ID: created.ID, Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: ttl, Marker: mark})
		upd := created
		upd.Value, upd.Marker = "81.2.69.161", ""
		if _, err := f.Provider.UpdateRecord(ctx, z, upd); err != nil {
			t.Fatalf("UpdateRecord without a marker: %v", err)
		}
		readBack(t, f, z, "home.example.com", "A", providers.Record{ID: created.ID, Name: "home.example.com", Type: "A", Value: "81.2.69.161", TTL: ttl, Marker: mark})
		upd.Marker = mark + "-2"
		if _, err := f.Provider.UpdateRecord(ctx, z, upd); err != nil {
			t.Fatalf("UpdateRecord with a new marker: %v", err)
		}
		readBack(t, f, z, "home.example.com", "A", providers.Record{ID: created.ID, Name: "home.example.com", Type: "A", Value: "81.2.69.161", TTL: ttl, Marker: mark + "-2"})
		seeded := f.Seed(t, "example.com", providers.Record{Name: "old.example.com", Type: "A", Value: "81.2.69.162", TTL: ttl})
		readBack(t, f, z, "old.example.com", "A", providers.Record{ID: seeded.ID, Name: "old.example.com", Type: "A", Value: "81.2.69.162", TTL: ttl})
		if err := f.Provider.DeleteRecord(ctx, z, upd); err != nil {
			t.Fatalf("DeleteRecord: %v", err)
		}
		if got, err := f.Provider.ListRecords(ctx, z, "home.example.com", "A"); err != nil || len(got) != 0 {
			t.Fatalf("after delete ListRecords = %+v, %v", got, err)
		}
	}},
	{Name: "ListZoneRecords reads the whole zone", Run: func(t *testing.T, setup func(*testing.T, []string) *Fixture) {
		ctx := context.Background()
		f := setup(t, conformanceZones)
		zr, ok := f.Provider.(providers.ZoneReader)
		if !ok {
			t.Skip("provider reads records by name only")
		}
		z := findZone(t, f, "example.com")
		ttl := f.ttl()
		n := 2*f.PageSize + 1
		want := map[string]string{}
		for i := 0; i < n; i++ {
			name := fmt.Sprintf("n%d.example.com", i)
			value := fmt.Sprintf("81.2.%d.%d", 70+i/250, 1+i%250)
			f.Seed(t, "example.com", providers.Record{Name: name, Type: "A", Value: value, TTL: ttl})
			want[name] = value
		}
		f.Seed(t, "example.com", providers.Record{Name: "n0.example.com", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1", TTL: ttl})
		f.Seed(t, "example.org", providers.Record{Name: "n1.example.org", Type: "A", Value: "81.2.69.160", TTL: ttl})
		marked, err := f.Provider.CreateRecord(ctx, z, providers.Record{Name: "example.com", Type: "A", Value: "81.2.69.170", TTL: ttl, Marker: "mine"})
		if err != nil {
			t.Fatalf("CreateRecord: %v", err)
		}
		want["example.com"] = "81.2.69.170"
		before := f.Writes()
		got, err := zr.ListZoneRecords(ctx, z, "A")
		if err != nil {
			t.Fatalf("ListZoneRecords: %v", err)
		}
		if f.Writes() != before {
			t.Fatalf("listing made %d write requests", f.Writes()-before)
		}
		seen := map[string]string{}
		for _, r := range got {
			if r.Type != "A" || r.ID == "" {
				t.Fatalf("ListZoneRecords(A) returned %+v", r)
			}
			if _, dup := seen[r.Name]; dup {
				t.Fatalf("ListZoneRecords returned %s twice", r.Name)
			}
			seen[r.Name] = r.Value
			if r.Name == "example.com" && (r.Marker != f.listedMarker("mine") || r.ID != marked.ID || r.TTL != f.listedTTL(ttl)) {
				t.Fatalf("ListZoneRecords lost fields of the apex record: %+v", r)
			}
		}
		if len(seen) != len(want) {
			t.Fatalf("ListZoneRecords returned %d A records, want %d (page size %d)", len(seen), len(want), f.PageSize)
		}
		for name, v := range want {
			if seen[name] != v {
				t.Fatalf("ListZoneRecords: %s = %q, want %q", name, seen[name], v)
			}
		}
	}},
	{Name: "ApplyBatch deletes, updates and creates in one request", Run: func(t *testing.T, setup func(*testing.T, []string) *Fixture) {
		ctx := context.Background()
		f := setup(t, conformanceZones)
		bw, ok := f.Provider.(providers.BatchWriter)
		if !ok {
			t.Skip("provider writes one record per request")
		}
		if bw.MaxBatch() < 2 {
			t.Fatalf("MaxBatch() = %d", bw.MaxBatch())
		}
		z := findZone(t, f, "example.com")
		ttl := f.ttl()
		gone := f.Seed(t, "example.com", providers.Record{Name: "gone.example.com", Type: "A", Value: "81.2.69.160", TTL: ttl})
		moved := f.Seed(t, "example.com", providers.Record{Name: "moved.example.com", Type: "A", Value: "81.2.69.161", TTL: ttl})
		moved.Value, moved.Marker = "81.2.69.171", "mine"
		before := f.Writes()
		res, err := bw.ApplyBatch(ctx, z, providers.Batch{
			Deletes: []providers.Record{gone},
			Updates: []providers.Record{moved},
			Creates: []providers.Record{{Name: "new.example.com", Type: "A", Value: "81.2.69.172", TTL: ttl, Marker: "mine"}},
		})
		if err != nil {
			t.Fatalf("ApplyBatch: %v", err)
		}
		if f.Writes() != before+1 {
			t.Fatalf("ApplyBatch made %d write requests, want 1", f.Writes()-before)
		}
		if len(res.Updated) != 1 || len(res.Created) != 1 || res.Created[0].ID == "" || res.Updated[0].ID != moved.ID {
			t.Fatalf("ApplyBatch result %+v", res)
		}
		readBack(t, f, z, "moved.example.com", "A", providers.Record{ID: moved.ID, Name: "moved.example.com", Type: "A", Value: "81.2.69.171", TTL: ttl, Marker: "mine"})
		readBack(t, f, z, "new.example.com", "A", providers.Record{ID: res.Created[0].ID, Name: "new.example.com", Type: "A", Value: "81.2.69.172", TTL: ttl, Marker: "mine"})
		if got, err := f.Provider.ListRecords(ctx, z, "gone.example.com", "A"); err != nil || len(got) != 0 {
			t.Fatalf("deleted record still listed: %+v, %v", got, err)
		}
		// A failing write leaves the zone as it was.
		_, err = bw.ApplyBatch(ctx, z, providers.Batch{
			Updates: []providers.Record{{ID: "no-such-record", Name: "x.example.com", Type: "A", Value: "81.2.69.173", TTL: ttl}},
			Creates: []providers.Record{{Name: "rolled-back.example.com", Type: "A", Value: "81.2.69.174", TTL: ttl}},
		})
		if err == nil {
			t.Fatal("ApplyBatch updating a missing record succeeded")
		}
		if got, err := f.Provider.ListRecords(ctx, z, "rolled-back.example.com", "A"); err != nil || len(got) != 0 {
			t.Fatalf("a failed batch left a record behind: %+v, %v", got, err)
		}
	}},
	{Name: "every request waits for the gate", Run: func(t *testing.T, setup func(*testing.T, []string) *Fixture) {
		ctx := context.Background()
		f := setup(t, conformanceZones)
		z := findZone(t, f, "example.com")
		g := &countingGate{}
		p := f.Gated(t, g)
		if _, err := p.FindZone(ctx, "home.example.com", ""); err != nil {
			t.Fatalf("FindZone: %v", err)
		}
		if _, err := p.ListRecords(ctx, z, "home.example.com", "A"); err != nil {
			t.Fatalf("ListRecords: %v", err)
		}
		if g.n.Load() < 2 {
			t.Fatalf("the gate was asked %d times for 2 calls", g.n.Load())
		}
		closed := &countingGate{err: context.Canceled}
		before := f.Writes()
		_, err := f.Gated(t, closed).CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: f.ttl()})
		if err == nil || f.Writes() != before {
			t.Fatalf("a create the gate refused: err %v, %d writes", err, f.Writes()-before)
		}
	}},
	{Name: "wrong credentials are an authentication error", Run: func(t *testing.T, setup func(*testing.T, []string) *Fixture) {
		ctx := context.Background()
		f := setup(t, conformanceZones)
		if f.WriteOnly {
			z := findZone(t, f, "example.com")
			_, err := f.BadCredentials.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: f.ttl()})
			wantKind(t, err, providers.KindAuth)
			return
		}
		_, err := f.BadCredentials.FindZone(ctx, "home.example.com", "")
		wantKind(t, err, providers.KindAuth)
	}},
	{Name: "throttling is a rate-limit error", Run: func(t *testing.T, setup func(*testing.T, []string) *Fixture) {
		ctx := context.Background()
		f := setup(t, conformanceZones)
		z := findZone(t, f, "example.com")
		if f.WriteOnly {
			throttledWrite(t, f, z)
			return
		}
		f.Fault(FaultRateLimited)
		_, err := f.Provider.ListRecords(ctx, z, "home.example.com", "A")
		wantKind(t, err, providers.KindRateLimited)
		if _, ok := providers.RetryAfterOf(err); f.RetryAfter && !ok {
			t.Fatalf("rate-limit error %v carries no retry-after", err)
		}
		f.Fault(FaultNone)
		if _, err := f.Provider.ListRecords(ctx, z, "home.example.com", "A"); err != nil {
			t.Fatalf("after the fault cleared: %v", err)
		}
	}},
	{Name: "a server error is transient", Run: func(t *testing.T, setup func(*testing.T, []string) *Fixture) {
		ctx := context.Background()
		f := setup(t, conformanceZones)
		z := findZone(t, f, "example.com")
		f.Fault(FaultServerError)
		_, err := f.Provider.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: f.ttl()})
		wantKind(t, err, providers.KindTransient)
	}},
	{Name: "a TTL below the minimum is invalid and names the minimum", Run: func(t *testing.T, setup func(*testing.T, []string) *Fixture) {
		ctx := context.Background()
		f := setup(t, conformanceZones)
		if f.MinTTL <= 1 {
			t.Skip("provider accepts every TTL")
		}
		z := findZone(t, f, "example.com")
		_, err := f.Provider.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: f.MinTTL - 1})
		wantKind(t, err, providers.KindInvalid)
		if !strings.Contains(err.Error(), fmt.Sprint(f.MinTTL)) {
			t.Fatalf("error %q does not name the minimum TTL %d", err, f.MinTTL)
		}
	}},
	{Name: "a cancelled context stops the call", Run: func(t *testing.T, setup func(*testing.T, []string) *Fixture) {
		ctx := context.Background()
		f := setup(t, conformanceZones)
		z := findZone(t, f, "example.com")
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		before := f.Writes()
		_, err := f.Provider.CreateRecord(cctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: f.ttl()})
		if err == nil {
			t.Fatal("CreateRecord with a cancelled context succeeded")
		}
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v does not wrap context.Canceled", err)
		}
		if f.Writes() != before {
			t.Fatal("a cancelled create reached the server")
		}
	}},
}

// throttledWrite is the throttling case of a write-only API: a throttled
// write is a rate-limit error, and once the fault clears and the wait the
// provider reported passes (a provider that honours it sends nothing
// before), the write goes through.
func throttledWrite(t *testing.T, f *Fixture, z providers.Zone) {
	ctx := context.Background()
	rec := providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: f.ttl()}
	f.Fault(FaultRateLimited)
	_, err := f.Provider.CreateRecord(ctx, z, rec)
	wantKind(t, err, providers.KindRateLimited)
	wait, ok := providers.RetryAfterOf(err)
	if f.RetryAfter && !ok {
		t.Fatalf("rate-limit error %v carries no retry-after", err)
	}
	f.Fault(FaultNone)
	if wait > 10*time.Second {
		t.Fatalf("the provider waits %s after a throttle asking for seconds", wait)
	}
	time.Sleep(wait)
	if _, err := f.Provider.CreateRecord(ctx, z, rec); err != nil {
		t.Fatalf("after the fault cleared and %s passed: %v", wait, err)
	}
}

// crudCase creates, reads back, updates and deletes one record.
func crudCase(name, fqdn, typ, value, value2 string) Case {
	tc := struct{ name, fqdn, typ, value, value2 string }{name, fqdn, typ, value, value2}
	return Case{Name: "create, read back, update, delete: " + name, Run: func(t *testing.T, setup func(*testing.T, []string) *Fixture) {
		ctx := context.Background()
		f := setup(t, conformanceZones)
		ttl := f.ttl()
		z, err := f.Provider.FindZone(ctx, tc.fqdn, "")
		if err != nil {
			t.Fatalf("FindZone: %v", err)
		}
		before := f.Writes()
		got, err := f.Provider.ListRecords(ctx, z, tc.fqdn, tc.typ)
		if err != nil || len(got) != 0 {
			t.Fatalf("ListRecords on an empty name = %v, %v", got, err)
		}
		if f.Writes() != before {
			t.Fatalf("reading made %d write requests", f.Writes()-before)
		}
		created, err := f.Provider.CreateRecord(ctx, z, providers.Record{Name: tc.fqdn, Type: tc.typ, Value: tc.value, TTL: ttl})
		if err != nil {
			t.Fatalf("CreateRecord: %v", err)
		}
		if created.ID == "" {
			t.Fatal("CreateRecord returned no ID")
		}
		if f.Writes() != before+1 {
			t.Fatalf("create made %d write requests, want 1", f.Writes()-before)
		}
		readBack(t, f, z, tc.fqdn, tc.typ, providers.Record{ID: created.ID, Name: tc.fqdn, Type: tc.typ, Value: tc.value, TTL: ttl})

		upd := created
		upd.Value, upd.TTL = tc.value2, f.changedTTL(ttl)
		if _, err := f.Provider.UpdateRecord(ctx, z, upd); err != nil {
			t.Fatalf("UpdateRecord: %v", err)
		}
		if want := max(f.UpdateTTLWrites, f.WritesPerChange, 1); f.Writes() != before+1+want {
			t.Fatalf("update of value and TTL made %d write requests, want %d", f.Writes()-before-1, want)
		}
		readBack(t, f, z, tc.fqdn, tc.typ, providers.Record{ID: created.ID, Name: tc.fqdn, Type: tc.typ, Value: tc.value2, TTL: f.changedTTL(ttl)})

		if f.NoDelete != "" {
			before = f.Writes()
			wantKind(t, f.Provider.DeleteRecord(ctx, z, created), providers.KindInvalid)
			if f.Writes() != before {
				t.Fatalf("a refused delete made %d write requests", f.Writes()-before)
			}
			return
		}
		if err := f.Provider.DeleteRecord(ctx, z, created); err != nil {
			t.Fatalf("DeleteRecord: %v", err)
		}
		if got, err := f.Provider.ListRecords(ctx, z, tc.fqdn, tc.typ); err != nil || len(got) != 0 {
			t.Fatalf("after delete ListRecords = %v, %v", got, err)
		}
		if err := f.Provider.DeleteRecord(ctx, z, created); err != nil {
			t.Fatalf("deleting a record already gone: %v", err)
		}
	}}
}

// describesItself checks the descriptor against the provider it builds: the
// capabilities it declares are the interfaces the provider implements, a
// Secret without keys is refused naming a key (or, for a provider with
// ambient credentials, every key is optional), and some key is secret.
func describesItself(t *testing.T, setup func(*testing.T, []string) *Fixture) {
	f := setup(t, []string{"example.com"})
	d := f.Descriptor
	if d.Name == "" || d.Name != strings.ToLower(d.Name) || d.Title == "" || d.New == nil || d.DefaultTTL == "" {
		t.Fatalf("descriptor %q lacks a lowercase name, a title, a constructor or a default TTL", d.Name)
	}
	_, zr := f.Provider.(providers.ZoneReader)
	_, bw := f.Provider.(providers.BatchWriter)
	if zr != d.ZoneList || bw != d.Batch {
		t.Fatalf("descriptor says ZoneList %t, Batch %t; the provider implements ZoneReader %t, BatchWriter %t", d.ZoneList, d.Batch, zr, bw)
	}
	secret := false
	for _, k := range d.Keys {
		secret = secret || k.Secret
		if _, ok := f.Secret[k.Name]; !ok && !k.Optional {
			t.Errorf("the fixture's Secret lacks the required key %q", k.Name)
		}
	}
	if l := d.Limits; l.Requests < 0 || (l.Requests > 0) != (l.Per > 0) || l.Concurrency < 0 {
		t.Errorf("limits %+v: a request count needs its period", l)
	}
	if len(d.Keys) > 0 && !secret {
		t.Errorf("no key of %v is declared secret: credentials would be shown in messages", d.Keys)
	}
	switch {
	case d.Ambient != "":
		// A Secret without keys selects the ambient credentials, so every
		// key must be optional (and the suite builds nothing from it: the
		// ambient credentials are the machine's, not the fake's).
		for _, k := range d.Keys {
			if !k.Optional {
				t.Errorf("the provider falls back to %s, yet key %q is required", d.Ambient, k.Name)
			}
		}
	case len(d.Keys) > 0:
		_, err := d.New(f.Env, map[string][]byte{}, f.Spec)
		wantKind(t, err, providers.KindCredentials)
	}
}

// ttl is the TTL the suite writes records with: at least 600 and MinTTL,
// and one of TTLs when the provider takes only those.
func (f *Fixture) ttl() int32 {
	want := max(f.MinTTL, 600)
	for _, t := range f.TTLs {
		if t >= want {
			return t
		}
	}
	return want
}

// changedTTL is the TTL the suite changes a record of TTL ttl to: 60
// seconds more, or the next of TTLs.
func (f *Fixture) changedTTL(ttl int32) int32 {
	for _, t := range f.TTLs {
		if t > ttl {
			return t
		}
	}
	return ttl + 60
}

// listedTTL is the TTL a record written with ttl is listed with: 0 when
// the provider fixes TTLs itself.
func (f *Fixture) listedTTL(ttl int32) int32 {
	if f.FixedTTL {
		return 0
	}
	return ttl
}

// listedMarker is the marker a record written with marker is listed
// with: none when the provider has no place for one (Descriptor.Marker
// is empty).
func (f *Fixture) listedMarker(marker string) string {
	if f.Descriptor.Marker == "" {
		return ""
	}
	return marker
}

// requestsOf sums the requests the fixtures' fakes received.
func requestsOf(fs []*Fixture) (int, bool) {
	n := 0
	for _, f := range fs {
		if f.Requests == nil {
			return 0, false
		}
		n += f.Requests()
	}
	return n, len(fs) > 0
}

// countingGate counts Wait calls and refuses them with err when set.
type countingGate struct {
	n   atomic.Int64
	err error
}

func (g *countingGate) Wait(ctx context.Context) error {
	g.n.Add(1)
	if g.err != nil {
		return g.err
	}
	return ctx.Err()
}

// pageOf learns the fixture's page size from a throw-away fixture.
func pageOf(t *testing.T, setup Setup) int {
	return setup(t, []string{"example.com"}).PageSize
}

func findZone(t *testing.T, f *Fixture, name string) providers.Zone {
	t.Helper()
	z, err := f.Provider.FindZone(context.Background(), name, name)
	if err != nil {
		t.Fatalf("FindZone(%q): %v", name, err)
	}
	return z
}

func readBack(t *testing.T, f *Fixture, z providers.Zone, fqdn, typ string, want providers.Record) {
	t.Helper()
	want.TTL, want.Marker = f.listedTTL(want.TTL), f.listedMarker(want.Marker)
	got, err := f.Provider.ListRecords(context.Background(), z, fqdn, typ)
	if err != nil {
		t.Fatalf("ListRecords: %v", err)
	}
	if f.FixedTTL {
		want.TTL = 0
	}
	if len(got) != 1 || got[0] != want {
		t.Fatalf("ListRecords(%s, %s) = %+v, want [%+v]", fqdn, typ, got, want)
	}
}

func wantKind(t *testing.T, err error, k providers.Kind) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want a %s error", k)
	}
	if got := providers.KindOf(err); got != k {
		t.Fatalf("error %q is of kind %s, want %s", err, got, k)
	}
}

// CredentialLog remembers the credential material a fake server received
// (Authorization headers, tokens, signatures), so tests can check that none
// of it ever reaches a log, event or status. Fakes embed it; the zero value
// is ready and safe for concurrent use.
type CredentialLog struct {
	mu   sync.Mutex
	seen map[string]bool
}

// Note records each non-empty value.
func (l *CredentialLog) Note(values ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, v := range values {
		if v == "" {
			continue
		}
		if l.seen == nil {
			l.seen = map[string]bool{}
		}
		l.seen[v] = true
	}
}

// CredentialsSeen returns every value noted.
func (l *CredentialLog) CredentialsSeen() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, 0, len(l.seen))
	for v := range l.seen {
		out = append(out, v)
	}
	return out
}

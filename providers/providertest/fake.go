package providertest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
)

// This file is the fake-server kit: what every provider's fake shares, so
// a fake writes only its wire format (routes, shapes, errors) and its
// authentication. A fake is a Fake[X] with a Wire; X holds what only that
// provider keeps on a record (Cloudflare's proxied flag, a line ID).

// Rec is a record as a fake stores it.
type Rec[X any] struct {
	ID string
	// Zone is the name of the zone that holds the record.
	Zone string
	// Name is the record's full name, lowercase, without a trailing dot.
	Name  string
	Type  string
	Value string
	TTL   int
	// Marker is the record's comment or remark.
	Marker string
	// X is what only this provider keeps.
	X X
}

// Record returns r in the contract's terms.
func (r *Rec[X]) Record() providers.Record {
	return providers.Record{ID: r.ID, Name: r.Name, Type: r.Type, Value: r.Value, TTL: int32(r.TTL), Marker: r.Marker}
}

// Zone is a zone of a fake, with its records in creation order.
type Zone[X any] struct {
	ID, Name string
	Records  []*Rec[X]
}

// Select returns the zone's records named name (any name when "") of type
// typ (any type when ""), in creation order.
func (z *Zone[X]) Select(name, typ string) []*Rec[X] {
	name = providers.CanonicalName(name)
	var out []*Rec[X]
	for _, r := range z.Records {
		if (name == "" || r.Name == name) && (typ == "" || strings.EqualFold(r.Type, typ)) {
			out = append(out, r)
		}
	}
	return out
}

// Record returns the zone's record with id, or nil.
func (z *Zone[X]) Record(id string) *Rec[X] {
	for _, r := range z.Records {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Remove deletes the record with id and reports whether there was one.
func (z *Zone[X]) Remove(id string) bool {
	n := len(z.Records)
	z.Records = slices.DeleteFunc(z.Records, func(r *Rec[X]) bool { return r.ID == id })
	return len(z.Records) != n
}

// Store is a fake's zones and records. It does not lock: the Fake holds
// its lock while a Wire serves a request, and around its own accessors.
type Store[X any] struct {
	// ZoneID and RecordID make the n-th zone's and record's ID in the
	// provider's shape; decimal numbers when nil.
	ZoneID   func(name string, n int) string
	RecordID func(n int) string
	// Defaults, when set, fills in what a record added by Add (seeded or
	// created through the wire) left unset, as the provider does: a
	// default TTL, line or status.
	Defaults func(r *Rec[X])
	// RecordIDOf, when set, makes the ID of a record added to a zone from
	// the record itself and the zone's records; it wins over RecordID.
	// Record-set fakes use SetRecordID, as their APIs give values no ID.
	RecordIDOf func(z *Zone[X], r *Rec[X], n int) string

	zones       []*Zone[X]
	zoneN, recN int
}

// AddZone adds an empty zone (once) and returns it.
func (s *Store[X]) AddZone(name string) *Zone[X] {
	name = providers.CanonicalName(name)
	if z := s.Zone(name); z != nil {
		return z
	}
	s.zoneN++
	id := strconv.Itoa(s.zoneN)
	if s.ZoneID != nil {
		id = s.ZoneID(name, s.zoneN)
	}
	z := &Zone[X]{ID: id, Name: name}
	s.zones = append(s.zones, z)
	return z
}

// Zones returns the zones in the order they were added.
func (s *Store[X]) Zones() []*Zone[X] { return s.zones }

// Zone returns the zone named name, or nil.
func (s *Store[X]) Zone(name string) *Zone[X] {
	name = providers.CanonicalName(name)
	for _, z := range s.zones {
		if z.Name == name {
			return z
		}
	}
	return nil
}

// ZoneByID returns the zone with id, or nil.
func (s *Store[X]) ZoneByID(id string) *Zone[X] {
	for _, z := range s.zones {
		if z.ID == id {
			return z
		}
	}
	return nil
}

// Add stores r in z with a new ID and returns the stored record. A
// relative name ("@", "home") is made absolute in z.
func (s *Store[X]) Add(z *Zone[X], r Rec[X]) *Rec[X] {
	s.recN++
	r.ID = strconv.Itoa(s.recN)
	if s.RecordID != nil {
		r.ID = s.RecordID(s.recN)
	}
	r.Zone, r.Name, r.Type = z.Name, absolute(r.Name, z.Name), strings.ToUpper(r.Type)
	if s.Defaults != nil {
		s.Defaults(&r)
	}
	if s.RecordIDOf != nil {
		r.ID = s.RecordIDOf(z, &r, s.recN)
	}
	stored := r
	z.Records = append(z.Records, &stored)
	return &stored
}

// Find returns the record with id and its zone, or nils.
func (s *Store[X]) Find(id string) (*Zone[X], *Rec[X]) {
	for _, z := range s.zones {
		if r := z.Record(id); r != nil {
			return z, r
		}
	}
	return nil, nil
}

// absolute expands a record name as DNS APIs do: "" and "@" are the apex,
// a name outside the zone is relative to it.
func absolute(name, zone string) string {
	name = providers.CanonicalName(name)
	switch {
	case name == "" || name == "@":
		return zone
	case name == zone || strings.HasSuffix(name, "."+zone):
		return name
	}
	return name + "." + zone
}

// Absolute returns name made absolute in zone as absolute does, for a wire
// format that takes record names both ways.
func Absolute(name, zone string) string { return absolute(name, zone) }

// Page returns the page-th page (from 1) of items at size items a page.
func Page[T any](items []T, page, size int) []T {
	return Slice(items, (max(page, 1)-1)*size, size)
}

// Slice returns at most limit items from offset on.
func Slice[T any](items []T, offset, limit int) []T {
	if offset < 0 || offset >= len(items) || limit <= 0 {
		return nil
	}
	return items[offset:min(offset+limit, len(items))]
}

// Wire is a provider's protocol, as its fake speaks it.
type Wire interface {
	// Operation names the API operation r asks for ("" for none) and
	// says whether it writes records; body is r's body.
	Operation(r *http.Request, body []byte) (op string, write bool)
	// Authenticate checks r's credentials. It notes the credential
	// material r carries in the fake's CredentialLog, and on refusal
	// answers as the provider does and returns false.
	Authenticate(w http.ResponseWriter, r *http.Request, body []byte) bool
	// Fault answers r as the provider does under f, for the faults that
	// have a wire format of the provider's own (throttling, server
	// errors, refused credentials, an unknown zone, endless pages); it
	// returns false to leave r to Serve. The fake's lock is held.
	Fault(w http.ResponseWriter, r *http.Request, f Fault, op string) bool
	// Serve answers an authenticated request. The fake's lock is held.
	Serve(w http.ResponseWriter, r *http.Request, op string, body []byte)
}

// Fake is a running fake provider API: an httptest.Server whose requests
// are counted, can be made to fail, and are answered by a Wire over a
// Store. Embed it in a provider's fake type.
type Fake[X any] struct {
	// URL is the server's base URL, for providers.Env.Endpoint.
	URL string
	// Store holds the zones and records; lock with Lock around direct use.
	Store Store[X]
	// PageSize caps every page the fake serves, so a few records prove a
	// client reads every page.
	PageSize int
	// Companions says the provider keeps ownership markers in companion
	// TXT records (providers.CompanionName) rather than on the records:
	// Seed then stores a record's Marker as its companion's text, and
	// Records reports each record with the marker its companion holds.
	Companions bool
	CredentialLog

	wire     Wire
	srv      *httptest.Server
	mu       sync.Mutex
	fault    Fault
	raw      *rawAnswer
	latency  time.Duration
	counts   map[string]int
	writes   int
	requests int
	served   int
}

// rawAnswer is an answer FailWith makes the fake give every request.
type rawAnswer struct {
	status int
	body   string
}

// DefaultFakePageSize is a fake's PageSize unless it sets another.
const DefaultFakePageSize = 5

// Start starts f serving with wire; with t set the server closes when the
// test ends. Zones are added with AddZone before or after.
func (f *Fake[X]) Start(t testing.TB, wire Wire) {
	f.wire, f.counts = wire, map[string]int{}
	if f.PageSize == 0 {
		f.PageSize = DefaultFakePageSize
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	f.URL = f.srv.URL
	if t != nil {
		t.Cleanup(f.Close)
	}
}

// Close stops the server.
func (f *Fake[X]) Close() { f.srv.Close() }

// Lock and Unlock guard the store for direct use by a fake's helpers.
func (f *Fake[X]) Lock()   { f.mu.Lock() }
func (f *Fake[X]) Unlock() { f.mu.Unlock() }

// serve counts r, applies the fault set, authenticates r and hands it to
// the wire format.
func (f *Fake[X]) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	op, write := f.wire.Operation(r, body)
	f.mu.Lock()
	f.requests++
	f.counts[op]++
	fault, raw, latency := f.fault, f.raw, f.latency
	f.mu.Unlock()
	if latency > 0 {
		select {
		case <-time.After(latency):
		case <-r.Context().Done():
			return
		}
	}
	if raw != nil {
		w.WriteHeader(raw.status)
		_, _ = io.WriteString(w, raw.body)
		return
	}
	if ServeWireFault(w, r, fault) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.wire.Fault(w, r, fault, op) || !f.wire.Authenticate(w, r, body) {
		return
	}
	f.served++
	if write {
		f.writes++
	}
	if write && fault == FaultLostResponse {
		LoseResponse(w, func(rec http.ResponseWriter) { f.wire.Serve(rec, r, op, body) })
		return
	}
	f.wire.Serve(w, r, op, body)
}

// SetFault makes every following request fail as fault says (FaultNone
// clears it).
func (f *Fake[X]) SetFault(fault Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fault = fault
}

// FailWith makes every following request answer status with body, as a
// misbehaving server or proxy in front of the API would; status 0 clears
// it.
func (f *Fake[X]) FailWith(status int, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.raw = nil
	if status != 0 {
		f.raw = &rawAnswer{status: status, body: body}
	}
}

// SetLatency delays every following answer by d.
func (f *Fake[X]) SetLatency(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.latency = d
}

// Writes returns how many authenticated write requests the fake received.
func (f *Fake[X]) Writes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.writes
}

// Requests returns how many requests the fake received.
func (f *Fake[X]) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// Count returns how many requests named operation op were received,
// whatever their outcome.
func (f *Fake[X]) Count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[op]
}

// Served returns how many requests passed the faults and authentication
// and reached the wire's Serve.
func (f *Fake[X]) Served() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.served
}

// AddZone adds an empty zone and returns it in the contract's terms.
func (f *Fake[X]) AddZone(name string) providers.Zone {
	f.mu.Lock()
	defer f.mu.Unlock()
	z := f.Store.AddZone(name)
	return providers.Zone{ID: z.ID, Name: z.Name}
}

// ZoneID returns the ID of the named zone, and false when the fake has
// none.
func (f *Fake[X]) ZoneID(name string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if z := f.Store.Zone(name); z != nil {
		return z.ID, true
	}
	return "", false
}

// Seed stores r in the named zone directly, bypassing the wire, with
// r.Marker as its comment, and returns it with its ID. It panics when the
// zone does not exist.
func (f *Fake[X]) Seed(zone string, r providers.Record) providers.Record {
	stored := f.SeedRec(zone, Rec[X]{Name: r.Name, Type: r.Type, Value: r.Value, TTL: int(r.TTL), Marker: r.Marker})
	return stored.Record()
}

// SeedRec stores r, provider-only settings included, and returns it.
func (f *Fake[X]) SeedRec(zone string, r Rec[X]) Rec[X] {
	f.mu.Lock()
	defer f.mu.Unlock()
	z := f.Store.Zone(zone)
	if z == nil {
		panic("providertest: the fake has no zone " + zone)
	}
	if f.Companions && r.Marker != "" && r.Type != "TXT" {
		f.Store.SetCompanion(z, r.Name, r.Type, r.Marker)
		marker := r.Marker
		r.Marker = ""
		stored := *f.Store.Add(z, r)
		stored.Marker = marker
		return stored
	}
	return *f.Store.Add(z, r)
}

// Get returns the record with id, in any zone.
func (f *Fake[X]) Get(id string) (Rec[X], bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, r := f.Store.Find(id); r != nil {
		return *r, true
	}
	return Rec[X]{}, false
}

// Records returns copies of the named zone's records named name (all when
// "") of type typ (all when ""), in creation order.
func (f *Fake[X]) Records(zone, name, typ string) []Rec[X] {
	f.mu.Lock()
	defer f.mu.Unlock()
	z := f.Store.Zone(zone)
	if z == nil {
		return nil
	}
	var out []Rec[X]
	for _, r := range z.Select(name, typ) {
		c := *r
		if f.Companions && c.Type != "TXT" {
			c.Marker = z.CompanionText(c.Name, c.Type)
		}
		out = append(out, c)
	}
	return out
}

// Fill sets the fixture's hooks into the fake (Seed, Writes, Requests,
// Fault, PageSize) and returns it.
func (f *Fake[X]) Fill(fx *Fixture) *Fixture {
	fx.Seed = func(_ *testing.T, zone string, r providers.Record) providers.Record { return f.Seed(zone, r) }
	fx.Writes, fx.Requests, fx.Fault, fx.PageSize = f.Writes, f.Requests, f.SetFault, f.PageSize
	return fx
}

// Endless reports whether FaultEndlessPages is set. Call it from a Wire's
// Serve, which runs with the lock held.
func (f *Fake[X]) Endless() bool { return f.fault == FaultEndlessPages }

// Window returns the bounds [lo, hi) of the page of n items that starts at
// offset and holds at most limit items, and never more than PageSize, as a
// list endpoint serves it; under FaultEndlessPages it is the first page,
// whatever was asked. Call it from a Wire's Serve.
func (f *Fake[X]) Window(n, offset, limit int) (lo, hi int) {
	if f.Endless() {
		offset = 0
	}
	lo = min(max(offset, 0), n)
	return lo, min(lo+max(min(limit, f.PageSize), 0), n)
}

// Total is the item count a list answer reports for n items: n, or
// EndlessTotal under FaultEndlessPages, so a client always sees another
// page. Call it from a Wire's Serve.
func (f *Fake[X]) Total(n int) int {
	if f.Endless() {
		return EndlessTotal
	}
	return n
}

// FaultStatus is the HTTP status FaultHTTP500, FaultHTTP502 or
// FaultHTTP503 names, and 0 for any other fault.
func FaultStatus(f Fault) int {
	return map[Fault]int{FaultHTTP500: http.StatusInternalServerError, FaultHTTP502: http.StatusBadGateway, FaultHTTP503: http.StatusServiceUnavailable}[f]
}

// WriteJSON answers status with v as JSON, with Content-Type
// application/json unless the caller set one (a charset, say) before.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Authorization is a parsed Authorization header of the form
// "ALGORITHM Credential=..., SignedHeaders=a;b;c, Signature=...", which
// the HMAC-SHA256 request signatures of several providers share (Alibaba
// Cloud's ACS3, Tencent Cloud's TC3, AWS's SigV4 and their relatives).
type Authorization struct {
	Credential    string
	SignedHeaders []string
	Signature     string
}

// ParseAuthorization parses h as an Authorization of algorithm; false when
// it is of another algorithm, malformed, or lacks one of the three parts.
func ParseAuthorization(h, algorithm string) (Authorization, bool) {
	var a Authorization
	rest, ok := strings.CutPrefix(strings.TrimSpace(h), algorithm+" ")
	if !ok {
		return a, false
	}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, false
		}
		switch k {
		case "Credential":
			a.Credential = v
		case "SignedHeaders":
			a.SignedHeaders = strings.Split(v, ";")
		case "Signature":
			a.Signature = v
		}
	}
	return a, a.Credential != "" && len(a.SignedHeaders) > 0 && a.Signature != ""
}

// CanonicalHeaders returns the canonical headers of a signed request: a
// "name:value\n" line for each of names, lowercase and sorted, with the
// value trimmed (repeated values joined by ","; host is r.Host), and the
// sorted names joined by ";".
func CanonicalHeaders(r *http.Request, names []string) (headers, signed string) {
	var lower []string
	for _, n := range names {
		lower = append(lower, strings.ToLower(strings.TrimSpace(n)))
	}
	slices.Sort(lower)
	var b strings.Builder
	for _, n := range lower {
		vals := []string{r.Host}
		if n != "host" {
			vals = slices.Clone(r.Header.Values(n))
		}
		for i := range vals {
			vals[i] = strings.TrimSpace(vals[i])
		}
		b.WriteString(n + ":" + strings.Join(vals, ",") + "\n")
	}
	return b.String(), strings.Join(lower, ";")
}

// SHA256Hex is the lowercase hex SHA-256 of b.
func SHA256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// HMACSHA256 is the HMAC-SHA256 of msg under key.
func HMACSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

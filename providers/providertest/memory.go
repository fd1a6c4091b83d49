// Package providertest holds what provider tests share: the conformance
// suite every provider runs against its fake server, and an in-memory
// provider for controller tests.
package providertest

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"sync"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// MemoryTokenKey is the Secret key the in-memory provider reads.
const MemoryTokenKey = "token"

// Memory is an in-memory DNS provider for controller tests. It keeps zones
// and records, counts calls per operation, checks a token like a real API,
// and can be told to fail.
type Memory struct {
	// Token is the credential the provider accepts.
	Token string
	// MinTTL is the smallest TTL accepted; smaller ones are KindInvalid.
	MinTTL int32
	// BatchSize, when above zero, makes the provider a BatchWriter taking
	// up to that many writes per ApplyBatch call.
	BatchSize int

	mu     sync.Mutex
	zones  map[string]map[string]providers.Record // zone -> id -> record
	nextID int
	calls  map[string]int
	fault  func(op string) error
}

// NewMemory returns a provider holding the given empty zones.
func NewMemory(token string, zones ...string) *Memory {
	m := &Memory{Token: token, zones: map[string]map[string]providers.Record{}, calls: map[string]int{}}
	for _, z := range zones {
		m.zones[providers.CanonicalName(z)] = map[string]providers.Record{}
	}
	return m
}

// Descriptor declares m as the provider name: each account built from it
// is a view of m checked against the Secret's token, whose requests wait
// for the account's gate.
func (m *Memory) Descriptor(name string) providers.Descriptor {
	return providers.Descriptor{
		Name:       name,
		Title:      "in-memory provider " + name,
		Keys:       []providers.SecretKey{{Name: MemoryTokenKey, Secret: true, Help: "the token the provider accepts"}},
		ZoneList:   true,
		Batch:      m.BatchSize > 0,
		Marker:     "comment",
		DefaultTTL: "300",
		New: func(env providers.Env, secret map[string][]byte, _ *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
			return m.New(env, secret)
		},
	}
}

// New builds a view of m for the Secret's token, as Descriptor's New does.
func (m *Memory) New(env providers.Env, secret map[string][]byte) (providers.Provider, error) {
	tok, ok := secret[MemoryTokenKey]
	if !ok {
		return nil, providers.MissingKey(MemoryTokenKey)
	}
	if len(tok) == 0 {
		return nil, providers.MalformedKey(MemoryTokenKey, "it is empty")
	}
	c := &memoryClient{m: m, token: string(tok), env: env}
	if m.BatchSize > 0 {
		return &memoryBatchClient{c}, nil
	}
	return c, nil
}

// SetFault makes every following call for which f returns non-nil fail with
// that error; nil clears it.
func (m *Memory) SetFault(f func(op string) error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fault = f
}

// Calls returns how many calls of op ("FindZone", "ListRecords",
// "ListZoneRecords", "CreateRecord", "UpdateRecord", "DeleteRecord",
// "ApplyBatch") were made.
func (m *Memory) Calls(op string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.calls[op]
}

// Writes returns the number of create, update and delete calls.
func (m *Memory) Writes() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.calls["CreateRecord"] + m.calls["UpdateRecord"] + m.calls["DeleteRecord"] + m.calls["ApplyBatch"]
}

// Reads returns the number of FindZone, ListRecords and ListZoneRecords
// calls.
func (m *Memory) Reads() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.calls["FindZone"] + m.calls["ListRecords"] + m.calls["ListZoneRecords"]
}

// Records returns the records named name of type typ in zone, sorted by ID.
func (m *Memory) Records(zone, name, typ string) []providers.Record {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []providers.Record
	for _, r := range m.zones[providers.CanonicalName(zone)] {
		if r.Name == providers.CanonicalName(name) && r.Type == typ {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Seed stores r in zone directly, as a change made outside the operator
// would, and returns it with its ID.
func (m *Memory) Seed(zone string, r providers.Record) providers.Record {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.store(providers.CanonicalName(zone), r)
}

// Set changes the value of the record with id, as drift at the provider.
func (m *Memory) Set(zone, id, value string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	z := m.zones[providers.CanonicalName(zone)]
	r := z[id]
	r.Value = value
	z[id] = r
}

func (m *Memory) store(zone string, r providers.Record) providers.Record {
	if r.ID == "" {
		m.nextID++
		r.ID = "rec-" + strconv.Itoa(m.nextID)
	}
	r.Name = providers.CanonicalName(r.Name)
	m.zones[zone][r.ID] = r
	return r
}

// memoryClient is one provider instance, bound to a credential.
type memoryClient struct {
	m     *Memory
	token string
	env   providers.Env
}

// enter counts the call and applies credentials and faults.
func (c *memoryClient) enter(ctx context.Context, op string) error {
	if err := c.env.Wait(ctx); err != nil {
		return providers.Transient(op, err)
	}
	c.m.mu.Lock()
	defer c.m.mu.Unlock()
	c.m.calls[op]++
	if c.m.fault != nil {
		if err := c.m.fault(op); err != nil {
			return err
		}
	}
	if c.token != c.m.Token {
		return providers.Errorf(providers.KindAuth, "401", "invalid token")
	}
	return nil
}

func (c *memoryClient) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	if err := c.enter(ctx, "FindZone"); err != nil {
		return providers.Zone{}, err
	}
	c.m.mu.Lock()
	defer c.m.mu.Unlock()
	var zones []providers.Zone
	for name := range c.m.zones {
		zones = append(zones, providers.Zone{ID: name, Name: name})
	}
	if hint != "" {
		if _, ok := c.m.zones[providers.CanonicalName(hint)]; ok {
			return providers.Zone{ID: providers.CanonicalName(hint), Name: providers.CanonicalName(hint)}, nil
		}
		return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "zone %q not found", hint)
	}
	if z, ok := providers.LongestSuffixZone(fqdn, zones); ok {
		return z, nil
	}
	return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "no zone holds %q", fqdn)
}

func (c *memoryClient) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	if err := c.enter(ctx, "ListRecords"); err != nil {
		return nil, err
	}
	return c.m.Records(zone.Name, name, typ), nil
}

func (c *memoryClient) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	if err := c.enter(ctx, "CreateRecord"); err != nil {
		return providers.Record{}, err
	}
	if err := c.checkTTL(r.TTL); err != nil {
		return providers.Record{}, err
	}
	c.m.mu.Lock()
	defer c.m.mu.Unlock()
	r.ID = ""
	if r.TTL == 0 {
		r.TTL = 300
	}
	return c.m.store(zone.Name, r), nil
}

func (c *memoryClient) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	if err := c.enter(ctx, "UpdateRecord"); err != nil {
		return providers.Record{}, err
	}
	if err := c.checkTTL(r.TTL); err != nil {
		return providers.Record{}, err
	}
	c.m.mu.Lock()
	defer c.m.mu.Unlock()
	old, ok := c.m.zones[zone.Name][r.ID]
	if !ok {
		return providers.Record{}, providers.Errorf(providers.KindNotFound, "", "record %s not found", r.ID)
	}
	old.Value = r.Value
	if r.TTL != 0 {
		old.TTL = r.TTL
	}
	if r.Marker != "" {
		old.Marker = r.Marker
	}
	return c.m.store(zone.Name, old), nil
}

// ListZoneRecords makes the in-memory provider a providers.ZoneReader.
func (c *memoryClient) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	if err := c.enter(ctx, "ListZoneRecords"); err != nil {
		return nil, err
	}
	c.m.mu.Lock()
	defer c.m.mu.Unlock()
	var out []providers.Record
	for _, r := range c.m.zones[zone.Name] {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// memoryBatchClient adds providers.BatchWriter to memoryClient.
type memoryBatchClient struct{ *memoryClient }

func (c *memoryBatchClient) MaxBatch() int { return c.m.BatchSize }

// ApplyBatch applies b as one call, all or nothing.
func (c *memoryBatchClient) ApplyBatch(ctx context.Context, zone providers.Zone, b providers.Batch) (providers.BatchResult, error) {
	var res providers.BatchResult
	if err := c.enter(ctx, "ApplyBatch"); err != nil {
		return res, err
	}
	if b.Len() > c.m.BatchSize {
		return res, providers.Errorf(providers.KindInvalid, "", "batch of %d writes is over the limit of %d", b.Len(), c.m.BatchSize)
	}
	for _, r := range append(append([]providers.Record{}, b.Updates...), b.Creates...) {
		if err := c.checkTTL(r.TTL); err != nil {
			return res, err
		}
	}
	c.m.mu.Lock()
	defer c.m.mu.Unlock()
	z := c.m.zones[zone.Name]
	for _, r := range b.Updates {
		if _, ok := z[r.ID]; !ok {
			return res, providers.Errorf(providers.KindNotFound, "", "record %s not found", r.ID)
		}
	}
	for _, r := range b.Deletes {
		delete(z, r.ID)
	}
	for _, r := range b.Updates {
		old := z[r.ID]
		old.Value = r.Value
		if r.TTL != 0 {
			old.TTL = r.TTL
		}
		if r.Marker != "" {
			old.Marker = r.Marker
		}
		res.Updated = append(res.Updated, c.m.store(zone.Name, old))
	}
	for _, r := range b.Creates {
		r.ID = ""
		if r.TTL == 0 {
			r.TTL = 300
		}
		res.Created = append(res.Created, c.m.store(zone.Name, r))
	}
	return res, nil
}

func (c *memoryClient) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	if err := c.enter(ctx, "DeleteRecord"); err != nil {
		return err
	}
	c.m.mu.Lock()
	defer c.m.mu.Unlock()
	delete(c.m.zones[zone.Name], r.ID)
	return nil
}

func (c *memoryClient) checkTTL(ttl int32) error {
	if ttl != 0 && ttl < c.m.MinTTL {
		return providers.Errorf(providers.KindInvalid, "", "TTL %d is below the minimum of %d", ttl, c.m.MinTTL)
	}
	return nil
}

// String describes the provider for test failure messages.
func (m *Memory) String() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return fmt.Sprintf("memory provider with %d zones", len(m.zones))
}

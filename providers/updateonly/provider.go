// Package updateonly turns a DNS service whose API can only set a name's
// address (the dyndns2 protocol, DuckDNS, a ddns-go style callback) into a
// providers.Provider, without ever sending an update that changes nothing.
//
// Such APIs cannot list records, have no record IDs, keep no comment for
// an ownership marker, and ban clients that repeat unchanged updates. So
// the provider decides what a name holds from two sources:
//
//   - the name's DNS answer, read from its zone's authoritative servers
//     (Resolver), when the service publishes the name in DNS;
//   - what it sent itself: the last address the service confirmed for
//     each name and type, in memory. For Trust after a confirmed update
//     that address is believed over a DNS answer that still shows the old
//     one (the service may publish with a delay, and asking again would
//     draw a "nochg"). A provider without DNS (a callback) has only this.
//
// Every write first compares the address with what the name was last read
// to hold: when they agree (the DNS answer already matches, or the address
// was sent already) nothing is sent. A write the service refuses with a
// wait (the dyndns2 "911", "abuse"; an HTTP 429) stops every write of the
// provider until the wait is over, whatever the reconciler asks.
//
// Records get the ID "name/type". There is no place for an ownership
// marker at these services (their descriptors say Marker ""); the marker
// a record was written with is kept in memory beside the address, so a
// reconciler that wants one sees it again instead of writing it anew.
// After a restart the first check finds no marker and asks for one: the
// write it asks for carries the address the name already holds, so it is
// answered from memory without a request.
package updateonly

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Sender is the one write an update-only API offers.
type Sender interface {
	// Send makes the service hold r.Value as the address of type r.Type
	// of r.Name (in zone). r.TTL is the TTL to ask for, when the service
	// takes one.
	Send(ctx context.Context, zone providers.Zone, r providers.Record) error
}

// Clearer is implemented by Senders whose API can remove a name's address
// (DuckDNS's clear=true).
type Clearer interface {
	// Clear removes the address of type r.Type of r.Name.
	Clear(ctx context.Context, zone providers.Zone, r providers.Record) error
}

// Config describes one update-only provider instance.
type Config struct {
	// Sender writes addresses.
	Sender Sender
	// DNS reads a name's current addresses; nil for a service that
	// publishes nowhere the operator can read (a callback): then only
	// what was sent is known.
	DNS *Resolver
	// FixedTTL says the service sets TTLs itself: records are listed with
	// TTL 0, which matches any desired TTL.
	FixedTTL bool
	// DefaultTTL is the TTL sent for a record written with TTL 0, when
	// the service takes TTLs.
	DefaultTTL int32
	// Trust is how long a confirmed update outweighs a DNS answer that
	// differs from it; DefaultTrust when 0.
	Trust time.Duration
	// CannotDelete says why DeleteRecord is refused, for a Sender that is
	// not a Clearer.
	CannotDelete string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// DefaultTrust is how long a confirmed update is believed over the DNS:
// long enough for any service to publish it and for a resolver's cache to
// expire, short enough that a change made elsewhere is corrected within
// the hour.
const DefaultTrust = time.Hour

// listedFresh is how long the answer of the last ListRecords decides that
// a write changes nothing: the reconciler reads and then writes within
// one check.
const listedFresh = 2 * time.Minute

// Provider is a providers.Provider over an update-only API.
type Provider struct {
	cfg Config

	mu      sync.Mutex
	names   map[key]*entry
	blocked time.Time         // no write before this
	stopErr *providers.Error  // why, as the service said it
	last    map[string]string // the address last sent, by record type
}

var _ providers.Provider = (*Provider)(nil)

type key struct{ name, typ string }

// entry is what the provider knows of one name and type.
type entry struct {
	// sent is the address the service last confirmed, at sentAt, with
	// TTL sentTTL; "" when none (or the last write failed).
	sent    string
	sentTTL int32
	sentAt  time.Time
	// listed is what the last ListRecords reported, at listedAt.
	listed   providers.Record
	listedOK bool
	listedAt time.Time
	// marker is the ownership marker the record was last written with.
	marker string
}

// New returns a provider for cfg.
func New(cfg Config) *Provider {
	if cfg.Trust == 0 {
		cfg.Trust = DefaultTrust
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Provider{cfg: cfg, names: map[key]*entry{}, last: map[string]string{}}
}

// ID is the record ID of name and type: these services have none, and
// hold one address per name and type.
func ID(name, typ string) string { return providers.CanonicalName(name) + "/" + typ }

// FindZone finds the zone by DNS (an SOA query) when the provider reads
// DNS; otherwise it is hint, or the registrable domain of fqdn (its public
// suffix and one label), which only groups records in status and metrics.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	if p.cfg.DNS != nil {
		return p.cfg.DNS.FindZone(ctx, fqdn, hint)
	}
	if err := ctx.Err(); err != nil {
		return providers.Zone{}, providers.Transient("find zone", err)
	}
	return RegistrableZone(fqdn, hint), nil
}

// RegistrableZone is hint, or else fqdn's registrable domain (example.com
// for home.example.com, example.co.uk for a.example.co.uk), or fqdn's
// parent when it has no public suffix.
func RegistrableZone(fqdn, hint string) providers.Zone {
	name := providers.CanonicalName(hint)
	if name == "" {
		fqdn = providers.CanonicalName(strings.TrimPrefix(fqdn, "*."))
		var err error
		if name, err = publicsuffix.EffectiveTLDPlusOne(fqdn); err != nil {
			name = fqdn
			if _, parent, ok := strings.Cut(fqdn, "."); ok && strings.Contains(parent, ".") {
				name = parent
			}
		}
	}
	return providers.Zone{ID: name, Name: name}
}

// ListRecords reports the one record name holds: its DNS answer, or the
// address last sent when that was confirmed within Trust (or the provider
// has no DNS). Several addresses in the DNS answer are reported as one
// record whose value lists them all, so it matches no single address and
// the next write replaces them.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	name = providers.CanonicalName(name)
	if err := ctx.Err(); err != nil {
		return nil, providers.Transient("list records", err)
	}
	var values []string
	var ttl uint32
	if p.cfg.DNS != nil {
		var err error
		if values, ttl, err = p.cfg.DNS.Lookup(ctx, zone.Name, name, typ); err != nil {
			return nil, err
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	e := p.entry(name, typ)
	now := p.cfg.Now()
	rec := providers.Record{ID: ID(name, typ), Name: name, Type: typ, TTL: int32(ttl), Marker: e.marker}
	switch {
	case e.sent != "" && (p.cfg.DNS == nil || now.Sub(e.sentAt) < p.cfg.Trust):
		rec.Value, rec.TTL = e.sent, e.sentTTL
	case len(values) > 0:
		rec.Value = strings.Join(values, ",")
	}
	if p.cfg.FixedTTL {
		rec.TTL = 0
	}
	e.listed, e.listedOK, e.listedAt = rec, rec.Value != "", now
	if rec.Value == "" {
		return nil, nil
	}
	return []providers.Record{rec}, nil
}

// CreateRecord sets the name's address: on these services a name is
// created in the service's own console, so creating and updating are the
// same request.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	return p.write(ctx, zone, r, "create record")
}

// UpdateRecord sets the name's address, as CreateRecord.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	return p.write(ctx, zone, r, "update record")
}

// write sends r unless the name was just read or written to hold it, or
// the service asked to stop.
func (p *Provider) write(ctx context.Context, zone providers.Zone, r providers.Record, op string) (providers.Record, error) {
	if err := ctx.Err(); err != nil {
		return providers.Record{}, providers.Transient(op, err)
	}
	r.Name = providers.CanonicalName(r.Name)
	r.ID = ID(r.Name, r.Type)
	if p.cfg.FixedTTL {
		r.TTL = 0
	} else if r.TTL == 0 {
		r.TTL = p.cfg.DefaultTTL
	}
	p.mu.Lock()
	e := p.entry(r.Name, r.Type)
	now := p.cfg.Now()
	if e.listedOK && now.Sub(e.listedAt) < listedFresh && sameAddress(e.listed.Value, r.Value) && (p.cfg.FixedTTL || e.listed.TTL == r.TTL) {
		// The name holds it already; only the marker is new.
		if r.Marker != "" {
			e.marker = r.Marker
		}
		r.Marker = e.marker
		p.mu.Unlock()
		return r, nil
	}
	if wait := p.blocked.Sub(now); wait > 0 {
		stop := *p.stopErr
		p.mu.Unlock()
		stop.RetryAfter = wait
		stop.Message += "; no update is sent before " + p.blocked.UTC().Format(time.RFC3339)
		return providers.Record{}, &stop
	}
	p.mu.Unlock()

	err := p.cfg.Sender.Send(ctx, zone, r)

	p.mu.Lock()
	defer p.mu.Unlock()
	e = p.entry(r.Name, r.Type)
	if err != nil {
		// The service may or may not hold r now: the next read decides.
		e.sent, e.listedOK = "", false
		var pe *providers.Error
		if after, ok := providers.RetryAfterOf(err); ok && errors.As(err, &pe) {
			p.blocked, p.stopErr = p.cfg.Now().Add(after), pe
		}
		return providers.Record{}, err
	}
	if r.Marker != "" {
		e.marker = r.Marker
	}
	r.Marker = e.marker
	e.sent, e.sentTTL, e.sentAt = r.Value, r.TTL, p.cfg.Now()
	p.last[r.Type] = r.Value
	e.listed, e.listedOK, e.listedAt = r, true, e.sentAt
	return r, nil
}

// DeleteRecord clears the name's address where the API can.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	if err := ctx.Err(); err != nil {
		return providers.Transient("delete record", err)
	}
	c, ok := p.cfg.Sender.(Clearer)
	if !ok {
		return providers.Errorf(providers.KindInvalid, "", "%s", p.cfg.CannotDelete)
	}
	r.Name = providers.CanonicalName(r.Name)
	if err := c.Clear(ctx, zone, r); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.names, key{r.Name, r.Type})
	return nil
}

// LastSent returns the address of type typ the provider last sent
// successfully, for any name: a callback's #{ipv4Addr} and #{ipv6Addr}.
func (p *Provider) LastSent(typ string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last[typ]
}

func (p *Provider) entry(name, typ string) *entry {
	k := key{name, typ}
	e, ok := p.names[k]
	if !ok {
		e = &entry{}
		p.names[k] = e
	}
	return e
}

// sameAddress compares addresses as addresses ("2001:db8::1" equals
// "2001:0db8::1"); a listed value of several addresses equals none.
func sameAddress(a, b string) bool {
	x, errX := netip.ParseAddr(a)
	y, errY := netip.ParseAddr(b)
	if errX != nil || errY != nil {
		return a == b
	}
	return x.Unmap() == y.Unmap()
}

package controllers

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/ddns-operator/ddns-operator/providers"
)

const (
	// zoneLookupTTL is how long a name's zone is remembered. Zones are
	// created and deleted by hand, rarely; an operation that finds the
	// zone gone forgets it at once.
	zoneLookupTTL = time.Hour
	// createFreshness is the oldest zone snapshot trusted to say a name is
	// free. An older one is read again before a create, so a record made
	// at the provider by hand a moment ago is adopted, not duplicated.
	createFreshness = 10 * time.Second
)

// account is one credential at one provider, shared by every record whose
// Secret, provider and options are the same: one provider client, one gate
// pacing its requests, the zones its names were found in, and one snapshot
// per zone and record type that all those records read within a check.
// Every call goes through call, which paces it, counts it in the metrics
// and scrubs the Secret's values from its error.
type account struct {
	name    string // spec.provider, for metrics
	p       providers.Provider
	secrets []string
	built   generation // of the Secret it was built from
	gate    *gate

	lookups singleflight.Group
	mu      sync.Mutex
	zones   map[zoneQuery]zoneLookup
	snaps   map[snapKey]*snapshot
	batches map[string]*zoneBatch // by zone ID
}

type zoneQuery struct{ fqdn, hint string }

type zoneLookup struct {
	zone    providers.Zone
	expires time.Time
}

type snapKey struct{ zoneID, typ string }

func newAccount(name string, p providers.Provider, secrets []string, built generation, g *gate) *account {
	return &account{
		name: name, p: p, secrets: secrets, built: built, gate: g,
		zones:   map[zoneQuery]zoneLookup{},
		snaps:   map[snapKey]*snapshot{},
		batches: map[string]*zoneBatch{},
	}
}

// call runs one provider operation: it waits for a call slot, hands the
// gate to the provider through ctx, and observes and scrubs the result.
func (a *account) call(ctx context.Context, op string, fn func(context.Context) error) error {
	start := time.Now()
	release, err := a.gate.acquire(ctx)
	if err == nil {
		err = fn(providers.WithGate(ctx, a.gate))
		release()
	}
	err = redactError(err, a.secrets)
	observe(a.name, op, start, err)
	return err
}

// findZone returns the zone holding fqdn, from memory when it was looked up
// within zoneLookupTTL.
func (a *account) findZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	q := zoneQuery{fqdn: fqdn}
	if hint != "" {
		// A hint names the zone whatever the name in it.
		q = zoneQuery{hint: providers.CanonicalName(hint)}
	}
	a.mu.Lock()
	l, ok := a.zones[q]
	a.mu.Unlock()
	if ok && time.Now().Before(l.expires) {
		return l.zone, nil
	}
	// Records created together ask together: one lookup answers them all.
	v, err, _ := a.lookups.Do(q.fqdn+"|"+q.hint, func() (any, error) {
		var z providers.Zone
		err := a.call(ctx, "find_zone", func(ctx context.Context) (err error) {
			z, err = a.p.FindZone(ctx, fqdn, hint)
			return err
		})
		if err != nil {
			return z, err
		}
		a.mu.Lock()
		a.zones[q] = zoneLookup{zone: z, expires: time.Now().Add(zoneLookupTTL)}
		a.mu.Unlock()
		return z, nil
	})
	return v.(providers.Zone), err
}

// records returns the records named name of type typ in zone. Providers
// that read a whole zone in one list serve it from the zone's snapshot
// when that is younger than maxAge, so all the records of a zone checked
// within one interval cost one list; others are asked for the name.
func (a *account) records(ctx context.Context, zone providers.Zone, name, typ string, maxAge time.Duration) ([]providers.Record, error) {
	zr, ok := a.p.(providers.ZoneReader)
	if !ok {
		return a.recordsNow(ctx, zone, name, typ)
	}
	s := a.snapshot(zone, typ)
	recs, fresh, err := s.get(ctx, maxAge, name, func(ctx context.Context) ([]providers.Record, error) {
		var all []providers.Record
		err := a.call(ctx, "list_zone", func(ctx context.Context) (err error) {
			all, err = zr.ListZoneRecords(ctx, zone, typ)
			return err
		})
		return all, err
	})
	if err != nil {
		return nil, a.zoneErr(zone, err)
	}
	if len(recs) == 0 && time.Since(fresh) > createFreshness {
		return a.records(ctx, zone, name, typ, createFreshness)
	}
	return recs, nil
}

// recordsNow reads the records named name of type typ from the provider,
// never from a snapshot: for decisions that must not rest on a list taken
// before someone else's change, such as what to delete.
func (a *account) recordsNow(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	var out []providers.Record
	err := a.call(ctx, "list", func(ctx context.Context) (err error) {
		out, err = a.p.ListRecords(ctx, zone, name, typ)
		return err
	})
	return out, a.zoneErr(zone, err)
}

func (a *account) snapshot(zone providers.Zone, typ string) *snapshot {
	a.mu.Lock()
	defer a.mu.Unlock()
	k := snapKey{zone.ID, typ}
	s, ok := a.snaps[k]
	if !ok {
		s = &snapshot{}
		a.snaps[k] = s
	}
	return s
}

// create, update and remove write one record and keep the zone's snapshot
// in step with what they did. After an error the snapshot is dropped: a
// write whose answer was lost may have happened.
func (a *account) create(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	var out providers.Record
	err := a.call(ctx, "create", func(ctx context.Context) (err error) {
		out, err = a.p.CreateRecord(ctx, zone, r)
		return err
	})
	a.wrote(zone, r.Type, err, nil, []providers.Record{out}, nil)
	return out, a.zoneErr(zone, err)
}

func (a *account) update(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	var out providers.Record
	err := a.call(ctx, "update", func(ctx context.Context) (err error) {
		out, err = a.p.UpdateRecord(ctx, zone, r)
		return err
	})
	a.wrote(zone, r.Type, err, nil, nil, []providers.Record{out})
	return out, a.zoneErr(zone, err)
}

func (a *account) remove(ctx context.Context, zone providers.Zone, r providers.Record) error {
	err := a.call(ctx, "delete", func(ctx context.Context) error {
		return a.p.DeleteRecord(ctx, zone, r)
	})
	a.wrote(zone, r.Type, err, []providers.Record{r}, nil, nil)
	return a.zoneErr(zone, err)
}

// wrote applies a write's outcome to the snapshot of the zone and type.
func (a *account) wrote(zone providers.Zone, typ string, err error, deleted, created, updated []providers.Record) {
	a.mu.Lock()
	s, ok := a.snaps[snapKey{zone.ID, typ}]
	a.mu.Unlock()
	if !ok {
		return
	}
	if err != nil {
		s.invalidate()
		return
	}
	s.apply(deleted, created, updated)
}

// zoneErr forgets the zones of an account whose zone was not found, so
// the next check looks the zone up again (it may have been re-created with
// a new ID).
func (a *account) zoneErr(zone providers.Zone, err error) error {
	if err == nil {
		return nil
	}
	if k := providers.KindOf(err); k == providers.KindZoneNotFound {
		a.mu.Lock()
		for q, l := range a.zones {
			if l.zone.ID == zone.ID {
				delete(a.zones, q)
			}
		}
		a.mu.Unlock()
		a.dropSnapshots(zone.ID)
	}
	return err
}

// dropSnapshots drops the zone's snapshots of every record type, so the
// next read lists the zone again.
func (a *account) dropSnapshots(zoneID string) {
	a.mu.Lock()
	var drop []*snapshot
	for k, s := range a.snaps {
		if k.zoneID == zoneID {
			drop = append(drop, s)
		}
	}
	a.mu.Unlock()
	for _, s := range drop {
		s.invalidate()
	}
}

// snapshot is one zone's records of one type as last listed, by name. One
// caller lists while the others wait for its answer (single flight).
type snapshot struct {
	mu       sync.Mutex
	byName   map[string][]providers.Record // nil: not listed or dropped
	taken    time.Time
	inflight *snapshotLoad
}

type snapshotLoad struct {
	done   chan struct{}
	byName map[string][]providers.Record
	taken  time.Time
	err    error
}

// get returns the records named name and when the snapshot was listed,
// listing again with list when the snapshot is missing or older than
// maxAge. The slice returned is never modified afterwards.
func (s *snapshot) get(ctx context.Context, maxAge time.Duration, name string, list func(context.Context) ([]providers.Record, error)) ([]providers.Record, time.Time, error) {
	s.mu.Lock()
	if s.byName != nil && time.Since(s.taken) < maxAge {
		defer s.mu.Unlock()
		return s.byName[name], s.taken, nil
	}
	l := s.inflight
	if l == nil {
		l = &snapshotLoad{done: make(chan struct{}), taken: time.Now()}
		s.inflight = l
		s.mu.Unlock()
		s.load(ctx, l, list)
	} else {
		s.mu.Unlock()
		select {
		case <-l.done:
		case <-ctx.Done():
			return nil, time.Time{}, ctx.Err()
		}
	}
	if l.err != nil {
		return nil, time.Time{}, l.err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return l.byName[name], l.taken, nil
}

// load lists the zone for l and publishes the answer to its waiters.
func (s *snapshot) load(ctx context.Context, l *snapshotLoad, list func(context.Context) ([]providers.Record, error)) {
	recs, err := list(ctx)
	byName := map[string][]providers.Record{}
	for _, r := range recs {
		n := providers.CanonicalName(r.Name)
		byName[n] = append(byName[n], r)
	}
	s.mu.Lock()
	s.inflight = nil
	l.err = err
	if err == nil {
		l.byName = byName
		s.byName, s.taken = byName, l.taken
	}
	s.mu.Unlock()
	close(l.done)
}

func (s *snapshot) invalidate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byName = nil
}

// apply records writes that succeeded.
func (s *snapshot) apply(deleted, created, updated []providers.Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byName == nil {
		return
	}
	without := func(name, id string) []providers.Record {
		var keep []providers.Record
		for _, r := range s.byName[name] {
			if r.ID != id {
				keep = append(keep, r)
			}
		}
		return keep
	}
	for _, r := range deleted {
		n := providers.CanonicalName(r.Name)
		s.byName[n] = without(n, r.ID)
	}
	for _, r := range append(created, updated...) {
		if r.ID == "" {
			continue
		}
		n := providers.CanonicalName(r.Name)
		s.byName[n] = append(without(n, r.ID), r)
	}
}

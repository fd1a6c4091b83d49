package access

import (
	"cmp"
	"context"
	"errors"
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

// Account is one credential at one provider, shared by every record whose
// Secret, provider and options are the same: one provider client, one gate
// pacing its requests, the zones its names were found in, one snapshot per
// zone and record type that all those records read within a check, and one
// queue per zone at providers with a batch endpoint. Every call goes
// through call, which paces it, counts it in the metrics and scrubs the
// Secret's credential values from its error.
type Account struct {
	key     Key
	desc    providers.Descriptor
	p       providers.Provider
	secrets []string
	keys    []string   // the Secret keys the provider read, for messages
	built   generation // of the Secret it was built from
	gate    *gate
	pool    *Pool // for Wake and Forget; nil in unit tests

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

func newAccount(k Key, d providers.Descriptor, p providers.Provider, secrets, keys []string, built generation, g *gate) *Account {
	return &Account{
		key: k, desc: d, p: p, secrets: secrets, keys: keys, built: built, gate: g,
		zones:   map[zoneQuery]zoneLookup{},
		snaps:   map[snapKey]*snapshot{},
		batches: map[string]*zoneBatch{},
	}
}

// KeysUsed lists the Secret keys the account's provider read: what to name
// when the provider refuses the credential.
func (a *Account) KeysUsed() []string { return a.keys }

// Descriptor returns the account's provider descriptor.
func (a *Account) Descriptor() providers.Descriptor { return a.desc }

// call runs one provider operation: it waits for one of the credential's
// call slots (the provider waits for the gate before each request it
// sends), and observes and scrubs the result.
func (a *Account) call(ctx context.Context, op string, fn func(context.Context) error) error {
	start := time.Now()
	if d, paused := a.gate.paused(); paused {
		return pausedError(d)
	}
	release, err := a.gate.acquire(ctx)
	if err == nil {
		err = fn(ctx)
		release()
	}
	var pe *providers.Error
	if errors.As(err, &pe) && pe.Kind == providers.KindRateLimited && pe.Code != clientSide {
		// The provider counts per credential: hold every request of
		// it back, not only this one.
		a.gate.pause(cmp.Or(pe.RetryAfter, providers.DefaultRateLimitWait))
	}
	err = redactError(err, a.secrets)
	observe(a.key.Provider, op, start, err)
	return err
}

// FindZone returns the zone holding fqdn, from memory when it was looked up
// within zoneLookupTTL.
func (a *Account) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
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

// Records returns the records named name of type typ in zone. Providers
// that read a whole zone in one list serve it from the zone's snapshot
// when that is younger than maxAge, so all the records of a zone checked
// within one interval cost one list; others are asked for the name.
func (a *Account) Records(ctx context.Context, zone providers.Zone, name, typ string, maxAge time.Duration) ([]providers.Record, error) {
	zr, ok := a.p.(providers.ZoneReader)
	if !ok {
		return a.RecordsNow(ctx, zone, name, typ)
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
	if _, batched := a.batcher(); len(recs) == 0 && time.Since(fresh) > createFreshness && !batched {
		// A zone with a batch queue checks its creates when the batch
		// is sent (see zoneBatch.recheck): the record's worker does not
		// wait for the list here.
		return a.Records(ctx, zone, name, typ, createFreshness)
	}
	return recs, nil
}

// RecordsNow reads the records named name of type typ from the provider,
// never from a snapshot: for decisions that must not rest on a list taken
// before someone else's change, such as what to delete.
func (a *Account) RecordsNow(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	var out []providers.Record
	err := a.call(ctx, "list", func(ctx context.Context) (err error) {
		out, err = a.p.ListRecords(ctx, zone, name, typ)
		return err
	})
	return out, a.zoneErr(zone, err)
}

func (a *Account) snapshot(zone providers.Zone, typ string) *snapshot {
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
func (a *Account) create(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	var out providers.Record
	err := a.call(ctx, "create", func(ctx context.Context) (err error) {
		out, err = a.p.CreateRecord(ctx, zone, r)
		return err
	})
	a.wrote(zone, r.Type, err, nil, []providers.Record{out}, nil)
	return out, a.zoneErr(zone, err)
}

func (a *Account) update(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	var out providers.Record
	err := a.call(ctx, "update", func(ctx context.Context) (err error) {
		out, err = a.p.UpdateRecord(ctx, zone, r)
		return err
	})
	a.wrote(zone, r.Type, err, nil, nil, []providers.Record{out})
	return out, a.zoneErr(zone, err)
}

// Remove deletes r at the provider, keeping the zone's snapshot in step.
func (a *Account) Remove(ctx context.Context, zone providers.Zone, r providers.Record) error {
	err := a.call(ctx, "delete", func(ctx context.Context) error {
		return a.p.DeleteRecord(ctx, zone, r)
	})
	a.wrote(zone, r.Type, err, []providers.Record{r}, nil, nil)
	return a.zoneErr(zone, err)
}

// wrote applies a write's outcome to the snapshot of the zone and type.
func (a *Account) wrote(zone providers.Zone, typ string, err error, deleted, created, updated []providers.Record) {
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
func (a *Account) zoneErr(zone providers.Zone, err error) error {
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
func (a *Account) dropSnapshots(zoneID string) {
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

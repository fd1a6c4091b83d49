package access

import (
	"context"
	"sync"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
)

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
	// Writes made while the list was under way: the answer may predate
	// them, so they are applied to it before it is kept. A failed write
	// (dropped) means the answer cannot be trusted to be kept at all.
	writes  []func(map[string][]providers.Record)
	dropped bool
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
		for _, w := range l.writes {
			w(byName)
		}
		l.byName = byName
		if !l.dropped {
			s.byName, s.taken = byName, l.taken
		}
	}
	s.mu.Unlock()
	close(l.done)
}

func (s *snapshot) invalidate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byName = nil
	if s.inflight != nil {
		s.inflight.dropped = true
	}
}

// apply records writes that succeeded, in the snapshot and in the list
// under way, if any.
func (s *snapshot) apply(deleted, created, updated []providers.Record) {
	w := func(byName map[string][]providers.Record) {
		applyWrites(byName, deleted, created, updated)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byName != nil {
		w(s.byName)
	}
	if s.inflight != nil {
		s.inflight.writes = append(s.inflight.writes, w)
	}
}

func applyWrites(byName map[string][]providers.Record, deleted, created, updated []providers.Record) {
	without := func(name, id string) []providers.Record {
		var keep []providers.Record
		for _, r := range byName[name] {
			if r.ID != id {
				keep = append(keep, r)
			}
		}
		return keep
	}
	for _, r := range deleted {
		n := providers.CanonicalName(r.Name)
		byName[n] = without(n, r.ID)
	}
	for _, r := range append(created, updated...) {
		if r.ID == "" {
			continue
		}
		n := providers.CanonicalName(r.Name)
		byName[n] = append(without(n, r.ID), r)
	}
}

package egress

import (
	"context"
	"net/netip"
	"sort"
	"sync"
)

// NamedSources is implemented by an AddressSource that also holds named
// source lists, which records choose with spec.ipSource.sources.
type NamedSources interface {
	// Named returns the detector of the named list.
	Named(name string) (AddressSource, bool)
}

// Group is the manager's set of detectors: the cluster-wide one and one per
// named source list. Each runs its own loops; every list costs one
// detection per interval, whatever the number of records using it.
type Group struct {
	Default *Detector
	named   map[string]*Detector
}

var (
	_ AddressSource = (*Group)(nil)
	_ NamedSources  = (*Group)(nil)
)

// NewGroup returns a group over the cluster-wide detector and named lists.
func NewGroup(def *Detector, named map[string]*Detector) *Group {
	return &Group{Default: def, named: named}
}

// Address returns the cluster-wide detector's address.
func (g *Group) Address(ctx context.Context, fam Family) (netip.Addr, error) {
	return g.Default.Address(ctx, fam)
}

// Named returns the detector of a named list.
func (g *Group) Named(name string) (AddressSource, bool) {
	d, ok := g.named[name]
	return d, ok
}

// Names lists the named lists, sorted.
func (g *Group) Names() []string {
	out := make([]string, 0, len(g.named))
	for n := range g.named {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Subscribe merges the changes of every detector in the group; a Change's
// List says which one changed.
func (g *Group) Subscribe() <-chan Change {
	out := make(chan Change, 16)
	for _, d := range g.all() {
		in := d.Subscribe()
		go func() {
			for ch := range in {
				select {
				case out <- ch:
				default:
				}
			}
		}()
	}
	return out
}

// Start runs every detector until ctx ends.
func (g *Group) Start(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, d := range g.all() {
		wg.Go(func() { _ = d.Start(ctx) })
	}
	wg.Wait()
	return nil
}

// NeedLeaderElection returns false, as for a Detector.
func (g *Group) NeedLeaderElection() bool { return false }

func (g *Group) all() []*Detector {
	out := []*Detector{g.Default}
	for _, n := range g.Names() {
		out = append(out, g.named[n])
	}
	return out
}

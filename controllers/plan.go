package controllers

import (
	"net/netip"
	"slices"
	"sort"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Desired is the record a DynamicDNSRecord asks for.
type Desired struct {
	Name  string
	Type  string
	Value string
	// TTL 0 accepts whatever TTL the provider has.
	TTL int32
	// Marker is the ownership marker the record must carry; "" asks for
	// none and accepts any.
	Marker string
}

// ComputePlan decides what to change at the provider. It is a pure function
// of the desired record, the records that exist under its name and type, and
// the IDs the resource managed before (preferred when choosing which record
// to keep, so a record's ID stays stable). Records of other names or types
// in actual are ignored.
func ComputePlan(want Desired, actual []providers.Record, preferIDs []string) providers.Plan {
	var mine []providers.Record
	for _, r := range actual {
		if providers.CanonicalName(r.Name) == providers.CanonicalName(want.Name) && r.Type == want.Type {
			mine = append(mine, r)
		}
	}
	if len(mine) == 0 {
		return providers.Plan{Create: &providers.Record{Name: providers.CanonicalName(want.Name), Type: want.Type, Value: want.Value, TTL: want.TTL, Marker: want.Marker}}
	}

	// Order by preference: a record already right, then one we managed
	// before, then by ID so the choice is stable across reconciles.
	sort.SliceStable(mine, func(i, j int) bool {
		ri, rj := rank(mine[i], want, preferIDs), rank(mine[j], want, preferIDs)
		if ri != rj {
			return ri < rj
		}
		return mine[i].ID < mine[j].ID
	})
	keep := mine[0]
	p := providers.Plan{Delete: mine[1:]}
	if matches(keep, want) {
		p.Keep = &keep
	} else {
		upd := keep
		upd.Value = want.Value
		if want.TTL != 0 {
			upd.TTL = want.TTL
		}
		if want.Marker != "" {
			upd.Marker = want.Marker
		}
		p.Update = &upd
	}
	if len(p.Delete) == 0 {
		p.Delete = nil
	}
	return p
}

// rank orders candidates: 0 holds the desired value and TTL, 1 was managed
// before, 2 anything else.
func rank(r providers.Record, want Desired, preferIDs []string) int {
	switch {
	case matches(r, want):
		return 0
	case slices.Contains(preferIDs, r.ID):
		return 1
	}
	return 2
}

// matches compares values as addresses, so "2001:db8::1" equals
// "2001:0db8:0:0::1". A listed TTL of 0 is fixed by the provider and
// matches any desired TTL. A record without the desired marker does not
// match: adopting it writes the marker.
func matches(r providers.Record, want Desired) bool {
	if want.TTL != 0 && r.TTL != 0 && r.TTL != want.TTL {
		return false
	}
	if want.Marker != "" && r.Marker != want.Marker {
		return false
	}
	a, errA := netip.ParseAddr(r.Value)
	b, errB := netip.ParseAddr(want.Value)
	if errA != nil || errB != nil {
		return r.Value == want.Value
	}
	return a.Unmap() == b.Unmap()
}

// Package egress finds the cluster's public (egress) address per family and
// tells the reconciler when it changes. One Detector serves every record of
// the manager: the number of outbound lookups does not grow with records.
package egress

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
)

// Family is an address family: IPv4 or IPv6.
type Family int

const (
	// IPv4 addresses are published in A records.
	IPv4 Family = 4
	// IPv6 addresses are published in AAAA records.
	IPv6 Family = 6
)

// String returns "ipv4" or "ipv6", as used in flags and metric labels.
func (f Family) String() string {
	if f == IPv6 {
		return "ipv6"
	}
	return "ipv4"
}

// FamilyOf returns the family a record type publishes.
func FamilyOf(t v1alpha1.RecordType) Family {
	if t == v1alpha1.RecordTypeAAAA {
		return IPv6
	}
	return IPv4
}

// Matches reports whether addr belongs to the family.
func (f Family) Matches(addr netip.Addr) bool {
	if f == IPv6 {
		return addr.Is6() && !addr.Is4In6()
	}
	return addr.Is4()
}

// ErrUnavailable is wrapped by Address errors when no address of the family
// is known: the family has no route (the error also wraps ErrNoRoute),
// every source failed, or the sources disagree and no address was ever
// agreed (the error also wraps ErrNoAgreement).
var ErrUnavailable = errors.New("no egress address available")

// Change is sent to subscribers when a family's agreed address changes.
type Change struct {
	// List is the named source list whose address changed; empty for the
	// cluster-wide detector.
	List   string
	Family Family
	Old    netip.Addr
	New    netip.Addr
}

// AddressSource is what the reconciler asks for the address to publish.
type AddressSource interface {
	// Address returns the current agreed address of the family. It does not
	// start a lookup per call: concurrent callers share one detection.
	Address(ctx context.Context, fam Family) (netip.Addr, error)
	// Subscribe returns a channel that receives every change of an agreed
	// address, so all affected records can be enqueued at once.
	Subscribe() <-chan Change
}

// unavailable builds the error for a family with no known address.
func unavailable(fam Family, why error) error {
	if why == nil {
		return fmt.Errorf("%s: %w", fam, ErrUnavailable)
	}
	return fmt.Errorf("%s: %w: %w", fam, ErrUnavailable, why)
}

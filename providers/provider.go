// Package providers is the contract between the reconciler and the DNS
// providers: the Provider interface, the record and zone types, and typed
// errors. It imports no provider package; providers/registry maps names to
// constructors.
//
// Providers do no deciding. The reconciler reads what exists (ListRecords),
// plans, and asks for exactly the writes it needs.
package providers

import (
	"context"
	"strings"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
)

// Zone is a DNS zone at a provider.
type Zone struct {
	// ID is the provider's identifier for the zone (Cloudflare's zone ID;
	// the domain name itself at providers that address zones by name).
	ID string
	// Name is the zone's name, lowercase, without a trailing dot.
	Name string
}

// Record is one DNS record at a provider.
type Record struct {
	// ID is the provider's identifier; empty for a record not yet created.
	ID string
	// Name is the fully qualified name, lowercase, without a trailing dot.
	Name string
	// Type is "A" or "AAAA".
	Type string
	// Value is the address, in its canonical text form.
	Value string
	// TTL in seconds. Written, 0 asks for the provider's default on create
	// and keeps the TTL on update. Listed, 0 means the provider fixes the TTL
	// itself (a Cloudflare proxied record), so any desired TTL matches; 1 is
	// Cloudflare's "automatic".
	TTL int32
}

// Provider is what the reconciler needs from a DNS provider. Every method
// honours ctx cancellation and returns errors built with this package's
// constructors, so the reconciler can tell a user's mistake from a passing
// fault.
type Provider interface {
	// FindZone returns the zone that holds fqdn. With hint set, it is the zone
	// of that name (ZoneNotFound when the account has none); otherwise the
	// longest suffix of fqdn among the account's zones.
	FindZone(ctx context.Context, fqdn, hint string) (Zone, error)
	// ListRecords returns every record named name of type typ in zone,
	// reading every page. Duplicates are returned as they are.
	ListRecords(ctx context.Context, zone Zone, name, typ string) ([]Record, error)
	// CreateRecord creates r and returns it with its ID set.
	CreateRecord(ctx context.Context, zone Zone, r Record) (Record, error)
	// UpdateRecord changes the value and TTL of the record with r.ID,
	// keeping the provider-side settings the spec does not mention.
	UpdateRecord(ctx context.Context, zone Zone, r Record) (Record, error)
	// DeleteRecord removes the record with r.ID. A record already gone is
	// not an error.
	DeleteRecord(ctx context.Context, zone Zone, r Record) error
}

// CanonicalName lowercases a DNS name and strips a trailing dot, the form
// every name takes inside the operator.
func CanonicalName(name string) string {
	return strings.TrimSuffix(strings.ToLower(name), ".")
}

// LongestSuffixZone returns the zone among zones whose name is fqdn or the
// longest suffix of it at a label boundary, and false when none is.
func LongestSuffixZone(fqdn string, zones []Zone) (Zone, bool) {
	fqdn = CanonicalName(fqdn)
	var best Zone
	found := false
	for _, z := range zones {
		name := CanonicalName(z.Name)
		if fqdn != name && !strings.HasSuffix(fqdn, "."+name) {
			continue
		}
		if !found || len(name) > len(CanonicalName(best.Name)) {
			best, found = z, true
		}
	}
	return best, found
}

// RelativeName returns fqdn relative to zone as providers that take a
// "subdomain" or "RR" field want it: "@" for the apex, "home" for
// home.example.com in example.com.
func RelativeName(fqdn, zone string) string {
	fqdn, zone = CanonicalName(fqdn), CanonicalName(zone)
	if fqdn == zone {
		return "@"
	}
	return strings.TrimSuffix(fqdn, "."+zone)
}

// AbsoluteName is the inverse of RelativeName.
func AbsoluteName(rel, zone string) string {
	rel, zone = CanonicalName(rel), CanonicalName(zone)
	if rel == "" || rel == "@" {
		return zone
	}
	return rel + "." + zone
}

// Factory builds a Provider for one record from the data of the Secret that
// spec.secretRef names and the record's spec (its options block). It returns
// a KindCredentials Error naming the key when the Secret is unusable.
type Factory func(secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (Provider, error)

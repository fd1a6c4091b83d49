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
	"time"
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
	// Marker is the ownership text kept with the record: Cloudflare's
	// comment, Alibaba's and Tencent's remark, DNSPod's remark, a companion
	// TXT record for RFC 2136. Listed, it is the text as stored ("" when
	// none). Written, a non-empty Marker is stored on create and update; an
	// update with an empty Marker leaves the stored text as it is. The
	// reconciler decides what the text says (see controllers/ownership.go);
	// providers only carry it.
	Marker string
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

// ZoneReader is implemented by providers that can read every record of a
// type in a zone with one paginated list. The reconciler then reads a zone
// once per check for all the records it holds, instead of once per record.
type ZoneReader interface {
	// ListZoneRecords returns every record of type typ in zone, reading
	// every page, with the same fields ListRecords fills.
	ListZoneRecords(ctx context.Context, zone Zone, typ string) ([]Record, error)
}

// Batch is a set of writes to one zone applied together.
type Batch struct {
	// Deletes are removed first, then Updates changed, then Creates made.
	Deletes []Record
	Updates []Record
	Creates []Record
}

// Len is the number of writes in b.
func (b Batch) Len() int { return len(b.Deletes) + len(b.Updates) + len(b.Creates) }

// BatchResult is what a batch left at the provider: the updated and the
// created records, in the order of the Batch's slices, with IDs set.
type BatchResult struct {
	Updated []Record
	Created []Record
}

// BatchWriter is implemented by providers with an endpoint that applies many
// writes to a zone in one request (Cloudflare's dns_records/batch).
type BatchWriter interface {
	// MaxBatch is the most writes one ApplyBatch call may carry.
	MaxBatch() int
	// ApplyBatch applies b in one request. It is all or nothing: on error
	// no write took effect, unless the error is a lost answer (a transient
	// error), after which the caller must read the zone again.
	ApplyBatch(ctx context.Context, zone Zone, b Batch) (BatchResult, error)
}

// Limits describe how hard a provider's API may be driven per credential
// (Descriptor.Limits).
type Limits struct {
	// Requests per Per, as the provider documents it for one credential.
	Requests int
	Per      time.Duration
	// Concurrency is how many calls may be in flight at once.
	Concurrency int
}

// Gate paces requests to a provider: one per credential, sized to the
// provider's documented Limits, handed to the provider in its Env.
type Gate interface {
	// Wait blocks until one more request may be sent or ctx ends.
	Wait(ctx context.Context) error
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

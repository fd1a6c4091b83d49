package rfc2136

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/miekg/dns"

	"github.com/ddns-operator/ddns-operator/providers"
)

// FindZone asks the server for the SOA of fqdn (or of hint): an
// authoritative server answers with the SOA of the zone that holds the
// name, in the answer for the apex and in the authority section below it.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	name := fqdn
	if hint != "" {
		name = hint
	}
	zone, err := p.soaOwner(ctx, providers.CanonicalName(name))
	if err != nil {
		return providers.Zone{}, err
	}
	if hint != "" && zone != providers.CanonicalName(hint) {
		return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "server %s has no zone %q (the name is in zone %q)", p.server, providers.CanonicalName(hint), zone)
	}
	return providers.Zone{ID: zone, Name: zone}, nil
}

// soaOwner returns the zone that holds name, as the server sees it.
func (p *Provider) soaOwner(ctx context.Context, name string) (string, error) {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), dns.TypeSOA)
	m.RecursionDesired = false
	r, err := p.exchange(ctx, m, "find zone of "+name)
	if err != nil {
		return "", err
	}
	notFound := func(why string) error {
		return providers.Errorf(providers.KindZoneNotFound, dns.RcodeToString[r.Rcode], "server %s serves no zone holding %q (%s)", p.server, name, why)
	}
	switch r.Rcode {
	case dns.RcodeSuccess, dns.RcodeNameError:
	case dns.RcodeRefused, dns.RcodeNotAuth, dns.RcodeNotZone:
		return "", notFound("it answered " + dns.RcodeToString[r.Rcode])
	default:
		return "", rcodeError("find zone of "+name, r)
	}
	if !r.Authoritative {
		return "", notFound("its answer is not authoritative")
	}
	for _, rr := range append(append([]dns.RR{}, r.Answer...), r.Ns...) {
		if soa, ok := rr.(*dns.SOA); ok && dns.IsSubDomain(soa.Hdr.Name, dns.Fqdn(name)) {
			return providers.CanonicalName(soa.Hdr.Name), nil
		}
	}
	return "", notFound("its answer holds no SOA")
}

// ListRecords queries the server for name's records of type typ and, when
// there are any, for their companion TXT, whose text becomes the Marker of
// each.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	out, err := p.queryRecords(ctx, name, typ)
	if err != nil || len(out) == 0 {
		return out, err
	}
	marker, err := p.readMarker(ctx, out[0].Name, typ)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Marker = marker
	}
	return out, nil
}

// queryRecords reads name's records of type typ, with their IDs and
// without their marker.
func (p *Provider) queryRecords(ctx context.Context, name, typ string) ([]providers.Record, error) {
	qtype, err := rrType(typ)
	if err != nil {
		return nil, err
	}
	name = providers.CanonicalName(name)
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = false
	op := fmt.Sprintf("read %s %s", name, typ)
	r, err := p.exchange(ctx, m, op)
	if err != nil {
		return nil, err
	}
	if r.Rcode != dns.RcodeNameError {
		if err := rcodeError(op, r); err != nil {
			return nil, err
		}
	}
	var out []providers.Record
	for _, rr := range r.Answer {
		h := rr.Header()
		if h.Rrtype != qtype || providers.CanonicalName(h.Name) != name {
			continue
		}
		out = append(out, providers.Record{Name: name, Type: typ, Value: rrValue(rr), TTL: int32(h.Ttl)})
	}
	for i := range out {
		out[i].ID = recordID(out[i], len(out) == 1)
	}
	return out, nil
}

// CreateRecord adds r, on the condition that no record of its name and
// type exists: two writers that both saw none cannot both add one. When
// the condition fails the error is transient, and the next attempt reads
// again. The same message writes r.Marker as the companion TXT, or
// removes a companion left over when r has none.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r, rr, err := normalise(r, 0)
	if err != nil {
		return r, err
	}
	var txt dns.RR
	if r.Marker != "" {
		if txt, err = markerRR(r.Name, r.Type, r.Marker); err != nil {
			return r, err
		}
		txt.Header().Ttl = rr.Header().Ttl
	}
	op := fmt.Sprintf("create %s %s in zone %s", r.Name, r.Type, zone.Name)
	if err := p.update(ctx, createMsg(zone.Name, rr, txt), op); err != nil {
		return r, err
	}
	r.ID = recordID(r, true)
	return r, nil
}

// UpdateRecord points the record with r.ID at r.Value, in one UPDATE:
// "name/type" replaces the whole set with r; "name/type/value" removes
// that value and adds r, leaving the set's other values alone. (No
// prerequisite guards the value: RFC 2136's value-dependent prerequisite
// compares the whole set, so it fails exactly when duplicates exist.) A
// non-empty r.Marker replaces the companion TXT in the same message; with
// none the TXT stays, and is read to be returned.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	id, err := parseID(r.ID)
	if err != nil {
		return r, err
	}
	r.Name, r.Type = id.name, id.typ
	var txt dns.RR
	if r.Marker != "" {
		if txt, err = markerRR(r.Name, r.Type, r.Marker); err != nil {
			return r, err
		}
	} else if r.Marker, err = p.readMarker(ctx, r.Name, r.Type); err != nil {
		return r, err
	}
	keepTTL := int32(0)
	if r.TTL == 0 {
		if keepTTL, err = p.currentTTL(ctx, r); err != nil {
			return r, err
		}
	}
	r, rr, err := normalise(r, keepTTL)
	if err != nil {
		return r, err
	}
	if txt != nil {
		txt.Header().Ttl = rr.Header().Ttl
	}
	var old dns.RR
	if id.value != "" {
		if old, err = newRR(providers.Record{Name: id.name, Type: id.typ, Value: id.value}); err != nil {
			return r, err
		}
	}
	if err := p.update(ctx, updateMsg(zone.Name, old, rr, txt), fmt.Sprintf("update %s %s in zone %s", r.Name, r.Type, zone.Name)); err != nil {
		return r, err
	}
	r.ID = recordID(r, id.value == "")
	return r, nil
}

// DeleteRecord removes the record with r.ID: the whole set for
// "name/type", one value for "name/type/value". The companion TXT goes in
// the same message when no record of the name and type is left. Removing
// what is not there is no error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	id, err := parseID(r.ID)
	if err != nil {
		return err
	}
	op := fmt.Sprintf("delete %s %s in zone %s", id.name, id.typ, zone.Name)
	if id.value != "" {
		return p.deleteValue(ctx, zone, id, op)
	}
	// Only name and type matter to a set's removal.
	rr, err := newRR(providers.Record{Name: id.name, Type: id.typ, Value: zeroValue(id.typ)})
	if err != nil {
		return err
	}
	return p.update(ctx, deleteSetMsg(zone.Name, rr), op)
}

// deleteValue removes one value of a set. It reads the set first, so it
// knows whether the value is the last one (and the companion TXT must go
// too), and conditions the write on the set it read: a set changed
// meanwhile fails as transient and is read again next time.
func (p *Provider) deleteValue(ctx context.Context, zone providers.Zone, id recordKey, op string) error {
	target, err := newRR(providers.Record{Name: id.name, Type: id.typ, Value: id.value})
	if err != nil {
		return err
	}
	recs, err := p.queryRecords(ctx, id.name, id.typ)
	if err != nil {
		return err
	}
	set := make([]dns.RR, 0, len(recs))
	found := false
	for _, rec := range recs {
		rr, err := newRR(rec)
		if err != nil {
			return err
		}
		found = found || rec.Value == rrValue(target)
		set = append(set, rr)
	}
	if !found {
		return nil
	}
	return p.update(ctx, deleteValueMsg(zone.Name, set, target), op)
}

// currentTTL is the TTL the record's set has now, for an update that keeps
// it; DefaultTTL when the set is gone.
func (p *Provider) currentTTL(ctx context.Context, r providers.Record) (int32, error) {
	recs, err := p.queryRecords(ctx, r.Name, r.Type)
	if err != nil || len(recs) == 0 {
		return DefaultTTL, err
	}
	return recs[0].TTL, nil
}

// normalise canonicalises r and builds its RR; a TTL of 0 becomes
// fallback, or DefaultTTL when fallback is 0 too.
func normalise(r providers.Record, fallback int32) (providers.Record, dns.RR, error) {
	r.Name = providers.CanonicalName(r.Name)
	if r.TTL <= 0 {
		r.TTL = fallback
	}
	if r.TTL <= 0 {
		r.TTL = DefaultTTL
	}
	rr, err := newRR(r)
	if err != nil {
		return r, nil, err
	}
	r.Value = rrValue(rr)
	return r, rr, nil
}

// newRR builds the A or AAAA RR for r.
func newRR(r providers.Record) (dns.RR, error) {
	addr, err := netip.ParseAddr(r.Value)
	if err != nil {
		return nil, providers.Errorf(providers.KindInvalid, "", "value %q is not an IP address", r.Value)
	}
	addr = addr.Unmap()
	hdr := dns.RR_Header{Name: dns.Fqdn(providers.CanonicalName(r.Name)), Class: dns.ClassINET, Ttl: uint32(max(r.TTL, 0))}
	switch {
	case r.Type == "A" && addr.Is4():
		hdr.Rrtype = dns.TypeA
		return &dns.A{Hdr: hdr, A: addr.AsSlice()}, nil
	case r.Type == "AAAA" && addr.Is6():
		hdr.Rrtype = dns.TypeAAAA
		return &dns.AAAA{Hdr: hdr, AAAA: addr.AsSlice()}, nil
	}
	return nil, providers.Errorf(providers.KindInvalid, "", "value %q does not fit record type %q", r.Value, r.Type)
}

// rrValue is the canonical text of an A or AAAA RR's address.
func rrValue(rr dns.RR) string {
	var b []byte
	switch v := rr.(type) {
	case *dns.A:
		b = v.A
	case *dns.AAAA:
		b = v.AAAA
	}
	addr, ok := netip.AddrFromSlice(b)
	if !ok {
		return ""
	}
	return addr.Unmap().String()
}

func rrType(typ string) (uint16, error) {
	switch typ {
	case "A":
		return dns.TypeA, nil
	case "AAAA":
		return dns.TypeAAAA, nil
	}
	return 0, providers.Errorf(providers.KindInvalid, "", "record type %q is not A or AAAA", typ)
}

func zeroValue(typ string) string {
	if typ == "AAAA" {
		return "::"
	}
	return "0.0.0.0"
}

// recordKey is a parsed record ID.
type recordKey struct{ name, typ, value string }

// recordID is "name/type" for the only record of its set, else
// "name/type/value".
func recordID(r providers.Record, sole bool) string {
	if sole {
		return r.Name + "/" + r.Type
	}
	return r.Name + "/" + r.Type + "/" + r.Value
}

func parseID(id string) (recordKey, error) {
	parts := strings.SplitN(id, "/", 3)
	if len(parts) < 2 || parts[0] == "" {
		return recordKey{}, providers.Errorf(providers.KindInvalid, "", "record ID %q is not name/type or name/type/value", id)
	}
	if _, err := rrType(parts[1]); err != nil {
		return recordKey{}, err
	}
	k := recordKey{name: providers.CanonicalName(parts[0]), typ: parts[1]}
	if len(parts) == 3 {
		k.value = parts[2]
	}
	return k, nil
}

package dynadot

import (
	"context"
	"net/netip"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/rrset"
)

// FindZone returns the zone that holds fqdn as DNS sees it, or hint when
// DNS agrees it is a zone holding fqdn: the password belongs to one
// domain, and there is no list to search.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	return p.dns.FindZone(ctx, fqdn, hint)
}

// ListRecords returns the addresses name has of type typ, as the zone's
// name servers answer now, with the TTL they serve.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	return p.dns.ListRecords(ctx, zone, name, typ)
}

// CreateRecord sets the name's record, as UpdateRecord does: set_ddns
// creates a record that is not there.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r.ID = rrset.ID(r.Name, r.Type, "", true)
	return p.UpdateRecord(ctx, zone, r)
}

// UpdateRecord sets the record r names to r.Value with set_ddns, which
// replaces the name's record of the type. It reads the name from DNS
// first and sends nothing when it already holds the value and TTL: the
// endpoint must not be sent updates that change nothing. A TTL of 0 asks
// for the TTL the name has, or DefaultTTL for a new one.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	name, typ := providers.CanonicalName(r.Name), strings.ToUpper(r.Type)
	if r.ID != "" {
		key, err := rrset.Parse(r.ID)
		if err != nil {
			return providers.Record{}, err
		}
		name, typ = key.Name, key.Type
	}
	ip, err := netip.ParseAddr(strings.TrimSpace(r.Value))
	if err != nil || (typ == "A") != ip.Unmap().Is4() || (typ != "A" && typ != "AAAA") {
		return providers.Record{}, providers.Errorf(providers.KindInvalid, "", "dynadot: %q is not an address of type %s", r.Value, typ)
	}
	cur, err := p.dns.ListRecords(ctx, zone, name, typ)
	if err != nil {
		return providers.Record{}, err
	}
	out := providers.Record{ID: rrset.ID(name, typ, "", true), Name: name, Type: typ, Value: ip.Unmap().String(), TTL: r.TTL}
	if out.TTL <= 0 {
		out.TTL = DefaultTTL
		if len(cur) > 0 && cur[0].TTL > 0 {
			out.TTL = cur[0].TTL
		}
	}
	if len(cur) == 1 && cur[0].Value == out.Value && cur[0].TTL == out.TTL {
		return out, nil
	}
	sub := providers.RelativeName(name, zone.Name)
	if sub == "@" {
		sub = ""
	}
	if err := p.update.set(ctx, zone.Name, sub, typ, out.Value, p.password, out.TTL); err != nil {
		return providers.Record{}, err
	}
	return out, nil
}

// DeleteRecord cannot be done: set_ddns only sets records.
func (p *Provider) DeleteRecord(_ context.Context, zone providers.Zone, r providers.Record) error {
	name := providers.CanonicalName(r.Name)
	if key, err := rrset.Parse(r.ID); err == nil {
		name = key.Name
	}
	return providers.Errorf(providers.KindInvalid, "", "dynadot: the DDNS endpoint cannot delete records; delete %s in %s's DNS settings", name, zone.Name)
}

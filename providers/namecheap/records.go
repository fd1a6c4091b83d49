package namecheap

import (
	"context"
	"net/netip"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/rrset"
	"github.com/ddns-operator/ddns-operator/providers/internal/value"
)

// FindZone returns the zone that holds fqdn as DNS sees it (the owner of
// its SOA), or hint when hint is set and DNS agrees it is a zone holding
// fqdn. There is no list of domains to search: the password belongs to
// one domain, and Namecheap refuses another's.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	fqdn = providers.CanonicalName(fqdn)
	name := fqdn
	if hint != "" {
		hint = providers.CanonicalName(hint)
		if _, ok := providers.LongestSuffixZone(fqdn, []providers.Zone{{Name: hint}}); !ok {
			return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "namecheap: %s is not a name in %s", fqdn, hint)
		}
		name = hint
	}
	zone, err := p.dns.Zone(ctx, name)
	if err != nil {
		return providers.Zone{}, err
	}
	if hint != "" && zone != hint {
		return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "namecheap: %s is not a DNS zone (%s is in zone %s)", hint, hint, zone)
	}
	return providers.Zone{ID: zone, Name: zone}, nil
}

// ListRecords returns the addresses name has of type typ, as the zone's
// name servers answer now. Listed TTLs are 0: the endpoint cannot set a
// TTL, so the one set in Namecheap's console is kept and matches any.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	if err := checkType(typ); err != nil {
		return nil, err
	}
	name = providers.CanonicalName(name)
	answers, err := p.dns.Lookup(ctx, zone.Name, name, typ)
	if err != nil {
		return nil, err
	}
	out := make([]providers.Record, 0, len(answers))
	for _, a := range answers {
		out = append(out, providers.Record{Name: name, Type: "A", Value: a.Value})
	}
	rrset.Assign(out)
	return out, nil
}

// CreateRecord sets the host's address, as UpdateRecord does: the
// endpoint only sets addresses of hosts set up in Namecheap's console.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r.ID = rrset.ID(r.Name, r.Type, "", true)
	return p.UpdateRecord(ctx, zone, r)
}

// UpdateRecord sets the address of the host r names to r.Value. It reads
// the name's address from DNS first and sends nothing when it already
// holds the value: Namecheap's endpoint must not be sent updates that
// change nothing.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	if err := checkType(r.Type); err != nil {
		return providers.Record{}, err
	}
	name := providers.CanonicalName(r.Name)
	if r.ID != "" {
		key, err := rrset.Parse(r.ID)
		if err != nil {
			return providers.Record{}, err
		}
		name = key.Name
	}
	ip, err := netip.ParseAddr(strings.TrimSpace(r.Value))
	if err != nil || !ip.Unmap().Is4() {
		return providers.Record{}, providers.Errorf(providers.KindInvalid, "", "namecheap: %q is not an IPv4 address", r.Value)
	}
	out := providers.Record{ID: rrset.ID(name, "A", "", true), Name: name, Type: "A", Value: ip.Unmap().String()}
	cur, err := p.dns.Lookup(ctx, zone.Name, name, "A")
	if err != nil {
		return providers.Record{}, err
	}
	if len(cur) == 1 && value.Canonical(cur[0].Value) == out.Value {
		return out, nil
	}
	if err := p.update.set(ctx, providers.RelativeName(name, zone.Name), zone.Name, p.password, out.Value); err != nil {
		return providers.Record{}, err
	}
	return out, nil
}

// DeleteRecord cannot be done: the endpoint only sets addresses.
func (p *Provider) DeleteRecord(_ context.Context, zone providers.Zone, r providers.Record) error {
	name := providers.CanonicalName(r.Name)
	if key, err := rrset.Parse(r.ID); err == nil {
		name = key.Name
	}
	return providers.Errorf(providers.KindInvalid, "", "namecheap: the Dynamic DNS endpoint cannot delete records; delete %s in %s's Advanced DNS page", name, zone.Name)
}

// checkType refuses types other than A.
func checkType(typ string) error {
	if strings.EqualFold(typ, "A") {
		return nil
	}
	return providers.Errorf(providers.KindInvalid, "", "namecheap: the Dynamic DNS endpoint updates IPv4 (A) records only, not %s", strings.ToUpper(typ))
}

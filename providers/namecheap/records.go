package namecheap

import (
	"context"
	"net/netip"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/rrset"
)

// FindZone returns the zone that holds fqdn as DNS sees it, or hint when
// DNS agrees it is a zone holding fqdn. There is no list of domains to
// search: the password belongs to one domain, and Namecheap refuses
// another's.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	return p.dns.FindZone(ctx, fqdn, hint)
}

// ListRecords returns the addresses name has, as the zone's name servers
// answer now. Listed TTLs are 0: the endpoint cannot set a TTL, so the
// one set in Namecheap's console is kept and matches any.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	if err := checkType(typ); err != nil {
		return nil, err
	}
	return p.dns.ListRecords(ctx, zone, name, typ)
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
	if same, err := p.dns.Holds(ctx, zone, name, "A", out.Value, 0); err != nil || same {
		return out, err
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

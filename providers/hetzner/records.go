package hetzner

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"

	"github.com/ddns-operator/ddns-operator/providers"
)

// FindZone returns the zone that holds fqdn: with hint, the zone of that
// name (GET /zones/{name}); otherwise the longest suffix among every page of
// GET /zones. The zone's ID is the Cloud API's numeric ID.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	fqdn = providers.CanonicalName(fqdn)
	if hint != "" {
		hint = providers.CanonicalName(hint)
		if fqdn != hint && !strings.HasSuffix(fqdn, "."+hint) {
			return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "zone %q does not hold %q", hint, fqdn)
		}
		z, resp, err := p.zones.GetByName(ctx, hint)
		if err != nil {
			return providers.Zone{}, mapError("find zone "+hint, resp, err)
		}
		if z == nil {
			return providers.Zone{}, noZone(hint)
		}
		return p.toZone(z), nil
	}
	var zones []providers.Zone
	guard := providers.NewPageGuard("list zones")
	for page := 1; ; page++ {
		got, resp, err := p.zones.List(ctx, hcloud.ZoneListOpts{ListOpts: hcloud.ListOpts{Page: page, PerPage: perPage}})
		if err != nil {
			return providers.Zone{}, mapError("list zones", resp, err)
		}
		ids := make([]string, 0, len(got))
		for _, z := range got {
			zones = append(zones, p.toZone(z))
			ids = append(ids, fmt.Sprint(z.ID))
		}
		if len(ids) == 0 || !morePages(resp) {
			break
		}
		if err := guard.Page(ids); err != nil {
			return providers.Zone{}, err
		}
	}
	z, ok := providers.LongestSuffixZone(fqdn, zones)
	if !ok {
		return providers.Zone{}, noZone(fqdn)
	}
	return z, nil
}

// noZone says no zone of the project holds name, and where such a zone
// may be instead.
func noZone(name string) error {
	return providers.Errorf(providers.KindZoneNotFound, "", "no zone of the token's Cloud project holds %q; "+
		"a zone still in the old DNS Console (dns.hetzner.com) must first be moved into a Cloud project", name)
}

// ListRecords reads the RRset named name of type typ (GET
// /zones/{id}/rrsets/{name}/{type}).
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	set, err := p.readSet(ctx, zone, name, typ)
	if err != nil {
		return nil, err
	}
	return set.Records(), nil
}

// ListZoneRecords reads every RRset of type typ in zone, every page.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	var out []providers.Record
	op := fmt.Sprintf("list %s records in zone %s", typ, zone.Name)
	guard := providers.NewPageGuard(op)
	for page := 1; ; page++ {
		opts := hcloud.ZoneRRSetListOpts{ListOpts: hcloud.ListOpts{Page: page, PerPage: perPage}, Type: []hcloud.ZoneRRSetType{hcloud.ZoneRRSetType(typ)}}
		sets, resp, err := p.zones.ListRRSets(ctx, hzone(zone), opts)
		if err != nil {
			return nil, mapError(op, resp, err)
		}
		ids := make([]string, 0, len(sets))
		for _, s := range sets {
			ids = append(ids, s.ID)
			if string(s.Type) == typ {
				out = append(out, p.fromSDK(zone, s).Records()...)
			}
		}
		if len(ids) == 0 || !morePages(resp) {
			return out, nil
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

// CreateRecord creates the RRset of r's name and type with r's value, its
// comment holding r.Marker. The Cloud API refuses it (uniqueness_error)
// when the set exists: it was made since the zone was read, and the next
// check reads it again.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r, err := normalise(r)
	if err != nil {
		return r, err
	}
	opts := hcloud.ZoneRRSetCreateOpts{
		Name: providers.RelativeName(r.Name, zone.Name), Type: hcloud.ZoneRRSetType(r.Type),
		Records: []hcloud.ZoneRRSetRecord{{Value: r.Value, Comment: r.Marker}},
	}
	if r.TTL > 0 {
		ttl := int(r.TTL)
		opts.TTL = &ttl
	}
	op := fmt.Sprintf("create %s %s in zone %s", r.Name, r.Type, zone.Name)
	res, resp, err := p.zones.CreateRRSet(ctx, hzone(zone), opts)
	if err != nil {
		return r, mapError(op, resp, err)
	}
	if err := actionError(op, res.Action); err != nil {
		return r, err
	}
	r.ID = providers.SetID(r.Name, r.Type, r.Value, true)
	return r, nil
}

// UpdateRecord reads the record's RRset, replaces the value r.ID names
// (providers.RecordSet.Replaced, the comment kept unless r.Marker is set)
// and writes the records with the set_records action; a new TTL takes the
// change_ttl action first, as the Cloud API changes a set's TTL only so.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	k, err := providers.ParseSetID(r.ID)
	if err != nil {
		return r, err
	}
	r.Name, r.Type = k.Name, k.Type
	if r, err = normalise(r); err != nil {
		return r, err
	}
	set, err := p.readSet(ctx, zone, k.Name, k.Type)
	if err != nil {
		return r, err
	}
	if len(set.Values) == 0 {
		return r, providers.Errorf(providers.KindNotFound, "", "update %s %s in zone %s: the record set is gone", k.Name, k.Type, zone.Name)
	}
	next := set.Replaced(k, r)
	op := fmt.Sprintf("update %s %s in zone %s", k.Name, k.Type, zone.Name)
	rrset := hrrset(zone, k.Name, k.Type)
	if next.TTL != set.TTL && next.TTL > 0 {
		ttl := int(next.TTL)
		action, resp, err := p.zones.ChangeRRSetTTL(ctx, rrset, hcloud.ZoneRRSetChangeTTLOpts{TTL: &ttl})
		if err != nil {
			return r, mapError(op, resp, err)
		}
		if err := actionError(op, action); err != nil {
			return r, err
		}
	}
	if !sameRecords(set, next) {
		if err := p.setRecords(ctx, rrset, next, op); err != nil {
			return r, err
		}
	}
	r.TTL = next.TTL
	r.ID = providers.SetID(r.Name, r.Type, r.Value, len(next.Values) == 1)
	return r, nil
}

// DeleteRecord removes the value r stands for from its RRset: the set is
// deleted when no value is left, and its records set to the rest
// otherwise. A value or set already gone is no error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	k, err := providers.ParseSetID(r.ID)
	if err != nil {
		return err
	}
	set, err := p.readSet(ctx, zone, k.Name, k.Type)
	if err != nil {
		return err
	}
	rest, found := set.Without(k, r)
	if !found {
		return nil
	}
	op := fmt.Sprintf("delete %s %s in zone %s", k.Name, k.Type, zone.Name)
	rrset := hrrset(zone, k.Name, k.Type)
	if len(rest.Values) > 0 {
		return p.setRecords(ctx, rrset, rest, op)
	}
	res, resp, err := p.zones.DeleteRRSet(ctx, rrset)
	if err != nil {
		if e := mapError(op, resp, err); providers.KindOf(e) != providers.KindNotFound {
			return e
		}
		return nil
	}
	return actionError(op, res.Action)
}

// readSet reads one RRset; one that does not exist is empty.
func (p *Provider) readSet(ctx context.Context, zone providers.Zone, name, typ string) (providers.RecordSet, error) {
	name = providers.CanonicalName(name)
	s, resp, err := p.zones.GetRRSetByNameAndType(ctx, hzone(zone), providers.RelativeName(name, zone.Name), hcloud.ZoneRRSetType(typ))
	if err != nil {
		return providers.RecordSet{}, mapError(fmt.Sprintf("read %s %s in zone %s", name, typ, zone.Name), resp, err)
	}
	if s == nil {
		return providers.RecordSet{Name: name, Type: typ}, nil
	}
	return p.fromSDK(zone, s), nil
}

// setRecords writes a set's records (the set_records action).
func (p *Provider) setRecords(ctx context.Context, rrset *hcloud.ZoneRRSet, set providers.RecordSet, op string) error {
	recs := make([]hcloud.ZoneRRSetRecord, 0, len(set.Values))
	for _, v := range set.Values {
		recs = append(recs, hcloud.ZoneRRSetRecord{Value: v.Value, Comment: v.Marker})
	}
	action, resp, err := p.zones.SetRRSetRecords(ctx, rrset, hcloud.ZoneRRSetSetRecordsOpts{Records: recs})
	if err != nil {
		return mapError(op, resp, err)
	}
	return actionError(op, action)
}

// fromSDK converts an RRset of zone; one without a TTL of its own has the
// zone's.
func (p *Provider) fromSDK(zone providers.Zone, s *hcloud.ZoneRRSet) providers.RecordSet {
	set := providers.RecordSet{Name: providers.AbsoluteName(s.Name, zone.Name), Type: string(s.Type), TTL: defaultZoneTTL}
	if ttl, ok := p.zoneTTL.Load(zone.Name); ok {
		set.TTL = ttl.(int32)
	}
	if s.TTL != nil {
		set.TTL = int32(*s.TTL)
	}
	for _, r := range s.Records {
		set.Values = append(set.Values, providers.SetValue{Value: r.Value, Marker: r.Comment})
	}
	return set
}

// sameRecords reports whether a and b hold the same values and comments.
func sameRecords(a, b providers.RecordSet) bool {
	if len(a.Values) != len(b.Values) {
		return false
	}
	for i := range a.Values {
		if a.Values[i] != b.Values[i] {
			return false
		}
	}
	return true
}

// hzone is zone as the SDK addresses it: by name, which the Cloud API
// takes wherever it takes the ID.
func hzone(zone providers.Zone) *hcloud.Zone { return &hcloud.Zone{Name: zone.Name} }

// hrrset is the RRset of name (absolute) and typ in zone, as the SDK
// addresses it.
func hrrset(zone providers.Zone, name, typ string) *hcloud.ZoneRRSet {
	return &hcloud.ZoneRRSet{Zone: hzone(zone), Name: providers.RelativeName(name, zone.Name), Type: hcloud.ZoneRRSetType(typ)}
}

// toZone converts a zone and remembers its default TTL.
func (p *Provider) toZone(z *hcloud.Zone) providers.Zone {
	out := providers.Zone{ID: fmt.Sprint(z.ID), Name: providers.CanonicalName(z.Name)}
	if z.TTL > 0 {
		p.zoneTTL.Store(out.Name, int32(z.TTL))
	}
	return out
}

// defaultZoneTTL is a zone's TTL when the Cloud API does not say: its
// default for new zones.
const defaultZoneTTL = 3600

// morePages reports whether the answer's meta.pagination names a next page.
func morePages(resp *hcloud.Response) bool {
	return resp != nil && resp.Meta.Pagination != nil && resp.Meta.Pagination.NextPage > 0
}

// normalise canonicalises r's name and value and checks they fit.
func normalise(r providers.Record) (providers.Record, error) {
	r.Name = providers.CanonicalName(r.Name)
	addr, err := netip.ParseAddr(r.Value)
	if err != nil || (r.Type != "A" && r.Type != "AAAA") || (r.Type == "A") != addr.Unmap().Is4() {
		return r, providers.Errorf(providers.KindInvalid, "", "value %q does not fit record type %q", r.Value, r.Type)
	}
	r.Value = addr.Unmap().String()
	return r, nil
}

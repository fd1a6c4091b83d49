package dynv6

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/value"
)

// recordJSON is a record of a zone; Name is relative to the zone.
type recordJSON struct {
	ID     int64  `json:"id,omitempty"`
	ZoneID int64  `json:"zoneID,omitempty"`
	Type   string `json:"type"`
	Name   string `json:"name"`
	Data   string `json:"data"`
}

// apexID is the ID of the apex's record of type typ, which is a field of
// the zone rather than a record.
func apexID(typ string) string { return "zone/" + strings.ToUpper(typ) }

// ListRecords returns the records named name of type typ: the zone's own
// address for the apex, the zone's records below it.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	name = providers.CanonicalName(name)
	if name == zone.Name {
		return p.apex(ctx, zone, typ)
	}
	all, err := p.records(ctx, zone, typ)
	if err != nil {
		return nil, err
	}
	out := []providers.Record{}
	for _, r := range all {
		if r.Name == name {
			out = append(out, r)
		}
	}
	return out, nil
}

// ListZoneRecords returns every record of type typ in zone, the apex's
// included.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	apex, err := p.apex(ctx, zone, typ)
	if err != nil {
		return nil, err
	}
	rest, err := p.records(ctx, zone, typ)
	if err != nil {
		return nil, err
	}
	return append(apex, rest...), nil
}

// apex returns the zone's own address of type typ as a record, if set.
func (p *Provider) apex(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	var z zoneJSON
	if err := p.api.Call(ctx, "get zone", http.MethodGet, "/zones/"+url.PathEscape(zone.ID), nil, nil, &z); err != nil {
		return nil, zoneError(err, zone)
	}
	v := z.IPv4Address
	if strings.EqualFold(typ, "AAAA") {
		v = prefixAddress(z.IPv6Prefix)
	}
	if v == "" {
		return []providers.Record{}, nil
	}
	return []providers.Record{{ID: apexID(typ), Name: zone.Name, Type: strings.ToUpper(typ), Value: value.Canonical(v)}}, nil
}

// prefixAddress is the address an IPv6 prefix field holds: "2001:db8::1"
// or "2001:db8::/64" without its length.
func prefixAddress(p string) string {
	if pfx, err := netip.ParsePrefix(p); err == nil {
		return pfx.Addr().String()
	}
	return p
}

// records reads the zone's records of type typ: GET
// /zones/{id}/records, which answers them all at once.
func (p *Provider) records(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	var list []recordJSON
	if err := p.api.Call(ctx, "list records", http.MethodGet, "/zones/"+url.PathEscape(zone.ID)+"/records", nil, nil, &list); err != nil {
		return nil, zoneError(err, zone)
	}
	out := []providers.Record{}
	for _, r := range list {
		if !strings.EqualFold(r.Type, typ) || r.ID == 0 {
			continue
		}
		out = append(out, providers.Record{
			ID: strconv.FormatInt(r.ID, 10), Name: providers.AbsoluteName(r.Name, zone.Name),
			Type: strings.ToUpper(r.Type), Value: value.Canonical(r.Data),
		})
	}
	return out, nil
}

// CreateRecord creates r: the zone's own address for the apex (PATCH
// /zones/{id}), else POST /zones/{id}/records. dynv6 takes no TTL.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r.Name, r.Type, r.Value, r.TTL, r.Marker = providers.CanonicalName(r.Name), strings.ToUpper(r.Type), value.Canonical(r.Value), 0, ""
	if r.Name == zone.Name {
		if err := p.setApex(ctx, zone, r.Type, r.Value); err != nil {
			return providers.Record{}, err
		}
		r.ID = apexID(r.Type)
		return r, nil
	}
	var out recordJSON
	in := recordJSON{Type: r.Type, Name: providers.RelativeName(r.Name, zone.Name), Data: r.Value}
	if err := p.api.Call(ctx, "create record", http.MethodPost, "/zones/"+url.PathEscape(zone.ID)+"/records", nil, in, &out); err != nil {
		return providers.Record{}, zoneError(err, zone)
	}
	if out.ID == 0 {
		return providers.Record{}, providers.Errorf(providers.KindTransient, "", "dynv6 create record: the answer holds no record id")
	}
	r.ID = strconv.FormatInt(out.ID, 10)
	return r, nil
}

// UpdateRecord points the record r.ID at r.Value: the zone's own address
// for the apex, else PATCH /zones/{id}/records/{recordID} with the new
// data (the record's other fields are kept).
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	out := providers.Record{ID: r.ID, Name: providers.CanonicalName(r.Name), Type: strings.ToUpper(r.Type), Value: value.Canonical(r.Value)}
	if r.ID == apexID(out.Type) {
		return out, p.setApex(ctx, zone, out.Type, out.Value)
	}
	err := p.api.Call(ctx, "update record", http.MethodPatch, "/zones/"+url.PathEscape(zone.ID)+"/records/"+url.PathEscape(r.ID), nil, map[string]string{"data": out.Value}, nil)
	if err != nil {
		return providers.Record{}, err
	}
	return out, nil
}

// DeleteRecord removes the record r.ID: it clears the zone's own address
// for the apex, else DELETE /zones/{id}/records/{recordID}. A record
// already gone is not an error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	if strings.HasPrefix(r.ID, "zone/") {
		return p.setApex(ctx, zone, strings.TrimPrefix(r.ID, "zone/"), "")
	}
	err := p.api.Call(ctx, "delete record", http.MethodDelete, "/zones/"+url.PathEscape(zone.ID)+"/records/"+url.PathEscape(r.ID), nil, nil, nil)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// setApex sets the zone's own address of type typ ("" clears it): PATCH
// /zones/{id} with ipv4address or ipv6prefix.
func (p *Provider) setApex(ctx context.Context, zone providers.Zone, typ, v string) error {
	field := "ipv4address"
	if strings.EqualFold(typ, "AAAA") {
		field = "ipv6prefix"
	}
	return zoneError(p.api.Call(ctx, "update zone", http.MethodPatch, "/zones/"+url.PathEscape(zone.ID), nil, map[string]string{field: v}, nil), zone)
}

// zoneError reports a 404 on a zone as the zone missing.
func zoneError(err error, zone providers.Zone) error {
	if providers.KindOf(err) != providers.KindNotFound {
		return err
	}
	return &providers.Error{Kind: providers.KindZoneNotFound, Message: "dynv6: zone " + zone.Name + " is not in this account: " + err.Error(), Err: err}
}

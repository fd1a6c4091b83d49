package porkbun

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/value"
)

// ListRecords returns the records named name of type typ: DNS Retrieve
// Records by Domain, Subdomain and Type.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	path := "/dns/retrieveByNameType/" + url.PathEscape(zone.Name) + "/" + url.PathEscape(strings.ToUpper(typ))
	if sub := subdomain(name, zone.Name); sub != "" {
		path += "/" + url.PathEscape(sub)
	}
	var resp retrieveResponse
	if err := p.api.call(ctx, path, zone.Name, nil, &resp); err != nil {
		return nil, err
	}
	return toRecords(resp.Records, providers.CanonicalName(name), typ), nil
}

// ListZoneRecords returns every record of type typ in zone: DNS Retrieve
// Records by Domain, which answers the whole zone at once.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	var resp retrieveResponse
	if err := p.api.call(ctx, "/dns/retrieve/"+url.PathEscape(zone.Name), zone.Name, nil, &resp); err != nil {
		return nil, err
	}
	return toRecords(resp.Records, "", typ), nil
}

// toRecords converts the records of type typ (and named name, when set);
// the API filters too, but the provider does not rely on it.
func toRecords(raw []recordJSON, name, typ string) []providers.Record {
	out := []providers.Record{}
	for _, r := range raw {
		rec := toRecord(r)
		if !strings.EqualFold(rec.Type, typ) || (name != "" && rec.Name != name) {
			continue
		}
		out = append(out, rec)
	}
	return out
}

func toRecord(r recordJSON) providers.Record {
	return providers.Record{
		ID:     string(r.ID),
		Name:   providers.CanonicalName(r.Name),
		Type:   strings.ToUpper(r.Type),
		Value:  value.Canonical(r.Content),
		TTL:    int32(r.TTL.int()),
		Marker: r.Notes,
	}
}

// CreateRecord creates r with DNS Create Record, its marker in the
// record's notes. A TTL of 0 leaves Porkbun's default (600).
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	if r.TTL > 0 && r.TTL < MinTTL {
		return providers.Record{}, ttlError(r.TTL)
	}
	r.Name, r.Type, r.Value = providers.CanonicalName(r.Name), strings.ToUpper(r.Type), value.Canonical(r.Value)
	body := map[string]any{"name": subdomain(r.Name, zone.Name), "type": r.Type, "content": r.Value}
	if r.TTL > 0 {
		body["ttl"] = strconv.Itoa(int(r.TTL))
	} else {
		r.TTL = MinTTL
	}
	if r.Marker != "" {
		body["notes"] = r.Marker
	}
	var resp createResponse
	if err := p.api.call(ctx, "/dns/create/"+url.PathEscape(zone.Name), zone.Name, body, &resp); err != nil {
		return providers.Record{}, err
	}
	if resp.ID == "" {
		return providers.Record{}, providers.Errorf(providers.KindTransient, "", "porkbun dns/create: the answer holds no record id")
	}
	r.ID = string(resp.ID)
	return r, nil
}

// UpdateRecord sets the value and TTL of the record r.ID with DNS Edit
// Record by Domain and ID. Edit replaces the record's fields, so when r
// leaves the TTL (0) or the marker ("") as they are, the provider reads
// the record first and sends them back. (A and AAAA records have no
// priority to keep.)
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	if r.TTL > 0 && r.TTL < MinTTL {
		return providers.Record{}, ttlError(r.TTL)
	}
	if r.ID == "" {
		return providers.Record{}, providers.Errorf(providers.KindInvalid, "", "porkbun: a record to update needs its id")
	}
	out := r
	out.Name, out.Type = providers.CanonicalName(r.Name), strings.ToUpper(r.Type)
	if r.TTL <= 0 || r.Marker == "" {
		cur, err := p.get(ctx, zone, r.ID)
		if err != nil {
			return providers.Record{}, err
		}
		out = toRecord(cur)
		if r.TTL > 0 {
			out.TTL = r.TTL
		}
		if r.Marker != "" {
			out.Marker = r.Marker
		}
	}
	out.Value = value.Canonical(r.Value)
	body := map[string]any{
		"name": subdomain(out.Name, zone.Name), "type": out.Type, "content": out.Value,
		"ttl": strconv.Itoa(int(out.TTL)), "notes": out.Marker,
	}
	if err := p.api.call(ctx, "/dns/edit/"+url.PathEscape(zone.Name)+"/"+url.PathEscape(r.ID), zone.Name, body, nil); err != nil {
		return providers.Record{}, err
	}
	return out, nil
}

// get reads the record with id: DNS Retrieve Records by Domain or ID.
func (p *Provider) get(ctx context.Context, zone providers.Zone, id string) (recordJSON, error) {
	var resp retrieveResponse
	if err := p.api.call(ctx, "/dns/retrieve/"+url.PathEscape(zone.Name)+"/"+url.PathEscape(id), zone.Name, nil, &resp); err != nil {
		return recordJSON{}, err
	}
	for _, r := range resp.Records {
		if string(r.ID) == id {
			return r, nil
		}
	}
	return recordJSON{}, providers.Errorf(providers.KindNotFound, "", "porkbun: record %s no longer exists in %s", id, zone.Name)
}

// DeleteRecord removes the record r.ID with DNS Delete Record by Domain
// and ID; a record already gone is not an error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	err := p.api.call(ctx, "/dns/delete/"+url.PathEscape(zone.Name)+"/"+url.PathEscape(r.ID), zone.Name, nil, nil)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// subdomain is the record name Porkbun takes: relative to the domain, ""
// for the apex.
func subdomain(name, zone string) string {
	if rel := providers.RelativeName(name, zone); rel != "@" {
		return rel
	}
	return ""
}

package edgeone

import (
	"context"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Page sizes asked: DescribeZones takes at most 100, DescribeDnsRecords
// 1000.
const (
	zonePage   = 100
	recordPage = 1000
)

// filter is one of the Filters the Describe actions take.
type filter struct {
	Name   string   `json:"Name"`
	Values []string `json:"Values"`
}

// recordJSON is a DnsRecord as DescribeDnsRecords lists it; ModifyDnsRecords
// takes the same fields.
type recordJSON struct {
	RecordID string `json:"RecordId"`
	Name     string `json:"Name"`
	Type     string `json:"Type"`
	Location string `json:"Location"`
	Content  string `json:"Content"`
	TTL      int    `json:"TTL"`
	Weight   *int   `json:"Weight,omitempty"`
	Priority *int   `json:"Priority,omitempty"`
}

// FindZone returns the site named hint, or the longest suffix of fqdn
// among the account's sites accessed by NS ("full"), whose DNS records
// EdgeOne hosts; sites accessed by CNAME have none.
func (a *api) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	var zones []providers.Zone
	guard := providers.NewPageGuard("edgeone: list sites")
	for offset := 0; ; {
		var res struct {
			TotalCount int `json:"TotalCount"`
			Zones      []struct {
				ZoneID   string `json:"ZoneId"`
				ZoneName string `json:"ZoneName"`
				Type     string `json:"Type"`
			} `json:"Zones"`
		}
		if err := a.call(ctx, "DescribeZones", map[string]any{"Offset": offset, "Limit": zonePage}, &res); err != nil {
			return providers.Zone{}, err
		}
		ids := make([]string, 0, len(res.Zones))
		for _, z := range res.Zones {
			ids = append(ids, z.ZoneID)
			if z.Type == "" || z.Type == "full" {
				zones = append(zones, providers.Zone{ID: z.ZoneID, Name: providers.CanonicalName(z.ZoneName)})
			}
		}
		offset += len(res.Zones)
		if providers.LastPage(len(res.Zones), offset, res.TotalCount, zonePage) {
			break
		}
		if err := guard.Page(ids); err != nil {
			return providers.Zone{}, err
		}
	}
	return providers.PickZone(zones, fqdn, hint, "edgeone: NS-accessed site")
}

// List reads every page of DescribeDnsRecords for name (every name when
// "") and typ (every type when ""), filtered by the API and again here,
// on the provider's location.
func (a *api) List(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	var filters []filter
	name = providers.CanonicalName(name)
	if name != "" {
		filters = append(filters, filter{Name: "name", Values: []string{name}})
	}
	if typ != "" {
		filters = append(filters, filter{Name: "type", Values: []string{strings.ToUpper(typ)}})
	}
	raw, err := a.records(ctx, zone, filters)
	if err != nil {
		return nil, err
	}
	var out []providers.Record
	for _, r := range raw {
		rec := toRecord(r)
		if (name == "" || rec.Name == name) && (typ == "" || strings.EqualFold(rec.Type, typ)) && r.Location == a.location {
			out = append(out, rec)
		}
	}
	return out, nil
}

// records reads every page of DescribeDnsRecords with filters.
func (a *api) records(ctx context.Context, zone providers.Zone, filters []filter) ([]recordJSON, error) {
	var out []recordJSON
	guard := providers.NewPageGuard("edgeone: list DNS records")
	for offset := 0; ; {
		params := map[string]any{"ZoneId": zone.ID, "Offset": offset, "Limit": recordPage}
		if len(filters) > 0 {
			params["Filters"] = filters
		}
		var res struct {
			TotalCount int          `json:"TotalCount"`
			DNSRecords []recordJSON `json:"DnsRecords"`
		}
		if err := a.call(ctx, "DescribeDnsRecords", params, &res); err != nil {
			return nil, zoneError(err, zone)
		}
		out = append(out, res.DNSRecords...)
		offset += len(res.DNSRecords)
		if providers.LastPage(len(res.DNSRecords), offset, res.TotalCount, recordPage) {
			return out, nil
		}
		ids := make([]string, 0, len(res.DNSRecords))
		for _, r := range res.DNSRecords {
			ids = append(ids, r.RecordID)
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

// Create adds r on the provider's location (TTL 0: EdgeOne's 300).
func (a *api) Create(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r.Name, r.Type, r.Value = providers.CanonicalName(r.Name), strings.ToUpper(r.Type), providers.CanonicalValue(r.Value)
	params := map[string]any{"ZoneId": zone.ID, "Name": r.Name, "Type": r.Type, "Content": r.Value, "Location": a.location}
	if r.TTL > 0 {
		params["TTL"] = r.TTL
	} else {
		r.TTL = DefaultTTL
	}
	var res struct {
		RecordID string `json:"RecordId"`
	}
	if err := a.call(ctx, "CreateDnsRecord", params, &res); err != nil {
		return providers.Record{}, ttlError(zoneError(err, zone), r.TTL)
	}
	if res.RecordID == "" {
		return providers.Record{}, providers.Errorf(providers.KindTransient, "", "edgeone CreateDnsRecord: the answer holds no RecordId")
	}
	r.ID = res.RecordID
	return r, nil
}

// Update sets the value and TTL (0 keeps it) of the record r.ID.
// ModifyDnsRecords takes whole records, so the record is read first (by
// its ID) and its name, type, location, weight and priority are sent back;
// nothing is sent when it already holds the value and TTL.
func (a *api) Update(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	found, err := a.records(ctx, zone, []filter{{Name: "id", Values: []string{r.ID}}})
	if err != nil {
		return providers.Record{}, err
	}
	for _, cur := range found {
		if cur.RecordID != r.ID {
			continue
		}
		out := toRecord(cur)
		value, ttl := providers.CanonicalValue(r.Value), int(r.TTL)
		if ttl <= 0 {
			ttl = cur.TTL
		}
		if out.Value == value && cur.TTL == ttl {
			return out, nil
		}
		next := cur
		next.Content, next.TTL = value, ttl
		if err := a.call(ctx, "ModifyDnsRecords", map[string]any{"ZoneId": zone.ID, "DnsRecords": []recordJSON{next}}, nil); err != nil {
			if providers.KindOf(err) == providers.KindNotFound {
				break
			}
			return providers.Record{}, ttlError(err, int32(ttl))
		}
		out.Value, out.TTL = value, int32(ttl)
		return out, nil
	}
	return providers.Record{}, providers.Errorf(providers.KindNotFound, "", "edgeone: record %s of %s no longer exists", r.ID, zone.Name)
}

// Delete removes the record r.ID; one already gone is not an error.
func (a *api) Delete(ctx context.Context, zone providers.Zone, r providers.Record) error {
	err := a.call(ctx, "DeleteDnsRecords", map[string]any{"ZoneId": zone.ID, "RecordIds": []string{r.ID}}, nil)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// toRecord converts a listed record; names are full.
func toRecord(r recordJSON) providers.Record {
	return providers.Record{ID: r.RecordID, Name: providers.CanonicalName(r.Name), Type: strings.ToUpper(r.Type), Value: providers.CanonicalValue(r.Content), TTL: int32(r.TTL)}
}

// zoneError turns "not found" into "no such zone" for calls that address
// a site.
func zoneError(err error, zone providers.Zone) error {
	pe, ok := providers.AsError(err)
	if !ok || pe.Kind != providers.KindNotFound {
		return err
	}
	out := *pe
	out.Kind = providers.KindZoneNotFound
	out.Message = "edgeone: the account has no site " + zone.Name + " (" + zone.ID + "): " + pe.Message
	return &out
}

package huaweicloud

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// pageLimit is the limit asked of every list: the API's maximum.
const pageLimit = 500

// zoneJSON is one zone of GET /v2/zones; names end with a dot.
type zoneJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// metadata is every list's count.
type metadata struct {
	TotalCount int `json:"total_count"`
}

// recordSetJSON is a record set as GET /v2.1/zones/{id}/recordsets lists
// it and POST answers it.
type recordSetJSON struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Type        string   `json:"type"`
	TTL         int      `json:"ttl"`
	Records     []string `json:"records"`
	Line        string   `json:"line"`
	Description string   `json:"description"`
	Status      string   `json:"status"`
}

// createJSON is POST /v2.1/zones/{zone_id}/recordsets.
type createJSON struct {
	Name        string   `json:"name"`
	Type        string   `json:"type"`
	TTL         int      `json:"ttl,omitempty"`
	Records     []string `json:"records"`
	Line        string   `json:"line,omitempty"`
	Description string   `json:"description,omitempty"`
}

// updateJSON is PUT /v2.1/zones/{zone_id}/recordsets/{id}: name and type
// are required; a field left out keeps its value.
type updateJSON struct {
	Name        string   `json:"name"`
	Type        string   `json:"type"`
	TTL         int      `json:"ttl,omitempty"`
	Records     []string `json:"records"`
	Description string   `json:"description,omitempty"`
}

// FindZone returns the public zone named hint, or the longest suffix of
// fqdn among the account's public zones, every page read.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	var zones []providers.Zone
	guard := providers.NewPageGuard("huaweicloud: list zones")
	for offset := 0; ; {
		var page struct {
			Zones    []zoneJSON `json:"zones"`
			Metadata metadata   `json:"metadata"`
		}
		q := url.Values{"type": {"public"}, "limit": {strconv.Itoa(pageLimit)}, "offset": {strconv.Itoa(offset)}}
		if err := p.call(ctx, "list zones", http.MethodGet, "/v2/zones", q, nil, &page); err != nil {
			return providers.Zone{}, err
		}
		ids := make([]string, 0, len(page.Zones))
		for _, z := range page.Zones {
			zones = append(zones, providers.Zone{ID: z.ID, Name: providers.CanonicalName(z.Name)})
			ids = append(ids, z.ID)
		}
		offset += len(page.Zones)
		if providers.LastPage(len(page.Zones), offset, page.Metadata.TotalCount, pageLimit) {
			break
		}
		if err := guard.Page(ids); err != nil {
			return providers.Zone{}, err
		}
	}
	return providers.PickZone(zones, fqdn, hint, "huaweicloud: public zone")
}

// ListRecords returns the record sets named name of type typ on the
// provider's line.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	return p.list(ctx, zone, name, typ)
}

// ListZoneRecords returns every record set of type typ on the provider's
// line in zone.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	return p.list(ctx, zone, "", typ)
}

// list reads every page of the zone's record sets of typ (named name,
// exactly, when set) on the provider's line; the API filters and the
// result is checked again.
func (p *Provider) list(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	q := url.Values{"type": {strings.ToUpper(typ)}, "line_id": {p.line}, "limit": {strconv.Itoa(pageLimit)}}
	name = providers.CanonicalName(name)
	if name != "" {
		q.Set("name", name+".")
		q.Set("search_mode", "equal")
	}
	path := "/v2.1/zones/" + url.PathEscape(zone.ID) + "/recordsets"
	out := []providers.Record{}
	guard := providers.NewPageGuard("huaweicloud: list record sets")
	for offset := 0; ; {
		q.Set("offset", strconv.Itoa(offset))
		var page struct {
			Recordsets []recordSetJSON `json:"recordsets"`
			Metadata   metadata        `json:"metadata"`
		}
		if err := p.call(ctx, "list record sets", http.MethodGet, path, q, nil, &page); err != nil {
			return nil, zoneError(err, zone)
		}
		ids := make([]string, 0, len(page.Recordsets))
		for _, rs := range page.Recordsets {
			ids = append(ids, rs.ID)
			r := toRecord(rs)
			if (name == "" || r.Name == name) && strings.EqualFold(r.Type, typ) && (rs.Line == "" || rs.Line == p.line) {
				out = append(out, r)
			}
		}
		offset += len(page.Recordsets)
		if providers.LastPage(len(page.Recordsets), offset, page.Metadata.TotalCount, pageLimit) {
			return out, nil
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

// CreateRecord creates a record set holding r's value on the provider's
// line, with r.Marker as its description; TTL 0 leaves Huawei Cloud's
// default (300).
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	body := createJSON{
		Name: providers.CanonicalName(r.Name) + ".", Type: strings.ToUpper(r.Type), TTL: int(r.TTL),
		Records: []string{providers.CanonicalValue(r.Value)}, Line: p.line, Description: r.Marker,
	}
	var created recordSetJSON
	if err := p.call(ctx, "create record set", http.MethodPost, "/v2.1/zones/"+url.PathEscape(zone.ID)+"/recordsets", nil, body, &created); err != nil {
		return providers.Record{}, zoneError(err, zone)
	}
	if created.ID == "" {
		return providers.Record{}, providers.Errorf(providers.KindTransient, "", "huaweicloud create record set: the answer holds no ID")
	}
	out := providers.Record{ID: created.ID, Name: providers.CanonicalName(r.Name), Type: body.Type, Value: body.Records[0], TTL: r.TTL, Marker: r.Marker}
	if out.TTL == 0 {
		out.TTL = DefaultTTL
	}
	return out, nil
}

// UpdateRecord makes the record set r.ID hold r's value alone. PUT keeps
// what it is not sent, so the TTL is sent only when set and the
// description only when r carries a marker; the line and weight are
// never sent and stay as they are.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	body := updateJSON{
		Name: providers.CanonicalName(r.Name) + ".", Type: strings.ToUpper(r.Type), TTL: int(r.TTL),
		Records: []string{providers.CanonicalValue(r.Value)}, Description: r.Marker,
	}
	var updated recordSetJSON
	path := "/v2.1/zones/" + url.PathEscape(zone.ID) + "/recordsets/" + url.PathEscape(r.ID)
	if err := p.call(ctx, "change record set", http.MethodPut, path, nil, body, &updated); err != nil {
		return providers.Record{}, err
	}
	out := toRecord(updated)
	if out.ID == "" {
		out = providers.Record{ID: r.ID, Name: providers.CanonicalName(r.Name), Type: body.Type, TTL: r.TTL, Marker: r.Marker}
	}
	out.Value = body.Records[0]
	if r.Marker != "" {
		out.Marker = r.Marker
	}
	return out, nil
}

// DeleteRecord deletes the record set r.ID; one already gone is not an
// error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	path := "/v2.1/zones/" + url.PathEscape(zone.ID) + "/recordsets/" + url.PathEscape(r.ID)
	err := p.call(ctx, "delete record set", http.MethodDelete, path, nil, nil, nil)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// toRecord converts a record set: its values, canonical and sorted, joined
// by commas.
func toRecord(rs recordSetJSON) providers.Record {
	vals := make([]string, 0, len(rs.Records))
	for _, v := range rs.Records {
		vals = append(vals, providers.CanonicalValue(v))
	}
	slices.Sort(vals)
	return providers.Record{
		ID: rs.ID, Name: providers.CanonicalName(rs.Name), Type: strings.ToUpper(rs.Type),
		Value: strings.Join(vals, ","), TTL: int32(rs.TTL), Marker: rs.Description,
	}
}

// zoneError turns "not found" into "no such zone" for calls that address
// a zone.
func zoneError(err error, zone providers.Zone) error {
	if providers.KindOf(err) != providers.KindNotFound {
		return err
	}
	return providers.Errorf(providers.KindZoneNotFound, codeOf(err), "huaweicloud: the account has no public zone %s (ID %s)", zone.Name, zone.ID)
}

func codeOf(err error) string {
	if pe, ok := providers.AsError(err); ok {
		return pe.Code
	}
	return ""
}

package volcengine

import (
	"bytes"
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Page sizes asked: ListZones takes at most 100, ListRecords 500.
const (
	zonePage   = 100
	recordPage = 500
)

// id decodes an ID sent as a number or as a string.
type id string

// UnmarshalJSON implements json.Unmarshaler.
func (i *id) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(bytes.TrimSpace(b), `"`)
	if string(b) == "null" {
		b = nil
	}
	*i = id(b)
	return nil
}

// recordJSON is a record as ListRecords lists it.
type recordJSON struct {
	RecordID id     `json:"RecordID"`
	Host     string `json:"Host"`
	Type     string `json:"Type"`
	Value    string `json:"Value"`
	TTL      int    `json:"TTL"`
	Line     string `json:"Line"`
	Remark   string `json:"Remark"`
	Weight   *int   `json:"Weight,omitempty"`
}

// createJSON is CreateRecord's body.
type createJSON struct {
	ZID    int64  `json:"ZID"`
	Host   string `json:"Host"`
	Type   string `json:"Type"`
	Value  string `json:"Value"`
	TTL    int    `json:"TTL,omitempty"`
	Line   string `json:"Line"`
	Remark string `json:"Remark,omitempty"`
}

// updateJSON is UpdateRecord's body: the record as it should be.
type updateJSON struct {
	RecordID string `json:"RecordID"`
	Host     string `json:"Host"`
	Type     string `json:"Type"`
	Value    string `json:"Value"`
	TTL      int    `json:"TTL"`
	Line     string `json:"Line"`
	Remark   string `json:"Remark"`
	Weight   *int   `json:"Weight,omitempty"`
}

// FindZone returns the zone named hint, or the longest suffix of fqdn
// among the account's zones, reading every page of ListZones.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	var zones []providers.Zone
	guard := providers.NewPageGuard("volcengine: list zones")
	for n := 1; ; n++ {
		var res struct {
			Zones []struct {
				ZID      id     `json:"ZID"`
				ZoneName string `json:"ZoneName"`
			} `json:"Zones"`
			Total int `json:"Total"`
		}
		q := url.Values{"PageNumber": {strconv.Itoa(n)}, "PageSize": {strconv.Itoa(zonePage)}}
		if err := p.call(ctx, "ListZones", q, nil, &res); err != nil {
			return providers.Zone{}, err
		}
		ids := make([]string, 0, len(res.Zones))
		for _, z := range res.Zones {
			zones = append(zones, providers.Zone{ID: string(z.ZID), Name: providers.CanonicalName(z.ZoneName)})
			ids = append(ids, string(z.ZID))
		}
		if providers.LastPage(len(res.Zones), len(zones), res.Total, zonePage) {
			break
		}
		if err := guard.Page(ids); err != nil {
			return providers.Zone{}, err
		}
	}
	return providers.PickZone(zones, fqdn, hint, "volcengine: zone")
}

// ListRecords returns the records named name of type typ on the
// provider's line.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	raw, err := p.records(ctx, zone, name, typ, true)
	return convert(zone, raw), err
}

// ListZoneRecords returns every record of type typ on the provider's line
// in zone.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	raw, err := p.records(ctx, zone, "", typ, true)
	return convert(zone, raw), err
}

// records reads every page of ListRecords for the host of name (every
// host when "") and typ, matched exactly (SearchMode exact) and checked
// again here; with onLine, only the provider's line.
func (p *Provider) records(ctx context.Context, zone providers.Zone, name, typ string, onLine bool) ([]recordJSON, error) {
	q := url.Values{"ZID": {zone.ID}, "Type": {strings.ToUpper(typ)}, "PageSize": {strconv.Itoa(recordPage)}}
	host := ""
	if name != "" {
		host = providers.RelativeName(name, zone.Name)
		q.Set("Host", host)
		q.Set("SearchMode", "exact")
	}
	if onLine {
		q.Set("Line", p.line)
	}
	var out []recordJSON
	guard := providers.NewPageGuard("volcengine: list records")
	for n, read := 1, 0; ; n++ {
		q.Set("PageNumber", strconv.Itoa(n))
		var res struct {
			Records    []recordJSON `json:"Records"`
			TotalCount int          `json:"TotalCount"`
		}
		if err := p.call(ctx, "ListRecords", q, nil, &res); err != nil {
			return nil, zoneError(err, zone)
		}
		read += len(res.Records)
		ids := make([]string, 0, len(res.Records))
		for _, r := range res.Records {
			ids = append(ids, string(r.RecordID))
			if (host == "" || strings.EqualFold(r.Host, host)) && strings.EqualFold(r.Type, typ) && (!onLine || r.Line == p.line) {
				out = append(out, r)
			}
		}
		if providers.LastPage(len(res.Records), read, res.TotalCount, recordPage) {
			return out, nil
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

// CreateRecord creates r on the provider's line with r.Marker as its
// remark; TTL 0 leaves Volcengine's default (600).
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	zid, err := strconv.ParseInt(zone.ID, 10, 64)
	if err != nil {
		return providers.Record{}, providers.Errorf(providers.KindZoneNotFound, "", "volcengine: %q is not a zone ID", zone.ID)
	}
	body := createJSON{ZID: zid, Host: providers.RelativeName(r.Name, zone.Name), Type: strings.ToUpper(r.Type),
		Value: providers.CanonicalValue(r.Value), TTL: int(r.TTL), Line: p.line, Remark: r.Marker}
	var res struct {
		RecordID id `json:"RecordID"`
	}
	if err := p.call(ctx, "CreateRecord", nil, body, &res); err != nil {
		return providers.Record{}, ttlError(zoneError(err, zone), r.TTL)
	}
	if res.RecordID == "" {
		return providers.Record{}, providers.Errorf(providers.KindTransient, "", "volcengine CreateRecord: the answer holds no RecordID")
	}
	out := providers.Record{ID: string(res.RecordID), Name: providers.CanonicalName(r.Name), Type: body.Type, Value: body.Value, TTL: r.TTL, Marker: r.Marker}
	if out.TTL == 0 {
		out.TTL = DefaultTTL
	}
	return out, nil
}

// UpdateRecord sets the value and TTL (0 keeps it) of the record r.ID and,
// when r carries one, its remark. UpdateRecord takes the whole record, so
// it is read first and its host, line, weight and remark are sent back.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	found, err := p.records(ctx, zone, r.Name, r.Type, false)
	if err != nil {
		return providers.Record{}, err
	}
	for _, cur := range found {
		if string(cur.RecordID) != r.ID {
			continue
		}
		body := updateJSON{RecordID: r.ID, Host: cur.Host, Type: cur.Type, Value: providers.CanonicalValue(r.Value), TTL: int(r.TTL),
			Line: cur.Line, Remark: cur.Remark, Weight: cur.Weight}
		if body.TTL <= 0 {
			body.TTL = cur.TTL
		}
		if r.Marker != "" {
			body.Remark = r.Marker
		}
		if err := p.call(ctx, "UpdateRecord", nil, body, nil); err != nil {
			return providers.Record{}, ttlError(err, int32(body.TTL))
		}
		return providers.Record{ID: r.ID, Name: providers.AbsoluteName(cur.Host, zone.Name), Type: strings.ToUpper(body.Type),
			Value: body.Value, TTL: int32(body.TTL), Marker: body.Remark}, nil
	}
	return providers.Record{}, providers.Errorf(providers.KindNotFound, "", "volcengine: record %s of %s no longer exists", r.ID, zone.Name)
}

// DeleteRecord deletes the record r.ID; one already gone is not an error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	err := p.call(ctx, "DeleteRecord", nil, map[string]string{"RecordID": r.ID}, nil)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

func convert(zone providers.Zone, raw []recordJSON) []providers.Record {
	out := make([]providers.Record, 0, len(raw))
	for _, r := range raw {
		out = append(out, providers.Record{
			ID: string(r.RecordID), Name: providers.AbsoluteName(r.Host, zone.Name), Type: strings.ToUpper(r.Type),
			Value: providers.CanonicalValue(r.Value), TTL: int32(r.TTL), Marker: r.Remark,
		})
	}
	return out
}

// zoneError turns "not found" into "no such zone" for calls that address
// a zone.
func zoneError(err error, zone providers.Zone) error {
	if providers.KindOf(err) != providers.KindNotFound {
		return err
	}
	return providers.Errorf(providers.KindZoneNotFound, "", "volcengine: the account has no zone %s (ZID %s)", zone.Name, zone.ID)
}

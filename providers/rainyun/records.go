package rainyun

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// pageSize is the page asked of both lists: the domain list's perPage and
// the record list's limit.
const pageSize = 100

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

// page is the data of both list answers.
type page[T any] struct {
	TotalRecords int `json:"TotalRecords"`
	Records      []T `json:"Records"`
}

// domainJSON is one entry of the domain list.
type domainJSON struct {
	ID     id     `json:"id"`
	Domain string `json:"domain"`
}

// recordJSON is one record of a domain's record list, and the body of a
// create or change.
type recordJSON struct {
	RecordID id     `json:"record_id"`
	Host     string `json:"host"`
	Type     string `json:"type"`
	Value    string `json:"value"`
	Line     string `json:"line"`
	TTL      int    `json:"ttl"`
	Level    int    `json:"level"`
}

// writeJSON is the body of a create or change; record_id is 0 on create.
type writeJSON struct {
	RecordID int64  `json:"record_id"`
	Host     string `json:"host"`
	Type     string `json:"type"`
	Value    string `json:"value"`
	Line     string `json:"line"`
	TTL      int    `json:"ttl"`
	Level    int    `json:"level"`
}

// FindZone returns the domain named hint, or the longest suffix of fqdn
// among the account's domains, reading every page of the domain list.
func (a *api) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	var zones []providers.Zone
	guard := providers.NewPageGuard("rainyun: list domains")
	for n := 1; ; n++ {
		opts, _ := json.Marshal(map[string]any{"columnFilters": map[string]any{}, "sort": []any{}, "page": n, "perPage": pageSize})
		var pg page[domainJSON]
		if err := a.call(ctx, "list domains", http.MethodGet, "/product/domain/", url.Values{"options": {string(opts)}}, nil, &pg); err != nil {
			return providers.Zone{}, err
		}
		ids := make([]string, 0, len(pg.Records))
		for _, d := range pg.Records {
			zones = append(zones, providers.Zone{ID: string(d.ID), Name: providers.CanonicalName(d.Domain)})
			ids = append(ids, string(d.ID))
		}
		if providers.LastPage(len(pg.Records), len(zones), pg.TotalRecords, pageSize) {
			break
		}
		if err := guard.Page(ids); err != nil {
			return providers.Zone{}, err
		}
	}
	return providers.PickZone(zones, fqdn, hint, "rainyun: domain")
}

// List reads every page of the domain's records (the API filters by
// nothing) and keeps those named name of type typ on the provider's line.
func (a *api) List(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	raw, err := a.records(ctx, zone)
	if err != nil {
		return nil, err
	}
	name = providers.CanonicalName(name)
	var out []providers.Record
	for _, r := range raw {
		rec := toRecord(zone, r)
		if (name == "" || rec.Name == name) && (typ == "" || strings.EqualFold(rec.Type, typ)) && strings.EqualFold(r.Line, a.line) {
			out = append(out, rec)
		}
	}
	return out, nil
}

// records reads every page of the domain's record list.
func (a *api) records(ctx context.Context, zone providers.Zone) ([]recordJSON, error) {
	var out []recordJSON
	guard := providers.NewPageGuard("rainyun: list records")
	path := "/product/domain/" + url.PathEscape(zone.ID) + "/dns/"
	for n := 1; ; n++ {
		var pg page[recordJSON]
		q := url.Values{"limit": {strconv.Itoa(pageSize)}, "page_no": {strconv.Itoa(n)}}
		if err := a.call(ctx, "list records", http.MethodGet, path, q, nil, &pg); err != nil {
			return nil, zoneError(err, zone)
		}
		out = append(out, pg.Records...)
		if providers.LastPage(len(pg.Records), len(out), pg.TotalRecords, pageSize) {
			return out, nil
		}
		ids := make([]string, 0, len(pg.Records))
		for _, r := range pg.Records {
			ids = append(ids, string(r.RecordID))
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

// Create adds r on the provider's line. The answer may not carry the new
// record's ID, so it is then read back: the newest record of r's name,
// type and value.
func (a *api) Create(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r.Name, r.Type, r.Value = providers.CanonicalName(r.Name), strings.ToUpper(r.Type), providers.CanonicalValue(r.Value)
	if r.TTL <= 0 {
		r.TTL = MinTTL
	}
	body := writeJSON{Host: providers.RelativeName(r.Name, zone.Name), Type: r.Type, Value: r.Value, Line: a.line, TTL: int(r.TTL), Level: defaultLevel}
	var created id
	if err := a.call(ctx, "create record", http.MethodPost, "/product/domain/"+url.PathEscape(zone.ID)+"/dns", nil, body, &created); err != nil {
		return providers.Record{}, ttlError(zoneError(err, zone), r.TTL)
	}
	if _, err := strconv.ParseInt(string(created), 10, 64); err == nil {
		r.ID = string(created)
		return r, nil
	}
	found, err := a.List(ctx, zone, r.Name, r.Type)
	if err != nil {
		return providers.Record{}, err
	}
	var best int64 = -1
	for _, f := range found {
		if n, err := strconv.ParseInt(f.ID, 10, 64); err == nil && f.Value == r.Value && n > best {
			best, r.ID, r.TTL = n, f.ID, f.TTL
		}
	}
	if best < 0 {
		return providers.Record{}, providers.Errorf(providers.KindTransient, "", "rainyun: record %s %s was created but is not listed yet", r.Name, r.Type)
	}
	return r, nil
}

// Update sets the value and TTL of the record r.ID. PATCH takes the whole
// record, so the record is read first and its host, type, line and level
// are sent back as they are; nothing is sent when it already holds the
// value and TTL.
func (a *api) Update(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	raw, err := a.records(ctx, zone)
	if err != nil {
		return providers.Record{}, err
	}
	for _, cur := range raw {
		if string(cur.RecordID) != r.ID {
			continue
		}
		out := toRecord(zone, cur)
		value, ttl := providers.CanonicalValue(r.Value), int(r.TTL)
		if ttl <= 0 {
			ttl = cur.TTL
		}
		if out.Value == value && cur.TTL == ttl {
			return out, nil
		}
		rid, _ := strconv.ParseInt(r.ID, 10, 64)
		body := writeJSON{RecordID: rid, Host: cur.Host, Type: cur.Type, Value: value, Line: cur.Line, TTL: ttl, Level: cur.Level}
		if err := a.call(ctx, "change record", http.MethodPatch, "/product/domain/"+url.PathEscape(zone.ID)+"/dns", nil, body, nil); err != nil {
			return providers.Record{}, ttlError(err, int32(ttl))
		}
		out.Value, out.TTL = value, int32(ttl)
		return out, nil
	}
	return providers.Record{}, providers.Errorf(providers.KindNotFound, "", "rainyun: record %s of %s no longer exists", r.ID, zone.Name)
}

// Delete removes the record r.ID; one already gone is not an error.
func (a *api) Delete(ctx context.Context, zone providers.Zone, r providers.Record) error {
	q := url.Values{"record_id": {r.ID}}
	err := a.call(ctx, "delete record", http.MethodDelete, "/product/domain/"+url.PathEscape(zone.ID)+"/dns", q, nil, nil)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// toRecord converts a listed record of zone. The host is relative ("@" for
// the apex); a full name is kept as it is.
func toRecord(zone providers.Zone, r recordJSON) providers.Record {
	name := providers.CanonicalName(r.Host)
	if name != zone.Name && !strings.HasSuffix(name, "."+zone.Name) {
		name = providers.AbsoluteName(name, zone.Name)
	}
	return providers.Record{ID: string(r.RecordID), Name: name, Type: strings.ToUpper(r.Type), Value: providers.CanonicalValue(r.Value), TTL: int32(r.TTL)}
}

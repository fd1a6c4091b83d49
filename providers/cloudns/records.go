package cloudns

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion"
	"github.com/ddns-operator/ddns-operator/providers/internal/zonepick"
)

// rowsPerPage is the page of zones asked for (ClouDNS takes 10, 20, 30,
// 50 or 100).
const rowsPerPage = 100

// json32 decodes a number sent as a JSON number or string ("3600").
type json32 int32

// UnmarshalJSON implements json.Unmarshaler.
func (n *json32) UnmarshalJSON(b []byte) error {
	v, err := strconv.ParseInt(string(bytes.Trim(b, `"`)), 10, 32)
	if err != nil && string(b) != `""` && string(b) != "null" {
		return err
	}
	*n = json32(v)
	return nil
}

// recordJSON is one record of records.json; IDs and TTLs come as strings.
type recordJSON struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	Host   string `json:"host"`
	Record string `json:"record"`
	TTL    json32 `json:"ttl"`
}

// recordsJSON is records.json's answer: an object keyed by record ID, or
// [] when the zone holds none.
type recordsJSON map[string]recordJSON

// UnmarshalJSON implements json.Unmarshaler.
func (r *recordsJSON) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("[]")) {
		*r = recordsJSON{}
		return nil
	}
	m := map[string]recordJSON{}
	err := json.Unmarshal(b, &m)
	*r = m
	return err
}

// FindZone returns the zone named hint, or the longest suffix of fqdn
// among the account's zones: get-pages-count.json, then every page of
// list-zones.json.
func (a *api) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	var pages json32
	if err := a.call(ctx, "get-pages-count", url.Values{"rows-per-page": {strconv.Itoa(rowsPerPage)}}, &pages); err != nil {
		return providers.Zone{}, err
	}
	var zones []providers.Zone
	guard := providers.NewPageGuard("cloudns: list zones")
	for page := 1; page <= int(pages); page++ {
		var list []struct {
			Name string `json:"name"`
		}
		if err := a.call(ctx, "list-zones", url.Values{"page": {strconv.Itoa(page)}, "rows-per-page": {strconv.Itoa(rowsPerPage)}}, &list); err != nil {
			return providers.Zone{}, err
		}
		ids := make([]string, 0, len(list))
		for _, z := range list {
			name := providers.CanonicalName(z.Name)
			zones, ids = append(zones, providers.Zone{ID: name, Name: name}), append(ids, name)
		}
		if len(list) == 0 {
			break
		}
		if err := guard.Page(ids); err != nil {
			return providers.Zone{}, err
		}
	}
	return zonepick.Pick("cloudns", fqdn, hint, zones)
}

// List returns the zone's records named name (every name when "") of type
// typ (every type when ""): records.json, filtered by the API and again
// here.
func (a *api) List(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	form := url.Values{"domain-name": {zone.Name}}
	if name != "" {
		form.Set("host", host(name, zone))
	}
	if typ != "" {
		form.Set("type", strings.ToUpper(typ))
	}
	var recs recordsJSON
	if err := a.call(ctx, "records", form, &recs); err != nil {
		return nil, err
	}
	out := make([]providers.Record, 0, len(recs))
	for id, r := range recs {
		if r.ID == "" {
			r.ID = id
		}
		rec := toRecord(zone, r)
		if (name == "" || rec.Name == providers.CanonicalName(name)) && (typ == "" || strings.EqualFold(rec.Type, typ)) {
			out = append(out, rec)
		}
	}
	sortByID(out)
	return out, nil
}

// Create adds r (TTL 0: DefaultTTL).
func (a *api) Create(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r.Name, r.Type, r.Value = providers.CanonicalName(r.Name), strings.ToUpper(r.Type), providers.CanonicalValue(r.Value)
	if r.TTL <= 0 {
		r.TTL = DefaultTTL
	}
	var out struct {
		status
		Data struct {
			ID json32 `json:"id"`
		} `json:"data"`
	}
	form := url.Values{"domain-name": {zone.Name}, "record-type": {r.Type}, "host": {host(r.Name, zone)}, "record": {r.Value}, "ttl": {strconv.Itoa(int(r.TTL))}}
	if err := a.call(ctx, "add-record", form, &out); err != nil {
		return providers.Record{}, a.ttlError(ctx, err, zone)
	}
	if out.Data.ID == 0 {
		return providers.Record{}, providers.Errorf(providers.KindTransient, "", "cloudns add-record: the answer holds no record id")
	}
	r.ID = strconv.Itoa(int(out.Data.ID))
	return r, nil
}

// Update sets the value and TTL (0: kept) of the record r.ID, read first
// for its host and TTL; nothing is sent when it holds both already.
func (a *api) Update(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	found, err := a.List(ctx, zone, r.Name, r.Type)
	if err != nil {
		return providers.Record{}, err
	}
	cur, next, changed, err := companion.Change(found, r, "cloudns", zone)
	if err != nil || !changed {
		return cur, err
	}
	form := url.Values{"domain-name": {zone.Name}, "record-id": {r.ID}, "host": {host(cur.Name, zone)}, "record": {next.Value}, "ttl": {strconv.Itoa(int(next.TTL))}}
	if err := a.call(ctx, "mod-record", form, nil); err != nil {
		return providers.Record{}, a.ttlError(ctx, err, zone)
	}
	return next, nil
}

// Delete removes the record r.ID; one already gone is not an error.
func (a *api) Delete(ctx context.Context, zone providers.Zone, r providers.Record) error {
	err := a.call(ctx, "delete-record", url.Values{"domain-name": {zone.Name}, "record-id": {r.ID}}, nil)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// host is name as ClouDNS writes it: relative to the zone, "" for the
// apex.
func host(name string, zone providers.Zone) string {
	if h := providers.RelativeName(name, zone.Name); h != "@" {
		return h
	}
	return ""
}

// toRecord converts a listed record of zone.
func toRecord(zone providers.Zone, r recordJSON) providers.Record {
	return providers.Record{
		ID: r.ID, Name: providers.AbsoluteName(r.Host, zone.Name), Type: strings.ToUpper(r.Type),
		Value: providers.CanonicalValue(r.Record), TTL: int32(r.TTL),
	}
}

// sortByID orders records by their numeric ID, the order they were made
// in: records.json answers an object, whose order Go does not keep.
func sortByID(recs []providers.Record) {
	num := func(id string) int { n, _ := strconv.Atoi(id); return n }
	slices.SortFunc(recs, func(a, b providers.Record) int { return cmp.Compare(num(a.ID), num(b.ID)) })
}

package dnsla

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// pageSize is the page asked of both lists.
const pageSize = 100

// types maps record types to DNS.LA's numbers (the DNS type codes; 256 is
// DNS.LA's URL forwarding).
var types = map[string]int{"A": 1, "NS": 2, "CNAME": 5, "MX": 15, "TXT": 16, "AAAA": 28, "SRV": 33, "CAA": 257, "URL": 256}

// typeName is the inverse of types.
func typeName(n int) string {
	for name, v := range types {
		if v == n {
			return name
		}
	}
	return strconv.Itoa(n)
}

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
	Total   int `json:"total"`
	Results []T `json:"results"`
}

// domainJSON is one domain of domainList; names end with a dot.
type domainJSON struct {
	ID            id     `json:"id"`
	Domain        string `json:"domain"`
	DisplayDomain string `json:"displayDomain"`
}

// recordJSON is one record of recordList.
type recordJSON struct {
	ID         id     `json:"id"`
	DomainID   id     `json:"domainId"`
	Host       string `json:"host"`
	Type       int    `json:"type"`
	Data       string `json:"data"`
	TTL        int    `json:"ttl"`
	LineID     id     `json:"lineId"`
	Weight     *int   `json:"weight,omitempty"`
	Preference *int   `json:"preference,omitempty"`
	Dominant   *bool  `json:"dominant,omitempty"`
}

// writeJSON is the body of POST and PUT /api/record.
type writeJSON struct {
	ID         string `json:"id,omitempty"`
	DomainID   string `json:"domainId,omitempty"`
	Type       int    `json:"type"`
	Host       string `json:"host"`
	Data       string `json:"data"`
	TTL        int    `json:"ttl"`
	LineID     string `json:"lineId,omitempty"`
	Weight     *int   `json:"weight,omitempty"`
	Preference *int   `json:"preference,omitempty"`
	Dominant   *bool  `json:"dominant,omitempty"`
}

// FindZone returns the domain named hint, or the longest suffix of fqdn
// among the account's domains, reading every page of domainList.
func (a *api) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	var zones []providers.Zone
	guard := providers.NewPageGuard("dnsla: list domains")
	for n := 1; ; n++ {
		var pg page[domainJSON]
		q := url.Values{"pageIndex": {strconv.Itoa(n)}, "pageSize": {strconv.Itoa(pageSize)}}
		if err := a.call(ctx, "list domains", http.MethodGet, "/api/domainList", q, nil, &pg); err != nil {
			return providers.Zone{}, err
		}
		ids := make([]string, 0, len(pg.Results))
		for _, d := range pg.Results {
			name := d.Domain
			if name == "" {
				name = d.DisplayDomain
			}
			zones = append(zones, providers.Zone{ID: string(d.ID), Name: providers.CanonicalName(name)})
			ids = append(ids, string(d.ID))
		}
		if providers.LastPage(len(pg.Results), len(zones), pg.Total, pageSize) {
			break
		}
		if err := guard.Page(ids); err != nil {
			return providers.Zone{}, err
		}
	}
	return providers.PickZone(zones, fqdn, hint, "dnsla: domain")
}

// List reads every page of recordList for name (every name when "") and
// typ (every type when ""), filtered by the API and again here, on the
// provider's line.
func (a *api) List(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	raw, err := a.records(ctx, zone, name, typ, true)
	if err != nil {
		return nil, err
	}
	out := make([]providers.Record, 0, len(raw))
	for _, r := range raw {
		out = append(out, toRecord(zone, r))
	}
	return out, nil
}

// records reads recordList, keeping exact matches (and, with onLine, those
// of the provider's line).
func (a *api) records(ctx context.Context, zone providers.Zone, name, typ string, onLine bool) ([]recordJSON, error) {
	q := url.Values{"domainId": {zone.ID}, "pageSize": {strconv.Itoa(pageSize)}}
	host := ""
	if name != "" {
		host = providers.RelativeName(name, zone.Name)
		q.Set("host", host)
	}
	if typ != "" {
		n, ok := types[strings.ToUpper(typ)]
		if !ok {
			return nil, providers.Errorf(providers.KindInvalid, "", "dnsla: record type %s is not supported", typ)
		}
		q.Set("type", strconv.Itoa(n))
	}
	var out []recordJSON
	guard := providers.NewPageGuard("dnsla: list records")
	for n, read := 1, 0; ; n++ {
		q.Set("pageIndex", strconv.Itoa(n))
		var pg page[recordJSON]
		if err := a.call(ctx, "list records", http.MethodGet, "/api/recordList", q, nil, &pg); err != nil {
			return nil, zoneError(err, zone)
		}
		read += len(pg.Results)
		ids := make([]string, 0, len(pg.Results))
		for _, r := range pg.Results {
			ids = append(ids, string(r.ID))
			switch {
			case host != "" && !strings.EqualFold(hostOf(r.Host, zone), host),
				typ != "" && !strings.EqualFold(typeName(r.Type), typ),
				onLine && !a.onLine(r):
				continue
			}
			out = append(out, r)
		}
		if providers.LastPage(len(pg.Results), read, pg.Total, pageSize) {
			return out, nil
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

// onLine reports whether r lies on the provider's line; the default line
// is sent as "" or "0".
func (a *api) onLine(r recordJSON) bool {
	l := string(r.LineID)
	if a.line == "" || a.line == "0" {
		return l == "" || l == "0"
	}
	return l == a.line
}

// Create adds r on the provider's line (TTL 0: DefaultTTL).
func (a *api) Create(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r.Name, r.Type, r.Value = providers.CanonicalName(r.Name), strings.ToUpper(r.Type), providers.CanonicalValue(r.Value)
	n, ok := types[r.Type]
	if !ok {
		return providers.Record{}, providers.Errorf(providers.KindInvalid, "", "dnsla: record type %s is not supported", r.Type)
	}
	if r.TTL <= 0 {
		r.TTL = DefaultTTL
	}
	body := writeJSON{DomainID: zone.ID, Type: n, Host: providers.RelativeName(r.Name, zone.Name), Data: r.Value, TTL: int(r.TTL), LineID: a.line}
	var created struct {
		ID id `json:"id"`
	}
	if err := a.call(ctx, "create record", http.MethodPost, "/api/record", nil, body, &created); err != nil {
		return providers.Record{}, a.ttlError(ctx, zoneError(err, zone), zone, r.TTL)
	}
	if created.ID == "" {
		return providers.Record{}, providers.Errorf(providers.KindTransient, "", "dnsla create record: the answer holds no record id")
	}
	r.ID = string(created.ID)
	return r, nil
}

// Update sets the value and TTL of the record r.ID. PUT replaces the
// record, so it is read first and its host, type, line, weight, MX
// preference and forwarding mode are sent back; nothing is sent when it
// already holds the value and TTL.
func (a *api) Update(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	found, err := a.records(ctx, zone, r.Name, r.Type, false)
	if err != nil {
		return providers.Record{}, err
	}
	for _, cur := range found {
		if string(cur.ID) != r.ID {
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
		body := writeJSON{ID: r.ID, Type: cur.Type, Host: cur.Host, Data: value, TTL: ttl, LineID: string(cur.LineID),
			Weight: cur.Weight, Preference: cur.Preference, Dominant: cur.Dominant}
		if err := a.call(ctx, "change record", http.MethodPut, "/api/record", nil, body, nil); err != nil {
			if providers.KindOf(err) == providers.KindNotFound {
				return providers.Record{}, providers.Errorf(providers.KindNotFound, "", "dnsla: record %s of %s no longer exists", r.ID, zone.Name)
			}
			return providers.Record{}, a.ttlError(ctx, err, zone, int32(ttl))
		}
		out.Value, out.TTL = value, int32(ttl)
		return out, nil
	}
	return providers.Record{}, providers.Errorf(providers.KindNotFound, "", "dnsla: record %s of %s no longer exists", r.ID, zone.Name)
}

// Delete removes the record r.ID; one already gone is not an error.
func (a *api) Delete(ctx context.Context, zone providers.Zone, r providers.Record) error {
	err := a.call(ctx, "delete record", http.MethodDelete, "/api/record", url.Values{"id": {r.ID}}, nil, nil)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// ttlError adds the domain's minimum TTL to a refused write whose TTL is
// below it: DNS.LA's minimum depends on the domain's plan, which
// /api/dnsMeasures tells.
func (a *api) ttlError(ctx context.Context, err error, zone providers.Zone, ttl int32) error {
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Kind != providers.KindInvalid {
		return err
	}
	var m struct {
		MinTTL int `json:"minTTL"`
	}
	if a.call(ctx, "read domain limits", http.MethodGet, "/api/dnsMeasures", url.Values{"id": {zone.ID}}, nil, &m) != nil || m.MinTTL <= 0 || int(ttl) >= m.MinTTL {
		return err
	}
	out := *pe
	out.Message += fmt.Sprintf(" (TTL %d is below the minimum of %d seconds of the domain's DNS.LA plan)", ttl, m.MinTTL)
	return &out
}

// hostOf returns a listed host relative to zone ("@" for the apex), as
// filters compare it.
func hostOf(host string, zone providers.Zone) string {
	h := providers.CanonicalName(host)
	if h == zone.Name || strings.HasSuffix(h, "."+zone.Name) {
		return providers.RelativeName(h, zone.Name)
	}
	if h == "" {
		return "@"
	}
	return h
}

// toRecord converts a listed record of zone.
func toRecord(zone providers.Zone, r recordJSON) providers.Record {
	return providers.Record{
		ID: string(r.ID), Name: providers.AbsoluteName(hostOf(r.Host, zone), zone.Name),
		Type: typeName(r.Type), Value: providers.CanonicalValue(r.Data), TTL: int32(r.TTL),
	}
}

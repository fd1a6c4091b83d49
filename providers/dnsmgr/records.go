package dnsmgr

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/zonepick"
)

// id decodes an ID sent as a number or a string.
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

// domainJSON is one domain of the list.
type domainJSON struct {
	ID   id     `json:"id"`
	Name string `json:"name"`
}

// recordJSON is a record as DNSMgr shows and takes it. Name is the host
// relative to the domain ("@" for the apex).
type recordJSON struct {
	ID     id     `json:"id,omitempty"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Value  string `json:"value"`
	Line   string `json:"line,omitempty"`
	TTL    int32  `json:"ttl,omitempty"`
	Remark string `json:"remark,omitempty"`
}

// page is the data of a paged list.
type page[T any] struct {
	Total int `json:"total"`
	List  []T `json:"list"`
}

// call sends one request and decodes the envelope's data into out; an
// envelope whose code is not 0 is refused with DNSMgr's msg.
func (p *Provider) call(ctx context.Context, op, method, path string, query url.Values, body, out any) error {
	var env struct {
		Code *int            `json:"code"`
		Data json.RawMessage `json:"data"`
		Msg  string          `json:"msg"`
	}
	if err := p.api.Call(ctx, op, method, path, query, body, &env); err != nil {
		return err
	}
	op = "dnsmgr " + op
	switch {
	case env.Code == nil:
		return providers.Errorf(providers.KindTransient, "", "%s: the answer holds no code", op)
	case *env.Code != 0:
		return refusal(op, env.Msg, p.token)
	case out == nil || len(env.Data) == 0 || string(env.Data) == "null":
		return nil
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return &providers.Error{Kind: providers.KindTransient, Message: op + ": the answer's data could not be read", Err: err}
	}
	return nil
}

// FindZone returns the domain named hint, or the longest suffix of fqdn
// among the token's domains. An API token gets them as one array; an
// answer in pages ({"list", "total"}) is read to its end.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	var zones []providers.Zone
	guard := providers.NewPageGuard("dnsmgr: list domains")
	for n := 1; ; n++ {
		var raw json.RawMessage
		q := url.Values{"format": {"array"}, "page": {strconv.Itoa(n)}, "pageSize": {strconv.Itoa(pageSize)}}
		if err := p.call(ctx, "list domains", http.MethodGet, "/domains", q, nil, &raw); err != nil {
			return providers.Zone{}, err
		}
		var pg page[domainJSON]
		all := json.Unmarshal(raw, &pg.List) == nil
		if !all && json.Unmarshal(raw, &pg) != nil {
			return providers.Zone{}, providers.Errorf(providers.KindTransient, "", "dnsmgr list domains: the answer's data is neither a list nor a page")
		}
		ids := make([]string, 0, len(pg.List))
		for _, d := range pg.List {
			zones = append(zones, providers.Zone{ID: string(d.ID), Name: providers.CanonicalName(d.Name)})
			ids = append(ids, string(d.ID))
		}
		if all || providers.LastPage(len(pg.List), len(zones), pg.Total, pageSize) {
			break
		}
		if err := guard.Page(ids); err != nil {
			return providers.Zone{}, err
		}
	}
	return zonepick.Pick("dnsmgr", fqdn, hint, zones)
}

// ListRecords returns the domain's records named name of type typ.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	return p.list(ctx, zone, name, typ)
}

// ListZoneRecords returns every record of type typ in the domain.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	return p.list(ctx, zone, "", typ)
}

// list reads every page of the domain's records, filtered by the API
// (subdomain and type) and again here.
func (p *Provider) list(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	raw, err := p.records(ctx, zone, name, typ)
	out := make([]providers.Record, 0, len(raw))
	for _, r := range raw {
		out = append(out, toRecord(zone, r))
	}
	return out, err
}

// records reads the raw records of name (any when "") and typ.
func (p *Provider) records(ctx context.Context, zone providers.Zone, name, typ string) ([]recordJSON, error) {
	q := url.Values{"pageSize": {strconv.Itoa(pageSize)}}
	if name != "" {
		q.Set("subdomain", providers.RelativeName(name, zone.Name))
	}
	if typ != "" {
		q.Set("type", strings.ToUpper(typ))
	}
	var out []recordJSON
	guard := providers.NewPageGuard("dnsmgr: list records")
	for n, read := 1, 0; ; n++ {
		q.Set("page", strconv.Itoa(n))
		var pg page[recordJSON]
		if err := p.call(ctx, "list records", http.MethodGet, recordsPath(zone, ""), q, nil, &pg); err != nil {
			return nil, err
		}
		read += len(pg.List)
		ids := make([]string, 0, len(pg.List))
		for _, r := range pg.List {
			ids = append(ids, string(r.ID))
			rec := toRecord(zone, r)
			if (name == "" || rec.Name == providers.CanonicalName(name)) && (typ == "" || strings.EqualFold(rec.Type, typ)) {
				out = append(out, r)
			}
		}
		if providers.LastPage(len(pg.List), read, pg.Total, pageSize) {
			return out, nil
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

// CreateRecord creates r with its marker as the remark (TTL 0:
// DefaultTTL).
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r.Name, r.Type, r.Value = providers.CanonicalName(r.Name), strings.ToUpper(r.Type), providers.CanonicalValue(r.Value)
	if r.TTL <= 0 {
		r.TTL = DefaultTTL
	}
	var created struct {
		ID id `json:"id"`
	}
	body := recordJSON{Name: providers.RelativeName(r.Name, zone.Name), Type: r.Type, Value: r.Value, TTL: r.TTL, Remark: r.Marker}
	if err := p.call(ctx, "create record", http.MethodPost, recordsPath(zone, ""), nil, body, &created); err != nil {
		return providers.Record{}, err
	}
	if created.ID == "" {
		return providers.Record{}, providers.Errorf(providers.KindTransient, "", "dnsmgr create record: the answer holds no record id")
	}
	r.ID = string(created.ID)
	return r, nil
}

// UpdateRecord sets the value, TTL (0: kept) and marker (empty: kept) of
// the record r.ID, read first so its name, type and line are sent back
// (DNSMgr's PUT needs them); nothing is sent when it holds them already.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	found, err := p.records(ctx, zone, r.Name, r.Type)
	if err != nil {
		return providers.Record{}, err
	}
	for _, cur := range found {
		if string(cur.ID) != r.ID {
			continue
		}
		next := cur
		next.Value = providers.CanonicalValue(r.Value)
		if r.TTL > 0 {
			next.TTL = r.TTL
		}
		if r.Marker != "" {
			next.Remark = r.Marker
		}
		if next.Value == providers.CanonicalValue(cur.Value) && next.TTL == cur.TTL && next.Remark == cur.Remark {
			return toRecord(zone, cur), nil
		}
		next.ID = ""
		if err := p.call(ctx, "change record", http.MethodPut, recordsPath(zone, r.ID), nil, next, nil); err != nil {
			return providers.Record{}, err
		}
		next.ID = cur.ID
		return toRecord(zone, next), nil
	}
	return providers.Record{}, providers.Errorf(providers.KindNotFound, "", "dnsmgr: record %s of %s no longer exists", r.ID, zone.Name)
}

// DeleteRecord removes the record r.ID; one already gone is not an error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	err := p.call(ctx, "delete record", http.MethodDelete, recordsPath(zone, r.ID), nil, nil, nil)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// recordsPath is the path of the domain's records, or of the record id.
func recordsPath(zone providers.Zone, recordID string) string {
	p := "/domains/" + url.PathEscape(zone.ID) + "/records"
	if recordID != "" {
		p += "/" + url.PathEscape(recordID)
	}
	return p
}

// toRecord converts a listed record of zone; its name may come relative
// ("www", "@") or whole.
func toRecord(zone providers.Zone, r recordJSON) providers.Record {
	name := providers.CanonicalName(r.Name)
	if name != zone.Name && !strings.HasSuffix(name, "."+zone.Name) {
		name = providers.AbsoluteName(name, zone.Name)
	}
	return providers.Record{
		ID: string(r.ID), Name: name, Type: strings.ToUpper(r.Type),
		Value: providers.CanonicalValue(r.Value), TTL: r.TTL, Marker: r.Remark,
	}
}

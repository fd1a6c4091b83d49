package spaceship

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/rrset"
	"github.com/ddns-operator/ddns-operator/providers/internal/value"
)

// item is a DNS record as Spaceship lists and takes it: name relative to
// the domain, "@" for the apex; A and AAAA records hold the address.
type item struct {
	Type    string `json:"type"`
	Name    string `json:"name"`
	Address string `json:"address"`
	TTL     int32  `json:"ttl,omitempty"`
}

// recordsResponse is the answer of GET /v1/dns/records/{domain}.
type recordsResponse struct {
	Items []item `json:"items"`
	Total int    `json:"total"`
}

// ListRecords returns the records named name of type typ. Spaceship lists
// a domain's records only whole, so this reads the domain and filters.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	all, err := p.list(ctx, zone, typ)
	if err != nil {
		return nil, err
	}
	name = providers.CanonicalName(name)
	out := []providers.Record{}
	for _, r := range all {
		if r.Name == name {
			out = append(out, r)
		}
	}
	rrset.Assign(out)
	return out, nil
}

// ListZoneRecords returns every record of type typ in zone.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	out, err := p.list(ctx, zone, typ)
	rrset.Assign(out)
	return out, err
}

// list reads the domain's records of type typ: GET
// /v1/dns/records/{domain}, paged with take and skip up to total.
func (p *Provider) list(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	out := []providers.Record{}
	guard := providers.NewPageGuard("spaceship: list records")
	for skip := 0; ; {
		q := url.Values{"take": {strconv.Itoa(pageLimit)}, "skip": {strconv.Itoa(skip)}}
		var resp recordsResponse
		if err := p.api.Call(ctx, "list records", http.MethodGet, recordsPath(zone), q, nil, &resp); err != nil {
			return nil, err
		}
		ids := make([]string, 0, len(resp.Items))
		for _, it := range resp.Items {
			ids = append(ids, it.Type+"/"+it.Name+"/"+it.Address)
			if strings.EqualFold(it.Type, typ) && it.Address != "" {
				out = append(out, providers.Record{
					Name: providers.AbsoluteName(it.Name, zone.Name), Type: strings.ToUpper(it.Type),
					Value: value.Canonical(it.Address), TTL: it.TTL,
				})
			}
		}
		skip += len(resp.Items)
		if len(resp.Items) == 0 || skip >= resp.Total {
			return out, nil
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

// CreateRecord saves r (PUT /v1/dns/records/{domain}), which adds it to
// the values of its name and type. A TTL of 0 asks for DefaultTTL.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r.Name, r.Type, r.Value = providers.CanonicalName(r.Name), strings.ToUpper(r.Type), value.Canonical(r.Value)
	if r.TTL <= 0 {
		r.TTL = DefaultTTL
	}
	if err := p.save(ctx, zone, r); err != nil {
		return providers.Record{}, err
	}
	got, err := p.ListRecords(ctx, zone, r.Name, r.Type)
	if err != nil {
		return providers.Record{}, err
	}
	for _, g := range got {
		if g.Value == r.Value {
			return g, nil
		}
	}
	return providers.Record{}, providers.Errorf(providers.KindTransient, "", "spaceship: the record %s %s %s is not listed after it was saved", r.Name, r.Type, r.Value)
}

// UpdateRecord points the record r.ID at r.Value. Spaceship cannot change
// a value in place: the new value is saved first, then the old one
// deleted (for "name/type", every old value of the set), so the name is
// never without an address; a change of the TTL alone is one save. A TTL
// of 0 keeps the record's.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	key, err := rrset.Parse(r.ID)
	if err != nil {
		return providers.Record{}, err
	}
	cur, err := p.ListRecords(ctx, zone, key.Name, key.Type)
	if err != nil {
		return providers.Record{}, err
	}
	var old []providers.Record
	for _, c := range cur {
		if key.Matches(c.Name, c.Type, c.Value) {
			old = append(old, c)
		}
	}
	if len(old) == 0 {
		return providers.Record{}, providers.Errorf(providers.KindNotFound, "", "spaceship: record %s no longer exists", r.ID)
	}
	out := providers.Record{Name: key.Name, Type: key.Type, Value: value.Canonical(r.Value), TTL: r.TTL}
	if out.TTL <= 0 {
		out.TTL = old[0].TTL
	}
	if err := p.save(ctx, zone, out); err != nil {
		return providers.Record{}, err
	}
	var gone []providers.Record
	for _, o := range old {
		if o.Value != out.Value {
			gone = append(gone, o)
		}
	}
	if err := p.remove(ctx, zone, gone); err != nil {
		return providers.Record{}, err
	}
	out.ID = rrset.ID(key.Name, key.Type, out.Value, key.Value == "")
	return out, nil
}

// DeleteRecord removes the record r.ID: every value of the set for
// "name/type", one value for "name/type/value". What is already gone is
// not an error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	key, err := rrset.Parse(r.ID)
	if err != nil {
		return err
	}
	gone := []providers.Record{{Name: key.Name, Type: key.Type, Value: key.Value}}
	if key.Value == "" {
		cur, err := p.ListRecords(ctx, zone, key.Name, key.Type)
		if err != nil {
			return err
		}
		gone = cur
	}
	return p.remove(ctx, zone, gone)
}

// save sends PUT /v1/dns/records/{domain} with r.
func (p *Provider) save(ctx context.Context, zone providers.Zone, r providers.Record) error {
	body := map[string]any{"force": false, "items": []item{toItem(zone, r)}}
	return p.api.Call(ctx, "save records", http.MethodPut, recordsPath(zone), nil, body, nil)
}

// remove sends DELETE /v1/dns/records/{domain} with recs, when there are
// any.
func (p *Provider) remove(ctx context.Context, zone providers.Zone, recs []providers.Record) error {
	if len(recs) == 0 {
		return nil
	}
	items := make([]item, 0, len(recs))
	for _, r := range recs {
		it := toItem(zone, r)
		it.TTL = 0
		items = append(items, it)
	}
	return p.api.Call(ctx, "delete records", http.MethodDelete, recordsPath(zone), nil, items, nil)
}

func toItem(zone providers.Zone, r providers.Record) item {
	return item{Type: strings.ToUpper(r.Type), Name: providers.RelativeName(r.Name, zone.Name), Address: value.Canonical(r.Value), TTL: r.TTL}
}

func recordsPath(zone providers.Zone) string {
	return "/dns/records/" + url.PathEscape(zone.Name)
}

package gcore

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/rrset"
	"github.com/ddns-operator/ddns-operator/providers/internal/value"
)

// ListRecords returns the values of the RRset of name and type; none when
// the set does not exist.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	set, found, err := p.get(ctx, zone, name, typ)
	if err != nil || !found {
		return []providers.Record{}, err
	}
	return toRecords(set, name, typ), nil
}

// ListZoneRecords returns every value of type typ in zone: GET
// /v2/zones/{zone}/rrsets, every page.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	out := []providers.Record{}
	guard := providers.NewPageGuard("gcore: list rrsets")
	for offset := 0; ; {
		q := url.Values{"limit": {strconv.Itoa(pageLimit)}, "offset": {strconv.Itoa(offset)}}
		var resp rrsetsResponse
		if err := p.api.Call(ctx, "list rrsets", http.MethodGet, "/zones/"+url.PathEscape(zone.Name)+"/rrsets", q, nil, &resp); err != nil {
			return nil, zoneError(err, zone)
		}
		ids := make([]string, 0, len(resp.RRsets))
		for _, s := range resp.RRsets {
			ids = append(ids, s.Name+"/"+s.Type)
			if strings.EqualFold(s.Type, typ) {
				out = append(out, toRecords(s, s.Name, s.Type)...)
			}
		}
		offset += len(resp.RRsets)
		if len(resp.RRsets) == 0 || offset >= resp.TotalAmount {
			return out, nil
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

// toRecords converts the values of set, named name and of type typ.
func toRecords(set rrsetJSON, name, typ string) []providers.Record {
	out := make([]providers.Record, 0, len(set.ResourceRecords))
	for _, rr := range set.ResourceRecords {
		out = append(out, providers.Record{
			Name: providers.CanonicalName(name), Type: strings.ToUpper(typ),
			Value: value.Canonical(rr.value()), TTL: set.TTL, Marker: rr.notes(),
		})
	}
	rrset.Assign(out)
	return out
}

// get reads the RRset of name and type; found is false when it does not
// exist (404).
func (p *Provider) get(ctx context.Context, zone providers.Zone, name, typ string) (rrsetJSON, bool, error) {
	var set rrsetJSON
	err := p.api.Call(ctx, "get rrset", http.MethodGet, rrsetPath(zone.Name, name, typ), nil, nil, &set)
	if providers.KindOf(err) == providers.KindNotFound {
		return rrsetJSON{}, false, nil
	}
	return set, err == nil, err
}

// CreateRecord adds r's value to the RRset of its name and type: a new
// set (POST) when there is none, else the set with one more value (PUT),
// its TTL set to r's when r has one.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r.Name, r.Type, r.Value = providers.CanonicalName(r.Name), strings.ToUpper(r.Type), value.Canonical(r.Value)
	set, found, err := p.get(ctx, zone, r.Name, r.Type)
	if err != nil {
		return providers.Record{}, err
	}
	rr := resourceRecordJSON{Content: []any{r.Value}, Enabled: true}
	if r.Marker != "" {
		rr = rr.withNotes(r.Marker)
	}
	set.ResourceRecords = append(set.ResourceRecords, rr)
	switch {
	case r.TTL > 0:
		set.TTL = r.TTL
	case !found:
		set.TTL = DefaultTTL
	}
	if err := p.put(ctx, zone, r.Name, r.Type, set, !found); err != nil {
		return providers.Record{}, err
	}
	r.TTL = set.TTL
	r.ID = rrset.ID(r.Name, r.Type, r.Value, len(set.ResourceRecords) == 1)
	return r, nil
}

// UpdateRecord points the record r.ID at r.Value: for "name/type" the set
// becomes that one value (keeping the first value's meta), for
// "name/type/value" that value is replaced and the others kept. A TTL of
// 0 keeps the set's, an empty marker the value's notes.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	key, err := rrset.Parse(r.ID)
	if err != nil {
		return providers.Record{}, err
	}
	set, found, err := p.get(ctx, zone, key.Name, key.Type)
	if err != nil {
		return providers.Record{}, err
	}
	i := slices.IndexFunc(set.ResourceRecords, func(rr resourceRecordJSON) bool { return key.Value == "" || value.Canonical(rr.value()) == key.Value })
	if !found || i < 0 {
		return providers.Record{}, providers.Errorf(providers.KindNotFound, "", "gcore: record %s no longer exists", r.ID)
	}
	rr := set.ResourceRecords[i]
	rr.ID, rr.Content = 0, []any{value.Canonical(r.Value)}
	if r.Marker != "" {
		rr = rr.withNotes(r.Marker)
	}
	if key.Value == "" {
		set.ResourceRecords = []resourceRecordJSON{rr}
	} else {
		set.ResourceRecords[i] = rr
	}
	if r.TTL > 0 {
		set.TTL = r.TTL
	}
	if err := p.put(ctx, zone, key.Name, key.Type, set, false); err != nil {
		return providers.Record{}, err
	}
	out := providers.Record{ID: r.ID, Name: key.Name, Type: key.Type, Value: value.Canonical(r.Value), TTL: set.TTL, Marker: rr.notes()}
	if key.Value != "" {
		out.ID = rrset.ID(key.Name, key.Type, out.Value, false)
	}
	return out, nil
}

// DeleteRecord removes the record r.ID: the whole set for "name/type"
// (DELETE), one value for "name/type/value" (PUT of the rest, or DELETE
// when it was the last). What is already gone is not an error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	key, err := rrset.Parse(r.ID)
	if err != nil {
		return err
	}
	if key.Value != "" {
		set, found, err := p.get(ctx, zone, key.Name, key.Type)
		if err != nil || !found {
			return err
		}
		rest := slices.DeleteFunc(slices.Clone(set.ResourceRecords), func(rr resourceRecordJSON) bool { return value.Canonical(rr.value()) == key.Value })
		if len(rest) == len(set.ResourceRecords) {
			return nil
		}
		if len(rest) > 0 {
			set.ResourceRecords = rest
			return p.put(ctx, zone, key.Name, key.Type, set, false)
		}
	}
	err = p.api.Call(ctx, "delete rrset", http.MethodDelete, rrsetPath(zone.Name, key.Name, key.Type), nil, nil, nil)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// put writes set whole: POST creates it, PUT replaces it. The IDs of its
// values are left out; Gcore gives new ones.
func (p *Provider) put(ctx context.Context, zone providers.Zone, name, typ string, set rrsetJSON, create bool) error {
	method, op := http.MethodPut, "update rrset"
	if create {
		method, op = http.MethodPost, "create rrset"
	}
	body := set
	body.Name, body.Type = "", ""
	body.ResourceRecords = make([]resourceRecordJSON, len(set.ResourceRecords))
	for i, rr := range set.ResourceRecords {
		rr.ID = 0
		body.ResourceRecords[i] = rr
	}
	err := p.api.Call(ctx, op, method, rrsetPath(zone.Name, name, typ), nil, body, nil)
	if create {
		return zoneError(err, zone)
	}
	return err
}

// zoneError reports a 404 for a zone's RRsets as the zone missing.
func zoneError(err error, zone providers.Zone) error {
	if providers.KindOf(err) != providers.KindNotFound {
		return err
	}
	return &providers.Error{Kind: providers.KindZoneNotFound, Message: "gcore: zone " + zone.Name + " is not in this account: " + err.Error(), Err: err}
}

package godaddy

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

// recordJSON is a DNS record as GoDaddy lists and takes it ("DNSRecord"):
// Name is relative to the domain, "@" for the apex.
type recordJSON struct {
	Data string `json:"data"`
	Name string `json:"name,omitempty"`
	TTL  int32  `json:"ttl,omitempty"`
	Type string `json:"type,omitempty"`
}

// ListRecords returns the records named name of type typ: GET
// /v1/domains/{domain}/records/{type}/{name}, every page.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	raw, err := p.list(ctx, zone, name, typ)
	if err != nil {
		return nil, err
	}
	out := toRecords(zone, raw, typ)
	rrset.Assign(out)
	return out, nil
}

// ListZoneRecords returns every record of type typ in zone: GET
// /v1/domains/{domain}/records/{type}, every page.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	return p.ListRecords(ctx, zone, "", typ)
}

// list reads the records of type typ named name (every name when ""),
// page by page (offset and limit), keeping only those of that name and
// type: the API filters too, but the provider does not rely on it.
func (p *Provider) list(ctx context.Context, zone providers.Zone, name, typ string) ([]recordJSON, error) {
	path := recordsPath(zone.Name, typ, "")
	if name != "" {
		name = providers.CanonicalName(name)
		path = recordsPath(zone.Name, typ, providers.RelativeName(name, zone.Name))
	}
	var out []recordJSON
	guard := providers.NewPageGuard("godaddy: list records")
	for offset := 0; ; {
		q := url.Values{"offset": {strconv.Itoa(offset)}, "limit": {strconv.Itoa(pageLimit)}}
		var page []recordJSON
		err := p.api.Call(ctx, "list records", http.MethodGet, path, q, nil, &page)
		if providers.KindOf(err) == providers.KindNotFound {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if len(page) == 0 {
			return out, nil
		}
		ids := make([]string, 0, len(page))
		for _, r := range page {
			ids = append(ids, r.Name+"/"+r.Data)
			if r.Data == "" || (r.Type != "" && !strings.EqualFold(r.Type, typ)) || (name != "" && providers.AbsoluteName(r.Name, zone.Name) != name) {
				continue
			}
			out = append(out, r)
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
		offset += len(page)
	}
}

// set reads the records of name and typ, as GoDaddy holds them.
func (p *Provider) set(ctx context.Context, zone providers.Zone, name, typ string) ([]recordJSON, error) {
	return p.list(ctx, zone, name, typ)
}

// toRecords converts records of type typ.
func toRecords(zone providers.Zone, raw []recordJSON, typ string) []providers.Record {
	out := make([]providers.Record, 0, len(raw))
	for _, r := range raw {
		out = append(out, providers.Record{
			Name: providers.AbsoluteName(r.Name, zone.Name), Type: strings.ToUpper(typ),
			Value: value.Canonical(r.Data), TTL: r.TTL,
		})
	}
	return out
}

// CreateRecord adds r to the set of its name and type with one PATCH of
// /v1/domains/{domain}/records ("Add the specified DNS Records"), which
// keeps the set's other values. A TTL of 0 asks for DefaultTTL.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r.Name, r.Type, r.Value = providers.CanonicalName(r.Name), strings.ToUpper(r.Type), value.Canonical(r.Value)
	if r.TTL <= 0 {
		r.TTL = DefaultTTL
	}
	add := []recordJSON{{Data: r.Value, Name: providers.RelativeName(r.Name, zone.Name), TTL: r.TTL, Type: r.Type}}
	if err := p.api.Call(ctx, "add records", http.MethodPatch, "/domains/"+url.PathEscape(zone.Name)+"/records", nil, add, nil); err != nil {
		return providers.Record{}, err
	}
	// The ID depends on whether the set now holds one value; the set is
	// read back rather than guessed, so a concurrent writer cannot make
	// it wrong.
	got, err := p.ListRecords(ctx, zone, r.Name, r.Type)
	if err != nil {
		return providers.Record{}, err
	}
	for _, g := range got {
		if g.Value == r.Value {
			return g, nil
		}
	}
	return providers.Record{}, providers.Errorf(providers.KindTransient, "", "godaddy: the record %s %s %s is not listed after it was added", r.Name, r.Type, r.Value)
}

// UpdateRecord points the record r.ID at r.Value with a PUT of the name's
// set ("Replace all DNS Records for the specified Domain with the
// specified Type and Name"): for "name/type" the set becomes r alone; for
// "name/type/value" that value is replaced and the others kept. A TTL of
// 0 keeps the record's.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	key, err := rrset.Parse(r.ID)
	if err != nil {
		return providers.Record{}, err
	}
	newValue := value.Canonical(r.Value)
	var set []recordJSON
	if key.Value != "" || r.TTL <= 0 {
		if set, err = p.set(ctx, zone, key.Name, key.Type); err != nil {
			return providers.Record{}, err
		}
	}
	i := slices.IndexFunc(set, func(s recordJSON) bool { return key.Value == "" || value.Canonical(s.Data) == key.Value })
	if key.Value != "" && i < 0 {
		return providers.Record{}, providers.Errorf(providers.KindNotFound, "", "godaddy: record %s no longer exists", r.ID)
	}
	ttl := r.TTL
	if ttl <= 0 && i >= 0 {
		ttl = set[i].TTL
	}
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	if key.Value == "" {
		set = []recordJSON{{Data: newValue, TTL: ttl}}
	} else {
		for j := range set {
			set[j] = recordJSON{Data: set[j].Data, TTL: set[j].TTL}
		}
		set[i] = recordJSON{Data: newValue, TTL: ttl}
	}
	if err := p.put(ctx, zone, key, set); err != nil {
		return providers.Record{}, err
	}
	return providers.Record{ID: rrset.ID(key.Name, key.Type, newValue, key.Value == ""), Name: key.Name, Type: key.Type, Value: newValue, TTL: ttl}, nil
}

// DeleteRecord removes the record r.ID: the whole set for "name/type",
// one value for "name/type/value" (a PUT of the others, or DELETE when it
// was the last). What is already gone is not an error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	key, err := rrset.Parse(r.ID)
	if err != nil {
		return err
	}
	if key.Value != "" {
		set, err := p.set(ctx, zone, key.Name, key.Type)
		if err != nil {
			return err
		}
		rest := slices.DeleteFunc(slices.Clone(set), func(s recordJSON) bool { return value.Canonical(s.Data) == key.Value })
		if len(rest) == len(set) {
			return nil
		}
		if len(rest) > 0 {
			for j := range rest {
				rest[j] = recordJSON{Data: rest[j].Data, TTL: rest[j].TTL}
			}
			return p.put(ctx, zone, key, rest)
		}
	}
	err = p.api.Call(ctx, "delete records", http.MethodDelete, recordsPath(zone.Name, key.Type, providers.RelativeName(key.Name, zone.Name)), nil, nil, nil)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// put replaces the set of key's name and type with set.
func (p *Provider) put(ctx context.Context, zone providers.Zone, key rrset.Key, set []recordJSON) error {
	return p.api.Call(ctx, "replace records", http.MethodPut, recordsPath(zone.Name, key.Type, providers.RelativeName(key.Name, zone.Name)), nil, set, nil)
}

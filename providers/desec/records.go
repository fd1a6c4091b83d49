package desec

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
	"github.com/ddns-operator/ddns-operator/providers/internal/rrset"
	"github.com/ddns-operator/ddns-operator/providers/internal/value"
)

// domainJSON is a domain as the API shows it.
type domainJSON struct {
	Name       string `json:"name"`
	MinimumTTL int32  `json:"minimum_ttl"`
}

// rrsetJSON is an RRset as the API shows and takes it. Subname is
// relative to the domain, "" for the apex.
type rrsetJSON struct {
	Subname *string  `json:"subname,omitempty"`
	Name    string   `json:"name,omitempty"`
	Type    string   `json:"type,omitempty"`
	TTL     int32    `json:"ttl,omitempty"`
	Records []string `json:"records"`
}

// FindZone returns the domain responsible for fqdn: the domain named hint
// (GET /domains/{hint}/), or the one deSEC names for it (GET
// /domains/?owns_qname=), which is the longest suffix among the account's
// domains.
func (a *api) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	fqdn = providers.CanonicalName(fqdn)
	var d domainJSON
	if hint != "" {
		hint = providers.CanonicalName(hint)
		if _, ok := providers.LongestSuffixZone(fqdn, []providers.Zone{{Name: hint}}); !ok {
			return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "desec: %s is not a name in domain %s", fqdn, hint)
		}
		err := a.call(ctx, "get domain", http.MethodGet, "/domains/"+url.PathEscape(hint)+"/", nil, nil, &d, "", false)
		if providers.KindOf(err) == providers.KindNotFound {
			return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "desec: the account has no domain %s", hint)
		}
		if err != nil {
			return providers.Zone{}, err
		}
	} else {
		var list []domainJSON
		if err := a.call(ctx, "find domain", http.MethodGet, "/domains/", url.Values{"owns_qname": {fqdn}}, nil, &list, "", false); err != nil {
			return providers.Zone{}, err
		}
		if len(list) == 0 {
			return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "desec: no domain of the account holds %s", fqdn)
		}
		d = list[0]
	}
	name := providers.CanonicalName(d.Name)
	if _, ok := providers.LongestSuffixZone(fqdn, []providers.Zone{{Name: name}}); !ok || name == "" {
		return providers.Zone{}, providers.Errorf(providers.KindTransient, "", "desec: the API named domain %q for %s, which does not hold it", name, fqdn)
	}
	a.mu.Lock()
	a.minTTL[name] = d.MinimumTTL
	a.mu.Unlock()
	return providers.Zone{ID: name, Name: name}, nil
}

// List returns the values of the domain's RRsets named name (every name
// when "") of type typ (every type when ""): the one RRset when both are
// set, else every page of the filtered RRset list.
func (a *api) List(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	if name != "" && typ != "" {
		set, found, err := a.get(ctx, zone, name, typ)
		if err != nil || !found {
			return nil, err
		}
		return only(toRecords(zone, []rrsetJSON{set}), name, typ), nil
	}
	q := url.Values{"cursor": {""}}
	if name != "" {
		q.Set("subname", subname(name, zone))
	}
	if typ != "" {
		q.Set("type", strings.ToUpper(typ))
	}
	var sets []rrsetJSON
	guard := providers.NewPageGuard("desec: list rrsets")
	path := rrsetsPath(zone, "", "")
	for {
		resp, err := a.send(ctx, "list rrsets", http.MethodGet, path, q, nil, zone.Name, false)
		if err != nil {
			return nil, zoneError(err, zone)
		}
		var page []rrsetJSON
		if err := jsonapi.Decode(resp, &page, "desec list rrsets"); err != nil {
			return nil, err
		}
		sets = append(sets, page...)
		next := jsonapi.NextLink(resp.Header)
		if next == "" || len(page) == 0 {
			return only(toRecords(zone, sets), name, typ), nil
		}
		ids := make([]string, 0, len(page))
		for _, s := range page {
			ids = append(ids, s.Name+"/"+s.Type)
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
		u, err := url.Parse(next)
		if err != nil {
			return nil, providers.Errorf(providers.KindTransient, "", "desec list rrsets: the next page's link is not a URL")
		}
		q = u.Query()
	}
}

// get reads the RRset of name and typ; found is false when there is none.
func (a *api) get(ctx context.Context, zone providers.Zone, name, typ string) (rrsetJSON, bool, error) {
	var set rrsetJSON
	err := a.call(ctx, "get rrset", http.MethodGet, rrsetsPath(zone, name, typ), nil, nil, &set, zone.Name, false)
	if providers.KindOf(err) == providers.KindNotFound {
		// A 404 is a missing RRset of a domain FindZone found; the
		// domain's own loss shows in the next FindZone.
		return rrsetJSON{}, false, nil
	}
	return set, err == nil, err
}

// Create adds r's value to the RRset of its name and type: a new RRset
// (POST) when there is none, else the set with one more value (PATCH),
// its TTL set to r's when r has one (the domain's minimum for a new set).
func (a *api) Create(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r.Name, r.Type, r.Value = providers.CanonicalName(r.Name), strings.ToUpper(r.Type), content(r.Type, r.Value)
	set, found, err := a.get(ctx, zone, r.Name, r.Type)
	if err != nil {
		return providers.Record{}, err
	}
	if r.TTL <= 0 {
		r.TTL = set.TTL
	}
	if r.TTL <= 0 {
		r.TTL = a.defaultTTL(zone)
	}
	values := append(slices.Clone(set.Records), r.Value)
	if found {
		err = a.patch(ctx, zone, r.Name, r.Type, values, r.TTL)
	} else {
		sub := subname(r.Name, zone)
		if sub == "@" {
			sub = ""
		}
		err = a.call(ctx, "create rrset", http.MethodPost, rrsetsPath(zone, "", ""), nil, rrsetJSON{Subname: &sub, Type: r.Type, TTL: r.TTL, Records: values}, nil, zone.Name, true)
	}
	if err != nil {
		return providers.Record{}, zoneError(err, zone)
	}
	r.ID = rrset.ID(r.Name, r.Type, r.Value, len(values) == 1)
	return r, nil
}

// Update points the record r.ID at r.Value: for "name/type" the set
// becomes that one value, for "name/type/value" that value is replaced
// and the others kept. A TTL of 0 keeps the set's; nothing is sent when
// the set already holds the values and TTL.
func (a *api) Update(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	key, err := rrset.Parse(r.ID)
	if err != nil {
		return providers.Record{}, err
	}
	set, _, err := a.get(ctx, zone, key.Name, key.Type)
	if err != nil {
		return providers.Record{}, err
	}
	v := content(key.Type, r.Value)
	values, found := rrset.Replace(set.Records, key, canonical, func(string) string { return v })
	if !found {
		return providers.Record{}, providers.Errorf(providers.KindNotFound, "", "desec: record %s no longer exists", r.ID)
	}
	ttl := set.TTL
	if r.TTL > 0 {
		ttl = r.TTL
	}
	out := providers.Record{ID: r.ID, Name: key.Name, Type: key.Type, Value: canonical(v), TTL: ttl}
	if key.Value != "" {
		out.ID = rrset.ID(key.Name, key.Type, out.Value, false)
	}
	if ttl == set.TTL && slices.Equal(values, set.Records) {
		return out, nil
	}
	return out, a.patch(ctx, zone, key.Name, key.Type, values, ttl)
}

// Delete removes the record r.ID: the whole RRset for "name/type", one
// value for "name/type/value" (a PATCH of the others, or the set's
// deletion when it was the last). What is already gone is not an error.
func (a *api) Delete(ctx context.Context, zone providers.Zone, r providers.Record) error {
	key, err := rrset.Parse(r.ID)
	if err != nil {
		return err
	}
	if key.Value != "" {
		set, found, err := a.get(ctx, zone, key.Name, key.Type)
		if err != nil || !found {
			return err
		}
		rest, removed := rrset.Remove(set.Records, key, canonical)
		if !removed {
			return nil
		}
		if len(rest) > 0 {
			return a.patch(ctx, zone, key.Name, key.Type, rest, 0)
		}
	}
	err = a.call(ctx, "delete rrset", http.MethodDelete, rrsetsPath(zone, key.Name, key.Type), nil, nil, nil, zone.Name, true)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// patch sets the records (and, when ttl > 0, the TTL) of the RRset of
// name and typ.
func (a *api) patch(ctx context.Context, zone providers.Zone, name, typ string, values []string, ttl int32) error {
	return a.call(ctx, "change rrset", http.MethodPatch, rrsetsPath(zone, name, typ), nil, rrsetJSON{TTL: ttl, Records: values}, nil, zone.Name, true)
}

// defaultTTL is the TTL of a new set without one: the domain's minimum
// when FindZone read one, else DefaultTTL.
func (a *api) defaultTTL(zone providers.Zone) int32 {
	a.mu.Lock()
	defer a.mu.Unlock()
	if t := a.minTTL[zone.Name]; t > 0 {
		return t
	}
	return DefaultTTL
}

// rrsetsPath is the path of zone's RRsets, or of the RRset of name and
// typ ("@" names the apex).
func rrsetsPath(zone providers.Zone, name, typ string) string {
	p := "/domains/" + url.PathEscape(zone.Name) + "/rrsets/"
	if name != "" {
		p += url.PathEscape(subname(name, zone)) + "/" + url.PathEscape(strings.ToUpper(typ)) + "/"
	}
	return p
}

// subname is name relative to zone, "@" for the apex.
func subname(name string, zone providers.Zone) string { return providers.RelativeName(name, zone.Name) }

// content is a value in the presentation format deSEC takes: TXT data in
// double quotes, an address in its canonical form.
func content(typ, v string) string {
	if strings.EqualFold(typ, "TXT") {
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			return v
		}
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
	}
	return value.Canonical(v)
}

// canonical is a listed value as records compare it.
func canonical(v string) string { return value.Canonical(v) }

// toRecords converts RRsets of zone, a record per value.
func toRecords(zone providers.Zone, sets []rrsetJSON) []providers.Record {
	var out []providers.Record
	for _, s := range sets {
		name := providers.CanonicalName(s.Name)
		if name == "" && s.Subname != nil {
			name = providers.AbsoluteName(*s.Subname, zone.Name)
		}
		for _, v := range s.Records {
			out = append(out, providers.Record{Name: name, Type: strings.ToUpper(s.Type), Value: canonical(v), TTL: s.TTL})
		}
	}
	rrset.Assign(out)
	return out
}

// only keeps the records named name (any when "") of type typ (any when
// ""): what was asked for, whatever the answer held.
func only(recs []providers.Record, name, typ string) []providers.Record {
	name = providers.CanonicalName(name)
	return slices.DeleteFunc(recs, func(r providers.Record) bool {
		return name != "" && r.Name != name || typ != "" && !strings.EqualFold(r.Type, typ)
	})
}

// zoneError reports a 404 for a domain's RRsets as the domain missing.
func zoneError(err error, zone providers.Zone) error {
	if providers.KindOf(err) != providers.KindNotFound {
		return err
	}
	return &providers.Error{Kind: providers.KindZoneNotFound, Message: "desec: domain " + zone.Name + " is not in this account: " + err.Error(), Err: err}
}

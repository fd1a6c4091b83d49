package digitalocean

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// recordJSON is a domain record (GET /v2/domains/{domain}/records); name
// is relative to the domain, "@" for its apex.
type recordJSON struct {
	ID   int64  `json:"id,omitempty"`
	Type string `json:"type,omitempty"`
	Name string `json:"name,omitempty"`
	Data string `json:"data,omitempty"`
	TTL  int    `json:"ttl,omitempty"`
}

// page is the paging part of every list answer.
type page struct {
	Links struct {
		Pages struct {
			Next string `json:"next"`
		} `json:"pages"`
	} `json:"links"`
	Meta struct {
		Total int `json:"total"`
	} `json:"meta"`
}

// FindZone returns the domain that holds fqdn: with hint, that domain
// (GET /v2/domains/{name}); otherwise the longest suffix among every page
// of GET /v2/domains.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	fqdn = providers.CanonicalName(fqdn)
	if hint != "" {
		hint = providers.CanonicalName(hint)
		if fqdn != hint && !strings.HasSuffix(fqdn, "."+hint) {
			return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "zone %q does not hold %q", hint, fqdn)
		}
		var one struct {
			Domain *struct {
				Name string `json:"name"`
			} `json:"domain"`
		}
		if _, err := p.api.Do(ctx, "find zone "+hint, http.MethodGet, providers.PathEscape("domains", hint), nil, nil, &one); err != nil {
			return providers.Zone{}, zoneError(err, hint)
		}
		if one.Domain == nil || providers.CanonicalName(one.Domain.Name) != hint {
			return providers.Zone{}, providers.Errorf(providers.KindTransient, "", "find zone %s: the answer names no such domain", hint)
		}
		return providers.Zone{ID: hint, Name: hint}, nil
	}
	var zones []providers.Zone
	err := p.pages(ctx, "list domains", "/domains", nil, func(raw []byte) (page, []string, error) {
		var ans struct {
			page
			Domains []struct {
				Name string `json:"name"`
			} `json:"domains"`
		}
		if err := decode(raw, &ans); err != nil || ans.Domains == nil {
			return ans.page, nil, errNotAList(err)
		}
		var ids []string
		for _, d := range ans.Domains {
			name := providers.CanonicalName(d.Name)
			zones = append(zones, providers.Zone{ID: name, Name: name})
			ids = append(ids, name)
		}
		return ans.page, ids, nil
	})
	if err != nil {
		return providers.Zone{}, err
	}
	z, ok := providers.LongestSuffixZone(fqdn, zones)
	if !ok {
		return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "no domain of the token's account holds %q (%d domains)", fqdn, len(zones))
	}
	return z, nil
}

// ListRecords lists the records named name of type typ (?type and ?name,
// every page) and, when there are any, their companion TXT.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	name = providers.CanonicalName(name)
	recs, err := p.list(ctx, zone, typ, name)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	txts, err := p.list(ctx, zone, "TXT", providers.CompanionName(name, typ))
	if err != nil {
		return nil, err
	}
	marker := markerOf(txts)
	out := make([]providers.Record, 0, len(recs))
	for _, r := range recs {
		out = append(out, toRecord(zone, r, marker))
	}
	return out, nil
}

// ListZoneRecords lists every record of type typ in zone, and every TXT
// record for the companions' markers: two paginated lists.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	recs, err := p.list(ctx, zone, typ, "")
	if err != nil {
		return nil, err
	}
	txts, err := p.list(ctx, zone, "TXT", "")
	if err != nil {
		return nil, err
	}
	companions := map[string][]recordJSON{}
	for _, t := range txts {
		if name, ttyp, ok := providers.CompanionOf(providers.AbsoluteName(t.Name, zone.Name)); ok && ttyp == typ {
			companions[name] = append(companions[name], t)
		}
	}
	out := make([]providers.Record, 0, len(recs))
	for _, r := range recs {
		out = append(out, toRecord(zone, r, markerOf(companions[providers.AbsoluteName(r.Name, zone.Name)])))
	}
	return out, nil
}

// CreateRecord writes r.Marker to the companion, then creates r (POST).
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r, err := normalise(r)
	if err != nil {
		return r, err
	}
	// The marker first: should the answer to the record's write be lost,
	// the next check finds the record already marked, and writes nothing.
	if r.Marker != "" {
		if err := p.writeMarker(ctx, zone, r.Name, r.Type, r.Marker, r.TTL); err != nil {
			return r, err
		}
	}
	in := recordJSON{Type: r.Type, Name: providers.RelativeName(r.Name, zone.Name), Data: r.Value, TTL: int(r.TTL)}
	var out struct {
		Record *recordJSON `json:"domain_record"`
	}
	op := fmt.Sprintf("create %s %s in zone %s", r.Name, r.Type, zone.Name)
	if _, err := p.api.Do(ctx, op, http.MethodPost, providers.PathEscape("domains", zone.Name, "records"), nil, in, &out); err != nil {
		return r, zoneError(err, zone.Name)
	}
	if out.Record == nil || out.Record.ID == 0 {
		return r, providers.Errorf(providers.KindTransient, "", "%s: the answer holds no record ID", op)
	}
	return toRecord(zone, *out.Record, r.Marker), nil
}

// UpdateRecord writes a non-empty r.Marker to the companion when it
// differs, then changes the record's data and (when set) TTL with a PATCH,
// which keeps the fields the operator does not set.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	id, err := recordID(r.ID)
	if err != nil {
		return r, err
	}
	if r, err = normalise(r); err != nil {
		return r, err
	}
	if r.Marker != "" { // first, as CreateRecord says
		if err := p.writeMarker(ctx, zone, r.Name, r.Type, r.Marker, r.TTL); err != nil {
			return r, err
		}
	}
	in := recordJSON{Data: r.Value, TTL: int(r.TTL)}
	var out struct {
		Record *recordJSON `json:"domain_record"`
	}
	op := fmt.Sprintf("update %s %s in zone %s", r.Name, r.Type, zone.Name)
	if _, err := p.api.Do(ctx, op, http.MethodPatch, p.recordPath(zone, id), nil, in, &out); err != nil {
		return r, err // 404: the record is gone, and the next check reads again
	}
	if out.Record != nil {
		r.TTL = int32(out.Record.TTL)
	}
	return r, nil
}

// DeleteRecord deletes the record (a record already gone is no error) and,
// when it was the last of its name and type, the companion.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	id, err := recordID(r.ID)
	if err != nil {
		return err
	}
	name := providers.CanonicalName(r.Name)
	op := fmt.Sprintf("delete %s %s in zone %s", name, r.Type, zone.Name)
	if err := p.delete(ctx, zone, id, op); err != nil {
		return err
	}
	if name == "" || r.Type == "" {
		return nil
	}
	left, err := p.list(ctx, zone, r.Type, name)
	if err != nil || len(left) > 0 {
		return err
	}
	txts, err := p.list(ctx, zone, "TXT", providers.CompanionName(name, r.Type))
	if err != nil {
		return err
	}
	for _, t := range txts {
		if err := p.delete(ctx, zone, t.ID, "delete the ownership marker of "+name); err != nil {
			return err
		}
	}
	return nil
}

// writeMarker makes the companion of name and type hold marker: nothing
// when it does, a PATCH of the first companion record otherwise (or a
// POST when there is none), and extra companions deleted.
func (p *Provider) writeMarker(ctx context.Context, zone providers.Zone, name, typ, marker string, ttl int32) error {
	if err := providers.CheckMarker(marker); err != nil {
		return err
	}
	companion := providers.CompanionName(name, typ)
	txts, err := p.list(ctx, zone, "TXT", companion)
	if err != nil {
		return err
	}
	op := "write the ownership marker of " + providers.CanonicalName(name)
	if len(txts) == 0 {
		in := recordJSON{Type: "TXT", Name: providers.RelativeName(companion, zone.Name), Data: marker, TTL: int(ttl)}
		_, err := p.api.Do(ctx, op, http.MethodPost, providers.PathEscape("domains", zone.Name, "records"), nil, in, nil)
		return zoneError(err, zone.Name)
	}
	if providers.UnquoteTXT(txts[0].Data) != marker {
		if _, err := p.api.Do(ctx, op, http.MethodPatch, p.recordPath(zone, txts[0].ID), nil, recordJSON{Data: marker}, nil); err != nil {
			return err
		}
	}
	for _, extra := range txts[1:] {
		if err := p.delete(ctx, zone, extra.ID, op); err != nil {
			return err
		}
	}
	return nil
}

// delete deletes one record by ID; one already gone is no error.
func (p *Provider) delete(ctx context.Context, zone providers.Zone, id int64, op string) error {
	_, err := p.api.Do(ctx, op, http.MethodDelete, p.recordPath(zone, id), nil, nil, nil)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// list reads every page of the zone's records of type typ, named fqdn
// when it is set, and keeps those that match exactly (the API filters
// too; the provider does not rely on it).
func (p *Provider) list(ctx context.Context, zone providers.Zone, typ, fqdn string) ([]recordJSON, error) {
	q := url.Values{"type": {typ}}
	if fqdn != "" {
		q.Set("name", fqdn)
	}
	var out []recordJSON
	op := fmt.Sprintf("list %s records in zone %s", typ, zone.Name)
	err := p.pages(ctx, op, providers.PathEscape("domains", zone.Name, "records"), q, func(raw []byte) (page, []string, error) {
		var ans struct {
			page
			Records []recordJSON `json:"domain_records"`
		}
		if err := decode(raw, &ans); err != nil || ans.Records == nil {
			return ans.page, nil, errNotAList(err)
		}
		var ids []string
		for _, r := range ans.Records {
			ids = append(ids, strconv.FormatInt(r.ID, 10))
			if !strings.EqualFold(r.Type, typ) || (fqdn != "" && providers.AbsoluteName(r.Name, zone.Name) != fqdn) {
				continue
			}
			out = append(out, r)
		}
		return ans.page, ids, nil
	})
	if err != nil {
		return nil, zoneError(err, zone.Name)
	}
	return out, nil
}

// pages walks a list page by page (page, per_page) while the answer links
// a next page.
func (p *Provider) pages(ctx context.Context, op, path string, q url.Values, each func([]byte) (page, []string, error)) error {
	guard := providers.NewPageGuard(op)
	for n := 1; ; n++ {
		pq := url.Values{"page": {strconv.Itoa(n)}, "per_page": {strconv.Itoa(perPage)}}
		for k, v := range q {
			pq[k] = v
		}
		a, err := p.api.Do(ctx, op, http.MethodGet, path, pq, nil, nil)
		if err != nil {
			return err
		}
		pg, ids, err := each(a.Body)
		if err != nil {
			return providers.Transient(op, err)
		}
		if len(ids) == 0 || pg.Links.Pages.Next == "" {
			return nil
		}
		if err := guard.Page(ids); err != nil {
			return err
		}
	}
}

func (p *Provider) recordPath(zone providers.Zone, id int64) string {
	return providers.PathEscape("domains", zone.Name, "records", strconv.FormatInt(id, 10))
}

// toRecord converts an API record of zone.
func toRecord(zone providers.Zone, r recordJSON, marker string) providers.Record {
	return providers.Record{ID: strconv.FormatInt(r.ID, 10), Name: providers.AbsoluteName(r.Name, zone.Name),
		Type: strings.ToUpper(r.Type), Value: r.Data, TTL: int32(r.TTL), Marker: marker}
}

// markerOf is the marker companion records hold.
func markerOf(txts []recordJSON) string {
	values := make([]string, 0, len(txts))
	for _, t := range txts {
		values = append(values, t.Data)
	}
	return providers.CompanionMarker(values)
}

// recordID parses a record ID: DigitalOcean's are integers.
func recordID(id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return 0, providers.Errorf(providers.KindInvalid, "", "record ID %q is not a DigitalOcean record ID", id)
	}
	return n, nil
}

// normalise canonicalises r's name and value and checks they fit.
func normalise(r providers.Record) (providers.Record, error) {
	r.Name = providers.CanonicalName(r.Name)
	addr, err := netip.ParseAddr(r.Value)
	if err != nil || !slices.Contains([]string{"A", "AAAA"}, r.Type) || (r.Type == "A") != addr.Unmap().Is4() {
		return r, providers.Errorf(providers.KindInvalid, "", "value %q does not fit record type %q", r.Value, r.Type)
	}
	r.Value = addr.Unmap().String()
	return r, nil
}

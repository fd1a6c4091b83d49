package gandi

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// domainJSON is one domain of GET /domains.
type domainJSON struct {
	FQDN string `json:"fqdn"`
}

// rrsetJSON is one record set, as GET /domains/{fqdn}/records lists it
// and PUT takes it (name and type travel in the path then).
type rrsetJSON struct {
	Name   string   `json:"rrset_name,omitempty"`
	Type   string   `json:"rrset_type,omitempty"`
	TTL    int      `json:"rrset_ttl,omitempty"`
	Values []string `json:"rrset_values"`
}

// FindZone returns the LiveDNS domain that holds fqdn: with hint, the
// domain of that name (GET /domains/{fqdn}); otherwise the longest suffix
// among every page of GET /domains.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	fqdn = providers.CanonicalName(fqdn)
	if hint != "" {
		hint = providers.CanonicalName(hint)
		if fqdn != hint && !strings.HasSuffix(fqdn, "."+hint) {
			return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "zone %q does not hold %q", hint, fqdn)
		}
		var d domainJSON
		if _, err := p.api.Do(ctx, "find zone "+hint, http.MethodGet, providers.PathEscape("domains", hint), nil, nil, &d); err != nil {
			return providers.Zone{}, zoneError(err, hint)
		}
		if providers.CanonicalName(d.FQDN) != hint {
			return providers.Zone{}, providers.Errorf(providers.KindTransient, "", "find zone %s: the answer names domain %q", hint, d.FQDN)
		}
		return providers.Zone{ID: hint, Name: hint}, nil
	}
	var zones []providers.Zone
	err := p.pages(ctx, "list domains", "/domains", nil, func(body []byte) ([]string, error) {
		var page []domainJSON
		if err := decode(body, &page); err != nil {
			return nil, err
		}
		ids := make([]string, 0, len(page))
		for _, d := range page {
			name := providers.CanonicalName(d.FQDN)
			zones = append(zones, providers.Zone{ID: name, Name: name})
			ids = append(ids, name)
		}
		return ids, nil
	})
	if err != nil {
		return providers.Zone{}, err
	}
	z, ok := providers.LongestSuffixZone(fqdn, zones)
	if !ok {
		return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "no LiveDNS domain of the token's account holds %q (%d domains)", fqdn, len(zones))
	}
	return z, nil
}

// ListRecords reads the set named name of type typ (GET
// /domains/{fqdn}/records/{name}/{type}) and, when it exists, its
// companion TXT for the marker.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	set, err := p.readSet(ctx, zone, name, typ)
	if err != nil || len(set.Values) == 0 {
		return nil, err
	}
	marker, err := p.readMarker(ctx, zone, name, typ)
	if err != nil {
		return nil, err
	}
	return withMarker(set, marker).Records(), nil
}

// ListZoneRecords reads every set of type typ in zone, and every TXT set
// for the companions' markers: two paginated lists.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	sets, err := p.listType(ctx, zone, typ)
	if err != nil {
		return nil, err
	}
	txts, err := p.listType(ctx, zone, "TXT")
	if err != nil {
		return nil, err
	}
	markers := map[string]string{}
	for _, t := range txts {
		if name, ttyp, ok := providers.CompanionOf(t.Name); ok && ttyp == typ {
			markers[name] = providers.CompanionMarker(t.Addresses())
		}
	}
	var out []providers.Record
	for _, s := range sets {
		out = append(out, withMarker(s, markers[s.Name]).Records()...)
	}
	return out, nil
}

// CreateRecord writes r.Marker to the companion TXT, then creates the set
// of r's name and type holding r's value (POST, which LiveDNS refuses with
// 409 when the set exists: the zone changed since it was read, and the
// next check reads it again).
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r, err := normalise(r)
	if err != nil {
		return r, err
	}
	// The marker first: should the answer to the record's write be lost,
	// the next check finds the record already marked, and writes nothing.
	if err := p.ensureMarker(ctx, zone, r.Name, r.Type, r.Marker, r.TTL); err != nil {
		return r, err
	}
	op := fmt.Sprintf("create %s %s in zone %s", r.Name, r.Type, zone.Name)
	body := rrsetJSON{TTL: int(r.TTL), Values: []string{r.Value}}
	if _, err := p.api.Do(ctx, op, http.MethodPost, p.setPath(zone, r.Name, r.Type), nil, body, nil); err != nil {
		return r, writeError(err, zone)
	}
	r.ID = providers.SetID(r.Name, r.Type, r.Value, true)
	return r, nil
}

// UpdateRecord reads the record's set, writes a non-empty r.Marker to the
// companion when it differs from what the companion holds, replaces the
// value r.ID names (providers.RecordSet.Replaced) and writes the set back
// with PUT.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	k, err := providers.ParseSetID(r.ID)
	if err != nil {
		return r, err
	}
	r.Name, r.Type = k.Name, k.Type
	if r, err = normalise(r); err != nil {
		return r, err
	}
	set, err := p.readSet(ctx, zone, k.Name, k.Type)
	if err != nil {
		return r, err
	}
	next := set.Replaced(k, r)
	if err := p.ensureMarker(ctx, zone, r.Name, r.Type, r.Marker, next.TTL); err != nil { // first, as CreateRecord says
		return r, err
	}
	if err := p.putSet(ctx, zone, next, fmt.Sprintf("update %s %s in zone %s", r.Name, r.Type, zone.Name)); err != nil {
		return r, err
	}
	r.TTL = next.TTL
	r.ID = providers.SetID(r.Name, r.Type, r.Value, len(next.Values) == 1)
	return r, nil
}

// DeleteRecord removes the value r stands for from its set: the set goes
// (DELETE), with its companion, when no value is left, and is written back
// without the value otherwise. A value or set already gone is no error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	k, err := providers.ParseSetID(r.ID)
	if err != nil {
		return err
	}
	set, err := p.readSet(ctx, zone, k.Name, k.Type)
	if err != nil {
		return err
	}
	rest, found := set.Without(k, r)
	if !found {
		return nil
	}
	op := fmt.Sprintf("delete %s %s in zone %s", k.Name, k.Type, zone.Name)
	if len(rest.Values) > 0 {
		return p.putSet(ctx, zone, rest, op)
	}
	if err := p.deleteSet(ctx, zone, k.Name, k.Type, op); err != nil {
		return err
	}
	return p.deleteSet(ctx, zone, providers.CompanionName(k.Name, k.Type), "TXT", "delete the ownership marker of "+k.Name)
}

// readSet reads one set; a set that does not exist is empty.
func (p *Provider) readSet(ctx context.Context, zone providers.Zone, name, typ string) (providers.RecordSet, error) {
	set := providers.RecordSet{Name: providers.CanonicalName(name), Type: typ}
	var raw rrsetJSON
	_, err := p.api.Do(ctx, fmt.Sprintf("read %s %s in zone %s", set.Name, typ, zone.Name), http.MethodGet, p.setPath(zone, name, typ), nil, nil, &raw)
	switch {
	case providers.KindOf(err) == providers.KindNotFound:
		return set, nil
	case err != nil:
		return set, err
	}
	set.TTL = int32(raw.TTL)
	for _, v := range raw.Values {
		set.Values = append(set.Values, providers.SetValue{Value: v})
	}
	return set, nil
}

// putSet replaces a set (PUT /domains/{fqdn}/records/{name}/{type}).
func (p *Provider) putSet(ctx context.Context, zone providers.Zone, set providers.RecordSet, op string) error {
	body := rrsetJSON{TTL: int(set.TTL), Values: set.Addresses()}
	_, err := p.api.Do(ctx, op, http.MethodPut, p.setPath(zone, set.Name, set.Type), nil, body, nil)
	return writeError(err, zone)
}

// deleteSet removes a set; one already gone is no error.
func (p *Provider) deleteSet(ctx context.Context, zone providers.Zone, name, typ, op string) error {
	_, err := p.api.Do(ctx, op, http.MethodDelete, p.setPath(zone, name, typ), nil, nil, nil)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// readMarker reads the companion TXT of name and type ("" when none).
func (p *Provider) readMarker(ctx context.Context, zone providers.Zone, name, typ string) (string, error) {
	set, err := p.readSet(ctx, zone, providers.CompanionName(name, typ), "TXT")
	if err != nil {
		return "", err
	}
	return providers.CompanionMarker(set.Addresses()), nil
}

// ensureMarker makes the companion TXT of name and type hold marker (when
// not empty): it reads the companion and writes only when it differs.
func (p *Provider) ensureMarker(ctx context.Context, zone providers.Zone, name, typ, marker string, ttl int32) error {
	if marker == "" {
		return nil
	}
	current, err := p.readMarker(ctx, zone, name, typ)
	if err != nil || current == marker {
		return err
	}
	return p.writeMarker(ctx, zone, name, typ, marker, ttl)
}

// writeMarker replaces the companion TXT of name and type with marker.
func (p *Provider) writeMarker(ctx context.Context, zone providers.Zone, name, typ, marker string, ttl int32) error {
	if err := providers.CheckMarker(marker); err != nil {
		return err
	}
	body := rrsetJSON{TTL: int(ttl), Values: []string{providers.QuoteTXT(marker)}}
	_, err := p.api.Do(ctx, "write the ownership marker of "+name, http.MethodPut, p.setPath(zone, providers.CompanionName(name, typ), "TXT"), nil, body, nil)
	return writeError(err, zone)
}

// listType reads every set of type typ in zone, every page.
func (p *Provider) listType(ctx context.Context, zone providers.Zone, typ string) ([]providers.RecordSet, error) {
	var out []providers.RecordSet
	q := url.Values{"rrset_type": {typ}}
	err := p.pages(ctx, fmt.Sprintf("list %s records in zone %s", typ, zone.Name), providers.PathEscape("domains", zone.Name, "records"), q, func(body []byte) ([]string, error) {
		var page []rrsetJSON
		if err := decode(body, &page); err != nil {
			return nil, err
		}
		ids := make([]string, 0, len(page))
		for _, s := range page {
			if !strings.EqualFold(s.Type, typ) {
				continue
			}
			set := providers.RecordSet{Name: providers.AbsoluteName(s.Name, zone.Name), Type: typ, TTL: int32(s.TTL)}
			for _, v := range s.Values {
				set.Values = append(set.Values, providers.SetValue{Value: v})
			}
			out = append(out, set)
			ids = append(ids, set.Name+"/"+typ)
		}
		return ids, nil
	})
	if err != nil {
		return nil, zoneError(err, zone.Name)
	}
	return out, nil
}

// pages walks a list endpoint page by page (page, per_page), reading the
// Total-Count header Gandi sends with every list; without it, a short page
// is the last.
func (p *Provider) pages(ctx context.Context, op, path string, q url.Values, each func(body []byte) ([]string, error)) error {
	guard := providers.NewPageGuard(op)
	seen := 0
	for page := 1; ; page++ {
		pq := url.Values{"page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(pageSize)}}
		for k, v := range q {
			pq[k] = v
		}
		a, err := p.api.Do(ctx, op, http.MethodGet, path, pq, nil, nil)
		if err != nil {
			return err
		}
		ids, err := each(a.Body)
		if err != nil {
			return providers.Transient(op, err)
		}
		if len(ids) == 0 {
			return nil
		}
		if err := guard.Page(ids); err != nil {
			return err
		}
		seen += len(ids)
		total, err := strconv.Atoi(a.Header.Get("Total-Count"))
		if err != nil {
			if len(ids) < pageSize {
				return nil
			}
			continue
		}
		if seen >= total {
			return nil
		}
	}
}

// setPath is the path of the set named name (absolute) of type typ.
func (p *Provider) setPath(zone providers.Zone, name, typ string) string {
	return providers.PathEscape("domains", zone.Name, "records", providers.RelativeName(name, zone.Name), typ)
}

// withMarker gives every value of s the marker.
func withMarker(s providers.RecordSet, marker string) providers.RecordSet {
	for i := range s.Values {
		s.Values[i].Marker = marker
	}
	return s
}

// normalise canonicalises r's name and value and checks they fit.
func normalise(r providers.Record) (providers.Record, error) {
	r.Name = providers.CanonicalName(r.Name)
	addr, err := netip.ParseAddr(r.Value)
	if err != nil || (r.Type == "A") != addr.Unmap().Is4() || (r.Type != "A" && r.Type != "AAAA") {
		return r, providers.Errorf(providers.KindInvalid, "", "value %q does not fit record type %q", r.Value, r.Type)
	}
	r.Value = addr.Unmap().String()
	return r, nil
}

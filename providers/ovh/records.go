package ovh

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

// recordJSON is a zone record (GET /domain/zone/{zone}/record/{id}):
// subDomain is relative to the zone, "" for its apex; ttl 0 is the zone's
// default.
type recordJSON struct {
	ID        int64  `json:"id,omitempty"`
	Zone      string `json:"zone,omitempty"`
	SubDomain string `json:"subDomain"`
	FieldType string `json:"fieldType,omitempty"`
	Target    string `json:"target"`
	TTL       int    `json:"ttl"`
}

// FindZone returns the zone that holds fqdn: with hint, that zone (GET
// /domain/zone/{zone}); otherwise the longest suffix among GET /domain/zone,
// which lists every zone of the account in one answer.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	fqdn = providers.CanonicalName(fqdn)
	if hint != "" {
		hint = providers.CanonicalName(hint)
		if fqdn != hint && !strings.HasSuffix(fqdn, "."+hint) {
			return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "zone %q does not hold %q", hint, fqdn)
		}
		var z struct {
			Name string `json:"name"`
		}
		if err := p.api.GetWithContext(ctx, "/domain/zone/"+url.PathEscape(hint), &z); err != nil {
			return providers.Zone{}, zoneError(mapError("find zone "+hint, err), hint)
		}
		return providers.Zone{ID: hint, Name: hint}, nil
	}
	var names []string
	if err := p.api.GetWithContext(ctx, "/domain/zone", &names); err != nil {
		return providers.Zone{}, mapError("list zones", err)
	}
	if names == nil {
		// go-ovh takes an empty body for success; "[]" is no zones.
		return providers.Zone{}, providers.Undecodable("list zones", http.StatusOK)
	}
	zones := make([]providers.Zone, 0, len(names))
	for _, n := range names {
		n = providers.CanonicalName(n)
		zones = append(zones, providers.Zone{ID: n, Name: n})
	}
	z, ok := providers.LongestSuffixZone(fqdn, zones)
	if !ok {
		return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "no DNS zone of the OVHcloud account holds %q (%d zones)", fqdn, len(zones))
	}
	return z, nil
}

// ListRecords reads the records named name of type typ: the IDs (GET
// .../record?fieldType&subDomain), then each record, then the companion's.
// A refresh still owed for the zone is made first.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	if err := p.refreshIfStale(ctx, zone); err != nil {
		return nil, err
	}
	name = providers.CanonicalName(name)
	recs, err := p.read(ctx, zone, typ, name)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	marker, err := p.readMarker(ctx, zone, name, typ)
	if err != nil {
		return nil, err
	}
	out := make([]providers.Record, 0, len(recs))
	for _, r := range recs {
		rec := toRecord(zone, r, marker)
		if rec.TTL == 0 {
			if rec.TTL, err = p.zoneTTL(ctx, zone); err != nil {
				return nil, err
			}
		}
		out = append(out, rec)
	}
	return out, nil
}

// zoneTTL is the TTL of a record whose ttl is 0: its zone's default, from
// the zone's SOA settings (GET /domain/zone/{zone}/soa), read once.
func (p *Provider) zoneTTL(ctx context.Context, zone providers.Zone) (int32, error) {
	if ttl, ok := p.defaultTTL.Load(zone.Name); ok {
		return ttl.(int32), nil
	}
	var soa struct {
		TTL int `json:"ttl"`
	}
	if err := p.api.GetWithContext(ctx, p.path(zone, "soa"), &soa); err != nil {
		return 0, zoneError(mapError("read the default TTL of zone "+zone.Name, err), zone.Name)
	}
	if soa.TTL <= 0 {
		return 0, providers.Errorf(providers.KindTransient, "", "read the default TTL of zone %s: the answer holds none", zone.Name)
	}
	p.defaultTTL.Store(zone.Name, int32(soa.TTL))
	return int32(soa.TTL), nil
}

// CreateRecord writes r.Marker to the companion, creates r (POST
// .../record) and refreshes the zone.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r, err := normalise(r)
	if err != nil {
		return r, err
	}
	op := fmt.Sprintf("create %s %s in zone %s", r.Name, r.Type, zone.Name)
	p.stale.Store(zone.Name, true)
	// The marker first: should the answer to the record's write be lost,
	// the next check finds the record already marked, and writes nothing.
	if r.Marker != "" {
		if err := p.writeMarker(ctx, zone, r.Name, r.Type, r.Marker, r.TTL); err != nil {
			return r, err
		}
	}
	in := recordJSON{FieldType: r.Type, SubDomain: subDomain(r.Name, zone), Target: r.Value, TTL: int(r.TTL)}
	var out recordJSON
	if err := p.api.PostWithContext(ctx, p.path(zone, "record"), in, &out); err != nil {
		return r, zoneError(mapError(op, err), zone.Name)
	}
	if out.ID == 0 {
		return r, providers.Errorf(providers.KindTransient, "", "%s: the answer holds no record ID", op)
	}
	return toRecord(zone, out, r.Marker), p.refresh(ctx, zone)
}

// UpdateRecord writes a non-empty r.Marker to the companion when it
// differs, changes the record's target and (when set) TTL with a PUT of
// those fields alone, and refreshes the zone.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	id, err := recordID(r.ID)
	if err != nil {
		return r, err
	}
	if r, err = normalise(r); err != nil {
		return r, err
	}
	in := map[string]any{"target": r.Value}
	if r.TTL > 0 {
		in["ttl"] = r.TTL
	}
	p.stale.Store(zone.Name, true)
	if r.Marker != "" { // first, as CreateRecord says
		if err := p.writeMarker(ctx, zone, r.Name, r.Type, r.Marker, r.TTL); err != nil {
			return r, err
		}
	}
	op := fmt.Sprintf("update %s %s in zone %s", r.Name, r.Type, zone.Name)
	if err := p.api.PutWithContext(ctx, p.path(zone, "record", strconv.FormatInt(id, 10)), in, nil); err != nil {
		return r, mapError(op, err) // 404: the record is gone; the next check reads again
	}
	return r, p.refresh(ctx, zone)
}

// DeleteRecord deletes the record (one already gone is no error) and,
// when it was the last of its name and type, the companion; then it
// refreshes the zone.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	id, err := recordID(r.ID)
	if err != nil {
		return err
	}
	name := providers.CanonicalName(r.Name)
	p.stale.Store(zone.Name, true)
	if err := p.delete(ctx, zone, id, fmt.Sprintf("delete %s %s in zone %s", name, r.Type, zone.Name)); err != nil {
		return err
	}
	if name != "" && r.Type != "" {
		left, err := p.ids(ctx, zone, r.Type, name)
		if err != nil {
			return err
		}
		if len(left) == 0 {
			txts, err := p.ids(ctx, zone, "TXT", providers.CompanionName(name, r.Type))
			if err != nil {
				return err
			}
			for _, t := range txts {
				if err := p.delete(ctx, zone, t, "delete the ownership marker of "+name); err != nil {
					return err
				}
			}
		}
	}
	return p.refresh(ctx, zone)
}

// refresh publishes the zone's changes (POST /domain/zone/{zone}/refresh)
// and clears its debt.
func (p *Provider) refresh(ctx context.Context, zone providers.Zone) error {
	if err := p.api.PostWithContext(ctx, p.path(zone, "refresh"), nil, nil); err != nil {
		return mapError("refresh zone "+zone.Name+" (the change is saved and is published at the next refresh)", err)
	}
	p.stale.Delete(zone.Name)
	return nil
}

// refreshIfStale refreshes a zone whose last refresh failed.
func (p *Provider) refreshIfStale(ctx context.Context, zone providers.Zone) error {
	if _, stale := p.stale.Load(zone.Name); !stale {
		return nil
	}
	return p.refresh(ctx, zone)
}

// writeMarker makes the companion of name and type hold marker: nothing
// when it does, a PUT of the first companion record otherwise (a POST
// when there is none), extra companions deleted.
func (p *Provider) writeMarker(ctx context.Context, zone providers.Zone, name, typ, marker string, ttl int32) error {
	if err := providers.CheckMarker(marker); err != nil {
		return err
	}
	companion := providers.CompanionName(name, typ)
	txts, err := p.read(ctx, zone, "TXT", companion)
	if err != nil {
		return err
	}
	op := "write the ownership marker of " + providers.CanonicalName(name)
	if len(txts) == 0 {
		in := recordJSON{FieldType: "TXT", SubDomain: subDomain(companion, zone), Target: marker, TTL: int(ttl)}
		return zoneError(mapError(op, p.api.PostWithContext(ctx, p.path(zone, "record"), in, nil)), zone.Name)
	}
	if providers.UnquoteTXT(txts[0].Target) != marker {
		if err := p.api.PutWithContext(ctx, p.path(zone, "record", strconv.FormatInt(txts[0].ID, 10)), map[string]any{"target": marker}, nil); err != nil {
			return mapError(op, err)
		}
	}
	for _, extra := range txts[1:] {
		if err := p.delete(ctx, zone, extra.ID, op); err != nil {
			return err
		}
	}
	return nil
}

// readMarker reads the companion of name and type ("" when none).
func (p *Provider) readMarker(ctx context.Context, zone providers.Zone, name, typ string) (string, error) {
	txts, err := p.read(ctx, zone, "TXT", providers.CompanionName(name, typ))
	if err != nil {
		return "", err
	}
	values := make([]string, 0, len(txts))
	for _, t := range txts {
		values = append(values, t.Target)
	}
	return providers.CompanionMarker(values), nil
}

// read lists the IDs of the records named fqdn of type typ and reads
// each; a record deleted between the two is skipped.
func (p *Provider) read(ctx context.Context, zone providers.Zone, typ, fqdn string) ([]recordJSON, error) {
	ids, err := p.ids(ctx, zone, typ, fqdn)
	if err != nil {
		return nil, err
	}
	out := make([]recordJSON, 0, len(ids))
	for _, id := range ids {
		var r recordJSON
		err := p.api.GetWithContext(ctx, p.path(zone, "record", strconv.FormatInt(id, 10)), &r)
		switch e := mapError(fmt.Sprintf("read record %d in zone %s", id, zone.Name), err); {
		case providers.KindOf(e) == providers.KindNotFound:
			continue
		case e != nil:
			return nil, e
		}
		if r.ID != id || !strings.EqualFold(r.FieldType, typ) || absolute(r.SubDomain, zone) != fqdn {
			continue // the API filters; the provider does not rely on it
		}
		out = append(out, r)
	}
	return out, nil
}

// maxIDs bounds the records of one name and type the provider reads, one
// request each. The API does not paginate, so a longer list is a
// misbehaving answer, not a name anyone keeps that many records at.
const maxIDs = 1000

// ids lists the IDs of the records named fqdn of type typ.
func (p *Provider) ids(ctx context.Context, zone providers.Zone, typ, fqdn string) ([]int64, error) {
	q := url.Values{"fieldType": {typ}, "subDomain": {subDomain(fqdn, zone)}}
	var ids []int64
	if err := p.api.GetWithContext(ctx, p.path(zone, "record")+"?"+q.Encode(), &ids); err != nil {
		return nil, zoneError(mapError(fmt.Sprintf("list %s records of %s in zone %s", typ, fqdn, zone.Name), err), zone.Name)
	}
	if ids == nil {
		return nil, providers.Errorf(providers.KindTransient, "", "list %s records of %s in zone %s: the answer is not a list", typ, fqdn, zone.Name)
	}
	if len(ids) > maxIDs {
		return nil, providers.Errorf(providers.KindTransient, "", "list %s records of %s in zone %s: the API lists %d records for one name; reading at most %d", typ, fqdn, zone.Name, len(ids), maxIDs)
	}
	return ids, nil
}

// delete deletes one record by ID; one already gone is no error.
func (p *Provider) delete(ctx context.Context, zone providers.Zone, id int64, op string) error {
	err := mapError(op, p.api.DeleteWithContext(ctx, p.path(zone, "record", strconv.FormatInt(id, 10)), nil))
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// path is /domain/zone/{zone}/{rest...}.
func (p *Provider) path(zone providers.Zone, rest ...string) string {
	return providers.PathEscape(append([]string{"domain", "zone", zone.Name}, rest...)...)
}

// subDomain is fqdn relative to zone as OVHcloud writes it: "" for the
// apex.
func subDomain(fqdn string, zone providers.Zone) string {
	if rel := providers.RelativeName(fqdn, zone.Name); rel != "@" {
		return rel
	}
	return ""
}

// absolute is the inverse of subDomain.
func absolute(sub string, zone providers.Zone) string { return providers.AbsoluteName(sub, zone.Name) }

func toRecord(zone providers.Zone, r recordJSON, marker string) providers.Record {
	return providers.Record{ID: strconv.FormatInt(r.ID, 10), Name: absolute(r.SubDomain, zone), Type: strings.ToUpper(r.FieldType),
		Value: r.Target, TTL: int32(r.TTL), Marker: marker}
}

// recordID parses a record ID: OVHcloud's are integers.
func recordID(id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return 0, providers.Errorf(providers.KindInvalid, "", "record ID %q is not an OVHcloud record ID", id)
	}
	return n, nil
}

// normalise canonicalises r's name and value and checks they fit.
func normalise(r providers.Record) (providers.Record, error) {
	r.Name = providers.CanonicalName(r.Name)
	addr, err := netip.ParseAddr(r.Value)
	if err != nil || (r.Type != "A" && r.Type != "AAAA") || (r.Type == "A") != addr.Unmap().Is4() {
		return r, providers.Errorf(providers.KindInvalid, "", "value %q does not fit record type %q", r.Value, r.Type)
	}
	r.Value = addr.Unmap().String()
	return r, nil
}

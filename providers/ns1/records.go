package ns1

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
	"github.com/ddns-operator/ddns-operator/providers/internal/rrset"
	"github.com/ddns-operator/ddns-operator/providers/internal/value"
	"github.com/ddns-operator/ddns-operator/providers/internal/zonepick"
)

// recordJSON is a record as the API shows and takes it. Answers are kept
// as decoded, so what the provider does not manage (regions, feeds, an
// answer's own meta) is sent back unchanged.
type recordJSON struct {
	Zone    string   `json:"zone,omitempty"`
	Domain  string   `json:"domain,omitempty"`
	Type    string   `json:"type,omitempty"`
	TTL     int32    `json:"ttl,omitempty"`
	Answers []answer `json:"answers"`
}

// answer is one answer of a record: {"answer": [rdata...], "meta": {...},
// "id", "region", ...}.
type answer map[string]any

// value is the address the answer holds.
func (a answer) value() string {
	parts, _ := a["answer"].([]any)
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		out = append(out, fmt.Sprint(p))
	}
	return value.Canonical(strings.Join(out, " "))
}

// note is the answer's meta note, the ownership marker.
func (a answer) note() string {
	meta, _ := a["meta"].(map[string]any)
	n, _ := meta["note"].(string)
	return n
}

// with returns a copy of a holding v and, when marker is set, noting it.
func (a answer) with(v, marker string) answer {
	out := answer{}
	for k, x := range a {
		out[k] = x
	}
	out["answer"] = []any{v}
	if marker != "" {
		meta := map[string]any{}
		if old, ok := a["meta"].(map[string]any); ok {
			for k, x := range old {
				meta[k] = x
			}
		}
		meta["note"] = marker
		out["meta"] = meta
	}
	return out
}

// FindZone returns the zone that holds fqdn: the zone named hint when
// hint is set, else the longest suffix of fqdn among the key's zones (GET
// /zones, every page its Link header announces).
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	var zones []providers.Zone
	guard := providers.NewPageGuard("ns1: list zones")
	for path := "/zones"; path != ""; {
		resp, err := p.api.Send(ctx, "list zones", http.MethodGet, path, nil, nil)
		if err != nil {
			return providers.Zone{}, err
		}
		var page []struct {
			Zone string `json:"zone"`
		}
		if err := jsonapi.Decode(resp, &page, "ns1 list zones"); err != nil {
			return providers.Zone{}, err
		}
		ids := make([]string, 0, len(page))
		for _, z := range page {
			name := providers.CanonicalName(z.Zone)
			zones, ids = append(zones, providers.Zone{ID: name, Name: name}), append(ids, name)
		}
		if path = p.nextPath(jsonapi.NextLink(resp.Header)); path == "" || len(page) == 0 {
			break
		}
		if err := guard.Page(ids); err != nil {
			return providers.Zone{}, err
		}
	}
	return zonepick.Pick("ns1", fqdn, hint, zones)
}

// nextPath is the path and query of a next-page link, relative to the
// API's base; "" for none or a link elsewhere.
func (p *Provider) nextPath(link string) string {
	if link == "" {
		return ""
	}
	if i := strings.Index(link, "/v1/"); i >= 0 {
		return link[i+len("/v1"):]
	}
	return ""
}

// ListRecords returns the answers of the record of name and type; none
// when it does not exist.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	rec, found, err := p.get(ctx, zone, name, typ)
	if err != nil || !found {
		return []providers.Record{}, err
	}
	out := make([]providers.Record, 0, len(rec.Answers))
	for _, a := range rec.Answers {
		out = append(out, providers.Record{Name: providers.CanonicalName(name), Type: strings.ToUpper(typ), Value: a.value(), TTL: rec.TTL, Marker: a.note()})
	}
	rrset.Assign(out)
	return out, nil
}

// get reads the record of name and type; found is false when it does not
// exist.
func (p *Provider) get(ctx context.Context, zone providers.Zone, name, typ string) (recordJSON, bool, error) {
	var rec recordJSON
	err := p.api.Call(ctx, "get record", http.MethodGet, recordPath(zone.Name, name, typ), nil, nil, &rec)
	if providers.KindOf(err) == providers.KindNotFound {
		return recordJSON{}, false, nil
	}
	return rec, err == nil, err
}

// CreateRecord adds r's value to the record of its name and type: a new
// record (PUT) when there is none, else one more answer (POST), the TTL
// set to r's when r has one (the zone's default for a new record without).
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r.Name, r.Type, r.Value = providers.CanonicalName(r.Name), strings.ToUpper(r.Type), value.Canonical(r.Value)
	rec, found, err := p.get(ctx, zone, r.Name, r.Type)
	if err != nil {
		return providers.Record{}, err
	}
	rec.Answers = append(rec.Answers, answer{}.with(r.Value, r.Marker))
	body := recordJSON{Answers: rec.Answers, TTL: r.TTL}
	method, op := http.MethodPost, "update record"
	if !found {
		method, op = http.MethodPut, "create record"
		body.Zone, body.Domain, body.Type = zone.Name, r.Name, r.Type
	}
	var out recordJSON
	if err := p.api.Call(ctx, op, method, recordPath(zone.Name, r.Name, r.Type), nil, body, &out); err != nil {
		return providers.Record{}, err
	}
	r.TTL = out.TTL
	r.ID = rrset.ID(r.Name, r.Type, r.Value, len(rec.Answers) == 1)
	return r, nil
}

// UpdateRecord points the record r.ID at r.Value: for "name/type" the
// record keeps one answer (the first's settings), for "name/type/value"
// that answer changes and the others stay. A TTL of 0 keeps the record's,
// an empty marker the answer's note.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	key, err := rrset.Parse(r.ID)
	if err != nil {
		return providers.Record{}, err
	}
	rec, _, err := p.get(ctx, zone, key.Name, key.Type)
	if err != nil {
		return providers.Record{}, err
	}
	v := value.Canonical(r.Value)
	var marker string
	answers, found := rrset.Replace(rec.Answers, key, answer.value, func(a answer) answer {
		a = a.with(v, r.Marker)
		marker = a.note()
		return a
	})
	if !found {
		return providers.Record{}, providers.Errorf(providers.KindNotFound, "", "ns1: record %s no longer exists", r.ID)
	}
	var out recordJSON
	if err := p.api.Call(ctx, "update record", http.MethodPost, recordPath(zone.Name, key.Name, key.Type), nil, recordJSON{Answers: answers, TTL: r.TTL}, &out); err != nil {
		return providers.Record{}, err
	}
	id := r.ID
	if key.Value != "" {
		id = rrset.ID(key.Name, key.Type, v, false)
	}
	return providers.Record{ID: id, Name: key.Name, Type: key.Type, Value: v, TTL: out.TTL, Marker: marker}, nil
}

// DeleteRecord removes the record r.ID: the whole record for "name/type"
// (DELETE), one answer for "name/type/value" (POST of the others, or
// DELETE when it was the last). What is already gone is not an error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	key, err := rrset.Parse(r.ID)
	if err != nil {
		return err
	}
	if key.Value != "" {
		rec, found, err := p.get(ctx, zone, key.Name, key.Type)
		if err != nil || !found {
			return err
		}
		rest, removed := rrset.Remove(rec.Answers, key, answer.value)
		if !removed {
			return nil
		}
		if len(rest) > 0 {
			return p.api.Call(ctx, "update record", http.MethodPost, recordPath(zone.Name, key.Name, key.Type), nil, recordJSON{Answers: rest}, nil)
		}
	}
	err = p.api.Call(ctx, "delete record", http.MethodDelete, recordPath(zone.Name, key.Name, key.Type), nil, nil, nil)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

package cloudflare

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

const (
	// recordsPerPage is the page size asked of GET /zones/{id}/dns_records
	// for one name (the API's default is 100; the fake may serve smaller
	// pages).
	recordsPerPage = 100
	// zoneRecordsPerPage is the page size asked when reading a whole zone.
	// The API documents per_page up to 5,000,000
	// (https://developers.cloudflare.com/api/resources/dns/subresources/records/methods/list/),
	// but a page must fit in providers.MaxResponseBody: a record's JSON,
	// with a 500-character comment, tags and settings, stays under 2 KiB,
	// so pages of MaxResponseBody/2048 records (8192) are never cut, and a
	// zone of tens of thousands of records is still a handful of requests.
	zoneRecordsPerPage = providers.MaxResponseBody / 2048
	// ttlAutomatic is Cloudflare's "automatic" TTL, used when the operator
	// asks for the provider's default (TTL 0).
	ttlAutomatic = 1
)

// ListRecords returns every record named name of type typ in zone, reading
// every page of GET /zones/{zone_id}/dns_records?name.exact=...&type=....
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	name = providers.CanonicalName(name)
	typ = strings.ToUpper(typ)
	q := url.Values{"name.exact": {name}, "type": {typ}}
	return p.listRecords(ctx, "list records", zone, q, recordsPerPage, func(r providers.Record) bool {
		// The filter is the server's; check it anyway so a record of
		// another name or type is never reported (and then changed).
		return r.Name == name && r.Type == typ
	})
}

// ListZoneRecords returns every record of type typ in zone, reading every
// page of GET /zones/{zone_id}/dns_records?type=..., with the fields
// ListRecords fills.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	typ = strings.ToUpper(typ)
	q := url.Values{"type": {typ}}
	return p.listRecords(ctx, "list zone records", zone, q, zoneRecordsPerPage, func(r providers.Record) bool { return r.Type == typ })
}

// listRecords reads every page of GET /zones/{zone_id}/dns_records (List
// DNS Records) with the filters in q, perPage records a page, and returns
// the records keep accepts, in the operator's form.
func (p *Provider) listRecords(ctx context.Context, op string, zone providers.Zone, q url.Values, perPage int, keep func(providers.Record) bool) ([]providers.Record, error) {
	var out []providers.Record
	err := walkPages(ctx, p, op, recordsPath(zone), q, perPage, func(r apiRecord) string { return r.ID }, func(r apiRecord) {
		if rec := fromAPI(r); keep(rec) {
			out = append(out, rec)
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// recordsPath is the path of zone's dns_records collection, and with id of
// one record in it.
func recordsPath(zone providers.Zone, id ...string) string {
	return providers.PathEscape(append([]string{"zones", zone.ID, "dns_records"}, id...)...)
}

// CreateRecord creates r (POST /zones/{zone_id}/dns_records). TTL 0 asks
// for Cloudflare's automatic TTL; proxied is the spec's, false when unset;
// the comment is r.Marker, or the spec's comment when r has no marker.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	f, err := p.createFields(r)
	if err != nil {
		return providers.Record{}, err
	}
	return p.writeRecord(ctx, "create record", http.MethodPost, recordsPath(zone), f.body())
}

// UpdateRecord changes the record's address, its TTL unless r.TTL is 0, the
// proxied flag only when the spec sets it, and the comment only when
// r.Marker (or the spec's comment) sets it. It uses PATCH
// (/zones/{zone_id}/dns_records/{id}), so everything else the user set at
// Cloudflare (proxied, comment, tags, settings) stays as it is.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	if r.ID == "" {
		return providers.Record{}, providers.Errorf(providers.KindInvalid, "", "update record: the record has no ID")
	}
	f, err := p.editFields(r)
	if err != nil {
		return providers.Record{}, err
	}
	return p.writeRecord(ctx, "update record", http.MethodPatch, recordsPath(zone, r.ID), f.body())
}

// writeRecord sends a create or an update and reads the record it answers.
func (p *Provider) writeRecord(ctx context.Context, op, method, path string, body recordBody) (providers.Record, error) {
	var res envelope[apiRecord]
	if err := p.call(ctx, op, method, path, nil, body, &res); err != nil {
		return providers.Record{}, err
	}
	if res.Result == nil {
		return providers.Record{}, errEmptyAnswer(op)
	}
	return fromAPI(*res.Result), nil
}

// DeleteRecord removes the record with r.ID; one already gone (81044, 404)
// is not an error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	if r.ID == "" {
		return providers.Errorf(providers.KindInvalid, "", "delete record: the record has no ID")
	}
	// The answer ({"result": {"id": ...}}) is decoded only to tell a
	// Cloudflare answer from a proxy's page.
	var res envelope[recordID]
	err := p.call(ctx, "delete record", http.MethodDelete, recordsPath(zone, r.ID), nil, nil, &res)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// fields are the body of one record write, whichever endpoint carries it
// (POST, PATCH, or an entry of a batch's posts or patches). A zero field
// is left out of the JSON, so a PATCH keeps what the record has.
type fields struct {
	aaaa    bool
	name    string
	content string
	ttl     int64
	proxied *bool
	comment string
}

// createFields are the fields of a new record: TTL 0 asks for Cloudflare's
// automatic TTL; proxied is the spec's, false when unset.
func (p *Provider) createFields(r providers.Record) (fields, error) {
	content, err := canonicalValue(r)
	if err != nil {
		return fields{}, err
	}
	ttl := int64(r.TTL)
	if r.TTL == 0 {
		ttl = ttlAutomatic
	}
	proxied := p.proxied != nil && *p.proxied
	return fields{
		aaaa:    strings.EqualFold(r.Type, "AAAA"),
		name:    providers.CanonicalName(r.Name),
		content: content,
		ttl:     ttl,
		proxied: &proxied,
		comment: p.commentFor(r),
	}, nil
}

// editFields are the fields an update sends: the address always; the TTL
// unless r.TTL is 0; proxied and the comment only when the spec or the
// marker sets them, so what the user set at Cloudflare stays.
func (p *Provider) editFields(r providers.Record) (fields, error) {
	content, err := canonicalValue(r)
	if err != nil {
		return fields{}, err
	}
	return fields{
		aaaa:    strings.EqualFold(r.Type, "AAAA"),
		content: content,
		ttl:     int64(r.TTL),
		proxied: p.proxied,
		comment: p.commentFor(r),
	}, nil
}

// commentFor is the comment a write of r stores: the ownership marker when
// the reconciler sets one, else the spec's comment, else none (the stored
// comment stays).
func (p *Provider) commentFor(r providers.Record) string {
	if r.Marker != "" {
		return r.Marker
	}
	return p.comment
}

// body is the JSON of the write: the record's type and address, and each
// other field only when set.
func (f fields) body() recordBody {
	b := recordBody{Type: "A", Content: f.content, Name: f.name, TTL: f.ttl, Proxied: f.proxied, Comment: f.comment}
	if f.aaaa {
		b.Type = "AAAA"
	}
	return b
}

// canonicalValue checks r's type and address agree and returns the address
// in canonical form.
func canonicalValue(r providers.Record) (string, error) {
	typ := strings.ToUpper(r.Type)
	if typ != "A" && typ != "AAAA" {
		return "", providers.Errorf(providers.KindInvalid, "", "record type %q is not A or AAAA", r.Type)
	}
	addr, err := netip.ParseAddr(r.Value)
	if err != nil || addr.Zone() != "" {
		return "", providers.Errorf(providers.KindInvalid, "", "%q is not an IP address", r.Value)
	}
	addr = addr.Unmap()
	if (typ == "A") != addr.Is4() {
		return "", providers.Errorf(providers.KindInvalid, "", "%s is not an address for an %s record", addr, typ)
	}
	return addr.String(), nil
}

// fromAPI converts a record of the API's answer to the operator's form.
func fromAPI(r apiRecord) providers.Record {
	value := r.Content
	if a, err := netip.ParseAddr(r.Content); err == nil {
		value = a.Unmap().String()
	}
	ttl := int32(r.TTL)
	if r.Proxied {
		// Cloudflare pins proxied records to the automatic TTL whatever is
		// asked; report it as fixed so the plan does not update forever.
		ttl = 0
	}
	return providers.Record{
		ID:     r.ID,
		Name:   providers.CanonicalName(r.Name),
		Type:   strings.ToUpper(r.Type),
		Value:  value,
		TTL:    ttl,
		Marker: r.Comment,
	}
}

// errEmptyAnswer is the error for a success answer without a result (a
// JSON null body, or a null or missing result).
func errEmptyAnswer(op string) error {
	return providers.Errorf(providers.KindTransient, "", "%s: the API's answer holds no result", op)
}

package cloudflare

import (
	"context"
	"net/netip"
	"strings"

	"github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/cloudflare/cloudflare-go/v6/packages/pagination"

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
	var q dns.RecordListParams
	set(&q.ZoneID.Value, &q.ZoneID.Present, zone.ID)
	set(&q.Name.Value.Exact.Value, &q.Name.Value.Exact.Present, name)
	q.Name.Present = true
	set(&q.Type.Value, &q.Type.Present, dns.RecordListParamsType(typ))
	return p.listRecords(ctx, "list records", q, recordsPerPage, func(r providers.Record) bool {
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
	var q dns.RecordListParams
	set(&q.ZoneID.Value, &q.ZoneID.Present, zone.ID)
	set(&q.Type.Value, &q.Type.Present, dns.RecordListParamsType(typ))
	return p.listRecords(ctx, "list zone records", q, zoneRecordsPerPage, func(r providers.Record) bool { return r.Type == typ })
}

// listRecords reads every page of GET /zones/{zone_id}/dns_records with the
// filters in q, perPage records a page, and returns the records keep
// accepts, in the operator's form.
func (p *Provider) listRecords(ctx context.Context, op string, q dns.RecordListParams, perPage int, keep func(providers.Record) bool) ([]providers.Record, error) {
	var out []providers.Record
	err := walkPages(p, op, func(page int) (*pagination.V4PagePaginationArray[dns.RecordResponse], error) {
		set(&q.Page.Value, &q.Page.Present, float64(page))
		set(&q.PerPage.Value, &q.PerPage.Present, float64(perPage))
		return p.records.List(ctx, q)
	}, func(r dns.RecordResponse) string { return r.ID }, func(r dns.RecordResponse) {
		if rec := fromSDK(r); keep(rec) {
			out = append(out, rec)
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CreateRecord creates r (POST /zones/{zone_id}/dns_records). TTL 0 asks
// for Cloudflare's automatic TTL; proxied is the spec's, false when unset;
// the comment is r.Marker, or the spec's comment when r has no marker.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	body, err := p.newBody(r)
	if err != nil {
		return providers.Record{}, err
	}
	params := dns.RecordNewParams{Body: body}
	set(&params.ZoneID.Value, &params.ZoneID.Present, zone.ID)
	res, err := p.records.New(ctx, params)
	if err != nil {
		return providers.Record{}, p.mapError("create record", err)
	}
	if res == nil {
		return providers.Record{}, errEmptyAnswer("create record")
	}
	return fromSDK(*res), nil
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
	body, err := p.editBody(r)
	if err != nil {
		return providers.Record{}, err
	}
	params := dns.RecordEditParams{Body: body}
	set(&params.ZoneID.Value, &params.ZoneID.Present, zone.ID)
	res, err := p.records.Edit(ctx, r.ID, params)
	if err != nil {
		return providers.Record{}, p.mapError("update record", err)
	}
	if res == nil {
		return providers.Record{}, errEmptyAnswer("update record")
	}
	return fromSDK(*res), nil
}

// DeleteRecord removes the record with r.ID; one already gone (81044, 404)
// is not an error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	if r.ID == "" {
		return providers.Errorf(providers.KindInvalid, "", "delete record: the record has no ID")
	}
	var params dns.RecordDeleteParams
	set(&params.ZoneID.Value, &params.ZoneID.Present, zone.ID)
	_, err := p.records.Delete(ctx, r.ID, params)
	if err == nil {
		return nil
	}
	mapped := p.mapError("delete record", err)
	if providers.KindOf(mapped) == providers.KindNotFound {
		return nil
	}
	return mapped
}

// newBody is the POST body for r.
func (p *Provider) newBody(r providers.Record) (dns.RecordNewParamsBodyUnion, error) {
	f, err := p.createFields(r)
	if err != nil {
		return nil, err
	}
	if f.aaaa {
		return f.aaaaParam(), nil
	}
	return f.aParam(), nil
}

// editBody is the PATCH body for r: only the fields the operator owns.
func (p *Provider) editBody(r providers.Record) (dns.RecordEditParamsBodyUnion, error) {
	f, err := p.editFields(r)
	if err != nil {
		return nil, err
	}
	if f.aaaa {
		return f.aaaaParam(), nil
	}
	return f.aParam(), nil
}

// fields are the body of one record write, whichever endpoint carries it
// (POST, PATCH, or an entry of a batch's posts or patches). A zero field
// is left out of the JSON, so a PATCH keeps what the record has.
type fields struct {
	aaaa    bool
	name    string
	content string
	ttl     dns.TTL
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
	ttl := dns.TTL(r.TTL)
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
		ttl:     dns.TTL(r.TTL),
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

func (f fields) aParam() dns.ARecordParam {
	var b dns.ARecordParam
	set(&b.Type.Value, &b.Type.Present, dns.ARecordTypeA)
	set(&b.Content.Value, &b.Content.Present, f.content)
	if f.name != "" {
		set(&b.Name.Value, &b.Name.Present, f.name)
	}
	if f.ttl != 0 {
		set(&b.TTL.Value, &b.TTL.Present, f.ttl)
	}
	if f.proxied != nil {
		set(&b.Proxied.Value, &b.Proxied.Present, *f.proxied)
	}
	if f.comment != "" {
		set(&b.Comment.Value, &b.Comment.Present, f.comment)
	}
	return b
}

func (f fields) aaaaParam() dns.AAAARecordParam {
	var b dns.AAAARecordParam
	set(&b.Type.Value, &b.Type.Present, dns.AAAARecordTypeAAAA)
	set(&b.Content.Value, &b.Content.Present, f.content)
	if f.name != "" {
		set(&b.Name.Value, &b.Name.Present, f.name)
	}
	if f.ttl != 0 {
		set(&b.TTL.Value, &b.TTL.Present, f.ttl)
	}
	if f.proxied != nil {
		set(&b.Proxied.Value, &b.Proxied.Present, *f.proxied)
	}
	if f.comment != "" {
		set(&b.Comment.Value, &b.Comment.Present, f.comment)
	}
	return b
}

// set fills one field of an SDK request, as the SDK's root helper
// cloudflare.F does: the value, marked present so it is sent. The field's
// type (param.Field) is in an internal package and F in the root package,
// which links every Cloudflare service into the binary; the field's own
// Value and Present are exported, so they are set here.
func set[T any](value *T, present *bool, v T) {
	*value, *present = v, true
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

// fromSDK converts the SDK's record to the operator's form.
func fromSDK(r dns.RecordResponse) providers.Record {
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
		Type:   strings.ToUpper(string(r.Type)),
		Value:  value,
		TTL:    ttl,
		Marker: r.Comment,
	}
}

// errEmptyAnswer is the error for a success answer without a result (a
// JSON null body), which the SDK returns as a nil result and no error.
func errEmptyAnswer(op string) error {
	return providers.Errorf(providers.KindTransient, "", "%s: the API's answer holds no result", op)
}

package cloudflare

import (
	"context"
	"net/netip"
	"strings"

	cf "github.com/cloudflare/cloudflare-go/v6"
	"github.com/cloudflare/cloudflare-go/v6/dns"

	"github.com/ddns-operator/ddns-operator/providers"
)

const (
	// recordsPerPage is the page size asked of GET /zones/{id}/dns_records
	// (the API's default is 100; the fake may serve smaller pages).
	recordsPerPage = 100
	// ttlAutomatic is Cloudflare's "automatic" TTL, used when the operator
	// asks for the provider's default (TTL 0).
	ttlAutomatic = 1
)

// ListRecords returns every record named name of type typ in zone, reading
// every page of GET /zones/{zone_id}/dns_records?name.exact=...&type=....
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	name = providers.CanonicalName(name)
	typ = strings.ToUpper(typ)
	var out []providers.Record
	guard := providers.NewPageGuard("list records")
	for page := 1; ; page++ {
		res, err := p.records.List(ctx, dns.RecordListParams{
			ZoneID:  cf.F(zone.ID),
			Name:    cf.F(dns.RecordListParamsName{Exact: cf.F(name)}),
			Type:    cf.F(dns.RecordListParamsType(typ)),
			Page:    cf.F(float64(page)),
			PerPage: cf.F(float64(recordsPerPage)),
		})
		if err != nil {
			return nil, p.mapError("list records", err)
		}
		if res == nil {
			return nil, errEmptyAnswer("list records")
		}
		for _, r := range res.Result {
			rec := fromSDK(r)
			// The filter is the server's; check it anyway so a record of
			// another name or type is never reported (and then changed).
			if rec.Name == name && rec.Type == typ {
				out = append(out, rec)
			}
		}
		if !morePages(res, page) {
			return out, nil
		}
		ids := make([]string, 0, len(res.Result))
		for _, r := range res.Result {
			ids = append(ids, r.ID)
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

// CreateRecord creates r (POST /zones/{zone_id}/dns_records). TTL 0 asks
// for Cloudflare's automatic TTL; proxied is the spec's, false when unset.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	body, err := p.newBody(r)
	if err != nil {
		return providers.Record{}, err
	}
	res, err := p.records.New(ctx, dns.RecordNewParams{ZoneID: cf.F(zone.ID), Body: body})
	if err != nil {
		return providers.Record{}, p.mapError("create record", err)
	}
	if res == nil {
		return providers.Record{}, errEmptyAnswer("create record")
	}
	return fromSDK(*res), nil
}

// UpdateRecord changes the record's address, its TTL unless r.TTL is 0, and
// the proxied flag and comment only when the spec sets them. It uses PATCH
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
	res, err := p.records.Edit(ctx, r.ID, dns.RecordEditParams{ZoneID: cf.F(zone.ID), Body: body})
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
	_, err := p.records.Delete(ctx, r.ID, dns.RecordDeleteParams{ZoneID: cf.F(zone.ID)})
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
	content, err := canonicalValue(r)
	if err != nil {
		return nil, err
	}
	ttl := dns.TTL(r.TTL)
	if r.TTL == 0 {
		ttl = ttlAutomatic
	}
	proxied := p.proxied != nil && *p.proxied
	name := providers.CanonicalName(r.Name)
	switch strings.ToUpper(r.Type) {
	case "A":
		b := dns.ARecordParam{Name: cf.F(name), Type: cf.F(dns.ARecordTypeA), Content: cf.F(content), TTL: cf.F(ttl), Proxied: cf.F(proxied)}
		if p.comment != "" {
			b.Comment = cf.F(p.comment)
		}
		return b, nil
	default:
		b := dns.AAAARecordParam{Name: cf.F(name), Type: cf.F(dns.AAAARecordTypeAAAA), Content: cf.F(content), TTL: cf.F(ttl), Proxied: cf.F(proxied)}
		if p.comment != "" {
			b.Comment = cf.F(p.comment)
		}
		return b, nil
	}
}

// editBody is the PATCH body for r: only the fields the operator owns.
func (p *Provider) editBody(r providers.Record) (dns.RecordEditParamsBodyUnion, error) {
	content, err := canonicalValue(r)
	if err != nil {
		return nil, err
	}
	switch strings.ToUpper(r.Type) {
	case "A":
		b := dns.ARecordParam{Type: cf.F(dns.ARecordTypeA), Content: cf.F(content)}
		if r.TTL != 0 {
			b.TTL = cf.F(dns.TTL(r.TTL))
		}
		if p.proxied != nil {
			b.Proxied = cf.F(*p.proxied)
		}
		if p.comment != "" {
			b.Comment = cf.F(p.comment)
		}
		return b, nil
	default:
		b := dns.AAAARecordParam{Type: cf.F(dns.AAAARecordTypeAAAA), Content: cf.F(content)}
		if r.TTL != 0 {
			b.TTL = cf.F(dns.TTL(r.TTL))
		}
		if p.proxied != nil {
			b.Proxied = cf.F(*p.proxied)
		}
		if p.comment != "" {
			b.Comment = cf.F(p.comment)
		}
		return b, nil
	}
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
		ID:    r.ID,
		Name:  providers.CanonicalName(r.Name),
		Type:  strings.ToUpper(string(r.Type)),
		Value: value,
		TTL:   ttl,
	}
}

// errEmptyAnswer is the error for a success answer without a result (a
// JSON null body), which the SDK returns as a nil result and no error.
func errEmptyAnswer(op string) error {
	return providers.Errorf(providers.KindTransient, "", "%s: the API's answer holds no result", op)
}

package alidns

import (
	"context"
	"strings"

	alidns "github.com/alibabacloud-go/alidns-20150109/v4/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/ddns-operator/ddns-operator/providers"
)

// zonePageSize is the page size ListZoneRecords asks for: DescribeDomainRecords'
// documented maximum ("PageSize: 1 to 500",
// https://www.alibabacloud.com/help/en/dns/api-alidns-2015-01-09-describedomainrecords).
const zonePageSize = 500

// listed is one record as a list action answers it, whichever the action.
type listed struct {
	id, rr, typ, value, line, remark string
	ttl                              int64
}

// record converts l to a providers.Record of zone.
func (l listed) record(zone string) providers.Record {
	return providers.Record{
		ID:     l.id,
		Name:   providers.AbsoluteName(l.rr, zone),
		Type:   strings.ToUpper(l.typ),
		Value:  canonicalValue(l.value),
		TTL:    int32(l.ttl),
		Marker: l.remark,
	}
}

// keeps reports whether l is of type typ on the provider's line. The
// service filters already; checking again keeps a record of another type
// or line out whatever it answers.
func (p *Provider) keeps(l listed, typ string) bool {
	return l.id != "" && strings.EqualFold(l.typ, typ) && l.line == p.line
}

// readPage reads page n of a listing: its records (a missing record as the
// zero listed) and the answer's TotalCount.
type readPage func(n int64) (page []listed, total int64, err error)

// readPages reads pages 1, 2, ... until TotalCount records were read or a
// page comes back empty, and stops a listing that never ends
// (providers.PageGuard).
func readPages(op string, read readPage) ([]listed, error) {
	var out []listed
	guard := providers.NewPageGuard(op)
	for n := int64(1); ; n++ {
		page, total, err := read(n)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) == 0 || int64(len(out)) >= total {
			return out, nil
		}
		ids := make([]string, len(page))
		for i, l := range page {
			ids[i] = l.id
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

// ListRecords returns every record named name of type typ on the provider's
// line, reading every page. DescribeSubDomainRecords is used rather than
// DescribeDomainRecords: it matches the subdomain exactly and filters by
// type and line at the service, where RRKeyWord is a fuzzy "%kw%" search
// that returns x.home for home and makes every page longer.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	const op = "alidns: list records"
	zoneName := providers.CanonicalName(zone.Name)
	fqdn := providers.CanonicalName(name)
	rr := providers.RelativeName(fqdn, zoneName)
	all, err := readPages(op, func(n int64) ([]listed, int64, error) {
		req := &alidns.DescribeSubDomainRecordsRequest{
			DomainName: tea.String(zoneName),
			SubDomain:  tea.String(fqdn),
			Type:       tea.String(typ),
			Line:       tea.String(p.line),
			PageNumber: tea.Int64(n),
			PageSize:   tea.Int64(pageSize),
		}
		resp, err := call(ctx, p, op, false, func() (*alidns.DescribeSubDomainRecordsResponseBody, error) {
			return p.api.DescribeSubDomainRecords(req)
		})
		if err != nil {
			return nil, 0, err
		}
		var page []listed
		if resp.DomainRecords != nil {
			for _, r := range resp.DomainRecords.Record {
				page = append(page, fromSubDomain(r))
			}
		}
		return page, tea.Int64Value(resp.TotalCount), nil
	})
	if err != nil {
		return nil, err
	}
	var out []providers.Record
	for _, l := range all {
		if p.keeps(l, typ) && strings.EqualFold(l.rr, rr) {
			out = append(out, l.record(zoneName))
		}
	}
	return out, nil
}

// ListZoneRecords returns every record of type typ on the provider's line
// in zone, reading every page of DescribeDomainRecords at its largest page
// size. Type and Line are sent without KeyWord or SearchMode, so the
// service matches both exactly (the action's SearchMode rules); TypeKeyWord,
// also exact, would do as well.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	const op = "alidns: list zone records"
	zoneName := providers.CanonicalName(zone.Name)
	all, err := readPages(op, func(n int64) ([]listed, int64, error) {
		req := p.zoneListRequest(zoneName, typ, n)
		resp, err := call(ctx, p, op, false, func() (*alidns.DescribeDomainRecordsResponseBody, error) {
			return p.api.DescribeDomainRecords(req)
		})
		if err != nil {
			return nil, 0, err
		}
		var page []listed
		if resp.DomainRecords != nil {
			for _, r := range resp.DomainRecords.Record {
				page = append(page, fromDomain(r))
			}
		}
		return page, tea.Int64Value(resp.TotalCount), nil
	})
	if err != nil {
		return nil, err
	}
	var out []providers.Record
	for _, l := range all {
		if p.keeps(l, typ) {
			out = append(out, l.record(zoneName))
		}
	}
	return out, nil
}

// zoneListRequest is the DescribeDomainRecords request for page n of
// zone's records of type typ on the provider's line.
func (p *Provider) zoneListRequest(zone, typ string, n int64) *alidns.DescribeDomainRecordsRequest {
	return &alidns.DescribeDomainRecordsRequest{
		DomainName: tea.String(zone),
		Type:       tea.String(strings.ToUpper(typ)),
		Line:       tea.String(p.line),
		PageNumber: tea.Int64(n),
		PageSize:   tea.Int64(zonePageSize),
	}
}

// fromSubDomain reads a DescribeSubDomainRecords record.
func fromSubDomain(r *alidns.DescribeSubDomainRecordsResponseBodyDomainRecordsRecord) listed {
	if r == nil {
		return listed{}
	}
	return listed{
		id: tea.StringValue(r.RecordId), rr: tea.StringValue(r.RR), typ: tea.StringValue(r.Type),
		value: tea.StringValue(r.Value), line: tea.StringValue(r.Line), remark: tea.StringValue(r.Remark),
		ttl: tea.Int64Value(r.TTL),
	}
}

// fromDomain reads a DescribeDomainRecords record.
func fromDomain(r *alidns.DescribeDomainRecordsResponseBodyDomainRecordsRecord) listed {
	if r == nil {
		return listed{}
	}
	return listed{
		id: tea.StringValue(r.RecordId), rr: tea.StringValue(r.RR), typ: tea.StringValue(r.Type),
		value: tea.StringValue(r.Value), line: tea.StringValue(r.Line), remark: tea.StringValue(r.Remark),
		ttl: tea.Int64Value(r.TTL),
	}
}

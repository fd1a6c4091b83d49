package alidns

import (
	"context"
	"strconv"
	"strings"

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
		query := map[string]string{
			"DomainName": zoneName,
			"SubDomain":  fqdn,
			"Type":       typ,
			"Line":       p.line,
			"PageNumber": strconv.FormatInt(n, 10),
			"PageSize":   strconv.Itoa(pageSize),
		}
		return p.readRecords(ctx, op, "DescribeSubDomainRecords", query)
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
		return p.readRecords(ctx, op, "DescribeDomainRecords", p.zoneListQuery(zoneName, typ, n))
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

// readRecords reads one page of a list action (DescribeSubDomainRecords
// or DescribeDomainRecords, which answer in the same shape).
func (p *Provider) readRecords(ctx context.Context, op, action string, query map[string]string) ([]listed, int64, error) {
	resp, err := call[recordsAnswer](ctx, p, op, action, false, query)
	if err != nil {
		return nil, 0, err
	}
	var page []listed
	for _, r := range resp.DomainRecords.Record {
		page = append(page, fromJSON(r))
	}
	return page, resp.TotalCount, nil
}

// zoneListQuery is the DescribeDomainRecords query for page n of zone's
// records of type typ on the provider's line.
func (p *Provider) zoneListQuery(zone, typ string, n int64) map[string]string {
	return map[string]string{
		"DomainName": zone,
		"Type":       strings.ToUpper(typ),
		"Line":       p.line,
		"PageNumber": strconv.FormatInt(n, 10),
		"PageSize":   strconv.Itoa(zonePageSize),
	}
}

// fromJSON reads a listed record; a null entry is the zero listed.
func fromJSON(r *recordJSON) listed {
	if r == nil {
		return listed{}
	}
	return listed{id: r.RecordID, rr: r.RR, typ: r.Type, value: r.Value, line: r.Line, remark: r.Remark, ttl: r.TTL}
}

package alidns

import (
	"context"
	"net/netip"
	"strings"

	alidns "github.com/alibabacloud-go/alidns-20150109/v4/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/ddns-operator/ddns-operator/providers"
)

// defaultTTL is the TTL Alibaba Cloud DNS gives a record created without
// one (AddDomainRecord: "TTL, default 600").
const defaultTTL = 600

// ListRecords returns every record named name of type typ on the provider's
// line, reading every page. DescribeSubDomainRecords is used rather than
// DescribeDomainRecords: it matches the subdomain exactly and filters by
// type and line at the service, where RRKeyWord is a fuzzy "%kw%" search
// that returns x.home for home and makes every page longer.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	zoneName := providers.CanonicalName(zone.Name)
	fqdn := providers.CanonicalName(name)
	rr := providers.RelativeName(fqdn, zoneName)
	var out []providers.Record
	seen := 0
	guard := providers.NewPageGuard("alidns: list records")
	for page := int64(1); ; page++ {
		req := &alidns.DescribeSubDomainRecordsRequest{
			DomainName: tea.String(zoneName),
			SubDomain:  tea.String(fqdn),
			Type:       tea.String(typ),
			Line:       tea.String(p.line),
			PageNumber: tea.Int64(page),
			PageSize:   tea.Int64(pageSize),
		}
		resp, err := call(ctx, p, "alidns: list records", false, func() (*alidns.DescribeSubDomainRecordsResponseBody, error) {
			return p.api.DescribeSubDomainRecords(req)
		})
		if err != nil {
			return nil, err
		}
		var got []*alidns.DescribeSubDomainRecordsResponseBodyDomainRecordsRecord
		if resp.DomainRecords != nil {
			got = resp.DomainRecords.Record
		}
		for _, r := range got {
			if r == nil {
				continue
			}
			// The service filters already; checking again keeps a record
			// of another name, type or line out whatever it answers.
			if !strings.EqualFold(tea.StringValue(r.RR), rr) || !strings.EqualFold(tea.StringValue(r.Type), typ) || tea.StringValue(r.Line) != p.line {
				continue
			}
			out = append(out, providers.Record{
				ID:    tea.StringValue(r.RecordId),
				Name:  providers.AbsoluteName(tea.StringValue(r.RR), zoneName),
				Type:  strings.ToUpper(tea.StringValue(r.Type)),
				Value: canonicalValue(tea.StringValue(r.Value)),
				TTL:   int32(tea.Int64Value(r.TTL)),
			})
		}
		seen += len(got)
		if len(got) == 0 || int64(seen) >= tea.Int64Value(resp.TotalCount) {
			return out, nil
		}
		ids := make([]string, 0, len(got))
		for _, r := range got {
			id := ""
			if r != nil {
				id = tea.StringValue(r.RecordId)
			}
			ids = append(ids, id)
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

// CreateRecord adds r on the provider's line. TTL 0 leaves the TTL to the
// service (600 s). When an identical record already exists the service
// answers DomainRecordDuplicate; that record is returned instead.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	zoneName := providers.CanonicalName(zone.Name)
	r.Name = providers.CanonicalName(r.Name)
	r.Value = canonicalValue(r.Value)
	req := &alidns.AddDomainRecordRequest{
		DomainName: tea.String(zoneName),
		RR:         tea.String(providers.RelativeName(r.Name, zoneName)),
		Type:       tea.String(r.Type),
		Value:      tea.String(r.Value),
		Line:       tea.String(p.line),
	}
	if r.TTL > 0 {
		req.TTL = tea.Int64(int64(r.TTL))
	}
	resp, err := call(ctx, p, "alidns: create record", false, func() (*alidns.AddDomainRecordResponseBody, error) {
		return p.api.AddDomainRecord(req)
	})
	if err != nil {
		if isCode(err, codeDuplicate) {
			if existing, ok := p.findValue(ctx, zone, r); ok {
				return existing, nil
			}
		}
		return providers.Record{}, err
	}
	if r.TTL == 0 {
		r.TTL = defaultTTL
	}
	r.ID = tea.StringValue(resp.RecordId)
	if r.ID == "" {
		return providers.Record{}, providers.Errorf(providers.KindTransient, "", "alidns: create record: the answer holds no RecordId")
	}
	return r, nil
}

// findValue looks up the record of r's name and type holding r's value.
func (p *Provider) findValue(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, bool) {
	recs, err := p.ListRecords(ctx, zone, r.Name, r.Type)
	if err != nil {
		return providers.Record{}, false
	}
	for _, e := range recs {
		if e.Value == r.Value {
			return e, true
		}
	}
	return providers.Record{}, false
}

// UpdateRecord points the record with r.ID at r.Value with r.TTL (0 keeps
// the record's TTL). UpdateDomainRecord resets what it is not sent (TTL to
// 600, Line to default) and requires RR and Type, so the record is read
// first and its RR, Type, Line and TTL are sent back unchanged; its remark,
// status and weight are not part of the call and stay as they are.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	info, err := call(ctx, p, "alidns: read record", true, func() (*alidns.DescribeDomainRecordInfoResponseBody, error) {
		return p.api.DescribeDomainRecordInfo(&alidns.DescribeDomainRecordInfoRequest{RecordId: tea.String(r.ID)})
	})
	if err != nil {
		return providers.Record{}, err
	}
	zoneName := providers.CanonicalName(zone.Name)
	if d := tea.StringValue(info.DomainName); d != "" {
		zoneName = providers.CanonicalName(d)
	}
	cur := providers.Record{
		ID:    r.ID,
		Name:  providers.AbsoluteName(tea.StringValue(info.RR), zoneName),
		Type:  strings.ToUpper(tea.StringValue(info.Type)),
		Value: canonicalValue(tea.StringValue(info.Value)),
		TTL:   int32(tea.Int64Value(info.TTL)),
	}
	want := cur
	want.Value = canonicalValue(r.Value)
	if r.TTL > 0 {
		want.TTL = r.TTL
	}
	if want == cur {
		// The service refuses an update that changes nothing
		// (DomainRecordDuplicate); there is nothing to write.
		return cur, nil
	}
	req := &alidns.UpdateDomainRecordRequest{
		RecordId: tea.String(r.ID),
		RR:       info.RR,
		Type:     info.Type,
		Value:    tea.String(want.Value),
		TTL:      tea.Int64(int64(want.TTL)),
		Line:     info.Line,
	}
	if req.Line == nil || *req.Line == "" {
		req.Line = tea.String(p.line)
	}
	_, err = call(ctx, p, "alidns: update record", true, func() (*alidns.UpdateDomainRecordResponseBody, error) {
		return p.api.UpdateDomainRecord(req)
	})
	if err != nil {
		return providers.Record{}, err
	}
	return want, nil
}

// DeleteRecord removes the record with r.ID; a record already gone
// (DomainRecordNotBelongToUser) is not an error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	_, err := call(ctx, p, "alidns: delete record", true, func() (*alidns.DeleteDomainRecordResponseBody, error) {
		return p.api.DeleteDomainRecord(&alidns.DeleteDomainRecordRequest{RecordId: tea.String(r.ID)})
	})
	if err != nil && providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// canonicalValue returns an address in its canonical text form, and any
// other value unchanged.
func canonicalValue(v string) string {
	if a, err := netip.ParseAddr(strings.TrimSpace(v)); err == nil {
		return a.String()
	}
	return v
}

// isCode reports whether err is a provider error with the service's code.
func isCode(err error, code string) bool {
	pe, ok := err.(*providers.Error)
	return ok && pe.Code == code
}

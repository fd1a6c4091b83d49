package tencentcloud

import (
	"context"
	"net/netip"
	"strconv"
	"strings"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"

	"github.com/ddns-operator/ddns-operator/providers"
)

// ListRecords returns the records named name of type typ on the provider's
// line, reading every page.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	sub := providers.RelativeName(name, zone.Name)
	items, err := p.describe(ctx, "listing records", zone.Name, sub, typ, true)
	if err != nil {
		return nil, err
	}
	return p.recordsOnLine(items, zone.Name), nil
}

// ListZoneRecords returns every record of type typ on the provider's line
// in zone: DescribeRecordList without Subdomain, every page read.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	items, err := p.describe(ctx, "listing zone records", zone.Name, "", typ, true)
	if err != nil {
		return nil, err
	}
	return p.recordsOnLine(items, zone.Name), nil
}

// recordsOnLine converts the listed records that lie on the provider's
// line.
func (p *Provider) recordsOnLine(items []*recordItem, zone string) []providers.Record {
	out := []providers.Record{}
	for _, it := range items {
		if p.onLine(it) {
			out = append(out, recordOf(it, zone))
		}
	}
	return out
}

// CreateRecord creates r on the provider's line, with r.Marker as its
// remark when set; TTL 0 leaves the TTL to DNSPod (600 seconds).
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	const op = "creating record"
	if err := ctx.Err(); err != nil {
		return providers.Record{}, providers.Transient(op, err)
	}
	req := p.createRequest(zone, r)
	resp, err := call[createRecordResult](ctx, p.api, "CreateRecord", req)
	if err != nil {
		return providers.Record{}, ttlError(mapError(ctx, op, err), r.TTL)
	}
	if resp == nil || resp.RecordID == nil {
		return providers.Record{}, providers.Errorf(providers.KindTransient, "", "%s: the API returned no record ID", op)
	}
	out := providers.Record{
		ID: strconv.FormatUint(*resp.RecordID, 10), Name: providers.AbsoluteName(*req.SubDomain, zone.Name),
		Type: r.Type, Value: *req.Value, TTL: r.TTL, Marker: r.Marker,
	}
	if out.TTL == 0 {
		out.TTL = DefaultTTL
	}
	return out, nil
}

// createRequest builds the CreateRecord request for r on the provider's
// line (https://cloud.tencent.com/document/api/1427/56180): Remark carries
// the marker, TTL is left out for DNSPod's default.
func (p *Provider) createRequest(zone providers.Zone, r providers.Record) *createRecordParams {
	req := &createRecordParams{}
	req.Domain = common.StringPtr(zone.Name)
	req.SubDomain = common.StringPtr(providers.RelativeName(r.Name, zone.Name))
	req.RecordType = common.StringPtr(r.Type)
	req.Value = common.StringPtr(canonicalValue(r.Value))
	req.RecordLine = common.StringPtr(p.line)
	if p.lineID != "" {
		req.RecordLineID = common.StringPtr(p.lineID)
	}
	if r.TTL > 0 {
		req.TTL = common.Uint64Ptr(uint64(r.TTL))
	}
	if r.Marker != "" {
		req.Remark = common.StringPtr(r.Marker)
	}
	return req
}

// UpdateRecord changes the value and TTL (0 keeps the current one) of the
// record r.ID. ModifyRecord replaces the whole record — a parameter left
// out takes its default (weight cleared, status ENABLE, subdomain "@") — so
// the record is read first and its line, weight, MX, status and remark are
// sent back unchanged. A non-empty r.Marker replaces the remark.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	const op = "updating record"
	id, err := parseID(op, r.ID)
	if err != nil {
		return providers.Record{}, err
	}
	cur, err := p.current(ctx, zone, r, id)
	if err != nil {
		return providers.Record{}, err
	}
	req := &modifyRecordParams{}
	req.Domain = common.StringPtr(zone.Name)
	req.RecordID = common.Uint64Ptr(id)
	req.Value = common.StringPtr(canonicalValue(r.Value))
	if r.TTL > 0 {
		req.TTL = common.Uint64Ptr(uint64(r.TTL))
	}
	if cur != nil {
		req.SubDomain, req.RecordType = cur.Name, cur.Type
		req.RecordLine, req.RecordLineID = cur.Line, cur.LineID
		req.MX, req.Weight, req.Status = cur.MX, cur.Weight, cur.Status
		if cur.MX != nil && *cur.MX == 0 {
			req.MX = nil
		}
		if cur.Remark != nil && *cur.Remark != "" {
			req.Remark = cur.Remark
		}
		if req.TTL == nil {
			req.TTL = cur.TTL
		}
	} else {
		// Not listed yet (DNSPod indexes new records with a delay of up to
		// 30 seconds): send what the spec knows.
		req.SubDomain = common.StringPtr(providers.RelativeName(r.Name, zone.Name))
		req.RecordType = common.StringPtr(r.Type)
		req.RecordLine = common.StringPtr(p.line)
		if p.lineID != "" {
			req.RecordLineID = common.StringPtr(p.lineID)
		}
	}
	if req.RecordType == nil || *req.RecordType == "" {
		req.RecordType = common.StringPtr(r.Type)
	}
	if r.Marker != "" {
		req.Remark = common.StringPtr(r.Marker)
	}
	if _, err := call[noResult](ctx, p.api, "ModifyRecord", req); err != nil {
		return providers.Record{}, ttlError(mapError(ctx, op, err), r.TTL)
	}
	out := providers.Record{ID: r.ID, Name: providers.AbsoluteName(deref(req.SubDomain), zone.Name),
		Type: *req.RecordType, Value: *req.Value, TTL: r.TTL, Marker: deref(req.Remark)}
	if req.TTL != nil {
		out.TTL = int32(*req.TTL)
	}
	return out, nil
}

// current finds the record id by reading the name's records of any line;
// nil when the name is unknown or the list does not show it yet.
func (p *Provider) current(ctx context.Context, zone providers.Zone, r providers.Record, id uint64) (*recordItem, error) {
	if r.Name == "" {
		return nil, nil
	}
	items, err := p.describe(ctx, "reading record", zone.Name, providers.RelativeName(r.Name, zone.Name), r.Type, false)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if it.RecordID != nil && *it.RecordID == id {
			return it, nil
		}
	}
	return nil, nil
}

// DeleteRecord deletes the record r.ID; a record already gone is not an
// error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	const op = "deleting record"
	id, err := parseID(op, r.ID)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return providers.Transient(op, err)
	}
	req := &deleteRecordParams{Domain: common.StringPtr(zone.Name), RecordID: common.Uint64Ptr(id)}
	if _, err := call[noResult](ctx, p.api, "DeleteRecord", req); err != nil {
		err = mapError(ctx, op, err)
		if providers.KindOf(err) == providers.KindNotFound {
			return nil
		}
		return err
	}
	return nil
}

// describe reads every page of DescribeRecordList for sub (every name of
// the zone when empty) and typ, on the provider's line when onLine is set.
// Limit is the documented maximum, 3000, so a zone takes few requests;
// Offset walks the pages. No record at all is the error
// ResourceNotFound.NoDataOfRecord, which is an empty list here. The API
// matches Subdomain exactly; the result is checked again all the same.
func (p *Provider) describe(ctx context.Context, op, domain, sub, typ string, onLine bool) ([]*recordItem, error) {
	var out []*recordItem
	guard := providers.NewPageGuard(op)
	for offset := uint64(0); ; {
		if err := ctx.Err(); err != nil {
			return nil, providers.Transient(op, err)
		}
		resp, err := call[recordListResult](ctx, p.api, "DescribeRecordList", p.listRequest(domain, sub, typ, onLine, offset))
		if err != nil {
			err = mapError(ctx, op, err)
			if codeOf(err) == codeNoDataOfRecord {
				return out, nil
			}
			return nil, err
		}
		if resp == nil {
			return nil, providers.Errorf(providers.KindTransient, "", "%s: the API's response is empty", op)
		}
		page := resp.RecordList
		for _, it := range page {
			if it != nil && it.Name != nil && (sub == "" || strings.EqualFold(*it.Name, sub)) &&
				(typ == "" || (it.Type != nil && strings.EqualFold(*it.Type, typ))) {
				out = append(out, it)
			}
		}
		offset += uint64(len(page))
		total := int64(-1)
		if c := resp.RecordCountInfo; c != nil && c.TotalCount != nil {
			total = int64(*c.TotalCount)
		}
		if len(page) == 0 || (total >= 0 && int64(offset) >= total) || (total < 0 && len(page) < pageLimit) {
			return out, nil
		}
		ids := make([]string, 0, len(page))
		for _, it := range page {
			id := ""
			if it != nil && it.RecordID != nil {
				id = strconv.FormatUint(*it.RecordID, 10)
			}
			ids = append(ids, id)
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

// listRequest builds the DescribeRecordList request for one page
// (https://cloud.tencent.com/document/api/1427/56166): Subdomain and
// RecordType filter when set, RecordLineId (which wins) or RecordLine when
// onLine, Limit at its maximum.
func (p *Provider) listRequest(domain, sub, typ string, onLine bool, offset uint64) *describeRecordListParams {
	req := &describeRecordListParams{}
	req.Domain = common.StringPtr(domain)
	if sub != "" {
		req.Subdomain = common.StringPtr(sub)
	}
	if typ != "" {
		req.RecordType = common.StringPtr(typ)
	}
	if onLine && p.lineID != "" {
		req.RecordLineID = common.StringPtr(p.lineID)
	} else if onLine {
		req.RecordLine = common.StringPtr(p.line)
	}
	req.Offset = common.Uint64Ptr(offset)
	req.Limit = common.Uint64Ptr(pageLimit)
	return req
}

// onLine reports whether a listed record is on the provider's line.
func (p *Provider) onLine(it *recordItem) bool {
	if p.lineID != "" {
		return deref(it.LineID) == p.lineID
	}
	return deref(it.Line) == p.line
}

func recordOf(it *recordItem, zone string) providers.Record {
	r := providers.Record{
		Name:   providers.AbsoluteName(deref(it.Name), zone),
		Type:   strings.ToUpper(deref(it.Type)),
		Value:  canonicalValue(deref(it.Value)),
		Marker: deref(it.Remark),
	}
	if it.RecordID != nil {
		r.ID = strconv.FormatUint(*it.RecordID, 10)
	}
	if it.TTL != nil {
		r.TTL = int32(*it.TTL)
	}
	return r
}

// canonicalValue writes an address in its canonical text form.
func canonicalValue(v string) string {
	if a, err := netip.ParseAddr(strings.TrimSpace(v)); err == nil {
		return a.String()
	}
	return v
}

func parseID(op, id string) (uint64, error) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return 0, providers.Errorf(providers.KindInvalid, "", "%s: %q is not a DNSPod record ID", op, id)
	}
	return n, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

package alidns

import (
	"context"
	"errors"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// defaultTTL is the TTL Alibaba Cloud DNS gives a record created without
// one (AddDomainRecord: "TTL, default 600").
const defaultTTL = 600

// CreateRecord adds r on the provider's line. TTL 0 leaves the TTL to the
// service (600 s). AddDomainRecord takes no remark, so a non-empty
// r.Marker is stored with UpdateDomainRecordRemark afterwards; should that
// fail, the error is returned and the record stays without a remark, for
// the reconciler to find and mark on its next pass. When an identical
// record already exists the service answers DomainRecordDuplicate; that
// record is returned instead, given r.Marker when it has no remark (the
// record of an earlier create whose answer was lost).
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	zoneName := providers.CanonicalName(zone.Name)
	r.Name = providers.CanonicalName(r.Name)
	r.Value = canonicalValue(r.Value)
	query := map[string]string{
		"DomainName": zoneName,
		"RR":         providers.RelativeName(r.Name, zoneName),
		"Type":       r.Type,
		"Value":      r.Value,
		"Line":       p.line,
	}
	if r.TTL > 0 {
		query["TTL"] = strconv.Itoa(int(r.TTL))
	}
	resp, err := call[recordIDAnswer](ctx, p, "alidns: create record", "AddDomainRecord", false, query)
	if err != nil {
		if isCode(err, codeDuplicate) {
			if existing, ok := p.findValue(ctx, zone, r); ok {
				if existing.Marker != "" || r.Marker == "" {
					return existing, nil
				}
				if err := p.setRemark(ctx, existing.ID, r.Marker); err != nil {
					return providers.Record{}, err
				}
				existing.Marker = r.Marker
				return existing, nil
			}
		}
		return providers.Record{}, err
	}
	if r.TTL == 0 {
		r.TTL = defaultTTL
	}
	r.ID = resp.RecordID
	if r.ID == "" {
		return providers.Record{}, providers.Errorf(providers.KindTransient, "", "alidns: create record: the answer holds no RecordId")
	}
	if r.Marker != "" {
		if err := p.setRemark(ctx, r.ID, r.Marker); err != nil {
			return providers.Record{}, err
		}
	}
	return r, nil
}

// setRemark stores remark on the record with id (UpdateDomainRecordRemark,
// https://www.alibabacloud.com/help/en/dns/api-alidns-2015-01-09-updatedomainrecordremark;
// a record gone is DomainRecordNotBelongToUser, KindNotFound).
func (p *Provider) setRemark(ctx context.Context, id, remark string) error {
	_, err := call[noAnswer](ctx, p, "alidns: set record remark", "UpdateDomainRecordRemark", true, map[string]string{"RecordId": id, "Remark": remark})
	return err
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
// the record's TTL) and, when r.Marker is set, gives it that remark.
// UpdateDomainRecord resets what it is not sent (TTL to 600, Line to
// default) and requires RR and Type, so the record is read first and its
// RR, Type, Line and TTL are sent back unchanged; its remark, status and
// weight are not part of the call and stay as they are. Each of the two
// writes is sent only when it changes something: UpdateDomainRecord when
// the value or TTL differ, UpdateDomainRecordRemark when a non-empty
// r.Marker differs from the stored remark.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	info, err := call[recordJSON](ctx, p, "alidns: read record", "DescribeDomainRecordInfo", true, map[string]string{"RecordId": r.ID})
	if err != nil {
		return providers.Record{}, err
	}
	zoneName := providers.CanonicalName(zone.Name)
	if d := info.DomainName; d != "" {
		zoneName = providers.CanonicalName(d)
	}
	cur := providers.Record{
		ID:     r.ID,
		Name:   providers.AbsoluteName(info.RR, zoneName),
		Type:   strings.ToUpper(info.Type),
		Value:  canonicalValue(info.Value),
		TTL:    int32(info.TTL),
		Marker: info.Remark,
	}
	want := cur
	want.Value = canonicalValue(r.Value)
	if r.TTL > 0 {
		want.TTL = r.TTL
	}
	if r.Marker != "" {
		want.Marker = r.Marker
	}
	// The service refuses an update that changes nothing
	// (DomainRecordDuplicate): send UpdateDomainRecord only for a new value
	// or TTL.
	if want.Value != cur.Value || want.TTL != cur.TTL {
		if err := p.updateValue(ctx, r.ID, info, want); err != nil {
			return providers.Record{}, err
		}
	}
	if want.Marker != cur.Marker {
		if err := p.setRemark(ctx, r.ID, want.Marker); err != nil {
			return providers.Record{}, err
		}
	}
	return want, nil
}

// updateValue sends UpdateDomainRecord for the record info describes with
// want's value and TTL, and info's RR, Type and Line (the provider's line
// when info has none). An RR or Type missing from info is not sent, for
// the service to refuse.
func (p *Provider) updateValue(ctx context.Context, id string, info *recordJSON, want providers.Record) error {
	query := map[string]string{
		"RecordId": id,
		"Value":    want.Value,
		"TTL":      strconv.Itoa(int(want.TTL)),
		"Line":     info.Line,
	}
	if info.RR != "" {
		query["RR"] = info.RR
	}
	if info.Type != "" {
		query["Type"] = info.Type
	}
	if query["Line"] == "" {
		query["Line"] = p.line
	}
	_, err := call[noAnswer](ctx, p, "alidns: update record", "UpdateDomainRecord", true, query)
	return err
}

// DeleteRecord removes the record with r.ID; a record already gone
// (DomainRecordNotBelongToUser) is not an error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	_, err := call[noAnswer](ctx, p, "alidns: delete record", "DeleteDomainRecord", true, map[string]string{"RecordId": r.ID})
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
	var pe *providers.Error
	return errors.As(err, &pe) && pe.Code == code
}

package dnspod

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// ListRecords returns the records named name of type typ on the provider's
// line, reading every page of Record.List.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	raw, err := p.list(ctx, zone, name, typ, p.line)
	if err != nil {
		return nil, err
	}
	return toRecords(zone, raw), nil
}

// ListZoneRecords returns every record of type typ on the provider's line
// in zone: Record.List without sub_domain, every page read.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	raw, err := p.list(ctx, zone, "", typ, p.line)
	if err != nil {
		return nil, err
	}
	return toRecords(zone, raw), nil
}

// toRecords converts API records of zone.
func toRecords(zone providers.Zone, raw []recordJSON) []providers.Record {
	out := make([]providers.Record, 0, len(raw))
	for _, r := range raw {
		out = append(out, toRecord(zone, r))
	}
	return out
}

// list reads every page of Record.List for name (every name of the zone
// when empty) and typ and keeps the records that match exactly (and lie on
// line, when line is set): the API filters too, but the provider does not
// rely on it. Each page asks for listLength records, the most one answer
// holds, and offset walks the pages.
func (p *Provider) list(ctx context.Context, zone providers.Zone, name, typ, line string) ([]recordJSON, error) {
	q := recordQuery{domainID: zone.ID, recordType: strings.ToUpper(typ), line: line, length: listLength}
	if name != "" {
		q.subDomain = providers.RelativeName(name, zone.Name)
	}
	var out []recordJSON
	guard := providers.NewPageGuard("dnspod: list records")
	for {
		resp, err := p.api.RecordList(ctx, q)
		if err != nil {
			if codeOf(err) == codeNoRecords {
				break // "10 没有记录": only without error_on_empty=no
			}
			return nil, err
		}
		for _, r := range resp.Records {
			switch {
			case q.subDomain != "" && !strings.EqualFold(r.Name, q.subDomain),
				q.recordType != "" && !strings.EqualFold(r.Type, q.recordType),
				line != "" && !onLine(r, line):
				continue
			}
			out = append(out, r)
		}
		q.offset += len(resp.Records)
		total := resp.Info.RecordsNum.int()
		if total == 0 {
			total = resp.Info.RecordTotal.int()
		}
		if lastPage(len(resp.Records), q.offset, total) {
			return out, nil
		}
		ids := make([]string, 0, len(resp.Records))
		for _, r := range resp.Records {
			ids = append(ids, string(r.ID))
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// onLine reports whether r lies on the line named line. The default line
// is "默认" with ID "0"; the international edition names it "Default".
func onLine(r recordJSON, line string) bool {
	if r.Line == line {
		return true
	}
	return isDefaultLine(line) && (string(r.LineID) == "0" || isDefaultLine(r.Line))
}

// isDefaultLine reports whether line names the default line.
func isDefaultLine(line string) bool {
	return line == DefaultLine || strings.EqualFold(line, "default")
}

// toRecord converts an API record of zone.
func toRecord(zone providers.Zone, r recordJSON) providers.Record {
	return providers.Record{
		ID:     string(r.ID),
		Name:   providers.AbsoluteName(r.Name, zone.Name),
		Type:   strings.ToUpper(r.Type),
		Value:  canonicalValue(r.Value),
		TTL:    int32(r.TTL.int()),
		Marker: string(r.Remark),
	}
}

// canonicalValue returns an address in its canonical text form, and any
// other value as it is.
func canonicalValue(v string) string {
	if a, err := netip.ParseAddr(strings.TrimSpace(v)); err == nil {
		return a.String()
	}
	return v
}

// CreateRecord creates r on the provider's line with Record.Create. A TTL
// of 0 leaves the TTL to the domain's default. Record.Create takes no
// remark, so a marker is stored by a Record.Remark that follows; when that
// fails, the error says the record exists without it.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r.Name, r.Type, r.Value = providers.CanonicalName(r.Name), strings.ToUpper(r.Type), canonicalValue(r.Value)
	resp, err := p.api.RecordCreate(ctx, p.createParams(zone, r))
	if err != nil {
		return providers.Record{}, err
	}
	if resp.Record.ID == "" {
		return providers.Record{}, providers.Errorf(providers.KindTransient, "", "dnspod %s: the answer holds no record id", actionRecordCreate)
	}
	r.ID = string(resp.Record.ID)
	if r.Marker != "" {
		if err := p.api.RecordRemark(ctx, zone.ID, r.ID, r.Marker); err != nil {
			return providers.Record{}, remarkError(r, err)
		}
	}
	return r, nil
}

// createParams are Record.Create's parameters for r on the provider's line.
func (p *Provider) createParams(zone providers.Zone, r providers.Record) url.Values {
	params := url.Values{
		"domain_id":   {zone.ID},
		"sub_domain":  {providers.RelativeName(r.Name, zone.Name)},
		"record_type": {r.Type},
		"record_line": {p.line},
		"value":       {r.Value},
	}
	if r.TTL > 0 {
		params.Set("ttl", strconv.Itoa(int(r.TTL)))
	}
	return params
}

// remarkError reports a marker Record.Remark could not store on the record
// r, which the write before it left in place. The kind is the failure's, so
// a throttled or lost answer is retried; the message names the record so a
// user can find it.
func remarkError(r providers.Record, err error) error {
	var pe *providers.Error
	if !errors.As(err, &pe) {
		return err
	}
	out := *pe
	out.Message = fmt.Sprintf("record %s (%s) is written but its ownership remark is not: %s", r.ID, r.Name, pe.Message)
	out.Err = err
	return &out
}

// UpdateRecord sets the value and TTL of the record r.ID (TTL 0 keeps the
// record's TTL). Record.Modify replaces the whole record, so the provider
// reads it first and sends back what it keeps: the host, type, line, MX
// priority, weight and enabled state. The remark is not a Record.Modify
// parameter and survives it; a non-empty r.Marker that differs from it is
// stored by a Record.Remark afterwards.
//
// Record.Ddns, which changes only the value, is not used: it takes no TTL,
// so a TTL change would need Record.Modify anyway, and users report that it
// resets the TTL of free-plan records to 10 (kkkgo/dnspod-ddns-with-bashshell
// issue 6), a change the spec never asked for.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	cur, err := p.current(ctx, zone, r)
	if err != nil {
		return providers.Record{}, err
	}
	value := canonicalValue(r.Value)
	ttl := int(r.TTL)
	if ttl <= 0 {
		ttl = cur.TTL.int()
	}
	params := url.Values{
		"domain_id":   {zone.ID},
		"record_id":   {r.ID},
		"sub_domain":  {cur.Name},
		"record_type": {cur.Type},
		"record_line": {cur.Line},
		"value":       {value},
		"status":      {"enable"},
	}
	if cur.LineID != "" {
		params.Set("record_line_id", string(cur.LineID))
	}
	if ttl > 0 {
		params.Set("ttl", strconv.Itoa(ttl))
	}
	if mx := cur.MX.int(); mx > 0 {
		params.Set("mx", strconv.Itoa(mx))
	}
	if cur.Weight != "" {
		params.Set("weight", string(cur.Weight))
	}
	if string(cur.Enabled) == "0" {
		params.Set("status", "disable")
	}
	// A change of the marker alone sends only Record.Remark: were the
	// answer to a no-op Modify lost, every retry would send it again and
	// never reach the remark.
	if canonicalValue(cur.Value) != value || cur.TTL.int() != ttl {
		if _, err := p.api.RecordModify(ctx, params); err != nil {
			return providers.Record{}, err
		}
	}
	out := toRecord(zone, cur)
	out.Value, out.TTL = value, int32(ttl)
	if r.Marker != "" && r.Marker != out.Marker {
		if err := p.api.RecordRemark(ctx, zone.ID, r.ID, r.Marker); err != nil {
			return providers.Record{}, remarkError(out, err)
		}
		out.Marker = r.Marker
	}
	return out, nil
}

// current reads the record r.ID as the API holds it, looking among the
// records of r's name and type on any line.
func (p *Provider) current(ctx context.Context, zone providers.Zone, r providers.Record) (recordJSON, error) {
	if r.ID == "" {
		return recordJSON{}, providers.Errorf(providers.KindInvalid, "", "dnspod: a record to update needs its id")
	}
	found, err := p.list(ctx, zone, r.Name, r.Type, "")
	if err != nil {
		return recordJSON{}, err
	}
	for _, c := range found {
		if string(c.ID) == r.ID {
			return c, nil
		}
	}
	return recordJSON{}, providers.Errorf(providers.KindNotFound, "", "dnspod: record %s of %s no longer exists", r.ID, providers.CanonicalName(r.Name))
}

// DeleteRecord removes the record r.ID with Record.Remove; a record already
// gone ("8 记录ID错误") is not an error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	err := p.api.RecordRemove(ctx, zone.ID, r.ID)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

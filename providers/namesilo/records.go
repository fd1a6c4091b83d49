package namesilo

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/value"
)

// recordsReply is dnsListRecords' answer: every record of the domain,
// with full names.
type recordsReply struct {
	reply
	Records []struct {
		ID    string `xml:"record_id"`
		Type  string `xml:"type"`
		Host  string `xml:"host"`
		Value string `xml:"value"`
		TTL   int32  `xml:"ttl"`
	} `xml:"reply>resource_record"`
}

// writeReply is the answer of dnsAddRecord and dnsUpdateRecord.
type writeReply struct {
	reply
	ID string `xml:"reply>record_id"`
}

// ListRecords returns the records named name of type typ. dnsListRecords
// answers a domain's records whole, so this reads the domain and filters.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	all, err := p.ListZoneRecords(ctx, zone, typ)
	if err != nil {
		return nil, err
	}
	name = providers.CanonicalName(name)
	out := []providers.Record{}
	for _, r := range all {
		if r.Name == name {
			out = append(out, r)
		}
	}
	return out, nil
}

// ListZoneRecords returns every record of type typ in zone: dnsListRecords.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	var resp recordsReply
	if err := p.api.call(ctx, "dnsListRecords", zone.Name, url.Values{"domain": {zone.Name}}, &resp); err != nil {
		return nil, err
	}
	out := []providers.Record{}
	for _, r := range resp.Records {
		if !strings.EqualFold(r.Type, typ) || r.ID == "" {
			continue
		}
		out = append(out, providers.Record{
			ID: r.ID, Name: providers.CanonicalName(r.Host), Type: strings.ToUpper(r.Type),
			Value: value.Canonical(r.Value), TTL: r.TTL,
		})
	}
	return out, nil
}

// CreateRecord creates r with dnsAddRecord. A TTL of 0 leaves NameSilo's
// default (7207).
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	if r.TTL > 0 && r.TTL < MinTTL {
		return providers.Record{}, ttlError(r.TTL)
	}
	r.Name, r.Type, r.Value = providers.CanonicalName(r.Name), strings.ToUpper(r.Type), value.Canonical(r.Value)
	params := url.Values{"domain": {zone.Name}, "rrtype": {r.Type}, "rrhost": {host(r.Name, zone.Name)}, "rrvalue": {r.Value}}
	if r.TTL > 0 {
		params.Set("rrttl", strconv.Itoa(int(r.TTL)))
	} else {
		r.TTL = DefaultTTL
	}
	var resp writeReply
	if err := p.api.call(ctx, "dnsAddRecord", zone.Name, params, &resp); err != nil {
		return providers.Record{}, err
	}
	if resp.ID == "" {
		return providers.Record{}, providers.Errorf(providers.KindTransient, "", "namesilo dnsAddRecord: the answer holds no record_id")
	}
	r.ID = resp.ID
	return r, nil
}

// UpdateRecord sets the value and TTL of the record r.ID with
// dnsUpdateRecord, which takes the host, value and TTL whole: a TTL of 0
// sends the record's current TTL, read first. The record's ID becomes the
// record_id of the answer, which NameSilo may change on an update.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	if r.TTL > 0 && r.TTL < MinTTL {
		return providers.Record{}, ttlError(r.TTL)
	}
	if r.ID == "" {
		return providers.Record{}, providers.Errorf(providers.KindInvalid, "", "namesilo: a record to update needs its id")
	}
	out := providers.Record{ID: r.ID, Name: providers.CanonicalName(r.Name), Type: strings.ToUpper(r.Type), Value: value.Canonical(r.Value), TTL: r.TTL}
	if out.TTL <= 0 {
		cur, err := p.ListRecords(ctx, zone, out.Name, out.Type)
		if err != nil {
			return providers.Record{}, err
		}
		out.TTL = DefaultTTL
		for _, c := range cur {
			if c.ID == r.ID {
				out.TTL = c.TTL
			}
		}
	}
	params := url.Values{
		"domain": {zone.Name}, "rrid": {r.ID}, "rrhost": {host(out.Name, zone.Name)},
		"rrvalue": {out.Value}, "rrttl": {strconv.Itoa(int(out.TTL))},
	}
	var resp writeReply
	if err := p.api.call(ctx, "dnsUpdateRecord", zone.Name, params, &resp); err != nil {
		return providers.Record{}, err
	}
	if resp.ID != "" {
		out.ID = resp.ID
	}
	return out, nil
}

// DeleteRecord removes the record r.ID with dnsDeleteRecord; a record
// already gone is not an error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	err := p.api.call(ctx, "dnsDeleteRecord", zone.Name, url.Values{"domain": {zone.Name}, "rrid": {r.ID}}, nil)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// host is the name NameSilo takes: relative to the domain, "" for the
// apex.
func host(name, zone string) string {
	if rel := providers.RelativeName(name, zone); rel != "@" {
		return rel
	}
	return ""
}

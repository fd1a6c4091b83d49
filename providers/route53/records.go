package route53

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/ddns-operator/ddns-operator/providers"
)

// ListRecords reads the set named name of type typ and, when it exists,
// its companion TXT set: two ListResourceRecordSets calls starting at
// each.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	set, err := p.readSet(ctx, zone, name, typ)
	if err != nil || set == nil {
		return nil, err
	}
	companion, err := p.readSet(ctx, zone, providers.CompanionName(name, typ), "TXT")
	if err != nil {
		return nil, err
	}
	return withMarker(*set, markerOf(companion)).Records(), nil
}

// ListZoneRecords reads every set of the zone (every page of
// ListResourceRecordSets, all types at once: 300 sets a page) and returns
// the records of type typ with the markers of their companions. Alias
// sets and sets with a routing policy (a SetIdentifier) are not the
// operator's kind and are left out.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	sets, err := p.listSets(ctx, zone, nil, nil, 300, 0)
	if err != nil {
		return nil, err
	}
	markers := map[string]string{}
	for _, s := range sets {
		if name, ttyp, ok := providers.CompanionOf(s.Name); ok && ttyp == typ && s.Type == "TXT" {
			markers[name] = providers.CompanionMarker(s.Addresses())
		}
	}
	var out []providers.Record
	for _, s := range sets {
		if s.Type == typ {
			out = append(out, withMarker(s, markers[s.Name]).Records()...)
		}
	}
	return out, nil
}

// CreateRecord creates r's set (CREATE, which Route 53 refuses when the
// set exists: it was made since the zone was read) and writes r.Marker to
// the companion, in one batch.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	res, err := p.ApplyBatch(ctx, zone, providers.Batch{Creates: []providers.Record{r}})
	if err != nil {
		return r, err
	}
	return res.Created[0], nil
}

// UpdateRecord points the record with r.ID at r.Value (UPSERT of its set,
// see ApplyBatch), with a non-empty r.Marker written to the companion in
// the same batch.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	res, err := p.ApplyBatch(ctx, zone, providers.Batch{Updates: []providers.Record{r}})
	if err != nil {
		return r, err
	}
	return res.Updated[0], nil
}

// DeleteRecord removes the value r stands for from its set (see
// ApplyBatch). A value or set already gone is no error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	_, err := p.ApplyBatch(ctx, zone, providers.Batch{Deletes: []providers.Record{r}})
	return err
}

// readSet reads the plain set named name of type typ (nil when there is
// none): the first page of ListResourceRecordSets starting at it.
func (p *Provider) readSet(ctx context.Context, zone providers.Zone, name, typ string) (*providers.RecordSet, error) {
	name = providers.CanonicalName(name)
	sets, err := p.listSets(ctx, zone, aws.String(name+"."), aws.String(typ), 10, 1)
	if err != nil {
		return nil, err
	}
	for i := range sets {
		if sets[i].Name == name && sets[i].Type == typ {
			return &sets[i], nil
		}
	}
	return nil, nil
}

// listSets lists the zone's plain sets from the start name and type (nil:
// the zone's first), maxItems a page, reading at most pages pages (0: every
// page).
func (p *Provider) listSets(ctx context.Context, zone providers.Zone, name, typ *string, maxItems int32, pages int) ([]providers.RecordSet, error) {
	in := &r53.ListResourceRecordSetsInput{HostedZoneId: aws.String(zone.ID), StartRecordName: name, MaxItems: aws.Int32(maxItems)}
	if typ != nil {
		in.StartRecordType = types.RRType(*typ)
	}
	op := "list record sets in zone " + zone.Name
	guard := providers.NewPageGuard(op)
	var out []providers.RecordSet
	for page := 1; ; page++ {
		res, err := p.api.ListResourceRecordSets(ctx, in)
		if err != nil {
			return nil, zoneError(p.mapError(op, err), zone)
		}
		if res.MaxItems == nil {
			// Every answer says MaxItems; see FindZone.
			return nil, providers.Undecodable(op, http.StatusOK)
		}
		ids := make([]string, 0, len(res.ResourceRecordSets))
		for _, s := range res.ResourceRecordSets {
			ids = append(ids, aws.ToString(s.Name)+"/"+string(s.Type)+"/"+aws.ToString(s.SetIdentifier))
			if set, plain := fromSDK(s); plain {
				out = append(out, set)
			}
		}
		if !res.IsTruncated || res.NextRecordName == nil || len(ids) == 0 || page == pages {
			return out, nil
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
		in.StartRecordName, in.StartRecordType, in.StartRecordIdentifier = res.NextRecordName, res.NextRecordType, res.NextRecordIdentifier
	}
}

// fromSDK converts a set; plain is false for alias sets and sets with a
// routing policy.
func fromSDK(s types.ResourceRecordSet) (providers.RecordSet, bool) {
	set := providers.RecordSet{Name: decodeName(aws.ToString(s.Name)), Type: string(s.Type), TTL: int32(aws.ToInt64(s.TTL))}
	if s.AliasTarget != nil || s.SetIdentifier != nil {
		return set, false
	}
	for _, r := range s.ResourceRecords {
		v := aws.ToString(r.Value)
		if set.Type == "TXT" {
			v = providers.UnquoteTXT(v) // toSDK quotes it again
		}
		set.Values = append(set.Values, providers.SetValue{Value: v})
	}
	return set, true
}

// toSDK is the API's form of set.
func toSDK(set providers.RecordSet) *types.ResourceRecordSet {
	recs := make([]types.ResourceRecord, 0, len(set.Values))
	for _, v := range set.Values {
		value := v.Value
		if set.Type == "TXT" {
			value = providers.QuoteTXT(value)
		}
		recs = append(recs, types.ResourceRecord{Value: aws.String(value)})
	}
	return &types.ResourceRecordSet{Name: aws.String(set.Name + "."), Type: types.RRType(set.Type), TTL: aws.Int64(int64(set.TTL)), ResourceRecords: recs}
}

// withMarker gives every value of s the marker.
func withMarker(s providers.RecordSet, marker string) providers.RecordSet {
	for i := range s.Values {
		s.Values[i].Marker = marker
	}
	return s
}

// markerOf is the marker a companion set holds ("" for none).
func markerOf(companion *providers.RecordSet) string {
	if companion == nil {
		return ""
	}
	return providers.CompanionMarker(companion.Addresses())
}

// normalise canonicalises r's name and value and checks they fit.
func normalise(r providers.Record) (providers.Record, error) {
	r.Name = providers.CanonicalName(r.Name)
	addr, err := netip.ParseAddr(r.Value)
	if err != nil || (r.Type != "A" && r.Type != "AAAA") || (r.Type == "A") != addr.Unmap().Is4() {
		return r, providers.Errorf(providers.KindInvalid, "", "value %q does not fit record type %q", r.Value, r.Type)
	}
	r.Value = addr.Unmap().String()
	return r, nil
}

// opName names a batch for messages.
func opName(zone providers.Zone, b providers.Batch) string {
	if b.Len() == 1 {
		for _, x := range []struct {
			verb string
			rs   []providers.Record
		}{{"create", b.Creates}, {"update", b.Updates}, {"delete", b.Deletes}} {
			if len(x.rs) == 1 {
				return fmt.Sprintf("%s %s %s in zone %s", x.verb, providers.CanonicalName(x.rs[0].Name), x.rs[0].Type, zone.Name)
			}
		}
	}
	return fmt.Sprintf("change %d records in zone %s", b.Len(), zone.Name)
}

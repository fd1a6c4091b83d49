package vercel

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/value"
)

// ListRecords returns the records named name of type typ. Vercel lists a
// domain's records only whole, so this reads the zone and filters.
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

// ListZoneRecords returns every record of type typ in zone: List existing
// DNS records, every page.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	out := []providers.Record{}
	guard := providers.NewPageGuard("vercel: list records")
	q := url.Values{"limit": {strconv.Itoa(pageLimit)}}
	path := "/v4/domains/" + url.PathEscape(zone.Name) + "/records"
	for {
		var resp recordsResponse
		if err := p.api.Call(ctx, "list records", http.MethodGet, path, q, nil, &resp); err != nil {
			return nil, zoneError(err, zone)
		}
		ids := make([]string, 0, len(resp.Records))
		for _, r := range resp.Records {
			ids = append(ids, r.ID)
			if strings.EqualFold(r.Type, typ) {
				out = append(out, toRecord(zone, r))
			}
		}
		if resp.Pagination.Next == nil || len(resp.Records) == 0 {
			return out, nil
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
		q.Set("until", strconv.FormatInt(*resp.Pagination.Next, 10))
	}
}

func toRecord(zone providers.Zone, r recordJSON) providers.Record {
	return providers.Record{
		ID:     r.ID,
		Name:   providers.AbsoluteName(r.Name, zone.Name),
		Type:   strings.ToUpper(r.Type),
		Value:  value.Canonical(r.Value),
		TTL:    r.TTL,
		Marker: r.Comment,
	}
}

// CreateRecord creates r with Create a DNS record, the marker in its
// comment. A TTL of 0 leaves Vercel's default (60).
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	if r.TTL > 0 && r.TTL < MinTTL {
		return providers.Record{}, ttlError(r.TTL)
	}
	r.Name, r.Type, r.Value = providers.CanonicalName(r.Name), strings.ToUpper(r.Type), value.Canonical(r.Value)
	body := map[string]any{"name": relative(r.Name, zone.Name), "type": r.Type, "value": r.Value}
	if r.TTL > 0 {
		body["ttl"] = r.TTL
	} else {
		r.TTL = MinTTL
	}
	if r.Marker != "" {
		body["comment"] = r.Marker
	}
	var resp createResponse
	if err := p.api.Call(ctx, "create record", http.MethodPost, "/v2/domains/"+url.PathEscape(zone.Name)+"/records", nil, body, &resp); err != nil {
		return providers.Record{}, zoneError(err, zone)
	}
	if resp.UID == "" {
		return providers.Record{}, providers.Errorf(providers.KindTransient, "", "vercel create record: the answer holds no record id")
	}
	r.ID = resp.UID
	return r, nil
}

// UpdateRecord sets the value, and the TTL and comment when r has them,
// of the record r.ID with Update an existing DNS record (PATCH): fields
// left out keep their value.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	if r.TTL > 0 && r.TTL < MinTTL {
		return providers.Record{}, ttlError(r.TTL)
	}
	if r.ID == "" {
		return providers.Record{}, providers.Errorf(providers.KindInvalid, "", "vercel: a record to update needs its id")
	}
	body := map[string]any{"value": value.Canonical(r.Value)}
	if r.TTL > 0 {
		body["ttl"] = r.TTL
	}
	if r.Marker != "" {
		body["comment"] = r.Marker
	}
	var resp recordJSON
	if err := p.api.Call(ctx, "update record", http.MethodPatch, "/v1/domains/records/"+url.PathEscape(r.ID), nil, body, &resp); err != nil {
		return providers.Record{}, err
	}
	out := toRecord(zone, resp)
	if out.ID == "" {
		// An answer without the record: report what was asked.
		out = r
		out.Name, out.Value = providers.CanonicalName(r.Name), value.Canonical(r.Value)
	}
	return out, nil
}

// DeleteRecord removes the record r.ID; a record already gone (404) is
// not an error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	err := p.api.Call(ctx, "delete record", http.MethodDelete, "/v2/domains/"+url.PathEscape(zone.Name)+"/records/"+url.PathEscape(r.ID), nil, nil, nil)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// zoneError reports a 404 on a domain's records as the domain missing.
func zoneError(err error, zone providers.Zone) error {
	if providers.KindOf(err) != providers.KindNotFound {
		return err
	}
	return &providers.Error{Kind: providers.KindZoneNotFound, Message: "vercel: domain " + zone.Name + " is not in this account or team: " + err.Error(), Err: err}
}

// ttlError refuses a TTL below Vercel's minimum before anything is sent.
func ttlError(ttl int32) error {
	return providers.Errorf(providers.KindInvalid, "", "vercel: TTL %d is below Vercel's minimum TTL of %d seconds", ttl, MinTTL)
}

// relative is the record name Vercel takes: "" for the apex.
func relative(name, zone string) string {
	if rel := providers.RelativeName(name, zone); rel != "@" {
		return rel
	}
	return ""
}

package aliesa

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// pageSize is the page asked of both lists.
const pageSize = 100

// addressType is ESA's one type for A and AAAA records.
const addressType = "A/AAAA"

// recordJSON is a record as ListRecords lists it.
type recordJSON struct {
	RecordID   json.Number `json:"RecordId"`
	RecordName string      `json:"RecordName"`
	RecordType string      `json:"RecordType"`
	Data       struct {
		Value string `json:"Value"`
	} `json:"Data"`
	TTL     int    `json:"Ttl"`
	Proxied bool   `json:"Proxied"`
	BizName string `json:"BizName"`
	Comment string `json:"Comment"`
}

// FindZone returns the site named hint, or the longest suffix of fqdn
// among the account's sites, reading every page of ListSites.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	var zones []providers.Zone
	guard := providers.NewPageGuard("aliesa: list sites")
	for n := 1; ; n++ {
		var res struct {
			TotalCount int `json:"TotalCount"`
			Sites      []struct {
				SiteID     json.Number `json:"SiteId"`
				SiteName   string      `json:"SiteName"`
				AccessType string      `json:"AccessType"`
			} `json:"Sites"`
		}
		params := map[string]string{"PageNumber": strconv.Itoa(n), "PageSize": strconv.Itoa(pageSize)}
		if err := p.call(ctx, "ListSites", http.MethodGet, params, &res); err != nil {
			return providers.Zone{}, err
		}
		ids := make([]string, 0, len(res.Sites))
		p.mu.Lock()
		for _, s := range res.Sites {
			zones = append(zones, providers.Zone{ID: s.SiteID.String(), Name: providers.CanonicalName(s.SiteName)})
			p.access[s.SiteID.String()] = s.AccessType
			ids = append(ids, s.SiteID.String())
		}
		p.mu.Unlock()
		if providers.LastPage(len(res.Sites), len(zones), res.TotalCount, pageSize) {
			break
		}
		if err := guard.Page(ids); err != nil {
			return providers.Zone{}, err
		}
	}
	return providers.PickZone(zones, fqdn, hint, "aliesa: ESA site")
}

// ListRecords returns the records named name of type typ.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	raw, err := p.records(ctx, zone, name, typ)
	return convert(raw, typ), err
}

// ListZoneRecords returns every record of type typ in the site.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	raw, err := p.records(ctx, zone, "", typ)
	return convert(raw, typ), err
}

// records reads every page of ListRecords of type A/AAAA (named name,
// exactly, when set), keeping those whose value is of typ's family.
func (p *Provider) records(ctx context.Context, zone providers.Zone, name, typ string) ([]recordJSON, error) {
	if err := addressOnly(typ); err != nil {
		return nil, err
	}
	params := map[string]string{"SiteId": zone.ID, "Type": addressType, "PageSize": strconv.Itoa(pageSize)}
	name = providers.CanonicalName(name)
	if name != "" {
		params["RecordName"] = name
		params["RecordMatchType"] = "exact"
	}
	var out []recordJSON
	guard := providers.NewPageGuard("aliesa: list records")
	for n, read := 1, 0; ; n++ {
		params["PageNumber"] = strconv.Itoa(n)
		var res struct {
			TotalCount int          `json:"TotalCount"`
			Records    []recordJSON `json:"Records"`
		}
		if err := p.call(ctx, "ListRecords", http.MethodGet, params, &res); err != nil {
			return nil, zoneError(err, zone)
		}
		read += len(res.Records)
		ids := make([]string, 0, len(res.Records))
		for _, r := range res.Records {
			ids = append(ids, r.RecordID.String())
			if (name == "" || providers.CanonicalName(r.RecordName) == name) && r.RecordType == addressType && typeOf(r.Data.Value) == strings.ToUpper(typ) {
				out = append(out, r)
			}
		}
		if providers.LastPage(len(res.Records), read, res.TotalCount, pageSize) {
			return out, nil
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

// CreateRecord creates an A/AAAA record holding r's value, with r.Marker as
// its comment. A record of a site accessed by CNAME must be proxied, so it
// is created proxied for web pages, as the console does; a site accessed
// by NS gets a DNS-only record.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	if err := addressOnly(r.Type); err != nil {
		return providers.Record{}, err
	}
	value := providers.CanonicalValue(r.Value)
	data, _ := json.Marshal(map[string]string{"Value": value})
	params := map[string]string{"SiteId": zone.ID, "RecordName": providers.CanonicalName(r.Name), "Type": addressType, "Data": string(data), "Proxied": "false"}
	access, err := p.accessType(ctx, zone)
	if err != nil {
		return providers.Record{}, err
	}
	if access == "CNAME" {
		params["Proxied"], params["BizName"] = "true", "web"
	}
	if r.TTL > 0 {
		params["Ttl"] = strconv.Itoa(int(r.TTL))
	}
	if r.Marker != "" {
		params["Comment"] = r.Marker
	}
	var res struct {
		RecordID json.Number `json:"RecordId"`
	}
	if err := p.call(ctx, "CreateRecord", http.MethodPost, params, &res); err != nil {
		return providers.Record{}, zoneError(err, zone)
	}
	if res.RecordID == "" {
		return providers.Record{}, providers.Errorf(providers.KindTransient, "", "aliesa CreateRecord: the answer holds no RecordId")
	}
	out := providers.Record{ID: res.RecordID.String(), Name: providers.CanonicalName(r.Name), Type: strings.ToUpper(r.Type), Value: value, TTL: r.TTL, Marker: r.Marker}
	if out.TTL == 0 {
		out.TTL = 1
	}
	return out, nil
}

// accessType returns the site's access type, reading the sites again when
// this provider has not seen it.
func (p *Provider) accessType(ctx context.Context, zone providers.Zone) (string, error) {
	p.mu.Lock()
	a, ok := p.access[zone.ID]
	p.mu.Unlock()
	if ok {
		return a, nil
	}
	if _, err := p.FindZone(ctx, zone.Name, zone.Name); err != nil {
		return "", err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.access[zone.ID], nil
}

// UpdateRecord sets the value and TTL (0 keeps it) of the record r.ID and,
// when r carries one, its comment. UpdateRecord takes the record's
// settings, so it is read first and its proxy setting, business scenario
// and comment are sent back.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	found, err := p.records(ctx, zone, r.Name, r.Type)
	if err != nil {
		return providers.Record{}, err
	}
	for _, cur := range found {
		if cur.RecordID.String() != r.ID {
			continue
		}
		value := providers.CanonicalValue(r.Value)
		data, _ := json.Marshal(map[string]string{"Value": value})
		ttl, comment := int(r.TTL), cur.Comment
		if ttl <= 0 {
			ttl = cur.TTL
		}
		if r.Marker != "" {
			comment = r.Marker
		}
		params := map[string]string{"RecordId": r.ID, "Type": addressType, "Data": string(data), "Ttl": strconv.Itoa(ttl),
			"Proxied": strconv.FormatBool(cur.Proxied), "Comment": comment}
		if cur.Proxied && cur.BizName != "" {
			params["BizName"] = cur.BizName
		}
		if err := p.call(ctx, "UpdateRecord", http.MethodPost, params, nil); err != nil {
			return providers.Record{}, err
		}
		return providers.Record{ID: r.ID, Name: providers.CanonicalName(cur.RecordName), Type: strings.ToUpper(r.Type), Value: value, TTL: int32(ttl), Marker: comment}, nil
	}
	return providers.Record{}, providers.Errorf(providers.KindNotFound, "", "aliesa: record %s of %s no longer exists", r.ID, zone.Name)
}

// DeleteRecord deletes the record r.ID; one already gone is not an error.
func (p *Provider) DeleteRecord(ctx context.Context, _ providers.Zone, r providers.Record) error {
	err := p.call(ctx, "DeleteRecord", http.MethodPost, map[string]string{"RecordId": r.ID}, nil)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

func convert(raw []recordJSON, typ string) []providers.Record {
	out := make([]providers.Record, 0, len(raw))
	for _, r := range raw {
		out = append(out, providers.Record{
			ID: r.RecordID.String(), Name: providers.CanonicalName(r.RecordName), Type: strings.ToUpper(typ),
			Value: providers.CanonicalValue(r.Data.Value), TTL: int32(r.TTL), Marker: r.Comment,
		})
	}
	return out
}

// addressOnly refuses types other than A and AAAA: the only ones the
// operator writes.
func addressOnly(typ string) error {
	if t := strings.ToUpper(typ); t != "A" && t != "AAAA" {
		return providers.Errorf(providers.KindInvalid, "", "aliesa: record type %s is not supported", typ)
	}
	return nil
}

// typeOf tells A from AAAA by the value's family ("" for neither).
func typeOf(v string) string {
	ip, err := netip.ParseAddr(strings.TrimSpace(v))
	switch {
	case err != nil:
		return ""
	case ip.Is4() || ip.Is4In6():
		return "A"
	}
	return "AAAA"
}

// zoneError turns "not found" into "no such site" for calls that address
// a site.
func zoneError(err error, zone providers.Zone) error {
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Kind != providers.KindNotFound {
		return err
	}
	out := *pe
	out.Kind = providers.KindZoneNotFound
	out.Message = "aliesa: the account has no ESA site " + zone.Name + " (" + zone.ID + "): " + pe.Message
	return &out
}

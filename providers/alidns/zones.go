package alidns

import (
	"context"
	"strconv"

	"github.com/ddns-operator/ddns-operator/providers"
)

// pageSize is the page size the provider asks for: the documented maximum
// of DescribeDomains and DescribeSubDomainRecords. The service may answer
// with smaller pages; paging follows TotalCount, not this number.
const pageSize = 100

// FindZone returns the zone that holds fqdn: the hinted zone when hint is
// set, otherwise the longest suffix of fqdn among all the account's zones.
// Zones are addressed by name at Alibaba Cloud DNS, so Zone.ID is the name.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	if hint != "" {
		hint = providers.CanonicalName(hint)
		zones, err := p.listZones(ctx, hint)
		if err != nil {
			return providers.Zone{}, err
		}
		for _, z := range zones {
			if z.Name == hint {
				return z, nil
			}
		}
		return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "alidns: the account has no domain %q", hint)
	}
	zones, err := p.listZones(ctx, "")
	if err != nil {
		return providers.Zone{}, err
	}
	if z, ok := providers.LongestSuffixZone(fqdn, zones); ok {
		return z, nil
	}
	return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "alidns: no domain in the account holds %q", providers.CanonicalName(fqdn))
}

// listZones reads every page of DescribeDomains; exact narrows the search
// to that name (SearchMode EXACT).
func (p *Provider) listZones(ctx context.Context, exact string) ([]providers.Zone, error) {
	var zones []providers.Zone
	seen := 0
	guard := providers.NewPageGuard("alidns: list domains")
	for page := int64(1); ; page++ {
		query := map[string]string{"PageNumber": strconv.FormatInt(page, 10), "PageSize": strconv.Itoa(pageSize)}
		if exact != "" {
			query["KeyWord"] = exact
			query["SearchMode"] = "EXACT"
		}
		resp, err := call[domainsAnswer](ctx, p, "alidns: list domains", "DescribeDomains", false, query)
		if err != nil {
			return nil, err
		}
		got := resp.Domains.Domain
		for _, d := range got {
			if d == nil {
				continue
			}
			name := zoneName(d)
			if name != "" {
				zones = append(zones, providers.Zone{ID: name, Name: name})
			}
		}
		seen += len(got)
		if len(got) == 0 || int64(seen) >= resp.TotalCount {
			return zones, nil
		}
		if err := guard.Page(domainIDs(got)); err != nil {
			return nil, err
		}
	}
}

// zoneName is the domain's ASCII name: DomainName, or its punycode form for
// an internationalized name.
func zoneName(d *domainJSON) string {
	name := d.DomainName
	for _, r := range name {
		if r > 127 && d.PunyCode != "" {
			name = d.PunyCode
			break
		}
	}
	return providers.CanonicalName(name)
}

// domainIDs lists a page's domain IDs (the name when a domain has none),
// for the page guard.
func domainIDs(page []*domainJSON) []string {
	ids := make([]string, 0, len(page))
	for _, d := range page {
		if d == nil {
			continue
		}
		if id := d.DomainID; id != "" {
			ids = append(ids, id)
		} else {
			ids = append(ids, zoneName(d))
		}
	}
	return ids
}

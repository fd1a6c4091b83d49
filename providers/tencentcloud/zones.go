package tencentcloud

import (
	"context"
	"errors"
	"strconv"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"

	"github.com/ddns-operator/ddns-operator/providers"
)

// pageLimit is the Limit asked of list calls: DescribeRecordList's
// documented maximum, and DescribeDomainList's default.
const pageLimit = 3000

// FindZone returns the zone that holds fqdn: the zone named hint when set,
// else the longest suffix of fqdn among all the account's domains.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	zones, err := p.zones(ctx)
	if err != nil {
		return providers.Zone{}, err
	}
	if hint != "" {
		hint = providers.CanonicalName(hint)
		for _, z := range zones {
			if z.Name == hint {
				return z, nil
			}
		}
		return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "",
			"the Tencent Cloud account has no DNSPod domain %q", hint)
	}
	if z, ok := providers.LongestSuffixZone(fqdn, zones); ok {
		return z, nil
	}
	return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "",
		"no DNSPod domain of the Tencent Cloud account holds %q", providers.CanonicalName(fqdn))
}

// zones reads every page of DescribeDomainList. An account without domains
// answers ResourceNotFound.NoDataOfDomain, which is an empty list here.
func (p *Provider) zones(ctx context.Context) ([]providers.Zone, error) {
	const op = "listing domains"
	var zones []providers.Zone
	guard := providers.NewPageGuard(op)
	for offset := int64(0); ; {
		if err := ctx.Err(); err != nil {
			return nil, providers.Transient(op, err)
		}
		params := &describeDomainListParams{Offset: common.Int64Ptr(offset), Limit: common.Int64Ptr(pageLimit)}
		resp, err := call[domainListResult](ctx, p.api, "DescribeDomainList", params)
		if err != nil {
			err = mapError(ctx, op, err)
			if providers.KindOf(err) == providers.KindZoneNotFound && codeOf(err) == codeNoDataOfDomain {
				return zones, nil
			}
			return nil, err
		}
		if resp == nil {
			return nil, providers.Errorf(providers.KindTransient, "", "%s: the API's response is empty", op)
		}
		page := resp.DomainList
		for _, d := range page {
			if z, ok := zoneOf(d); ok {
				zones = append(zones, z)
			}
		}
		offset += int64(len(page))
		total := int64(-1)
		if c := resp.DomainCountInfo; c != nil && c.DomainTotal != nil {
			total = int64(*c.DomainTotal)
		}
		if len(page) == 0 || (total >= 0 && offset >= total) || (total < 0 && len(page) < pageLimit) {
			return zones, nil
		}
		ids := make([]string, 0, len(page))
		for _, d := range page {
			id := ""
			if d != nil && d.DomainID != nil {
				id = strconv.FormatUint(*d.DomainID, 10)
			}
			ids = append(ids, id)
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

// zoneOf converts a domain; the punycode form is the name, so that it
// compares with the ASCII names in specs.
func zoneOf(d *domainItem) (providers.Zone, bool) {
	if d == nil {
		return providers.Zone{}, false
	}
	name := ""
	if d.Punycode != nil && *d.Punycode != "" {
		name = *d.Punycode
	} else if d.Name != nil {
		name = *d.Name
	}
	if name == "" {
		return providers.Zone{}, false
	}
	z := providers.Zone{Name: providers.CanonicalName(name)}
	if d.DomainID != nil {
		z.ID = strconv.FormatUint(*d.DomainID, 10)
	}
	return z, true
}

// codeOf returns the provider's code of a providers.Error.
func codeOf(err error) string {
	if pe := (*providers.Error)(nil); errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

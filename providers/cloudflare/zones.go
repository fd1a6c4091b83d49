package cloudflare

import (
	"context"
	"strconv"

	cf "github.com/cloudflare/cloudflare-go/v6"
	"github.com/cloudflare/cloudflare-go/v6/packages/pagination"
	"github.com/cloudflare/cloudflare-go/v6/zones"

	"github.com/ddns-operator/ddns-operator/providers"
)

const (
	// zonesPerPage is the largest page GET /zones serves (5 to 50).
	zonesPerPage = 50
)

// FindZone returns the zone that holds fqdn: with hint, the zone of exactly
// that name (GET /zones?name=hint); otherwise the longest suffix of fqdn
// among every zone the credential can see, all pages read.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	fqdn = providers.CanonicalName(fqdn)
	hint = providers.CanonicalName(hint)
	all, err := p.listZones(ctx, hint)
	if err != nil {
		return providers.Zone{}, err
	}
	if hint != "" {
		for _, z := range all {
			if z.Name == hint {
				return z, nil
			}
		}
		return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "",
			"zone %q is not in this Cloudflare account, or the credential cannot see it", hint)
	}
	if z, ok := providers.LongestSuffixZone(fqdn, all); ok {
		return z, nil
	}
	return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "",
		"no zone in this Cloudflare account holds %q, or the credential cannot see it", fqdn)
}

// listZones reads every page of GET /zones, filtered by exact name when
// name is set.
func (p *Provider) listZones(ctx context.Context, name string) ([]providers.Zone, error) {
	var out []providers.Zone
	guard := providers.NewPageGuard("list zones")
	for page := 1; ; page++ {
		q := zones.ZoneListParams{
			Page:    cf.F(float64(page)),
			PerPage: cf.F(float64(zonesPerPage)),
		}
		if name != "" {
			q.Name = cf.F(name)
		}
		res, err := p.zones.List(ctx, q)
		if err != nil {
			return nil, p.mapError("list zones", err)
		}
		if res == nil {
			return nil, errEmptyAnswer("list zones")
		}
		for _, z := range res.Result {
			out = append(out, providers.Zone{ID: z.ID, Name: providers.CanonicalName(z.Name)})
		}
		if !morePages(res, page) {
			return out, nil
		}
		ids := make([]string, 0, len(res.Result))
		for _, z := range res.Result {
			ids = append(ids, z.ID)
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

// morePages reports whether a page after page exists, from result_info's
// total_pages when the server sent it (the SDK keeps it among the extra
// fields), else from whether the page came back full.
func morePages[T any](res *pagination.V4PagePaginationArray[T], page int) bool {
	if res == nil || len(res.Result) == 0 {
		return false
	}
	if f, ok := res.ResultInfo.JSON.ExtraFields["total_pages"]; ok {
		if total, err := strconv.ParseFloat(f.Raw(), 64); err == nil {
			return float64(page) < total
		}
	}
	per := res.ResultInfo.PerPage
	return per > 0 && int64(len(res.Result)) >= per
}

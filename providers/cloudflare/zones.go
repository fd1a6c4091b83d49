package cloudflare

import (
	"context"

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
	err := walkPages(p, "list zones", func(page int) (*pagination.V4PagePaginationArray[zones.Zone], error) {
		var q zones.ZoneListParams
		set(&q.Page.Value, &q.Page.Present, float64(page))
		set(&q.PerPage.Value, &q.PerPage.Present, float64(zonesPerPage))
		if name != "" {
			set(&q.Name.Value, &q.Name.Present, name)
		}
		return p.zones.List(ctx, q)
	}, func(z zones.Zone) string { return z.ID }, func(z zones.Zone) {
		out = append(out, providers.Zone{ID: z.ID, Name: providers.CanonicalName(z.Name)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

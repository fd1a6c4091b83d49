package cloudflare

import (
	"context"
	"net/url"

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

// listZones reads every page of GET /zones (List Zones), filtered by exact
// name when name is set.
func (p *Provider) listZones(ctx context.Context, name string) ([]providers.Zone, error) {
	q := url.Values{}
	if name != "" {
		q.Set("name", name)
	}
	var out []providers.Zone
	err := walkPages(ctx, p, "list zones", "/zones", q, zonesPerPage, func(z apiZone) string { return z.ID }, func(z apiZone) {
		out = append(out, providers.Zone{ID: z.ID, Name: providers.CanonicalName(z.Name)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

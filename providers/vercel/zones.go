package vercel

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/zonepick"
)

// FindZone returns the domain that holds fqdn: the domain named hint when
// hint is set, else the longest suffix of fqdn among the token's (or
// team's) domains, every page of List all the domains.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	zones, err := p.zones(ctx)
	if err != nil {
		return providers.Zone{}, err
	}
	return zonepick.Pick("vercel", fqdn, hint, zones)
}

// zones lists every domain: GET /v5/domains, following pagination.next.
func (p *Provider) zones(ctx context.Context) ([]providers.Zone, error) {
	var zones []providers.Zone
	guard := providers.NewPageGuard("vercel: list domains")
	q := url.Values{"limit": {strconv.Itoa(pageLimit)}}
	for {
		var resp domainsResponse
		if err := p.api.Call(ctx, "list domains", http.MethodGet, "/v5/domains", q, nil, &resp); err != nil {
			return nil, err
		}
		ids := make([]string, 0, len(resp.Domains))
		for _, d := range resp.Domains {
			name := providers.CanonicalName(d.Name)
			zones = append(zones, providers.Zone{ID: name, Name: name})
			ids = append(ids, name)
		}
		if resp.Pagination.Next == nil || len(resp.Domains) == 0 {
			return zones, nil
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
		q.Set("until", strconv.FormatInt(*resp.Pagination.Next, 10))
	}
}

package spaceship

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/zonepick"
)

// domainsResponse is the answer of GET /v1/domains.
type domainsResponse struct {
	Items []struct {
		Name string `json:"name"`
	} `json:"items"`
	Total int `json:"total"`
}

// FindZone returns the domain that holds fqdn: the domain named hint when
// hint is set, else the longest suffix of fqdn among the account's
// domains.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	zones, err := p.zones(ctx)
	if err != nil {
		return providers.Zone{}, err
	}
	return zonepick.Pick("spaceship", fqdn, hint, zones)
}

// zones lists the account's domains: GET /v1/domains, paged with take and
// skip up to total.
func (p *Provider) zones(ctx context.Context) ([]providers.Zone, error) {
	var zones []providers.Zone
	guard := providers.NewPageGuard("spaceship: list domains")
	for skip := 0; ; {
		q := url.Values{"take": {strconv.Itoa(pageLimit)}, "skip": {strconv.Itoa(skip)}}
		var resp domainsResponse
		if err := p.api.Call(ctx, "list domains", http.MethodGet, "/domains", q, nil, &resp); err != nil {
			return nil, err
		}
		ids := make([]string, 0, len(resp.Items))
		for _, d := range resp.Items {
			name := providers.CanonicalName(d.Name)
			zones = append(zones, providers.Zone{ID: name, Name: name})
			ids = append(ids, name)
		}
		skip += len(resp.Items)
		if len(resp.Items) == 0 || skip >= resp.Total {
			return zones, nil
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

package godaddy

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/zonepick"
)

// domainJSON is a domain of GET /v1/domains ("DomainSummary").
type domainJSON struct {
	Domain string `json:"domain"`
	Status string `json:"status"`
}

// FindZone returns the domain that holds fqdn: the domain named hint when
// hint is set, else the longest suffix of fqdn among the account's active
// domains.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	zones, err := p.zones(ctx)
	if err != nil {
		return providers.Zone{}, err
	}
	return zonepick.Pick("godaddy", fqdn, hint, zones)
}

// zones lists the account's active domains: GET /v1/domains, paged with
// marker (the last domain of the previous page) until a page is empty.
func (p *Provider) zones(ctx context.Context) ([]providers.Zone, error) {
	var zones []providers.Zone
	guard := providers.NewPageGuard("godaddy: list domains")
	q := url.Values{"statuses": {"ACTIVE"}, "limit": {strconv.Itoa(pageLimit)}}
	for {
		var page []domainJSON
		if err := p.api.Call(ctx, "list domains", http.MethodGet, "/domains", q, nil, &page); err != nil {
			return nil, err
		}
		if len(page) == 0 {
			return zones, nil
		}
		ids := make([]string, 0, len(page))
		for _, d := range page {
			name := providers.CanonicalName(d.Domain)
			zones = append(zones, providers.Zone{ID: name, Name: name})
			ids = append(ids, name)
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
		q.Set("marker", page[len(page)-1].Domain)
	}
}

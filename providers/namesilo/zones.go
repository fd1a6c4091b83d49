package namesilo

import (
	"context"
	"net/url"
	"strconv"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/zonepick"
)

// domainsReply is listDomains' answer, with its pager.
type domainsReply struct {
	reply
	Domains []string `xml:"reply>domains>domain"`
	Total   int      `xml:"reply>pager>total"`
}

// FindZone returns the domain that holds fqdn: the domain named hint when
// hint is set, else the longest suffix of fqdn among the account's
// domains.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	zones, err := p.zones(ctx)
	if err != nil {
		return providers.Zone{}, err
	}
	return zonepick.Pick("namesilo", fqdn, hint, zones)
}

// zones lists the account's domains: listDomains, page by page.
func (p *Provider) zones(ctx context.Context) ([]providers.Zone, error) {
	var zones []providers.Zone
	guard := providers.NewPageGuard("namesilo: list domains")
	for page := 1; ; page++ {
		var resp domainsReply
		params := url.Values{"page": {strconv.Itoa(page)}, "pageSize": {strconv.Itoa(pageSize)}}
		if err := p.api.call(ctx, "listDomains", "", params, &resp); err != nil {
			return nil, err
		}
		ids := make([]string, 0, len(resp.Domains))
		for _, d := range resp.Domains {
			name := providers.CanonicalName(d)
			zones = append(zones, providers.Zone{ID: name, Name: name})
			ids = append(ids, name)
		}
		if len(resp.Domains) == 0 || len(zones) >= resp.Total {
			return zones, nil
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

package porkbun

import (
	"context"
	"strconv"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/zonepick"
)

// FindZone returns the domain that holds fqdn: the domain named hint when
// hint is set, else the longest suffix of fqdn among the account's
// domains (Domain List All, every page).
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	zones, err := p.zones(ctx)
	if err != nil {
		return providers.Zone{}, err
	}
	return zonepick.Pick("porkbun", fqdn, hint, zones)
}

// zones lists the account's domains. Domain List All answers up to 1000
// domains from the offset "start"; the provider reads pages until one is
// empty, as the documentation does not promise that a short page is the
// last.
func (p *Provider) zones(ctx context.Context) ([]providers.Zone, error) {
	var zones []providers.Zone
	guard := providers.NewPageGuard("porkbun: list domains")
	for start := 0; ; {
		var resp listAllResponse
		if err := p.api.call(ctx, "/domain/listAll", "", map[string]any{"start": strconv.Itoa(start)}, &resp); err != nil {
			return nil, err
		}
		if len(resp.Domains) == 0 {
			return zones, nil
		}
		ids := make([]string, 0, len(resp.Domains))
		for _, d := range resp.Domains {
			name := providers.CanonicalName(d.Domain)
			zones = append(zones, providers.Zone{ID: name, Name: name})
			ids = append(ids, name)
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
		start += len(resp.Domains)
	}
}

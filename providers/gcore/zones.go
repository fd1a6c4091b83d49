package gcore

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/zonepick"
)

// FindZone returns the zone that holds fqdn: the zone named hint when hint
// is set, else the longest suffix of fqdn among the token's zones.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	zones, err := p.zones(ctx)
	if err != nil {
		return providers.Zone{}, err
	}
	return zonepick.Pick("gcore", fqdn, hint, zones)
}

// zones lists every zone: GET /v2/zones, paged by offset and limit up to
// total_amount.
func (p *Provider) zones(ctx context.Context) ([]providers.Zone, error) {
	var zones []providers.Zone
	guard := providers.NewPageGuard("gcore: list zones")
	for offset := 0; ; {
		q := url.Values{"limit": {strconv.Itoa(pageLimit)}, "offset": {strconv.Itoa(offset)}}
		var resp zonesResponse
		if err := p.api.Call(ctx, "list zones", http.MethodGet, "/zones", q, nil, &resp); err != nil {
			return nil, err
		}
		ids := make([]string, 0, len(resp.Zones))
		for _, z := range resp.Zones {
			name := providers.CanonicalName(z.Name)
			zones = append(zones, providers.Zone{ID: name, Name: name})
			ids = append(ids, name)
		}
		offset += len(resp.Zones)
		if len(resp.Zones) == 0 || offset >= resp.TotalAmount {
			return zones, nil
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

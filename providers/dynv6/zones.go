package dynv6

import (
	"context"
	"net/http"
	"strconv"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/zonepick"
)

// zoneJSON is a zone: a hostname with its own IPv4 address and IPv6
// prefix.
type zoneJSON struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	IPv4Address string `json:"ipv4address"`
	IPv6Prefix  string `json:"ipv6prefix"`
}

// FindZone returns the zone that holds fqdn: the zone named hint when hint
// is set, else the longest suffix of fqdn among the token's zones (GET
// /zones, which answers every zone at once).
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	var list []zoneJSON
	if err := p.api.Call(ctx, "list zones", http.MethodGet, "/zones", nil, nil, &list); err != nil {
		return providers.Zone{}, err
	}
	zones := make([]providers.Zone, 0, len(list))
	for _, z := range list {
		zones = append(zones, providers.Zone{ID: strconv.FormatInt(z.ID, 10), Name: providers.CanonicalName(z.Name)})
	}
	return zonepick.Pick("dynv6", fqdn, hint, zones)
}

package googleclouddns

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// zoneJSON is a managed zone (managedZones.list); its name is the API's
// handle for it, dnsName the DNS name with a trailing dot.
type zoneJSON struct {
	Name       string `json:"name"`
	DNSName    string `json:"dnsName"`
	Visibility string `json:"visibility"`
}

// FindZone returns the managed zone that holds fqdn, among the project's
// public zones (private ones with spec.googleclouddns.privateZone): with
// hint, the zone of that DNS name (managedZones.list?dnsName=); otherwise
// the longest suffix among every page of managedZones.list. The Zone's ID
// is the managed zone's name, which the API's paths take.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	fqdn = providers.CanonicalName(fqdn)
	q := url.Values{}
	if hint != "" {
		hint = providers.CanonicalName(hint)
		if fqdn != hint && !strings.HasSuffix(fqdn, "."+hint) {
			return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "zone %q does not hold %q", hint, fqdn)
		}
		q.Set("dnsName", hint+".")
	}
	path, err := p.projectPath(ctx, "managedZones")
	if err != nil {
		return providers.Zone{}, err
	}
	var zones []providers.Zone
	other := 0 // zones of the other visibility that would hold the name
	err = p.pages(ctx, "list managed zones", path, q, func(raw []byte) (string, []string, error) {
		var page struct {
			Zones []zoneJSON `json:"managedZones"`
			Next  string     `json:"nextPageToken"`
		}
		if err := decodeList(raw, &page, "managedZones"); err != nil {
			return "", nil, err
		}
		ids := make([]string, 0, len(page.Zones))
		for _, z := range page.Zones {
			ids = append(ids, z.Name)
			zone := providers.Zone{ID: z.Name, Name: providers.CanonicalName(z.DNSName)}
			if (z.Visibility == "private") != p.private {
				if _, holds := providers.LongestSuffixZone(fqdn, []providers.Zone{zone}); holds {
					other++
				}
				continue
			}
			zones = append(zones, zone)
		}
		return page.Next, ids, nil
	})
	if err != nil {
		return providers.Zone{}, err
	}
	if hint != "" {
		for _, z := range zones {
			if z.Name == hint {
				return z, nil
			}
		}
		return providers.Zone{}, p.noZone(hint, other)
	}
	z, ok := providers.LongestSuffixZone(fqdn, zones)
	if !ok {
		return providers.Zone{}, p.noZone(fqdn, other)
	}
	return z, nil
}

// noZone says no zone of the wanted visibility holds name, and when one of
// the other does, how to use it.
func (p *Provider) noZone(name string, other int) error {
	want, alt, how := "public", "private", "set spec.googleclouddns.privateZone: true"
	if p.private {
		want, alt, how = "private", "public", "leave spec.googleclouddns.privateZone unset"
	}
	msg := fmt.Sprintf("no %s managed zone of project %s holds %q", want, p.projectName(), name)
	if other > 0 {
		msg += fmt.Sprintf("; a %s one does (%s to use it)", alt, how)
	}
	return providers.Errorf(providers.KindZoneNotFound, "", "%s", msg)
}

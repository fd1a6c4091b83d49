// Package zonepick chooses, among the zones an account lists, the one
// that holds a name: what every provider's FindZone does once it has the
// list.
package zonepick

import (
	"github.com/ddns-operator/ddns-operator/providers"
)

// Pick returns the zone among zones that holds fqdn: the zone named hint
// when hint is set (ZoneNotFound when the account has none of that name,
// or when it does not hold fqdn), else the longest suffix of fqdn.
// provider prefixes the messages ("porkbun").
func Pick(provider, fqdn, hint string, zones []providers.Zone) (providers.Zone, error) {
	fqdn = providers.CanonicalName(fqdn)
	if hint != "" {
		hint = providers.CanonicalName(hint)
		for _, z := range zones {
			if providers.CanonicalName(z.Name) != hint {
				continue
			}
			if _, ok := providers.LongestSuffixZone(fqdn, []providers.Zone{z}); !ok {
				return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "%s: %s is not a name in zone %s", provider, fqdn, hint)
			}
			return z, nil
		}
		return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "%s: the account has no zone %s", provider, hint)
	}
	if z, ok := providers.LongestSuffixZone(fqdn, zones); ok {
		return z, nil
	}
	return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "%s: no zone of the account holds %s", provider, fqdn)
}

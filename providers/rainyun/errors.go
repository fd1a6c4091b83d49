package rainyun

// Rainyun reports a refusal both in the HTTP status and in the envelope's
// code, which follows HTTP's numbers (400 a refused value, 401/403 a
// refused key, 404 an unknown domain or record, 429 throttling, 5xx its
// own faults); rest.ReadEnvelope classifies them. A 404 is KindNotFound:
// the caller knows whether a domain (KindZoneNotFound) or a record (gone)
// was addressed.

import (
	"fmt"

	"github.com/ddns-operator/ddns-operator/providers"
)

// zoneError turns "not found" into "no such zone", for calls that address
// a domain.
func zoneError(err error, zone providers.Zone) error {
	if providers.KindOf(err) != providers.KindNotFound {
		return err
	}
	return providers.Errorf(providers.KindZoneNotFound, "404", "rainyun: the account has no domain %s (ID %s)", zone.Name, zone.ID)
}

// ttlError names Rainyun's minimum TTL when a write with a TTL below it is
// refused, since the API's own words may not.
func ttlError(err error, ttl int32) error {
	pe, ok := providers.AsError(err)
	if !ok || pe.Kind != providers.KindInvalid || ttl <= 0 || ttl >= MinTTL {
		return err
	}
	out := *pe
	out.Message += fmt.Sprintf(" (TTL %d is below Rainyun's minimum of %d seconds)", ttl, MinTTL)
	return &out
}

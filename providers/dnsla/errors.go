package dnsla

// DNS.LA refuses credentials with HTTP 401 and reports other refusals in
// the envelope's code, which follows HTTP's numbers (400 a refused
// request, 404 an unknown domain or record, 429 throttling, 5xx its own
// faults); rest.ReadEnvelope classifies them. A 404 is KindNotFound: the
// caller knows whether a domain or a record was addressed.

import (
	"github.com/ddns-operator/ddns-operator/providers"
)

// zoneError turns "not found" into "no such zone", for calls that address
// a domain.
func zoneError(err error, zone providers.Zone) error {
	if providers.KindOf(err) != providers.KindNotFound {
		return err
	}
	return providers.Errorf(providers.KindZoneNotFound, "404", "dnsla: the account has no domain %s (ID %s)", zone.Name, zone.ID)
}

package rainyun

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// statusError classifies an answer. Rainyun reports a refusal both in the
// HTTP status and in the envelope's code, which follows HTTP's numbers
// (200 ok, 400 a refused value, 401/403 a refused key, 404 an unknown
// domain or record, 429 throttling, 5xx its own faults); either one is
// enough. A 404 is KindNotFound here: the caller knows whether a domain
// (KindZoneNotFound) or a record (gone) was addressed.
func statusError(op string, resp *http.Response, env envelope, decodeErr error, key string) error {
	code := env.Code
	if decodeErr != nil || resp.StatusCode >= 300 {
		code = resp.StatusCode
	}
	if code == http.StatusOK {
		if decodeErr != nil {
			return &providers.Error{Kind: providers.KindTransient, Message: fmt.Sprintf("rainyun %s: undecodable answer (HTTP %d)", op, resp.StatusCode), Err: decodeErr}
		}
		return nil
	}
	msg := strings.TrimSpace(env.Message)
	if key != "" {
		msg = strings.ReplaceAll(msg, key, "[redacted]")
	}
	if msg == "" {
		msg = http.StatusText(code)
	}
	full, c := "rainyun "+op+": "+msg, fmt.Sprint(code)
	switch k := providers.KindOfStatus(code); k {
	case providers.KindRateLimited:
		return providers.RateLimited(c, full, providers.ParseRetryAfter(resp.Header.Get("Retry-After")))
	case providers.KindAuth:
		return providers.Errorf(k, c, "%s; check the Secret's %s", full, APIKeyKey)
	default:
		return providers.Errorf(k, c, "%s", full)
	}
}

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
	pe, ok := err.(*providers.Error)
	if !ok || pe.Kind != providers.KindInvalid || ttl <= 0 || ttl >= MinTTL {
		return err
	}
	out := *pe
	out.Message += fmt.Sprintf(" (TTL %d is below Rainyun's minimum of %d seconds)", ttl, MinTTL)
	return &out
}

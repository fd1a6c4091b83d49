package dnsla

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// statusError classifies an answer. DNS.LA refuses credentials with HTTP
// 401 and reports other refusals in the envelope's code, which follows
// HTTP's numbers (200 ok, 400 a refused request, 404 an unknown domain or
// record, 429 throttling, 5xx its own faults). A 404 is KindNotFound: the
// caller knows whether a domain or a record was addressed.
func statusError(op string, resp *http.Response, env envelope, decodeErr error, secret string) error {
	code := env.Code
	if decodeErr != nil || resp.StatusCode >= 300 {
		code = resp.StatusCode
	}
	if code == http.StatusOK {
		if decodeErr != nil {
			return &providers.Error{Kind: providers.KindTransient, Message: fmt.Sprintf("dnsla %s: undecodable answer (HTTP %d)", op, resp.StatusCode), Err: decodeErr}
		}
		return nil
	}
	msg := strings.TrimSpace(env.Msg)
	if secret != "" {
		msg = strings.ReplaceAll(msg, secret, "[redacted]")
	}
	if msg == "" {
		msg = http.StatusText(code)
	}
	full, c := "dnsla "+op+": "+msg, fmt.Sprint(code)
	switch k := providers.KindOfStatus(code); k {
	case providers.KindRateLimited:
		return providers.RateLimited(c, full, providers.ParseRetryAfter(resp.Header.Get("Retry-After")))
	case providers.KindAuth:
		return providers.Errorf(k, c, "%s; check the Secret's %s and %s", full, APIIDKey, APISecretKey)
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
	return providers.Errorf(providers.KindZoneNotFound, "404", "dnsla: the account has no domain %s (ID %s)", zone.Name, zone.ID)
}

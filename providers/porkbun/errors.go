package porkbun

import (
	"net/http"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

// The messages of Porkbun's ERROR answers the provider acts on, as
// Porkbun sends them (HTTP 400; quoted in DDNS clients' reports, e.g.
// jeessy2/ddns-go issues 388 and 1015).
const (
	msgInvalidKey    = "Invalid API key"
	msgNotOptedIn    = "not opted in to API access"
	msgInvalidDomain = "Invalid domain"
	msgInvalidRecord = "Invalid record ID"
)

// answerError builds the error for an answer that is not a SUCCESS. The
// message is Porkbun's own, with the secret key scrubbed out should the
// API ever echo it.
func answerError(resp *jsonapi.Response, st status, decodeErr error, op, domain, secret string) error {
	msg := strings.TrimSpace(st.Message)
	if secret != "" {
		msg = strings.ReplaceAll(msg, secret, "[redacted]")
	}
	if decodeErr != nil || st.Status == "" {
		// Not Porkbun's JSON: its front end's throttling or error page.
		return jsonapi.StatusError(resp, op, "", "")
	}
	if msg == "" {
		msg = "request refused"
	}
	switch {
	case strings.Contains(msg, msgNotOptedIn):
		return providers.Errorf(providers.KindAuth, "", "%s: %s Turn on API Access for %s in Porkbun's Domain Management page (porkbun.com/account/domainsSpeedy, the domain's Details); Porkbun answers DNS calls only for domains opted in", op, msg, domain)
	case strings.Contains(msg, msgInvalidKey):
		return providers.Errorf(providers.KindAuth, "", "%s: %s", op, msg)
	case strings.Contains(msg, msgInvalidDomain):
		return providers.Errorf(providers.KindZoneNotFound, "", "%s: %s (%s is not a domain of this account)", op, msg, domain)
	case strings.Contains(msg, msgInvalidRecord):
		return providers.Errorf(providers.KindNotFound, "", "%s: %s", op, msg)
	case resp.Status == http.StatusTooManyRequests || resp.Status >= 500:
		return jsonapi.StatusError(resp, op, "", msg)
	case strings.Contains(strings.ToLower(msg), "ttl"):
		return providers.Errorf(providers.KindInvalid, "", "%s: %s (Porkbun's smallest TTL is %d seconds)", op, msg, MinTTL)
	}
	return providers.Errorf(providers.KindInvalid, "", "%s: %s", op, msg)
}

// ttlError refuses a TTL below Porkbun's minimum before anything is sent.
func ttlError(ttl int32) error {
	return providers.Errorf(providers.KindInvalid, "", "porkbun: TTL %d is below Porkbun's minimum TTL of %d seconds (API documentation, DNS Create Record)", ttl, MinTTL)
}

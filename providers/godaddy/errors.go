package godaddy

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

// errorBody is GoDaddy's error envelope (the "Error" model of every
// endpoint): a code, a message and, for a body that fails the schema,
// the fields at fault.
type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Fields  []struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Path    string `json:"path"`
	} `json:"fields"`
	RetryAfterSec int `json:"retryAfterSec"`
}

// Codes the provider acts on.
const (
	codeAccessDenied = "ACCESS_DENIED"
	codeUnknown      = "UNKNOWN_DOMAIN"
)

// accountNotEligible is what the provider says of 403 ACCESS_DENIED: the
// answer GoDaddy gives, since May 2024, to every Domains and DNS API call
// of an account that does not qualify for the API.
const accountNotEligible = "GoDaddy refuses its DNS API to accounts with fewer than 10 domains " +
	"(since 2024; a Discount Domain Club Premier membership also qualifies). This account does not qualify: " +
	"move the domain's DNS to a provider this operator supports, or have GoDaddy enable API access for the account"

// answerError builds the error for a non-2xx answer. secret is scrubbed
// from the text.
func answerError(resp *jsonapi.Response, op, secret string) error {
	var body errorBody
	if err := json.Unmarshal(resp.Body, &body); err != nil || body.Code == "" {
		return jsonapi.StatusError(resp, op, "", "")
	}
	msg := strings.TrimSpace(body.Message)
	for _, f := range body.Fields {
		msg += fmt.Sprintf("; %s: %s", f.Path, f.Message)
	}
	if secret != "" {
		msg = strings.ReplaceAll(msg, secret, "[redacted]")
	}
	switch {
	case resp.Status == http.StatusForbidden && body.Code == codeAccessDenied:
		return providers.Errorf(providers.KindAuth, body.Code, "%s: %s: %s", op, msg, accountNotEligible)
	case resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden:
		return providers.Errorf(providers.KindAuth, body.Code, "%s: %s (check apiKey and apiSecret: a production key, not an OTE test key)", op, msg)
	case resp.Status == http.StatusTooManyRequests:
		wait := resp.RetryAfter()
		if wait == 0 && body.RetryAfterSec > 0 {
			wait = time.Duration(body.RetryAfterSec) * time.Second
		}
		return providers.RateLimited(body.Code, op+": "+msg, wait)
	case resp.Status == http.StatusNotFound && body.Code == codeUnknown:
		return providers.Errorf(providers.KindZoneNotFound, body.Code, "%s: %s", op, msg)
	case resp.Status == http.StatusNotFound:
		return providers.Errorf(providers.KindNotFound, body.Code, "%s: %s", op, msg)
	case resp.Status >= 500:
		return providers.Errorf(providers.KindTransient, body.Code, "%s: %s (HTTP %d)", op, msg, resp.Status)
	case strings.Contains(strings.ToLower(msg), "ttl") && !strings.Contains(msg, fmt.Sprint(MinTTL)):
		msg += fmt.Sprintf(" (GoDaddy's smallest TTL is %d seconds)", MinTTL)
	}
	return providers.Errorf(providers.KindInvalid, body.Code, "%s: %s", op, msg)
}

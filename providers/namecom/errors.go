package namecom

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

// answerError builds the error for a non-2xx answer from Name.com's
// ErrorMessage {"message", "details"} (API documentation, "API
// Overview"): 401 refuses the user name and token, 403 the account's API
// access, 404 is a missing domain or record, 429 throttles, other 4xx
// refuse the request with Name.com's words (naming the minimum TTL when
// the TTL is the reason), 5xx are transient. token is scrubbed.
func answerError(resp *jsonapi.Response, op, token string) error {
	var body struct {
		Message string `json:"message"`
		Details string `json:"details"`
	}
	_ = json.Unmarshal(resp.Body, &body)
	msg := strings.TrimSpace(body.Message)
	if d := strings.TrimSpace(body.Details); d != "" {
		msg = strings.TrimSpace(msg + ": " + d)
	}
	msg = strings.ReplaceAll(msg, token, "[redacted]")
	switch {
	case resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden:
		if msg == "" {
			msg = http.StatusText(resp.Status)
		}
		return providers.Errorf(providers.KindAuth, "", "%s: %s (HTTP %d; check the Secret's %s and %s, and that the token is not a test-environment token)", op, msg, resp.Status, UsernameKey, TokenKey)
	case resp.Status >= 400 && resp.Status < 500 && resp.Status != http.StatusNotFound && resp.Status != http.StatusTooManyRequests &&
		strings.Contains(strings.ToLower(msg), "ttl"):
		return providers.Errorf(providers.KindInvalid, "", "%s: %s (HTTP %d; Name.com's smallest TTL is %d seconds)", op, msg, resp.Status, MinTTL)
	}
	return jsonapi.StatusError(resp, op, "", msg)
}

// zoneError reports a 404 for a domain's records as the domain missing.
func zoneError(err error, zone providers.Zone) error {
	if providers.KindOf(err) != providers.KindNotFound {
		return err
	}
	return &providers.Error{Kind: providers.KindZoneNotFound, Message: "namecom: domain " + zone.Name + " is not in this account: " + err.Error(), Err: err}
}

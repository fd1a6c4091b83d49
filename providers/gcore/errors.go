package gcore

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

// answerError builds the error for a non-2xx answer from Gcore's error
// envelope ({"error":"..."}): 401 and 403 refuse the token, 404 is a
// missing zone or RRset, 429 throttles (with the Retry-After), other 4xx
// refuse the request with Gcore's words, 5xx are transient. secret is
// scrubbed from the text.
func answerError(resp *jsonapi.Response, op, secret string) error {
	var body errorBody
	_ = json.Unmarshal(resp.Body, &body)
	msg := strings.TrimSpace(body.Error)
	if msg == "" {
		msg = strings.TrimSpace(body.Message)
	}
	if secret != "" {
		msg = strings.ReplaceAll(msg, secret, "[redacted]")
	}
	if resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden {
		if msg == "" {
			msg = http.StatusText(resp.Status)
		}
		return providers.Errorf(providers.KindAuth, "", "%s: %s (HTTP %d; check the API token and its role: it needs DNS zone editing)", op, msg, resp.Status)
	}
	return jsonapi.StatusError(resp, op, "", msg)
}

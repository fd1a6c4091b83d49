package spaceship

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

// errorBody is Spaceship's error envelope: a detail and, for a request
// that fails validation, the fields at fault.
type errorBody struct {
	Detail string `json:"detail"`
	Data   []struct {
		Field   string `json:"field"`
		Details string `json:"details"`
	} `json:"data"`
}

// answerError builds the error for a non-2xx answer: 401 and 403 refuse
// the key, 404 is a domain the account does not hold, 429 throttles
// (with the Retry-After), other 4xx refuse the request in Spaceship's
// words, 5xx are transient. secret is scrubbed from the text.
func answerError(resp *jsonapi.Response, op, secret string) error {
	var body errorBody
	_ = json.Unmarshal(resp.Body, &body)
	msg := strings.TrimSpace(body.Detail)
	for _, d := range body.Data {
		msg = strings.TrimPrefix(msg+fmt.Sprintf("; %s: %s", d.Field, d.Details), "; ")
	}
	if secret != "" {
		msg = strings.ReplaceAll(msg, secret, "[redacted]")
	}
	switch resp.Status {
	case http.StatusUnauthorized, http.StatusForbidden:
		if msg == "" {
			msg = http.StatusText(resp.Status)
		}
		return providers.Errorf(providers.KindAuth, "", "%s: %s (HTTP %d; check apiKey and apiSecret, and that the key may read and write DNS records)", op, msg, resp.Status)
	case http.StatusNotFound:
		return providers.Errorf(providers.KindZoneNotFound, "", "%s: %s (HTTP 404: the domain is not in this account)", op, orText(msg, "not found"))
	}
	return jsonapi.StatusError(resp, op, "", msg)
}

func orText(msg, alt string) string {
	if msg == "" {
		return alt
	}
	return msg
}

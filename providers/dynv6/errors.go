package dynv6

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

// answerError builds the error for a non-2xx answer: 401 and 403 refuse
// the token, 404 is a zone or record that is not there, 422 a refused
// value, 429 throttling, 5xx transient. dynv6's error bodies are short
// JSON ({"error":"..."}) or text; either is kept, the token scrubbed.
func answerError(resp *jsonapi.Response, op, token string) error {
	var body struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	msg := ""
	if json.Unmarshal(resp.Body, &body) == nil {
		msg = strings.TrimSpace(body.Error + " " + body.Message)
	} else if len(resp.Body) < 200 && !strings.Contains(string(resp.Body), "<") {
		msg = strings.TrimSpace(string(resp.Body))
	}
	if token != "" {
		msg = strings.ReplaceAll(msg, token, "[redacted]")
	}
	if resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden {
		if msg == "" {
			msg = http.StatusText(resp.Status)
		}
		return providers.Errorf(providers.KindAuth, "", "%s: %s (HTTP %d; check the HTTP token in dynv6.com/keys)", op, msg, resp.Status)
	}
	return jsonapi.StatusError(resp, op, "", msg)
}

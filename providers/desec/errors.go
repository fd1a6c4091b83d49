package desec

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

// answerError builds the error for a non-2xx answer. deSEC answers
// {"detail": "..."} for refusals of the request as a whole (401 "Invalid
// token.", 403 "Insufficient token permissions.", 404 "Not found.", 429
// "Request was throttled. Expected available in N seconds." with
// Retry-After) and {"field": ["..."]} for invalid fields (a TTL below the
// domain's minimum: {"ttl": ["Ensure this value is greater than or equal
// to 3600."]}), which are KindInvalid with deSEC's words. token is
// scrubbed.
func answerError(resp *jsonapi.Response, op, token string) error {
	msg := strings.ReplaceAll(messages(resp.Body), token, "[redacted]")
	switch resp.Status {
	case http.StatusUnauthorized:
		return providers.Errorf(providers.KindAuth, "", "%s: %s (HTTP 401; check the Secret's %s)", op, orStatus(msg, resp.Status), TokenKey)
	case http.StatusForbidden:
		return providers.Errorf(providers.KindAuth, "", "%s: %s (HTTP 403; the token's policies must allow writing the record's RRset and its companion TXT RRset _ddns-owner-*)", op, orStatus(msg, resp.Status))
	}
	return jsonapi.StatusError(resp, op, "", msg)
}

// messages joins the texts of a deSEC error body: its detail, or each
// field's messages as "field: message".
func messages(body []byte) string {
	var detail struct {
		Detail string `json:"detail"`
	}
	if json.Unmarshal(body, &detail) == nil && detail.Detail != "" {
		return strings.TrimSpace(detail.Detail)
	}
	var fields map[string]any
	if json.Unmarshal(body, &fields) != nil {
		return ""
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		for _, m := range flatten(fields[k]) {
			if k == "non_field_errors" {
				out = append(out, m)
			} else {
				out = append(out, k+": "+m)
			}
		}
	}
	return strings.Join(out, "; ")
}

// flatten lists the strings of a field's messages (a string, a list, or
// nested lists and objects for bulk requests).
func flatten(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, flatten(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range x {
			out = append(out, flatten(e)...)
		}
		return out
	case nil:
		return nil
	}
	return []string{fmt.Sprint(v)}
}

func orStatus(msg string, status int) string {
	if msg == "" {
		return http.StatusText(status)
	}
	return msg
}

package vercel

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

// answerError builds the error for a non-2xx answer from Vercel's error
// envelope: 401 and 403 (a bad token, or one without access to the team
// or domain) refuse the credentials, 404 names a missing domain or
// record, 429 throttles until X-RateLimit-Reset (or Retry-After), a 400
// about the TTL names Vercel's minimum. secret is scrubbed from the text.
func answerError(resp *jsonapi.Response, op, secret string) error {
	var body errorBody
	if err := json.Unmarshal(resp.Body, &body); err != nil || body.Error == nil {
		return jsonapi.StatusError(resp, op, "", "")
	}
	code, msg := body.Error.Code, strings.TrimSpace(body.Error.Message)
	if secret != "" {
		msg = strings.ReplaceAll(msg, secret, "[redacted]")
	}
	if msg == "" {
		msg = http.StatusText(resp.Status)
	}
	switch {
	case resp.Status == http.StatusTooManyRequests:
		return providers.RateLimited(code, op+": "+msg, retryAfter(resp))
	case resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden:
		if body.Error.InvalidToken {
			msg += " (the token is invalid or expired)"
		} else {
			msg += " (the token has no access to this team or domain: check spec.vercel.teamId and the token's scope)"
		}
		return providers.Errorf(providers.KindAuth, code, "%s: %s", op, msg)
	case resp.Status == http.StatusNotFound:
		return providers.Errorf(providers.KindNotFound, code, "%s: %s", op, msg)
	case resp.Status >= 500:
		return providers.Errorf(providers.KindTransient, code, "%s: %s (HTTP %d)", op, msg, resp.Status)
	case strings.Contains(strings.ToLower(msg), "ttl") && !strings.Contains(msg, fmt.Sprint(MinTTL)):
		msg += fmt.Sprintf(" (Vercel's smallest TTL is %d seconds)", MinTTL)
	}
	return providers.Errorf(providers.KindInvalid, code, "%s: %s", op, msg)
}

// retryAfter is the wait a 429 asks for: Retry-After, or the time until
// X-RateLimit-Reset (a Unix time in seconds).
func retryAfter(resp *jsonapi.Response) time.Duration {
	if d := resp.RetryAfter(); d > 0 {
		return d
	}
	reset, err := strconv.ParseInt(strings.TrimSpace(resp.Header.Get("X-RateLimit-Reset")), 10, 64)
	if err != nil {
		return 0
	}
	if d := time.Until(time.Unix(reset, 0)); d > 0 {
		return d.Round(time.Second) + time.Second
	}
	return 0
}

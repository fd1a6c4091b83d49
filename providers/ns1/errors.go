package ns1

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

// The messages of NS1's 404 answers ({"message": ...}), as its SDK
// (ns1-go, rest/record.go and rest/zone.go) tells them apart.
const (
	msgZoneNotFound   = "zone not found"
	msgRecordNotFound = "record not found"
)

// answerError builds the error for a non-2xx answer from NS1's envelope
// {"message": "..."}: 401 refuses the key, 403 its permissions, 404 is a
// missing zone or record, 429 throttles (waiting as the X-RateLimit-*
// headers say), other 4xx refuse the request with NS1's words, 5xx are
// transient. key is scrubbed from the text.
func answerError(resp *jsonapi.Response, op, key string) error {
	var body struct {
		Message string `json:"message"`
	}
	_ = json.Unmarshal(resp.Body, &body)
	msg := strings.ReplaceAll(strings.TrimSpace(body.Message), key, "[redacted]")
	switch resp.Status {
	case http.StatusUnauthorized:
		return providers.Errorf(providers.KindAuth, "", "%s: %s (HTTP 401; check the Secret's %s)", op, orStatus(msg, resp.Status), APIKeyKey)
	case http.StatusForbidden:
		return providers.Errorf(providers.KindAuth, "", "%s: %s (HTTP 403; the API key needs permission to view and manage the zone's records)", op, orStatus(msg, resp.Status))
	case http.StatusNotFound:
		if strings.Contains(strings.ToLower(msg), msgZoneNotFound) {
			return providers.Errorf(providers.KindZoneNotFound, "", "%s: %s (HTTP 404)", op, msg)
		}
	case http.StatusTooManyRequests:
		return providers.RateLimited("", op+": "+orStatus(msg, resp.Status)+" (HTTP 429)", retryAfter(resp))
	}
	return jsonapi.StatusError(resp, op, "", msg)
}

// retryAfter is how long to wait after a 429: Retry-After when given,
// else the time the key's bucket takes to refill one token
// (X-RateLimit-Period seconds per X-RateLimit-Limit tokens), at least a
// second.
func retryAfter(resp *jsonapi.Response) time.Duration {
	if d := resp.RetryAfter(); d > 0 {
		return d
	}
	limit, _ := strconv.Atoi(resp.Header.Get("X-RateLimit-Limit"))
	period, _ := strconv.Atoi(resp.Header.Get("X-RateLimit-Period"))
	if limit <= 0 || period <= 0 {
		return 0
	}
	return time.Duration(math.Ceil(float64(period)/float64(limit))) * time.Second
}

func orStatus(msg string, status int) string {
	if msg == "" {
		return http.StatusText(status)
	}
	return msg
}

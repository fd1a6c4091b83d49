package digitalocean

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
)

// errorJSON is the API's error body
// (https://docs.digitalocean.com/reference/api/digitalocean/#section/Introduction/Responses):
// a short id ("unauthorized", "not_found", "unprocessable_entity",
// "too_many_requests") and a message.
type errorJSON struct {
	ID      string `json:"id"`
	Message string `json:"message"`
}

// refusal maps an answer outside 2xx to a providers.Error from its status,
// the body's id and message, and for 429 the wait the headers give.
func refusal(op string, status int, h http.Header, body []byte) error {
	var e errorJSON
	_ = json.Unmarshal(body, &e)
	text := e.Message
	if text == "" {
		text = strings.ToLower(http.StatusText(status))
	}
	code := e.ID
	if code == "" {
		code = strconv.Itoa(status)
	}
	msg := op + ": " + text
	switch {
	case status == http.StatusTooManyRequests || e.ID == "too_many_requests":
		return providers.RateLimited(code, msg, retryAfter(h))
	case status >= 500:
		return providers.Errorf(providers.KindTransient, code, "%s", msg)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return providers.Errorf(providers.KindAuth, code, "%s", msg)
	case status == http.StatusNotFound:
		return providers.Errorf(providers.KindNotFound, code, "%s", msg)
	}
	// 400 bad_request, 422 unprocessable_entity: a TTL below 30, a value
	// that does not fit, a record limit.
	return providers.Errorf(providers.KindInvalid, code, "%s", msg)
}

// retryAfter is how long a 429 asks to wait: Retry-After when sent,
// otherwise until RateLimit-Reset (a Unix time), the header
// DigitalOcean documents.
func retryAfter(h http.Header) time.Duration {
	if d := providers.ParseRetryAfter(h.Get("Retry-After")); d > 0 {
		return d
	}
	if reset, err := strconv.ParseInt(strings.TrimSpace(h.Get("RateLimit-Reset")), 10, 64); err == nil {
		if d := time.Until(time.Unix(reset, 0)); d > 0 && d <= time.Hour {
			return d.Round(time.Second) + time.Second
		}
	}
	return 0
}

// zoneError makes a 404 from a domain's endpoints (the domain, its record
// list, a POST of a record) a missing zone. A 404 from one record's path
// means the record is gone, and callers keep it KindNotFound.
func zoneError(err error, zone string) error {
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Kind != providers.KindNotFound {
		return err
	}
	return &providers.Error{Kind: providers.KindZoneNotFound, Code: pe.Code,
		Message: "DigitalOcean has no domain " + zone + " for this token (" + pe.Message + ")"}
}

// decode reads a list answer.
func decode(raw []byte, v any) error { return json.Unmarshal(raw, v) }

// errNotAList is the error for a 2xx answer that holds no list.
func errNotAList(err error) error {
	if err != nil {
		return err
	}
	return errors.New("the answer holds no list")
}

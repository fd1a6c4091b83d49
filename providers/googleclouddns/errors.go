package googleclouddns

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// errorJSON is Google's error body
// (https://cloud.google.com/apis/design/errors#http_mapping): the HTTP
// code, a message, the canonical status, and the reasons of the older
// format ("notFound", "rateLimitExceeded", "conditionNotMet").
type errorJSON struct {
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Status  string `json:"status"`
		Errors  []struct {
			Reason  string `json:"reason"`
			Message string `json:"message"`
		} `json:"errors"`
	} `json:"error"`
}

// refusal maps an answer outside 2xx to a providers.Error.
func refusal(op string, status int, h http.Header, body []byte) error {
	var e errorJSON
	_ = json.Unmarshal(body, &e)
	text := e.Error.Message
	if text == "" {
		text = strings.ToLower(http.StatusText(status))
	}
	reason := e.Error.Status
	for _, x := range e.Error.Errors {
		if x.Reason != "" {
			reason = x.Reason
			break
		}
	}
	code := reason
	if code == "" {
		code = strconv.Itoa(status)
	}
	msg := op + ": " + text
	switch {
	case status == http.StatusTooManyRequests || reason == "rateLimitExceeded" || reason == "userRateLimitExceeded" || e.Error.Status == "RESOURCE_EXHAUSTED":
		return providers.RateLimited(code, msg, providers.ParseRetryAfter(h.Get("Retry-After")))
	case status >= 500:
		return providers.Errorf(providers.KindTransient, code, "%s", msg)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		// UNAUTHENTICATED, PERMISSION_DENIED, accessNotConfigured (the
		// Cloud DNS API is off in the project).
		return providers.Errorf(providers.KindAuth, code, "%s", msg)
	case status == http.StatusNotFound:
		return providers.Errorf(providers.KindNotFound, code, "%s", msg)
	case status == http.StatusConflict || status == http.StatusPreconditionFailed:
		// alreadyExists, conditionNotMet: the zone changed since it was
		// read; the next check reads it again.
		return providers.Errorf(providers.KindTransient, code, "%s (the zone changed since it was read)", msg)
	}
	return providers.Errorf(providers.KindInvalid, code, "%s", msg)
}

// zoneError makes a 404 from a managed zone's paths a missing zone.
func zoneError(err error, zone providers.Zone) error {
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Kind != providers.KindNotFound {
		return err
	}
	return &providers.Error{Kind: providers.KindZoneNotFound, Code: pe.Code,
		Message: fmt.Sprintf("managed zone %s (%s) is gone (%s)", zone.ID, zone.Name, pe.Message)}
}

// decodeList reads a list answer, which must hold its list's key: a 200
// without it (a proxy's answer) is no empty list.
func decodeList(raw []byte, v any, key string) error {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(raw, &probe); err != nil {
		return err
	}
	if _, ok := probe["kind"]; !ok {
		if _, ok := probe[key]; !ok {
			return errors.New("the answer is not a list of " + key)
		}
	}
	return json.Unmarshal(raw, v)
}

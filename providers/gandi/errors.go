package gandi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// errorJSON is LiveDNS's error body (https://api.gandi.net/docs/reference/,
// "Errors"): the HTTP code again, a message, the error's class and cause,
// and for refused input the fields at fault.
type errorJSON struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Object  string `json:"object"`
	Cause   string `json:"cause"`
	Errors  []struct {
		Location    string `json:"location"`
		Name        string `json:"name"`
		Description string `json:"description"`
	} `json:"errors"`
}

// refusal maps an answer outside 2xx to a providers.Error, from the HTTP
// status and the body's words (never the request: its header holds the
// token).
func refusal(op string, status int, h http.Header, body []byte) error {
	var e errorJSON
	text := ""
	if json.Unmarshal(body, &e) == nil {
		var parts []string
		if e.Message != "" {
			parts = append(parts, e.Message)
		}
		for _, f := range e.Errors {
			parts = append(parts, strings.TrimSpace(f.Name+": "+f.Description))
		}
		text = strings.Join(parts, "; ")
	}
	if text == "" {
		text = strings.ToLower(http.StatusText(status))
	}
	// The code shown is the status with Gandi's cause ("404 Not Found").
	code := strings.TrimSpace(strconv.Itoa(status) + " " + e.Cause)
	msg := op + ": " + text
	switch {
	case status == http.StatusTooManyRequests:
		return providers.RateLimited(code, msg, providers.ParseRetryAfter(h.Get("Retry-After")))
	case status >= 500:
		return providers.Errorf(providers.KindTransient, code, "%s", msg)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return providers.Errorf(providers.KindAuth, code, "%s", msg)
	case status == http.StatusNotFound:
		return providers.Errorf(providers.KindNotFound, code, "%s", msg)
	case status == http.StatusConflict:
		// The set exists already: made since the zone was read.
		return providers.Errorf(providers.KindTransient, code, "%s (the record set was created meanwhile; it is read again)", msg)
	}
	return providers.Errorf(providers.KindInvalid, code, "%s", msg)
}

// zoneError makes a 404 from a domain's endpoint a missing zone.
func zoneError(err error, zone string) error {
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Kind != providers.KindNotFound {
		return err
	}
	return &providers.Error{Kind: providers.KindZoneNotFound, Code: pe.Code,
		Message: "LiveDNS has no domain " + zone + " for this token (" + pe.Message + ")"}
}

// writeError makes a 404 from a write a missing zone: a set's path answers
// 404 to a write only when its domain is not at LiveDNS.
func writeError(err error, zone providers.Zone) error {
	if err == nil {
		return nil
	}
	return zoneError(err, zone.Name)
}

// decode reads a list page; a body that is no JSON list is a fault.
func decode(body []byte, v any) error {
	return json.Unmarshal(body, v)
}

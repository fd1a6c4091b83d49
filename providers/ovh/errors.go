package ovh

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	goovh "github.com/ovh/go-ovh/ovh"

	"github.com/ddns-operator/ddns-operator/providers"
)

// mapError turns what go-ovh returned for op into a *providers.Error (nil
// for nil), from the HTTP status, the error's class and message
// (https://help.ovhcloud.com/csm/en-api-getting-started-ovhcloud-api, "Errors"),
// never from the request, whose headers hold the signature.
func mapError(op string, err error) error {
	if err == nil {
		return nil
	}
	var apiErr *goovh.APIError
	if !errors.As(err, &apiErr) {
		// Transport failures, cancellation, answers that do not decode.
		return providers.Transient(op, err)
	}
	text := strings.TrimSpace(apiErr.Message)
	if text == "" {
		text = strings.ToLower(http.StatusText(apiErr.Code))
	}
	if missing := apiErr.Details["unauthorizedActionsByIAM"]; missing != "" {
		text += " (missing IAM permissions: " + missing + ")"
	}
	code := apiErr.Class
	if code == "" {
		code = strconv.Itoa(apiErr.Code)
	}
	msg := op + ": " + text
	lower := strings.ToLower(text)
	switch {
	case outOfTime(apiErr):
		// The client's clock was learnt from a wrong answer; it has been
		// replaced (see api) and the next attempt asks the time again.
		return providers.Errorf(providers.KindTransient, code, "%s (the request's timestamp is off; the API's time is asked again)", msg)
	case apiErr.Code == http.StatusTooManyRequests || strings.Contains(apiErr.Class, "TooManyRequests"):
		return providers.RateLimited(code, msg, 0)
	case apiErr.Code >= 500:
		return providers.Errorf(providers.KindTransient, code, "%s", msg)
	case apiErr.Code == http.StatusUnauthorized || apiErr.Code == http.StatusForbidden,
		strings.Contains(lower, "invalid signature"), strings.Contains(lower, "credential"),
		strings.Contains(lower, "application key"), strings.Contains(lower, "not been granted"):
		// 400 "Invalid signature" (a wrong application secret), 403 "This
		// credential is not valid" / "Invalid application key" / "This
		// call has not been granted".
		return providers.Errorf(providers.KindAuth, code, "%s", msg)
	case apiErr.Code == http.StatusNotFound:
		return providers.Errorf(providers.KindNotFound, code, "%s", msg)
	case apiErr.Code == http.StatusConflict:
		return providers.Errorf(providers.KindTransient, code, "%s", msg)
	}
	return providers.Errorf(providers.KindInvalid, code, "%s", msg)
}

// zoneError makes a 404 from a zone's path a missing zone: the zone is
// not in the account (or the consumer key's rules do not reach it).
func zoneError(err error, zone string) error {
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Kind != providers.KindNotFound {
		return err
	}
	return &providers.Error{Kind: providers.KindZoneNotFound, Code: pe.Code,
		Message: "the OVHcloud account has no DNS zone " + zone + " (" + pe.Message + ")"}
}

// outOfTime reports a refusal of the request's timestamp ("Query out of
// time", errorCode QUERY_TIME_OUT).
func outOfTime(err error) bool {
	var apiErr *goovh.APIError
	return errors.As(err, &apiErr) && strings.Contains(strings.ToLower(apiErr.Message), "out of time")
}

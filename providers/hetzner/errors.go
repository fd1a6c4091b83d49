package hetzner

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"

	"github.com/ddns-operator/ddns-operator/providers"
)

// mapError turns what the SDK returned for op into a *providers.Error:
// from the Cloud API's error code and message
// (https://docs.hetzner.cloud/reference/cloud#errors), never from the SDK
// error's own text beyond that, and transport errors without the URL.
func mapError(op string, resp *hcloud.Response, err error) error {
	var apiErr hcloud.Error
	if !errors.As(err, &apiErr) {
		status := 0
		if resp != nil && resp.Response != nil {
			status = resp.StatusCode
		}
		if errors.Is(err, hcloud.ErrStatusCode) && status > 0 {
			// An error status without the API's JSON: a proxy's page.
			return classify(op, status, "", strings.ToLower(http.StatusText(status)), retryAfter(resp))
		}
		return providers.Transient(op, err)
	}
	status := 0
	if resp != nil && resp.Response != nil {
		status = resp.StatusCode
	}
	return classify(op, status, apiErr.Code, describe(apiErr), retryAfter(resp))
}

// describe is the error's message with the fields an invalid_input names.
func describe(e hcloud.Error) string {
	text := e.Message
	if d, ok := e.Details.(hcloud.ErrorDetailsInvalidInput); ok {
		for _, f := range d.Fields {
			text += "; " + f.Name + ": " + strings.Join(f.Messages, ", ")
		}
	}
	return text
}

// classify picks the kind from the error code, and the status when the
// code is unknown.
func classify(op string, status int, code hcloud.ErrorCode, text string, after time.Duration) error {
	msg := op + ": " + text
	c := string(code)
	if c == "" {
		c = strconv.Itoa(status)
	}
	switch code {
	case hcloud.ErrorCodeRateLimitExceeded:
		return providers.RateLimited(c, msg, after)
	case hcloud.ErrorCodeUnauthorized, hcloud.ErrorCodeForbidden:
		return providers.Errorf(providers.KindAuth, c, "%s", msg)
	case hcloud.ErrorCodeNotFound:
		return providers.Errorf(providers.KindNotFound, c, "%s", msg)
	case hcloud.ErrorCodeDNSZoneNotFound:
		return providers.Errorf(providers.KindZoneNotFound, c, "%s", msg)
	case hcloud.ErrorCodeInvalidInput, hcloud.ErrorCodeProtected, hcloud.ErrorCodeDNSZoneIsSecondaryZone,
		hcloud.ErrorCodeResourceLimitExceeded, hcloud.ErrorCodeJSONError, "incorrect_zone_mode":
		return providers.Errorf(providers.KindInvalid, c, "%s", msg)
	case hcloud.ErrorCodeUniquenessError, hcloud.ErrorCodeConflict, hcloud.ErrorCodeLocked:
		// The set was made or changed meanwhile: read again next time.
		return providers.Errorf(providers.KindTransient, c, "%s", msg)
	}
	switch {
	case status == http.StatusTooManyRequests:
		return providers.RateLimited(c, msg, after)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return providers.Errorf(providers.KindAuth, c, "%s", msg)
	case status == http.StatusNotFound:
		return providers.Errorf(providers.KindNotFound, c, "%s", msg)
	case status >= 400 && status < 500:
		return providers.Errorf(providers.KindInvalid, c, "%s", msg)
	}
	return providers.Errorf(providers.KindTransient, c, "%s", msg)
}

// retryAfter is the wait a 429 asks for: Retry-After when sent, else until
// RateLimit-Reset.
func retryAfter(resp *hcloud.Response) time.Duration {
	if resp == nil || resp.Response == nil {
		return 0
	}
	if d := providers.ParseRetryAfter(resp.Header.Get("Retry-After")); d > 0 {
		return d
	}
	if reset := resp.Meta.Ratelimit.Reset; !reset.IsZero() {
		if d := time.Until(reset); d > 0 && d <= time.Hour {
			return d.Round(time.Second) + time.Second
		}
	}
	return 0
}

// actionError reports an action that failed at once; a running one is
// taken as accepted (the next check reads the set again).
func actionError(op string, a *hcloud.Action) error {
	if a == nil || (a.Status != hcloud.ActionStatusError && a.ErrorCode == "") {
		return nil
	}
	return classify(op, 0, hcloud.ErrorCode(a.ErrorCode), a.ErrorMessage, 0)
}

package edgeone

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"

	"github.com/ddns-operator/ddns-operator/providers"
)

// kindOfCode classifies an API 3.0 error code: the common codes of every
// Tencent Cloud API ("公共错误码",
// https://cloud.tencent.com/document/api/1552/80731) by their family, and
// EdgeOne's own by theirs.
func kindOfCode(code string) providers.Kind {
	family, _, _ := strings.Cut(code, ".")
	switch family {
	case "AuthFailure", "UnauthorizedOperation":
		return providers.KindAuth
	case "RequestLimitExceeded":
		return providers.KindRateLimited
	case "ResourceNotFound":
		return providers.KindNotFound
	case "InternalError", "ResourceUnavailable", "ServiceUnavailable":
		return providers.KindTransient
	case "InvalidParameter", "InvalidParameterValue", "MissingParameter", "UnknownParameter",
		"LimitExceeded", "UnsupportedOperation", "OperationDenied", "FailedOperation", "ResourceInUse", "ResourceInsufficient":
		// The request was understood and refused (a value, the plan, the
		// site's state): repeating it cannot help.
		return providers.KindInvalid
	}
	return providers.KindTransient
}

// mapError turns an SDK error into a providers.Error built from the API's
// code, message and request ID, never from the SDK's own text for a
// transport failure, which quotes the request URL and bodies.
func mapError(ctx context.Context, action string, err error, secrets []string) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return providers.Transient("edgeone "+action, ctxErr)
	}
	var se *tcerr.TencentCloudSDKError
	if !errors.As(err, &se) {
		return &providers.Error{Kind: providers.KindTransient, Message: "edgeone " + action + ": the SDK could not make the request", Err: err}
	}
	if strings.HasPrefix(se.Code, "ClientError.") {
		return clientError(action, se)
	}
	msg := strings.TrimSpace(se.Message)
	for _, s := range secrets {
		msg = strings.ReplaceAll(msg, s, "[redacted]")
	}
	full := "edgeone " + action + ": " + msg
	if se.RequestId != "" {
		full += " (request " + se.RequestId + ")"
	}
	k := kindOfCode(se.Code)
	if k == providers.KindAuth {
		full += "; check the Secret's " + SecretIDKey + " and " + SecretKeyKey + " and the CAM policy's teo actions"
	}
	// RequestLimitExceeded carries no wait time.
	return &providers.Error{Kind: k, Code: se.Code, Message: full, Err: err}
}

// clientError describes a ClientError.* (raised by the SDK itself)
// without the request URL or body the SDK quotes. A non-200 answer
// (HttpStatusCodeError) is a gateway's: 429 throttles, 5xx passes.
func clientError(action string, se *tcerr.TencentCloudSDKError) error {
	op := "edgeone " + action
	switch se.Code {
	case "ClientError.HttpStatusCodeError":
		status := 0
		if _, rest, ok := strings.Cut(se.Message, "status code: "); ok {
			num, _, _ := strings.Cut(rest, " ")
			status, _ = strconv.Atoi(strings.TrimSuffix(num, ","))
		}
		k := providers.KindOfStatus(status)
		if k == providers.KindNotFound || k == providers.KindInvalid || k == providers.KindAuth {
			// A gateway's 4xx page, not the API's answer.
			k = providers.KindTransient
		}
		msg := fmt.Sprintf("%s: unexpected HTTP status %d", op, status)
		if k == providers.KindRateLimited {
			return providers.RateLimited(strconv.Itoa(status), msg, 0)
		}
		return &providers.Error{Kind: k, Code: strconv.Itoa(status), Message: msg, Err: se}
	case "ClientError.NetworkError":
		cause := se.Message
		if i := strings.LastIndex(cause, ": "); i >= 0 {
			cause = cause[i+2:]
		}
		return &providers.Error{Kind: providers.KindTransient, Message: op + ": network error: " + cause, Err: se}
	case "ClientError.ParseJsonError":
		return &providers.Error{Kind: providers.KindTransient, Message: op + ": the API's answer could not be decoded", Err: se}
	}
	return &providers.Error{Kind: providers.KindTransient, Message: op + ": the SDK failed (" + se.Code + ")", Err: se}
}

// ttlError names EdgeOne's TTL range when a write with a TTL outside it is
// refused.
func ttlError(err error, ttl int32) error {
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Kind != providers.KindInvalid || ttl <= 0 || (ttl >= MinTTL && ttl <= MaxTTL) {
		return err
	}
	out := *pe
	out.Message += fmt.Sprintf(" (EdgeOne DNS records take a TTL of %d to %d seconds; %d is outside)", MinTTL, MaxTTL, ttl)
	return &out
}

package tencentcloud

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Error codes the provider treats specially. The names are those of the
// DNSPod error code page (https://cloud.tencent.com/document/api/1427/56192)
// and of the SDK's dnspod/v20210323/errors.go.
const (
	codeNoDataOfRecord = "ResourceNotFound.NoDataOfRecord" // 记录列表为空: an empty list
	codeNoDataOfDomain = "ResourceNotFound.NoDataOfDomain" // 域名列表为空: no domains
	codeRecordTTLLimit = "LimitExceeded.RecordTtlLimit"    // 记录的TTL值超出了限制
)

// kindOfCode classifies a code the API returned.
func kindOfCode(code string) providers.Kind {
	switch code {
	case "InvalidParameterValue.DomainNotExists", "InvalidParameter.DomainNotExists",
		"InvalidParameter.DomainInvalid", "InvalidParameter.DomainIdInvalid",
		codeNoDataOfDomain, "FailedOperation.NotDomainOwner":
		return providers.KindZoneNotFound
	case "InvalidParameter.RecordIdInvalid", codeNoDataOfRecord:
		return providers.KindNotFound
	case "FailedOperation.FrequencyLimit":
		return providers.KindRateLimited
	case "FailedOperation.LoginFailed", "FailedOperation.LoginAreaNotAllowed",
		"FailedOperation.LoginTimeout", "FailedOperation.NotRealNamedUser",
		"LimitExceeded.FailedLoginLimitExceeded", "InvalidParameter.UnrealNameUser",
		"InvalidParameter.AccountIsBanned":
		return providers.KindAuth
	case "FailedOperation", "FailedOperation.UnknowError", "ResourceUnavailable",
		"ResourceInsufficient", "ServiceUnavailable":
		return providers.KindTransient
	}
	prefix, _, _ := strings.Cut(code, ".")
	switch prefix {
	case "AuthFailure", "UnauthorizedOperation", "OperationDenied":
		return providers.KindAuth
	case "RequestLimitExceeded":
		return providers.KindRateLimited
	case "InternalError", "ServiceUnavailable":
		return providers.KindTransient
	case "InvalidParameter", "InvalidParameterValue", "MissingParameter",
		"UnknownParameter", "LimitExceeded", "FailedOperation", "UnsupportedOperation":
		// What is left of FailedOperation.* is the domain's state (locked,
		// spam, DNSSEC) and LimitExceeded.* the plan's quotas: a user must act.
		return providers.KindInvalid
	}
	return providers.KindTransient
}

// mapError turns an SDK error into a providers.Error. Its message is built
// from the API's code, message and request ID, never from the SDK's own
// text for transport failures, which quotes the request URL and bodies.
func mapError(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return providers.Transient(op, ctxErr)
	}
	var sdkErr *tcerr.TencentCloudSDKError
	if !errors.As(err, &sdkErr) {
		return &providers.Error{Kind: providers.KindTransient, Message: op + ": the SDK could not make the request", Err: err}
	}
	code := sdkErr.Code
	if strings.HasPrefix(code, "ClientError.") {
		return &providers.Error{Kind: providers.KindTransient, Code: code, Message: op + ": " + clientErrorText(sdkErr), Err: err}
	}
	msg := fmt.Sprintf("%s: %s", op, strings.TrimSpace(sdkErr.Message))
	if sdkErr.RequestId != "" {
		msg += " (request " + sdkErr.RequestId + ")"
	}
	// A throttling answer (RequestLimitExceeded) carries no wait time, so
	// RetryAfter stays zero.
	return &providers.Error{Kind: kindOfCode(code), Code: code, Message: msg, Err: err}
}

// ttlError explains LimitExceeded.RecordTtlLimit: the minimum depends on
// the domain's plan, which the error does not say, so it names the free
// plan's minimum.
func ttlError(err error, ttl int32) error {
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Code != codeRecordTTLLimit {
		return err
	}
	out := *pe
	out.Kind = providers.KindInvalid
	if ttl > 0 && ttl < freePlanMinTTL {
		out.Message += fmt.Sprintf("; TTL %d is below the minimum of the domain's DNSPod plan (%d seconds on the free plan, less on paid plans)", ttl, freePlanMinTTL)
	} else {
		out.Message += fmt.Sprintf("; TTL %d is outside the range the domain's DNSPod plan allows (at least %d seconds on the free plan)", ttl, freePlanMinTTL)
	}
	return &out
}

// clientErrorText describes a ClientError.* (raised by the SDK itself)
// without the request URL or the response body the SDK quotes.
func clientErrorText(e *tcerr.TencentCloudSDKError) string {
	switch e.Code {
	case "ClientError.NetworkError":
		// "Fail to get response because Post \"URL\": <cause>"; keep the
		// innermost cause, after the last ": ".
		cause := e.Message
		if i := strings.LastIndex(cause, ": "); i >= 0 {
			cause = cause[i+2:]
		}
		return "network error: " + cause
	case "ClientError.HttpStatusCodeError":
		// "Request fail with http status code: 502 Bad Gateway, with body: ..."
		status, _, _ := strings.Cut(e.Message, ", with body")
		if _, s, ok := strings.Cut(status, "status code: "); ok {
			return "unexpected HTTP status " + s
		}
		return "unexpected HTTP status"
	case "ClientError.ParseJsonError":
		return "the API's response could not be decoded"
	case "ClientError.IOError":
		return "reading the API's response failed"
	}
	return "the SDK failed (" + e.Code + ")"
}

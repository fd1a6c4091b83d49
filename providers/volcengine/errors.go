package volcengine

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Volcengine answers a failure with a 4xx or 5xx status and
// ResponseMetadata.Error {CodeN, Code, Message}. Sources: the OpenAPI
// gateway's common error codes (https://www.volcengine.com/docs/6369/68677)
// and DNS's own ("错误码", https://www.volcengine.com/docs/6758/163143).
var codeKinds = map[string]providers.Kind{
	"InvalidAccessKey":           providers.KindAuth,
	"SignatureDoesNotMatch":      providers.KindAuth,
	"MissingAuthenticationToken": providers.KindAuth,
	"InvalidAuthorization":       providers.KindAuth,
	"InvalidCredential":          providers.KindAuth,
	"InvalidTimestamp":           providers.KindAuth,
	"AccessDenied":               providers.KindAuth,
	"AccountFlowLimitExceeded":   providers.KindRateLimited,
	"FlowLimitExceeded":          providers.KindRateLimited,
	"ErrZoneNotFound":            providers.KindZoneNotFound, // 400105 zone not found
	"ErrDBNotFound":              providers.KindNotFound,     // 400104 record not found
	"ErrSpecNotValid":            providers.KindInvalid,      // 400135 not valid for the zone's edition (TTL, weight)
	"ErrInternalServer":          providers.KindTransient,
	"InternalError":              providers.KindTransient,
	"InternalServiceError":       providers.KindTransient,
	"ServiceUnavailableTemp":     providers.KindTransient,
}

// apiError classifies a failed answer.
func apiError(action string, resp *http.Response, md metadata, sk string) error {
	code, msg := "", ""
	if md.Error != nil {
		code, msg = md.Error.Code, strings.TrimSpace(md.Error.Message)
	}
	if sk != "" {
		msg = strings.ReplaceAll(msg, sk, "[redacted]")
	}
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	if md.RequestID != "" {
		msg += " (request " + md.RequestID + ")"
	}
	kind, ok := codeKinds[code]
	switch {
	case ok:
	case strings.HasSuffix(code, "FlowLimitExceeded"):
		kind = providers.KindRateLimited
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		kind = providers.KindInvalid
	default:
		kind = providers.KindOfStatus(resp.StatusCode)
	}
	if code == "" {
		code = fmt.Sprint(resp.StatusCode)
	}
	full := "volcengine " + action + ": " + msg
	switch kind {
	case providers.KindRateLimited:
		return providers.RateLimited(code, full, providers.ParseRetryAfter(resp.Header.Get("Retry-After")))
	case providers.KindAuth:
		return providers.Errorf(kind, code, "%s; check the Secret's %s and %s and the IAM user's DNS permissions", full, AccessKeyIDKey, SecretAccessKeyKey)
	}
	return providers.Errorf(kind, code, "%s", full)
}

// editionMinTTL are the smallest TTLs of Volcengine DNS's editions
// ("功能版本规格", https://www.volcengine.com/docs/6758/155107).
const editionMinTTL = "600 seconds on the free edition, 300 on professional, 60 on enterprise, 1 on ultimate"

// ttlError explains a refused TTL: the edition's minimum is not in the
// API's words ("record ttl not valid when creating record").
func ttlError(err error, ttl int32) error {
	pe, ok := providers.AsError(err)
	if !ok || pe.Kind != providers.KindInvalid || ttl <= 0 || ttl >= 600 {
		return err
	}
	out := *pe
	out.Message += fmt.Sprintf(" (TTL %d may be below the zone edition's minimum: %s)", ttl, editionMinTTL)
	return &out
}

package baiducloud

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Baidu AI Cloud answers a failure with a 4xx or 5xx status and
// {"requestId", "code", "message"} ("错误返回", the common error codes of
// https://cloud.baidu.com/doc/Reference/s/Ajwvysjx7).
var codeKinds = map[string]providers.Kind{
	"AccessDenied":          providers.KindAuth,
	"InvalidAccessKeyId":    providers.KindAuth,
	"SignatureDoesNotMatch": providers.KindAuth,
	"InvalidHTTPAuthHeader": providers.KindAuth,
	"RequestExpired":        providers.KindAuth,
	"InternalError":         providers.KindTransient,
	"ServiceUnavailable":    providers.KindTransient,
}

// apiError classifies a failed answer.
func apiError(op string, resp *http.Response, body []byte, sk string) error {
	var e struct {
		RequestID string `json:"requestId"`
		Code      string `json:"code"`
		Message   string `json:"message"`
	}
	_ = json.Unmarshal(body, &e)
	msg := strings.TrimSpace(e.Message)
	if sk != "" {
		msg = strings.ReplaceAll(msg, sk, "[redacted]")
	}
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	if e.RequestID != "" {
		msg += " (request " + e.RequestID + ")"
	}
	kind, ok := codeKinds[e.Code]
	switch l := strings.ToLower(e.Code); {
	case ok:
	case strings.Contains(l, "ratelimit") || strings.Contains(l, "toomany") || strings.Contains(l, "throttl"):
		kind = providers.KindRateLimited
	case strings.Contains(l, "notexist") || strings.Contains(l, "notfound") || strings.HasPrefix(l, "nosuch"):
		kind = providers.KindNotFound
	default:
		kind = providers.KindOfStatus(resp.StatusCode)
	}
	code := e.Code
	if code == "" {
		code = fmt.Sprint(resp.StatusCode)
	}
	full := op + ": " + msg
	switch kind {
	case providers.KindRateLimited:
		return providers.RateLimited(code, full, providers.ParseRetryAfter(resp.Header.Get("Retry-After")))
	case providers.KindAuth:
		return providers.Errorf(kind, code, "%s; check the Secret's %s and %s and the key's BCD permissions", full, AccessKeyIDKey, SecretAccessKeyKey)
	}
	return providers.Errorf(kind, code, "%s", full)
}

package huaweicloud

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Huawei Cloud answers a failure with a 4xx or 5xx status and a JSON body
// in one of two shapes: the DNS service's {"code": "DNS.0xxx", "message":
// ...} and the API Gateway's {"error_code": "APIGW.0xxx", "error_msg":
// ...}, sometimes nested one level ({"error": {...}}); the request ID is in
// the X-Request-Id header. Sources: "Error Codes" of the DNS API reference
// (https://support.huaweicloud.com/intl/en-us/api-dns/dns_api_80001.html)
// and the API Gateway's error codes
// (https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-errorcode.html).

// codeKinds classifies the codes whose status alone would mislead.
var codeKinds = map[string]providers.Kind{
	"APIGW.0301": providers.KindAuth,         // Incorrect IAM authentication information (a bad signature)
	"APIGW.0303": providers.KindAuth,         // Incorrect app authentication information
	"APIGW.0305": providers.KindAuth,         // Incorrect authentication information (the AK is unknown)
	"APIGW.0308": providers.KindRateLimited,  // The throttling threshold has been reached
	"APIGW.0101": providers.KindTransient,    // The API does not exist or has not been published (a misrouted endpoint)
	"DNS.0101":   providers.KindZoneNotFound, // The zone does not exist
	"DNS.0105":   providers.KindZoneNotFound, // The zone is being created or deleted
	"DNS.0305":   providers.KindNotFound,     // The record set does not exist
}

// apiError classifies a failed answer.
func apiError(op string, resp *http.Response, body []byte, sk string) error {
	code, msg := decodeError(body)
	if sk != "" {
		msg = strings.ReplaceAll(msg, sk, "[redacted]")
	}
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	if id := resp.Header.Get("X-Request-Id"); id != "" {
		msg += " (request " + id + ")"
	}
	kind, ok := codeKinds[code]
	if !ok {
		kind = providers.KindOfStatus(resp.StatusCode)
	}
	if code == "" {
		code = fmt.Sprint(resp.StatusCode)
	}
	full := op + ": " + msg
	switch kind {
	case providers.KindRateLimited:
		return providers.RateLimited(code, full, providers.ParseRetryAfter(resp.Header.Get("Retry-After")))
	case providers.KindAuth:
		return providers.Errorf(kind, code, "%s; check the Secret's %s and %s and the IAM user's DNS permissions", full, AccessKeyIDKey, SecretAccessKeyKey)
	}
	return providers.Errorf(kind, code, "%s", full)
}

// decodeError finds the code and message in either shape, nested or not.
func decodeError(body []byte) (code, msg string) {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return "", ""
	}
	str := func(k string) string {
		var s string
		_ = json.Unmarshal(m[k], &s)
		return strings.TrimSpace(s)
	}
	for _, pair := range [][2]string{{"error_code", "error_msg"}, {"code", "message"}} {
		if c, t := str(pair[0]), str(pair[1]); c != "" || t != "" {
			return c, t
		}
	}
	for _, v := range m {
		if c, t := decodeError(v); c != "" || t != "" {
			return c, t
		}
	}
	return "", ""
}

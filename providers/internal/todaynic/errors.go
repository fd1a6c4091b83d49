package todaynic

import (
	"net/http"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

// The API answers a refusal with HTTP 200 and its reason in "error". The
// API documentation at hand names no error codes, so the reason's words
// classify it: those below, in Chinese or English, as the platform's
// messages come in either.
var (
	authWords     = []string{"signature", "签名", "accessinstanceid", "authenticat", "认证", "鉴权", "api key", "api-key", "apikey", "密钥", "permission", "权限", "forbidden"}
	recordWords   = []string{"记录不存在", "record does not exist", "record not found", "no such record", "invalid id"}
	domainWords   = []string{"域名不存在", "不属于", "domain does not exist", "domain not found", "no such domain", "not your domain", "invalid domain"}
	throttleWords = []string{"频繁", "too many", "rate limit", "throttl"}
	// replayWords name a nonce the API has seen: the same signed request
	// arrived twice. Go's HTTP transport resends a GET whose connection
	// closed before any answer, so an answer lost on the way back comes
	// back as this refusal; the next attempt signs with a new nonce.
	replayWords = []string{"nonce used before", "nonce 重复", "重复的nonce"}
)

// refusal classifies the text of an answer's error: refused credentials,
// an unknown record or domain, throttling, and any other refusal of the
// request with the API's words (a TTL the account may not use, say).
func refusal(op, msg string) *providers.Error {
	lower := strings.ToLower(msg)
	has := func(words []string) bool {
		for _, w := range words {
			if strings.Contains(lower, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has(replayWords):
		return providers.Errorf(providers.KindTransient, "", "%s: %s (the answer to an earlier attempt of this request was lost; the operator retries with a new signature)", op, msg)
	case has(throttleWords):
		return providers.RateLimited("", op+": "+msg, 0)
	case has(recordWords):
		return providers.Errorf(providers.KindNotFound, "", "%s: %s", op, msg)
	case has(domainWords):
		return providers.Errorf(providers.KindZoneNotFound, "", "%s: %s", op, msg)
	case has(authWords):
		return providers.Errorf(providers.KindAuth, "", "%s: %s (check the Secret's %s and %s, and that API access is enabled for the account)", op, msg, UserIDKey, APIKeyKey)
	}
	return providers.Errorf(providers.KindInvalid, "", "%s: %s", op, msg)
}

// statusError classifies an answer that is not HTTP 200 by its status,
// with the API's error text when the body holds one.
func statusError(resp *jsonapi.Response, ans answer, op, secret string) error {
	msg := strings.ReplaceAll(strings.TrimSpace(ans.Error), secret, "[redacted]")
	if resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden {
		if msg == "" {
			msg = http.StatusText(resp.Status)
		}
		return providers.Errorf(providers.KindAuth, "", "%s: %s (HTTP %d; check the Secret's %s and %s)", op, msg, resp.Status, UserIDKey, APIKeyKey)
	}
	return jsonapi.StatusError(resp, op, "", msg)
}

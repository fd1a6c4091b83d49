package providers

import "net/http"

// KindOfStatus classifies a refusal given as an HTTP status, or as an
// HTTP-like code in an API's own envelope (Rainyun's and DNS.LA's "code"):
// 429 throttling, 401 and 403 refused credentials, 404 a missing resource
// (the caller knows whether a zone or a record), other 4xx a refused
// request a retry cannot fix, 5xx and anything else a passing fault.
func KindOfStatus(status int) Kind {
	switch {
	case status == http.StatusTooManyRequests:
		return KindRateLimited
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return KindAuth
	case status == http.StatusNotFound:
		return KindNotFound
	case status >= 400 && status < 500:
		return KindInvalid
	}
	return KindTransient
}

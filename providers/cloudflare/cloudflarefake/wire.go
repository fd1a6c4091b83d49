package cloudflarefake

import (
	"fmt"
	"net/http"
	"time"

	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// apiError is one entry of the envelope's "errors" array, with the
// "error_chain" of precise causes Cloudflare nests under generic codes such
// as 1004 "DNS Validation Error" and 6003 "Invalid request headers".
type apiError struct {
	Code       int        `json:"code"`
	Message    string     `json:"message"`
	ErrorChain []apiError `json:"error_chain,omitempty"`
}

// envelope is the Cloudflare API v4 response body: success, errors,
// messages, result and, for lists, result_info, the pagination block
// (page, per_page, count, total_count, total_pages:
// https://developers.cloudflare.com/fundamentals/api/how-to/make-api-calls/#pagination).
type envelope struct {
	Success    bool           `json:"success"`
	Errors     []apiError     `json:"errors"`
	Messages   []apiError     `json:"messages"`
	Result     any            `json:"result"`
	ResultInfo map[string]int `json:"result_info,omitempty"`
}

// ok answers 200 with result (and result_info for lists).
func ok(w http.ResponseWriter, result any, info map[string]int) {
	providertest.WriteJSON(w, http.StatusOK, envelope{Success: true, Errors: []apiError{}, Messages: []apiError{}, Result: result, ResultInfo: info})
}

// fail answers status with the given errors and a null result, the shape of
// every documented Cloudflare API v4 error.
func fail(w http.ResponseWriter, status int, errs ...apiError) {
	providertest.WriteJSON(w, status, envelope{Success: false, Errors: errs, Messages: []apiError{}, Result: nil})
}

// Error bodies, as the live API sends them (quoted in the provider's issue
// trackers and Cloudflare's community answers; the API reference lists the
// HTTP statuses and the envelope but no code table).
var (
	errMissingAuth = apiError{Code: 9106, Message: "Missing X-Auth-Key, X-Auth-Email or Authorization headers"}
	errBadToken    = apiError{Code: 9109, Message: "Invalid access token"}
	errUnknownKey  = apiError{Code: 9103, Message: "Unknown X-Auth-Key or X-Auth-Email"}
	errThrottled   = apiError{Code: 971, Message: "Please wait and consider throttling your request speed"}
	errInternal    = apiError{Code: 10002, Message: "Internal server error"}
	errBadGateway  = apiError{Code: 10502, Message: "Bad gateway"}
	errUnavailable = apiError{Code: 10503, Message: "Service temporarily unavailable"}
	// errAuthentication is what a token without the zone's DNS permission,
	// or a revoked one, gets (HTTP 401 or 403).
	errAuthentication = apiError{Code: 10000, Message: "Authentication error"}
	errNoRecord       = apiError{Code: 81044, Message: "Record does not exist."}
	errIdentical      = apiError{Code: 81058, Message: "An identical record already exists."}
	errBadJSON        = apiError{Code: 9207, Message: "Request body is invalid."}
	errNoRoute        = apiError{Code: 7000, Message: "No route for that URI"}
	errBadMethod      = apiError{Code: 10405, Message: "Method not allowed"}
	// errCommentTooLong is a comment past MaxCommentLength, a top-level
	// error of its own (not in 1004's chain), as quoted from the live API
	// in https://github.com/STRRL/cloudflare-tunnel-ingress-controller/issues/168
	// and /issues/139.
	errCommentTooLong = apiError{Code: 9313, Message: fmt.Sprintf("DNS record comment exceeds the maximum length of %d characters.", MaxCommentLength)}
	errRequired       = errValidation(9000, "DNS name, type and content are required.")
)

func errBadHeaders(cause ...apiError) apiError {
	return apiError{Code: 6003, Message: "Invalid request headers", ErrorChain: cause}
}

var (
	errBadAuthzHeader = apiError{Code: 6111, Message: "Invalid format for Authorization header"}
	errBadEmailHeader = apiError{Code: 6102, Message: "Invalid format for X-Auth-Email header"}
	errBadKeyHeader   = apiError{Code: 6103, Message: "Invalid format for X-Auth-Key header"}
)

// errNoObject is 7003, what an unknown zone (or other object) ID earns.
func errNoObject(path string) apiError {
	return apiError{Code: 7003, Message: fmt.Sprintf("Could not route to /client/v4%s, perhaps your object identifier is invalid?", path)}
}

// errValidation is 1004 "DNS Validation Error" with its precise cause.
func errValidation(code int, msg string) apiError {
	return apiError{Code: 1004, Message: "DNS Validation Error", ErrorChain: []apiError{{Code: code, Message: msg}}}
}

// errTTL is the invalid-TTL answer, 9021 inside 1004's chain.
func errTTL(min int) apiError {
	return errValidation(9021, fmt.Sprintf("TTL must be between %d and 86400 seconds, or 1 for Automatic.", min))
}

func ptr(e apiError) *apiError { return &e }

// wireZone is a zone as GET /zones returns it (the fields a client reads).
func wireZone(z *providertest.Zone[Settings]) map[string]any {
	return map[string]any{
		"id": z.ID, "name": z.Name, "status": "active", "paused": false, "type": "full",
		"name_servers": []string{"ns1.fake-cloudflare.test", "ns2.fake-cloudflare.test"},
		"account":      map[string]string{"id": "0123456789abcdef0123456789abcdef", "name": "fake account"},
		"created_on":   now(), "modified_on": now(),
	}
}

// wire is a DNS record as the dns_records endpoints return it; the comment
// is null when there is none.
func wire(z *providertest.Zone[Settings], r *Record) map[string]any {
	var comment any
	if r.Marker != "" {
		comment = r.Marker
	}
	return map[string]any{
		"id": r.ID, "zone_id": z.ID, "zone_name": z.Name, "name": r.Name, "type": r.Type, "content": r.Value,
		"proxiable": r.Type == "A" || r.Type == "AAAA" || r.Type == "CNAME", "proxied": r.X.Proxied,
		"ttl": r.TTL, "comment": comment, "tags": append([]string{}, r.X.Tags...),
		"settings": map[string]any{}, "meta": map[string]any{}, "created_on": now(), "modified_on": now(),
	}
}

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

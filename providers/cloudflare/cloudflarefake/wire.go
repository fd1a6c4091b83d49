package cloudflarefake

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// apiError is one entry of the envelope's "errors" array, with the
// "error_chain" of precise causes Cloudflare nests under generic codes such
// as 1004 "DNS Validation Error" and 6003 "Invalid request headers".
type apiError struct {
	Code       int        `json:"code"`
	Message    string     `json:"message"`
	ErrorChain []apiError `json:"error_chain,omitempty"`
}

// resultInfo is the pagination block of list answers
// (https://developers.cloudflare.com/fundamentals/api/how-to/make-api-calls/#pagination).
type resultInfo struct {
	Page       int `json:"page"`
	PerPage    int `json:"per_page"`
	Count      int `json:"count"`
	TotalCount int `json:"total_count"`
	TotalPages int `json:"total_pages"`
}

// envelope is the Cloudflare API v4 response body: success, errors,
// messages, result and, for lists, result_info.
type envelope struct {
	Success    bool        `json:"success"`
	Errors     []apiError  `json:"errors"`
	Messages   []apiError  `json:"messages"`
	Result     any         `json:"result"`
	ResultInfo *resultInfo `json:"result_info,omitempty"`
}

// wireZone is a zone as GET /zones returns it (the fields a client reads).
type wireZone struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Status      string      `json:"status"`
	Paused      bool        `json:"paused"`
	Type        string      `json:"type"`
	NameServers []string    `json:"name_servers"`
	Account     wireAccount `json:"account"`
	CreatedOn   string      `json:"created_on"`
	ModifiedOn  string      `json:"modified_on"`
}

type wireAccount struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// wireRecord is a DNS record as the dns_records endpoints return it.
type wireRecord struct {
	ID         string         `json:"id"`
	ZoneID     string         `json:"zone_id"`
	ZoneName   string         `json:"zone_name"`
	Name       string         `json:"name"`
	Type       string         `json:"type"`
	Content    string         `json:"content"`
	Proxiable  bool           `json:"proxiable"`
	Proxied    bool           `json:"proxied"`
	TTL        int            `json:"ttl"`
	Comment    *string        `json:"comment"`
	Tags       []string       `json:"tags"`
	Settings   map[string]any `json:"settings"`
	Meta       map[string]any `json:"meta"`
	CreatedOn  string         `json:"created_on"`
	ModifiedOn string         `json:"modified_on"`
}

// recordBody is a POST/PUT/PATCH body. Pointers tell an absent field (PATCH
// keeps it) from a present one.
type recordBody struct {
	ID      string    `json:"id,omitempty"` // batch patches and puts only
	Name    *string   `json:"name"`
	Type    *string   `json:"type"`
	Content *string   `json:"content"`
	TTL     *float64  `json:"ttl"`
	Proxied *bool     `json:"proxied"`
	Comment *string   `json:"comment"`
	Tags    *[]string `json:"tags"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// ok answers 200 with result (and result_info for lists).
func ok(w http.ResponseWriter, result any, info *resultInfo) {
	writeJSON(w, http.StatusOK, envelope{Success: true, Errors: []apiError{}, Messages: []apiError{}, Result: result, ResultInfo: info})
}

// fail answers status with the given errors and a null result, the shape of
// every documented Cloudflare API v4 error.
func fail(w http.ResponseWriter, status int, errs ...apiError) {
	writeJSON(w, status, envelope{Success: false, Errors: errs, Messages: []apiError{}, Result: nil})
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

package cloudflare

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Cloudflare API v4 error codes the provider tells apart. The API documents
// no complete list; these are the codes its answers carry (see the fake's
// package comment for the shapes).
const (
	codeAuthError        = 10000 // "Authentication error" (token lacks permission, 401/403)
	codeInvalidToken     = 9109  // "Invalid access token" / "Unauthorized to access requested resource" (403)
	codeUnknownKey       = 9103  // "Unknown X-Auth-Key or X-Auth-Email" (403)
	codeMissingAuth      = 9106  // "Missing X-Auth-Key, X-Auth-Email or Authorization headers" (400)
	codeBadHeaders       = 6003  // "Invalid request headers", chain 6102/6103/6111 (400)
	codeBadEmailHeader   = 6102  // "Invalid format for X-Auth-Email header"
	codeBadKeyHeader     = 6103  // "Invalid format for X-Auth-Key header"
	codeBadAuthzHeader   = 6111  // "Invalid format for Authorization header"
	codeThrottled        = 971   // "Please wait and consider throttling your request speed" (429)
	codeThrottledGlobal  = 10100 // "More than 1200 requests per 300 seconds reached..." (429)
	codeRecordNotFound   = 81044 // "Record does not exist." (404)
	codeNoRoute          = 7000  // "No route for that URI" (400), with 7003
	codeBadObjectID      = 7003  // "Could not route to ..., perhaps your object identifier is invalid?" (400)
	codeInvalidTTL       = 9021  // "TTL must be between 60 and 86400 seconds, or 1 for Automatic." (in 1004's chain)
	codeDNSValidationErr = 1004  // "DNS Validation Error", wraps the precise cause in error_chain
)

// apiMessage is one entry of the envelope's "errors" array, with its
// "error_chain" of more precise causes.
type apiMessage struct {
	Code       int          `json:"code"`
	Message    string       `json:"message"`
	ErrorChain []apiMessage `json:"error_chain"`
}

// flatten lists m and its chain, depth first.
func (m apiMessage) flatten() []apiMessage {
	out := []apiMessage{m}
	for _, c := range m.ErrorChain {
		out = append(out, c.flatten()...)
	}
	return out
}

// refusal is the providers.REST Refusal: it turns an answer outside 2xx
// into a *providers.Error from the HTTP status, Retry-After and the
// envelope's errors (with their error_chain). The message is built from
// Cloudflare's codes and messages, never from the request's URL, and the
// raw body is not kept.
func (p *Provider) refusal(op string, status int, h http.Header, body []byte) error {
	var env struct {
		Errors []apiMessage `json:"errors"`
	}
	// A body that is not Cloudflare's envelope (a proxy's HTML page) leaves
	// the status alone to classify the answer.
	_ = json.Unmarshal(body, &env)
	return p.scrub(classify(op, status, providers.ParseRetryAfter(h.Get("Retry-After")), env.Errors))
}

// call sends one request through the provider's providers.REST and
// decodes a 2xx answer into out. Every error it returns is a
// *providers.Error: refusals as refusal reads them; transport failures,
// timeouts, cancellation and answers that do not decode as transient ones
// (providers.REST names op in them, never the URL), with the credential
// values scrubbed out for good measure.
func (p *Provider) call(ctx context.Context, op, method, path string, query url.Values, in, out any) error {
	_, err := p.api.Do(ctx, op, method, path, query, in, out)
	var pe *providers.Error
	if errors.As(err, &pe) {
		_ = p.scrub(pe) // in place: err holds pe
	}
	return err
}

// classify picks the kind from the HTTP status and Cloudflare's codes.
func classify(op string, status int, after time.Duration, msgs []apiMessage) *providers.Error {
	var all []apiMessage
	for _, m := range msgs {
		all = append(all, m.flatten()...)
	}
	has := func(codes ...int) bool {
		for _, m := range all {
			for _, c := range codes {
				if m.Code == c {
					return true
				}
			}
		}
		return false
	}
	code, text := describe(msgs)
	if text == "" {
		text = strings.ToLower(http.StatusText(status))
	}
	e := &providers.Error{Code: code, Message: op + ": " + text}
	switch {
	case status == http.StatusTooManyRequests || has(codeThrottled, codeThrottledGlobal):
		e.Kind, e.RetryAfter = providers.KindRateLimited, after
	case status >= 500:
		e.Kind = providers.KindTransient
	case status == http.StatusUnauthorized || status == http.StatusForbidden ||
		has(codeAuthError, codeInvalidToken, codeUnknownKey, codeMissingAuth, codeBadHeaders,
			codeBadEmailHeader, codeBadKeyHeader, codeBadAuthzHeader):
		e.Kind = providers.KindAuth
	case has(codeRecordNotFound):
		e.Kind = providers.KindNotFound
	case has(codeBadObjectID, codeNoRoute):
		e.Kind = providers.KindZoneNotFound
	case status == http.StatusNotFound:
		e.Kind = providers.KindNotFound
	case status >= 400:
		// 9021 invalid TTL, 1004 DNS validation, 9005/1061/81057/81058...
		e.Kind = providers.KindInvalid
	default:
		e.Kind = providers.KindTransient
	}
	return e
}

// describe joins the messages into one line, each cause after its parent,
// and returns the most precise code (the deepest of the first error).
func describe(msgs []apiMessage) (code, text string) {
	var parts []string
	for i, m := range msgs {
		flat := m.flatten()
		if i == 0 {
			code = strconv.Itoa(flat[len(flat)-1].Code)
		}
		for _, f := range flat {
			if f.Message != "" {
				parts = append(parts, f.Message)
			}
		}
	}
	return code, strings.Join(parts, ": ")
}

// scrub removes any credential value from e's message.
func (p *Provider) scrub(e *providers.Error) *providers.Error {
	for _, s := range p.secrets {
		e.Message = strings.ReplaceAll(e.Message, s, "[redacted]")
	}
	return e
}

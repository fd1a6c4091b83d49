package dnsmgr

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

// envelope is the body of every answer.
type envelope struct {
	Code int             `json:"code"`
	Data json.RawMessage `json:"data"`
	Msg  string          `json:"msg"`
}

// The msg texts DNSMgr answers (server/src/routes/records.ts,
// middleware/auth.ts) that the provider tells apart.
const (
	msgDomainNotFound = "domain not found"
	msgPermission     = "permission denied"
)

// refusal classifies an envelope whose code is not 0: the domain is not
// the token's, the token may not write it, the record is gone, or DNSMgr
// (or the DNS provider behind it) refused the record, in its words.
func refusal(op, msg, token string) error {
	msg = strings.ReplaceAll(strings.TrimSpace(msg), token, "[redacted]")
	lower := strings.ToLower(msg)
	switch {
	case lower == msgDomainNotFound:
		return providers.Errorf(providers.KindZoneNotFound, "", "%s: %s (the token may not reach the domain, or DNSMgr does not manage it)", op, msg)
	case strings.HasPrefix(lower, msgPermission):
		return providers.Errorf(providers.KindAuth, "", "%s: %s (the token's user needs write access to the domain)", op, msg)
	case strings.Contains(lower, "not found") || strings.Contains(lower, "not exist"):
		return providers.Errorf(providers.KindNotFound, "", "%s: %s", op, msg)
	case msg == "":
		msg = "request refused"
	}
	return providers.Errorf(providers.KindInvalid, "", "%s: %s", op, msg)
}

// statusError builds the error for an answer that is not 2xx: 401 refuses
// the token ("Invalid or expired token"), 403 its domains ("Token does not
// have permission for this domain"), 429 throttles (with Retry-After), the
// rest by status with DNSMgr's msg.
func statusError(resp *jsonapi.Response, op, token string) error {
	var env envelope
	_ = json.Unmarshal(resp.Body, &env)
	msg := strings.ReplaceAll(strings.TrimSpace(env.Msg), token, "[redacted]")
	switch resp.Status {
	case http.StatusUnauthorized:
		return providers.Errorf(providers.KindAuth, "", "%s: %s (HTTP 401; check the Secret's %s, and that the token is active and within its validity)", op, or(msg, "Unauthorized"), TokenKey)
	case http.StatusForbidden:
		return providers.Errorf(providers.KindAuth, "", "%s: %s (HTTP 403; allow the token the record's domain in DNSMgr's API token settings)", op, or(msg, "Forbidden"))
	}
	return jsonapi.StatusError(resp, op, "", msg)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

package dynadot

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

// updater is the set_ddns endpoint.
type updater struct {
	base, userAgent string
	client          *http.Client
}

// answer is set_ddns' reply.
type answer struct {
	Status    string   `json:"status"`
	ErrorCode *int     `json:"error_code"`
	Content   []string `json:"content"`
}

// set sends set_ddns for one name (relative, "" for the apex) of domain.
func (u *updater) set(ctx context.Context, domain, sub, typ, ip, password string, ttl int32) error {
	const op = "dynadot set_ddns"
	q := url.Values{
		"domain": {domain}, "subDomain": {sub}, "type": {typ}, "ip": {ip}, "pwd": {password},
		"ttl": {strconv.Itoa(int(ttl))}, "containRoot": {strconv.FormatBool(sub == "")},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.base+"/set_ddns?"+q.Encode(), nil)
	if err != nil {
		// The URL holds the password: say what failed without it.
		return providers.Errorf(providers.KindTransient, "", "%s: cannot build the request", op)
	}
	req.Header.Set("Accept", "application/json")
	if u.userAgent != "" {
		req.Header.Set("User-Agent", u.userAgent)
	}
	resp, err := jsonapi.Do(u.client, req, op)
	if err != nil {
		return err
	}
	if resp.Status != http.StatusOK {
		return jsonapi.StatusError(resp, op, "", "")
	}
	var a answer
	if err := json.Unmarshal(resp.Body, &a); err != nil || (a.ErrorCode == nil && a.Status == "") {
		return &providers.Error{Kind: providers.KindTransient, Message: op + ": undecodable answer (HTTP 200)", Err: err}
	}
	if a.ErrorCode != nil && *a.ErrorCode == -1 {
		return answerError(op, domain, a, password)
	}
	return nil
}

// answerError maps a failed answer by its content, the only account of
// the failure Dynadot gives; the password is scrubbed out.
func answerError(op, domain string, a answer, password string) error {
	msg := strings.TrimSpace(strings.Join(a.Content, "; "))
	if password != "" {
		msg = strings.ReplaceAll(msg, password, "[redacted]")
	}
	if msg == "" {
		msg = strings.TrimSpace(a.Status)
	}
	if msg == "" {
		msg = "update refused"
	}
	lower := strings.ToLower(msg)
	switch {
	case strings.Contains(lower, "password") || strings.Contains(lower, "pwd") || strings.Contains(lower, "auth"):
		return providers.Errorf(providers.KindAuth, "-1", "%s: %s (the password is the DDNS password of %s, under DNS Settings → Dynamic DNS, not the account password)", op, msg, domain)
	case strings.Contains(lower, "domain") && (strings.Contains(lower, "not found") || strings.Contains(lower, "not exist") || strings.Contains(lower, "invalid") || strings.Contains(lower, "not in")):
		return providers.Errorf(providers.KindZoneNotFound, "-1", "%s: %s (is %s in this Dynadot account, with DDNS on?)", op, msg, domain)
	case strings.Contains(lower, "ddns") && (strings.Contains(lower, "not enabled") || strings.Contains(lower, "disabled")):
		return providers.Errorf(providers.KindAuth, "-1", "%s: %s (turn DDNS on for %s in DNS Settings)", op, msg, domain)
	}
	return providers.Errorf(providers.KindInvalid, "-1", "%s: %s", op, msg)
}

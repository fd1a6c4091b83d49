package dyndns2

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
)

// maxAnswer bounds an answer: one code and an address, a line per host.
const maxAnswer = 4 << 10

// Send asks the service to set r's address: one GET of the update URL
// with hostname and the address, authenticated with basic auth.
func (s *sender) Send(ctx context.Context, _ providers.Zone, r providers.Record) error {
	op := "update " + r.Name + " " + r.Type + " at " + s.target.title
	u, err := url.Parse(s.target.server)
	if err != nil {
		return providers.Errorf(providers.KindInvalid, "", "%s: the update URL does not parse", op)
	}
	q := u.Query()
	if s.target.query != "" {
		extra, _ := url.ParseQuery(s.target.query)
		for k, v := range extra {
			q[k] = v
		}
	}
	q.Set("hostname", r.Name)
	param := "myip"
	if r.Type == "AAAA" {
		param = s.target.ipv6Param
	}
	q.Set(param, r.Value)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return providers.Transient(op, err)
	}
	req.SetBasicAuth(s.creds.Username, s.creds.Password)
	req.Header.Set("User-Agent", s.userAgent)
	resp, err := s.client.Do(req)
	if err != nil {
		return providers.Transient(op, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return providers.Transient(op, err)
	}
	if len(body) > maxAnswer {
		return providers.Errorf(providers.KindTransient, "", "%s: the answer is longer than %d bytes, which no dyndns2 answer is", op, maxAnswer)
	}
	return s.answer(op, resp.StatusCode, resp.Header, body, r)
}

// answer turns the service's answer into nil (good, nochg) or a
// providers.Error of the kind the code calls for.
func (s *sender) answer(op string, status int, h http.Header, body []byte, r providers.Record) error {
	line, _, _ := bytes.Cut(bytes.TrimSpace(body), []byte("\n"))
	word, rest, _ := strings.Cut(strings.TrimSpace(string(line)), " ")
	code := strings.ToLower(word)
	at := s.target.title
	switch code {
	case "good":
		// "good 127.0.0.1" for another address is Dyn's answer to a
		// blocked user agent: the update was ignored.
		if ip, err := netip.ParseAddr(strings.TrimSpace(rest)); err == nil && ip.IsLoopback() && r.Value != ip.String() {
			return providers.RateLimited("badagent", fmt.Sprintf("%s: %s ignored the update (good 127.0.0.1: it does not accept this client's user agent)", op, at), blockWait)
		}
		return nil
	case "nochg":
		return nil
	case "badauth":
		return providers.Errorf(providers.KindAuth, code, "%s: %s refused the user name and password", op, at)
	case "!donator":
		return providers.Errorf(providers.KindInvalid, code, "%s: %s says the update needs a feature the account does not pay for", op, at)
	case "notfqdn":
		return providers.Errorf(providers.KindInvalid, code, "%s: %s says %s is not a fully qualified host name it serves", op, at, r.Name)
	case "nohost":
		return providers.Errorf(providers.KindZoneNotFound, code, "%s: %s has no host %s in the account; create it in the service's console", op, at, r.Name)
	case "numhost":
		return providers.Errorf(providers.KindInvalid, code, "%s: %s refused the update as too many hosts or a round-robin host", op, at)
	case "badsys":
		return providers.Errorf(providers.KindInvalid, code, "%s: %s does not know the system parameter of the update", op, at)
	case "abuse":
		return providers.RateLimited(code, fmt.Sprintf("%s: %s blocked updates of %s for abuse; unblock the host at the service, then change the Secret to resume at once (otherwise the operator tries again in %s)", op, at, r.Name, blockWait), blockWait)
	case "badagent":
		return providers.RateLimited(code, fmt.Sprintf("%s: %s disabled this client (badagent); upgrade the operator or report it, then change the Secret to resume (otherwise the operator tries again in %s)", op, at, blockWait), blockWait)
	case "dnserr", "911":
		return providers.RateLimited(code, fmt.Sprintf("%s: %s reported a fault on its side (%s); the protocol asks clients to wait %s before the next update", op, at, code, ninetyOneWait), ninetyOneWait)
	}
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return providers.Errorf(providers.KindAuth, strconv.Itoa(status), "%s: %s refused the user name and password (HTTP %d)", op, at, status)
	case status == http.StatusTooManyRequests:
		return providers.RateLimited(strconv.Itoa(status), fmt.Sprintf("%s: %s asks to slow down (HTTP 429)", op, at), providers.ParseRetryAfter(h.Get("Retry-After")))
	case status == http.StatusNotFound:
		return providers.Errorf(providers.KindInvalid, "404", "%s: the update URL of %s does not exist (HTTP 404); check spec.dyndns2.server", op, at)
	case status >= 500:
		return providers.Errorf(providers.KindTransient, strconv.Itoa(status), "%s: %s answered HTTP %d", op, at, status)
	}
	return providers.Errorf(providers.KindTransient, strconv.Itoa(status), "%s: %s answered HTTP %d with %s, which is no dyndns2 return code", op, at, status, quoteAnswer(line))
}

// quoteAnswer shows the start of an unexpected answer, printable
// characters only.
func quoteAnswer(line []byte) string {
	s := strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, string(line))
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	if s == "" {
		return "an empty body"
	}
	return strconv.Quote(s)
}

// Wait times of the protocol's stops, for tests and docs.
var (
	// NinetyOneWait is the stop after 911 and dnserr.
	NinetyOneWait = ninetyOneWait
	// BlockWait is the stop after abuse and badagent.
	BlockWait time.Duration = blockWait
)

// Package callback is ddns-go's "Callback" provider
// (https://github.com/jeessy2/ddns-go#callback), for any DNS host or
// script the operator does not support natively: one HTTP request per
// address change, to a URL with an optional body, both templates with the
// variables #{ip}, #{domain}, #{recordType}, #{ttl}, #{ipv4Addr},
// #{ipv6Addr} and #{timestamp}. An empty body makes the request a GET;
// otherwise it is a POST, sent as JSON when the body is JSON and as a
// form otherwise, as ddns-go sends it. docs/providers/callback.md shows
// how a ddns-go entry translates.
//
// A callback cannot be read back. The operator therefore decides from
// memory (package updateonly, without DNS): it remembers, per name and
// type, the address and TTL each successful callback sent, lists that as
// the record, and calls again only when the address or TTL wanted
// differs, or when it has nothing in memory: after the operator starts,
// and after the Secret changes (which is how a user asks to resend). A
// failed call is retried with the reconciler's backoff, never in a loop.
package callback

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/updateonly"
)

// Name is the provider's spec.provider value.
const Name = "callback"

// DefaultTTL is #{ttl} for a record without spec.ttl: ddns-go's default.
const DefaultTTL = 600

// Descriptor declares the callback provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  Name,
	Title: "Callback (ddns-go compatible)",
	Keys: []providers.SecretKey{
		{Name: URLKey, Secret: true, Help: "the callback URL, with #{...} variables; it usually carries a token"},
		{Name: BodyKey, Secret: true, Optional: true, Help: "the request body template; empty sends a GET"},
		{Name: HeadersKey, Secret: true, Optional: true, Help: `extra request headers, one "Name: value" per line`},
	},
	KeysNote: "`url`, optionally `body` and `headers`",
	// A callback target publishes no limit; one call at a time per Secret.
	Limits:     providers.Limits{Concurrency: 1},
	Marker:     "",
	DefaultTTL: strconv.Itoa(DefaultTTL),
	New:        newProvider,
}

// newProvider builds the provider for one Secret. The Env's endpoint is
// not used: the URL is the Secret's.
func newProvider(env providers.Env, secret map[string][]byte, _ *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
	req, err := FromSecretData(secret)
	if err != nil {
		return nil, err
	}
	s := &sender{req: req, client: env.HTTP(), userAgent: env.UserAgent, now: func() time.Time { return clock() }}
	p := updateonly.New(updateonly.Config{
		Sender:       s,
		DefaultTTL:   DefaultTTL,
		CannotDelete: "a callback cannot delete a record: it only sends addresses",
	})
	s.lastSent = p.LastSent
	return p, nil
}

// clock is the time #{timestamp} reads, for tests.
var clock = time.Now

// sender makes the callback requests.
type sender struct {
	req       Request
	client    *http.Client
	userAgent string
	now       func() time.Time
	// lastSent is the address of a family last sent through this
	// Secret, for the other family's #{ipv4Addr} or #{ipv6Addr}: the
	// records of one Secret follow one egress address, as ddns-go's
	// domains follow the one it detects.
	lastSent func(typ string) string
}

// Send makes one callback for r.
func (s *sender) Send(ctx context.Context, _ providers.Zone, r providers.Record) error {
	op := "callback for " + r.Name + " " + r.Type
	v := Values{
		"ip": r.Value, "domain": r.Name, "recordType": r.Type, "ttl": strconv.Itoa(int(r.TTL)),
		"timestamp": strconv.FormatInt(s.now().UTC().Unix(), 10),
	}
	v["ipv4Addr"], v["ipv6Addr"] = s.lastSent("A"), s.lastSent("AAAA")
	if r.Type == "AAAA" {
		v["ipv6Addr"] = r.Value
	} else {
		v["ipv4Addr"] = r.Value
	}
	req, err := s.req.Build(ctx, v, s.userAgent)
	if err != nil {
		return providers.Errorf(providers.KindInvalid, "", "%s: %s", op, err)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return providers.Transient(op, err)
	}
	defer func() { _ = resp.Body.Close() }()
	// The answer has no format: only its status counts. Its body is not
	// shown, since a server may echo the URL's token in it.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return statusError(op, resp)
}

// statusError classifies the callback's answer: any 2xx is success, as
// in ddns-go.
func statusError(op string, resp *http.Response) error {
	code := resp.StatusCode
	status := strconv.Itoa(code)
	switch {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return providers.Errorf(providers.KindAuth, status, "%s: the callback URL refused the request (HTTP %d): check the token in url or headers", op, code)
	case code == http.StatusTooManyRequests:
		return providers.RateLimited(status, op+": the callback URL asks to slow down (HTTP 429)", providers.ParseRetryAfter(resp.Header.Get("Retry-After")))
	case code >= 500:
		return providers.Errorf(providers.KindTransient, status, "%s: the callback URL answered HTTP %d", op, code)
	}
	return providers.Errorf(providers.KindInvalid, status, "%s: the callback URL refused the request (HTTP %d %s); check url, body and headers", op, code, strings.ToLower(http.StatusText(code)))
}

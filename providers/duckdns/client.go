// Package duckdns is the provider for DuckDNS (https://www.duckdns.org),
// over its own update API (https://www.duckdns.org/spec.jsp): a GET of
// /update?domains=NAME&token=TOKEN&ip=IPV4 (or &ipv6=IPV6) answered "OK"
// or "KO", and &clear=true to remove a name's addresses.
//
// The API cannot read. The provider reads a name from DuckDNS's
// authoritative DNS servers and sends an update only when the address
// wanted differs (see package updateonly).
package duckdns

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/updateonly"
)

// Name is the provider's spec.provider value.
const Name = "duckdns"

// DefaultEndpoint is the API's base URL.
const DefaultEndpoint = "https://www.duckdns.org"

// Descriptor declares the DuckDNS provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  Name,
	Title: "DuckDNS",
	Keys: []providers.SecretKey{
		{Name: TokenKey, Secret: true, Help: "the account's token, as duckdns.org shows it after signing in"},
	},
	// DuckDNS documents no request rate; one request at a time per token.
	Limits:     providers.Limits{Concurrency: 1},
	Marker:     "",
	DefaultTTL: "set by DuckDNS (60)",
	New:        newProvider,
}

// newProvider builds the provider for one token.
func newProvider(env providers.Env, secret map[string][]byte, _ *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
	token, err := FromSecretData(secret)
	if err != nil {
		return nil, err
	}
	endpoint := env.EndpointOr(DefaultEndpoint)
	dns := &updateonly.Resolver{Nameserver: env.Nameserver, Wait: env.Wait}
	ua := env.UserAgentOr("ddns-operator")
	s := &sender{endpoint: endpoint, token: token, client: env.HTTP(), userAgent: ua, dns: dns}
	return updateonly.New(updateonly.Config{Sender: s, DNS: dns, FixedTTL: true}), nil
}

// sender speaks DuckDNS's update API.
type sender struct {
	endpoint, token, userAgent string
	client                     *http.Client
	dns                        *updateonly.Resolver
}

// subname is the DuckDNS domain of fqdn: its one label under the zone.
func subname(fqdn string, zone providers.Zone) (string, error) {
	sub := providers.RelativeName(fqdn, zone.Name)
	if sub == "@" || strings.Contains(sub, ".") {
		return "", providers.Errorf(providers.KindInvalid, "", "DuckDNS sets the addresses of NAME.%s only; %s follows %s", zone.Name, fqdn, lastTwo(sub, zone.Name))
	}
	return sub, nil
}

// lastTwo names the DuckDNS domain a deeper name resolves as.
func lastTwo(sub, zone string) string {
	if sub == "@" {
		return "no domain of its own"
	}
	return sub[strings.LastIndex(sub, ".")+1:] + "." + zone
}

// Send sets the name's address of r's type: ip= for IPv4, ipv6= for IPv6
// (with ipv6 set, DuckDNS does not guess the IPv4 address from the
// request, so the A record stays as it is).
func (s *sender) Send(ctx context.Context, zone providers.Zone, r providers.Record) error {
	sub, err := subname(r.Name, zone)
	if err != nil {
		return err
	}
	q := url.Values{"domains": {sub}, "token": {s.token}, "verbose": {"true"}}
	if r.Type == "AAAA" {
		q.Set("ipv6", r.Value)
	} else {
		q.Set("ip", r.Value)
	}
	return s.call(ctx, "update "+r.Name+" "+r.Type+" at DuckDNS", sub, q)
}

// Clear removes the name's addresses. DuckDNS clears IPv4 and IPv6
// together, so a name that still has an address of the other family is
// refused rather than losing it.
func (s *sender) Clear(ctx context.Context, zone providers.Zone, r providers.Record) error {
	sub, err := subname(r.Name, zone)
	if err != nil {
		return err
	}
	other := "AAAA"
	if r.Type == "AAAA" {
		other = "A"
	}
	values, _, err := s.dns.Lookup(ctx, zone.Name, r.Name, other)
	if err != nil {
		return err
	}
	if len(values) > 0 {
		return providers.Errorf(providers.KindInvalid, "", "DuckDNS clears a domain's IPv4 and IPv6 addresses together, and %s still has the %s record %s; delete both records' resources together or use deletionPolicy Retain", r.Name, other, strings.Join(values, ", "))
	}
	q := url.Values{"domains": {sub}, "token": {s.token}, "clear": {"true"}, "verbose": {"true"}}
	return s.call(ctx, "clear "+r.Name+" at DuckDNS", sub, q)
}

// call sends one update request and reads the answer: OK (verbose: OK,
// the addresses, UPDATED or NOCHANGE) or KO.
func (s *sender) call(ctx context.Context, op, sub string, q url.Values) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.endpoint+"/update?"+q.Encode(), nil)
	if err != nil {
		return providers.Transient(op, err)
	}
	req.Header.Set("User-Agent", s.userAgent)
	resp, err := s.client.Do(req)
	if err != nil {
		return providers.Transient(op, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<10+1))
	if err != nil {
		return providers.Transient(op, err)
	}
	return answer(op, sub, resp.StatusCode, resp.Header.Get("Retry-After"), body)
}

// answer turns DuckDNS's answer into nil or a classified error.
func answer(op, sub string, status int, retryAfter string, body []byte) error {
	first, _, _ := strings.Cut(strings.TrimSpace(string(body)), "\n")
	switch {
	case status == http.StatusOK && strings.TrimSpace(first) == "OK":
		return nil
	case status == http.StatusOK && strings.TrimSpace(first) == "KO":
		return providers.Errorf(providers.KindAuth, "KO", "%s: DuckDNS answered KO: the token is not the account's, or %s is not one of its domains", op, sub)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return providers.Errorf(providers.KindAuth, strconv.Itoa(status), "%s: DuckDNS refused the token (HTTP %d)", op, status)
	case status == http.StatusTooManyRequests:
		return providers.RateLimited("429", op+": DuckDNS asks to slow down (HTTP 429)", providers.ParseRetryAfter(retryAfter))
	case status >= 500:
		return providers.Errorf(providers.KindTransient, strconv.Itoa(status), "%s: DuckDNS answered HTTP %d", op, status)
	}
	return providers.Errorf(providers.KindTransient, strconv.Itoa(status), "%s: DuckDNS answered HTTP %d with %s instead of OK or KO", op, status, shortQuote(first))
}

// shortQuote shows the start of an unexpected answer.
func shortQuote(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if s == "" {
		return "an empty body"
	}
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return fmt.Sprintf("%q", s)
}

// Package digitalocean is the DNS provider for DigitalOcean's DNS, over its
// documented REST API (https://docs.digitalocean.com/reference/api/digitalocean/#tag/Domain-Records)
// with a personal access token. The official SDK, godo, is one package for
// the whole DigitalOcean API: linked for these five calls it adds 2.3 MB to
// the manager, against a few kilobytes for the calls themselves (see
// BENCHMARKS.md), so the provider makes them with net/http.
//
// DigitalOcean records have IDs of their own but no comment, so the
// ownership marker lives in a companion TXT record
// (providers.CompanionName).
package digitalocean

import (
	"net/http"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// DefaultEndpoint is the API's base URL.
const DefaultEndpoint = "https://api.digitalocean.com/v2"

// DefaultUserAgent identifies the operator when the Env names no agent.
const DefaultUserAgent = "ddns-operator (+https://github.com/ddns-operator/ddns-operator)"

// KeyToken is the Secret key holding the personal access token.
const KeyToken = "token"

// MinTTL is the smallest TTL DigitalOcean accepts.
const MinTTL = 30

// perPage is the per_page of every list: the most the API returns.
const perPage = 200

// Descriptor declares the DigitalOcean provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  "digitalocean",
	Title: "DigitalOcean DNS",
	Keys: []providers.SecretKey{
		{Name: KeyToken, Secret: true, Help: "a personal access token with the domain:read, domain:create, domain:update and domain:delete scopes"},
	},
	// DigitalOcean allows 5,000 requests an hour and 250 a minute per
	// token (https://docs.digitalocean.com/reference/api/digitalocean/#section/Introduction/Rate-Limit);
	// the minute is the tighter bound for bursts.
	Limits:     providers.Limits{Requests: 250, Per: time.Minute, Concurrency: 4},
	ZoneList:   true,
	Marker:     "companion TXT record",
	DefaultTTL: "1800",
	New: func(env providers.Env, secret map[string][]byte, _ *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
		raw, ok := secret[KeyToken]
		if !ok {
			return nil, providers.MissingKey(KeyToken)
		}
		token, err := providers.HeaderToken(KeyToken, raw)
		if err != nil {
			return nil, err
		}
		return New(env, token), nil
	},
}

// Provider implements providers.Provider for DigitalOcean.
type Provider struct {
	api providers.REST
}

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// New builds the provider for one token.
func New(env providers.Env, token string) *Provider {
	base := env.EndpointOr(DefaultEndpoint)
	ua := env.UserAgentOr(DefaultUserAgent)
	return &Provider{api: providers.REST{
		Base: base, Client: env.HTTP(), UserAgent: ua,
		Authorize: func(r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+token)
			return nil
		},
		Refusal: refusal,
	}}
}

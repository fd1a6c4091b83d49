// Package gandi is the DNS provider for Gandi LiveDNS, over its documented
// REST API (https://api.gandi.net/docs/livedns/), authenticated with a
// personal access token (https://api.gandi.net/docs/authentication/).
// Gandi publishes no Go SDK; the provider makes the five calls it needs
// with net/http.
//
// LiveDNS keeps records as sets: one set holds every value of a name and
// type (providers.RecordSet says how sets map to the operator's records).
// Records carry no comment, so the ownership marker lives in a companion
// TXT set (providers.CompanionName).
package gandi

import (
	"net/http"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// DefaultEndpoint is the LiveDNS API's base URL.
const DefaultEndpoint = "https://api.gandi.net/v5/livedns"

// DefaultUserAgent identifies the operator when the Env names no agent.
const DefaultUserAgent = "ddns-operator (+https://github.com/ddns-operator/ddns-operator)"

// KeyToken is the Secret key holding the personal access token.
const KeyToken = "personalAccessToken"

// MinTTL and MaxTTL bound rrset_ttl (LiveDNS refuses others with 400).
const (
	MinTTL = 300
	MaxTTL = 2592000
)

// pageSize is the per_page of every list: the most LiveDNS returns.
const pageSize = 500

// Descriptor declares the Gandi LiveDNS provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  "gandi",
	Title: "Gandi LiveDNS",
	Keys: []providers.SecretKey{
		{Name: KeyToken, Secret: true, Help: "a personal access token with the permission to manage the domains' technical configuration"},
	},
	// Gandi's API documentation states a limit of 1,000 requests per
	// minute (per source address, so other tools behind the same address
	// share it); answers past it are 429.
	Limits:     providers.Limits{Requests: 1000, Per: time.Minute, Concurrency: 4},
	ZoneList:   true,
	Marker:     "companion TXT record",
	DefaultTTL: "10800",
	New: func(env providers.Env, secret map[string][]byte, _ *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
		token, err := FromSecretData(secret)
		if err != nil {
			return nil, err
		}
		return New(env, token), nil
	},
}

// Provider implements providers.Provider for Gandi LiveDNS.
type Provider struct {
	api providers.REST
}

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// New builds the provider for one personal access token.
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

// FromSecretData reads the personal access token (see
// providers.HeaderToken for what is refused).
func FromSecretData(data map[string][]byte) (string, error) {
	raw, ok := data[KeyToken]
	if !ok {
		return "", providers.MissingKey(KeyToken)
	}
	return providers.HeaderToken(KeyToken, raw)
}

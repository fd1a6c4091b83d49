// Package vercel is the DNS provider for Vercel DNS
// (https://vercel.com/docs/rest-api, "Domains" and "DNS"): REST over
// https://api.vercel.com with an access token as a bearer token, and the
// team's ID as the teamId query parameter for domains a team owns.
// Vercel's Go SDK is not served here, and five calls need none: the
// provider speaks the API with net/http.
package vercel

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

// DefaultEndpoint is the API's base URL.
const DefaultEndpoint = "https://api.vercel.com"

// MinTTL is the smallest TTL Vercel takes ("ttl: minimum 60" in Create a
// DNS record).
const MinTTL = 60

// pageLimit is the page size the provider asks for: the most the list
// endpoints answer ("limit: maximum 100").
const pageLimit = 100

// Provider manages the records of one token (and team) at Vercel.
type Provider struct {
	api *jsonapi.Client
}

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// Descriptor declares the Vercel provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  "vercel",
	Title: "Vercel DNS",
	Keys: []providers.SecretKey{
		{Name: TokenKey, Secret: true, Help: "a Vercel access token"},
	},
	Options: func(spec *v1alpha1.DynamicDNSRecordSpec) any {
		if spec == nil {
			return nil
		}
		return spec.Vercel
	},
	// Vercel limits each endpoint per token and window and reports the
	// window on every answer (X-RateLimit-Limit/-Remaining/-Reset, REST
	// API "Rate limits"); it publishes the numbers per plan, not one for
	// all. Five requests a second, two at a time, stays below them for
	// a home lab's records; a 429 carries the reset time.
	Limits:     providers.Limits{Requests: 5, Per: time.Second, Concurrency: 2},
	ZoneList:   true,
	Marker:     "comment",
	DefaultTTL: "60",
	New:        newProvider,
}

// newProvider builds the provider for one account.
func newProvider(env providers.Env, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
	token, err := FromSecretData(secret)
	if err != nil {
		return nil, err
	}
	a := &jsonapi.Client{
		Base: env.EndpointOr(DefaultEndpoint), Name: "vercel", HTTP: env.HTTP(), UserAgent: env.UserAgent,
		Auth:    func(h http.Header) { h.Set("Authorization", "Bearer "+string(token)) },
		Refusal: func(resp *jsonapi.Response, op string) error { return answerError(resp, op, string(token)) },
	}
	if spec != nil && spec.Vercel != nil && strings.TrimSpace(spec.Vercel.TeamID) != "" {
		a.Query = url.Values{"teamId": {strings.TrimSpace(spec.Vercel.TeamID)}}
	}
	return &Provider{api: a}, nil
}

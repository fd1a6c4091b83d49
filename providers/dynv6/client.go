// Package dynv6 is the DNS provider for dynv6 (https://dynv6.com/docs/apis,
// REST API v2, specified at https://dynv6.github.io/api-spec/): JSON over
// https://dynv6.com/api/v2 with an HTTP token as a bearer token. dynv6
// publishes no Go SDK; the provider speaks the API with net/http.
//
// At dynv6 a zone is a hostname (myhome.dynv6.net, or a domain of your
// own): the zone's own IPv4 address and IPv6 prefix are fields of the
// zone, set with PATCH /zones/{id}, and the names below it are records.
// The provider maps the zone's fields to the apex's A and AAAA records.
// The API takes no TTL (dynv6 serves its own) and records have no
// comment, so records are listed with TTL 0 and carry no ownership marker
// (docs/providers/dynv6.md says how adoption and deletion stay safe).
package dynv6

import (
	"net/http"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
	"github.com/ddns-operator/ddns-operator/providers/internal/secretdata"
)

// DefaultEndpoint is the API's base URL.
const DefaultEndpoint = "https://dynv6.com/api/v2"

// TokenKey is the Secret key holding the HTTP token.
const TokenKey = "apiToken"

// Provider manages the zones of one token at dynv6.
type Provider struct {
	api *jsonapi.Client
}

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// Descriptor declares the dynv6 provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  "dynv6",
	Title: "dynv6",
	Keys: []providers.SecretKey{
		{Name: TokenKey, Secret: true, Help: "an HTTP token (dynv6.com/keys)"},
	},
	// dynv6 documents no request rate for its REST API; two requests a
	// second, one at a time, keeps a free service's limits in mind.
	Limits:     providers.Limits{Requests: 2, Per: time.Second, Concurrency: 1},
	ZoneList:   true,
	Marker:     "",
	DefaultTTL: "fixed by dynv6",
	New:        newProvider,
}

// newProvider builds the provider for one token.
func newProvider(env providers.Env, secret map[string][]byte, _ *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
	token, err := secretdata.Token(secret, TokenKey, "Bearer")
	if err != nil {
		return nil, err
	}
	return &Provider{api: &jsonapi.Client{
		Base: env.EndpointOr(DefaultEndpoint), Name: "dynv6", HTTP: env.HTTP(), UserAgent: env.UserAgent,
		Auth:    func(h http.Header) { h.Set("Authorization", "Bearer "+token) },
		Refusal: func(resp *jsonapi.Response, op string) error { return answerError(resp, op, token) },
	}}, nil
}

// Package godaddy is the DNS provider for GoDaddy's Domains API
// (https://developer.godaddy.com/doc/endpoint/domains): REST over
// https://api.godaddy.com with the header
// "Authorization: sso-key KEY:SECRET". GoDaddy publishes no Go SDK; the
// provider speaks the API with net/http.
//
// Since 2024 GoDaddy refuses its Domains and DNS API to accounts with
// fewer than 10 domains (unless they hold a Discount Domain Club Premier
// membership), answering 403 ACCESS_DENIED; the provider reports that
// answer in those words.
//
// GoDaddy keeps the records of a name and type as a set without IDs and
// without a comment field: records get IDs from package rrset, and the
// provider keeps no ownership marker (docs/providers/godaddy.md says how
// adoption and deletion stay safe without one).
package godaddy

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

// DefaultEndpoint is the production API's base URL.
const DefaultEndpoint = "https://api.godaddy.com"

// MinTTL is GoDaddy's smallest TTL: a record with a smaller one is
// refused (422 INVALID_BODY, "must be >= 600").
const MinTTL = 600

// pageLimit is the page size the provider asks for.
const pageLimit = 500

// Provider manages the records of one API key at GoDaddy.
type Provider struct {
	api *jsonapi.Client
}

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// Descriptor declares the GoDaddy provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  "godaddy",
	Title: "GoDaddy",
	Keys: []providers.SecretKey{
		{Name: KeyKey, Help: "the API key"},
		{Name: SecretKey, Secret: true, Help: "the API key's secret"},
	},
	// "60 requests per minute" per endpoint (developer.godaddy.com,
	// Get Started → Rate limits); the operator keeps the whole key to
	// that, one request at a time.
	Limits:     providers.Limits{Requests: 60, Per: time.Minute, Concurrency: 1},
	ZoneList:   true,
	Marker:     "",
	DefaultTTL: "3600",
	New:        newProvider,
}

// DefaultTTL is the TTL GoDaddy gives a record created without one.
const DefaultTTL = 3600

// newProvider builds the provider for one API key.
func newProvider(env providers.Env, secret map[string][]byte, _ *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
	creds, err := FromSecretData(secret)
	if err != nil {
		return nil, err
	}
	return &Provider{api: &jsonapi.Client{
		Base: env.EndpointOr(DefaultEndpoint) + "/v1", Name: "godaddy", HTTP: env.HTTP(), UserAgent: env.UserAgent,
		Auth:    func(h http.Header) { h.Set("Authorization", "sso-key "+creds.Key+":"+creds.Secret) },
		Refusal: func(resp *jsonapi.Response, op string) error { return answerError(resp, op, creds.Secret) },
	}}, nil
}

// recordsPath is the path of the records of name (relative, "@" for the
// apex) and type in domain; name "" for every name of the type.
func recordsPath(domain, typ, name string) string {
	p := "/domains/" + url.PathEscape(domain) + "/records/" + url.PathEscape(strings.ToUpper(typ))
	if name != "" {
		p += "/" + url.PathEscape(name)
	}
	return p
}

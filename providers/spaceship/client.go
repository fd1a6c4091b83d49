// Package spaceship is the DNS provider for Spaceship
// (https://docs.spaceship.dev, "DNS records" and "Domains"): REST over
// https://spaceship.dev/api/v1 with the headers X-API-Key and
// X-API-Secret. Spaceship publishes no Go SDK; the provider speaks the API
// with net/http.
//
// Spaceship identifies a record by its type, name and value: there is no
// record ID, no comment field and no call that changes a value in place.
// Records get IDs from package rrset; a new value is saved (PUT) before
// the old one is deleted, so the name never goes without an address. The
// provider keeps no ownership marker (docs/providers/spaceship.md says how
// adoption and deletion stay safe without one).
package spaceship

import (
	"net/http"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

// DefaultEndpoint is the API's base URL.
const DefaultEndpoint = "https://spaceship.dev/api/v1"

// pageLimit is the page size the provider asks for: "take" is at most 500.
const pageLimit = 500

// DefaultTTL is the TTL of a record created without one (Spaceship's
// default, 1 hour).
const DefaultTTL = 3600

// Provider manages the records of one API key at Spaceship.
type Provider struct {
	api *jsonapi.Client
}

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// Descriptor declares the Spaceship provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  "spaceship",
	Title: "Spaceship",
	Keys: []providers.SecretKey{
		{Name: KeyKey, Help: "the API key"},
		{Name: SecretKey, Secret: true, Help: "the API secret"},
	},
	// Spaceship limits each endpoint per user and domain and answers 429
	// past it; one request a second, one at a time, stays below the
	// DNS records endpoints' limits.
	// (Written as 60 a minute: the gate sizes its burst from the count,
	// and one request per second leaves it no rate to refill at.)
	Limits:     providers.Limits{Requests: 60, Per: time.Minute, Concurrency: 1},
	ZoneList:   true,
	Marker:     "",
	DefaultTTL: "3600",
	New:        newProvider,
}

// newProvider builds the provider for one API key.
func newProvider(env providers.Env, secret map[string][]byte, _ *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
	creds, err := FromSecretData(secret)
	if err != nil {
		return nil, err
	}
	return &Provider{api: &jsonapi.Client{
		Base: env.EndpointOr(DefaultEndpoint), Name: "spaceship", HTTP: env.HTTP(), UserAgent: env.UserAgent,
		Auth:    func(h http.Header) { h.Set("X-API-Key", creds.Key); h.Set("X-API-Secret", creds.Secret) },
		Refusal: func(resp *jsonapi.Response, op string) error { return answerError(resp, op, creds.Secret) },
	}}, nil
}

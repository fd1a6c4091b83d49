// Package gcore is the DNS provider for Gcore Managed DNS
// (https://api.gcore.com/docs/dns, API "dns/v2"): REST over
// https://api.gcore.com/dns with a permanent API token in the header
// "Authorization: APIKey TOKEN". Gcore's DNS SDK is a community-sized
// client of a few calls; the provider speaks the API with net/http.
//
// Gcore keeps a name's values of one type as an RRset: one TTL, a list of
// resource records each with its content and meta. The provider maps
// each value to a providers.Record with an ID from package rrset, and
// writes a set whole (PUT) keeping the values it does not touch. The
// ownership marker lives in the value's meta "notes".
package gcore

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

// DefaultEndpoint is the DNS API's base URL; paths start with /v2.
const DefaultEndpoint = "https://api.gcore.com/dns"

// pageLimit is the page size the provider asks for.
const pageLimit = 1000

// Provider manages the records of one API token at Gcore.
type Provider struct {
	api *jsonapi.Client
}

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// Descriptor declares the Gcore provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  "gcore",
	Title: "Gcore Managed DNS",
	Keys: []providers.SecretKey{
		{Name: TokenKey, Secret: true, Help: "a permanent API token"},
	},
	// Gcore's API reference gives no DNS request rate; its API gateway
	// answers 429 when a client sends too fast. Five requests a second,
	// two at a time, is the pace the provider keeps.
	Limits:     providers.Limits{Requests: 5, Per: time.Second, Concurrency: 2},
	ZoneList:   true,
	Marker:     "meta notes",
	DefaultTTL: "300",
	New:        newProvider,
}

// DefaultTTL is the TTL of an RRset created without one.
const DefaultTTL = 300

// newProvider builds the provider for one token.
func newProvider(env providers.Env, secret map[string][]byte, _ *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
	token, err := FromSecretData(secret)
	if err != nil {
		return nil, err
	}
	return &Provider{api: &jsonapi.Client{
		Base: env.EndpointOr(DefaultEndpoint) + "/v2", Name: "gcore", HTTP: env.HTTP(), UserAgent: env.UserAgent,
		Auth:    func(h http.Header) { h.Set("Authorization", "APIKey "+string(token)) },
		Refusal: func(resp *jsonapi.Response, op string) error { return answerError(resp, op, string(token)) },
	}}, nil
}

// rrsetPath is the path of the RRset of name and type in zone.
func rrsetPath(zone, name, typ string) string {
	return "/zones/" + url.PathEscape(zone) + "/" + url.PathEscape(providers.CanonicalName(name)) + "/" + url.PathEscape(strings.ToUpper(typ))
}

// Package ns1 is the DNS provider for IBM NS1 Connect (formerly NS1,
// https://developer.ibm.com/apis/catalog/ns1--ibm-ns1-connect-api/, API
// v1): REST over https://api.nsone.net/v1 with the API key in the header
// "X-NSONE-Key". NS1's Go SDK (ns1-go) is a client of the whole platform
// for the few calls used here; the provider speaks the API with net/http:
//
//	GET    /v1/zones                           the key's zones (Link header pages)
//	GET    /v1/zones/{zone}/{domain}/{type}    one record and its answers
//	PUT    /v1/zones/{zone}/{domain}/{type}    create it
//	POST   /v1/zones/{zone}/{domain}/{type}    change it (the fields sent)
//	DELETE /v1/zones/{zone}/{domain}/{type}    delete it
//
// NS1 keeps a name's values of one type as one record with a list of
// answers, so the provider maps each answer to a providers.Record with an
// ID from package rrset and writes the answers whole, keeping those it
// does not touch and each answer's own settings. The ownership marker
// lives in the answer's meta "note". Listing a whole zone shows answers
// without their meta, so the provider reads records by name only.
package ns1

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
	"github.com/ddns-operator/ddns-operator/providers/internal/secretdata"
)

// DefaultEndpoint is the API's base URL; paths start with /v1.
const DefaultEndpoint = "https://api.nsone.net"

// APIKeyKey is the Secret key holding the API key.
const APIKeyKey = "apiKey"

// Provider manages the records of one API key at NS1.
type Provider struct {
	api *jsonapi.Client
}

var _ providers.Provider = (*Provider)(nil)

// Descriptor declares the NS1 provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  "ns1",
	Title: "IBM NS1 Connect",
	Keys: []providers.SecretKey{
		{Name: APIKeyKey, Secret: true, Help: "an API key with permission to view and manage the zone's records"},
	},
	// NS1 meters each key with token buckets whose size varies by
	// endpoint ("API rate limiting": a simple GET may grant 900 requests
	// per 300 seconds, writes fewer) and reports them in X-RateLimit-*
	// headers. The provider keeps to a third of that, two at a time,
	// and after a 429 waits as those headers say.
	Limits:     providers.Limits{Requests: 300, Per: 5 * time.Minute, Concurrency: 2},
	Marker:     "answer meta note",
	DefaultTTL: "the zone's default (3600)",
	New:        newProvider,
}

// newProvider builds the provider for one API key.
func newProvider(env providers.Env, secret map[string][]byte, _ *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
	key, err := secretdata.Value(secret, APIKeyKey)
	if err != nil {
		return nil, err
	}
	return &Provider{api: &jsonapi.Client{
		Base: env.EndpointOr(DefaultEndpoint) + "/v1", Name: "ns1", HTTP: env.HTTP(), UserAgent: env.UserAgent,
		Auth:    func(h http.Header) { h.Set("X-NSONE-Key", key) },
		Refusal: func(resp *jsonapi.Response, op string) error { return answerError(resp, op, key) },
	}}, nil
}

// recordPath is the path of the record of domain and type in zone.
func recordPath(zone, domain, typ string) string {
	return "/zones/" + url.PathEscape(zone) + "/" + url.PathEscape(providers.CanonicalName(domain)) + "/" + url.PathEscape(strings.ToUpper(typ))
}

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
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/rest"
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
	api *api
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
	endpoint := strings.TrimSuffix(env.Endpoint, "/")
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	return &Provider{api: &api{endpoint: endpoint, client: env.HTTP(), userAgent: env.UserAgent, creds: creds}}, nil
}

// api is GoDaddy's Domains API for one key.
type api struct {
	endpoint, userAgent string
	client              *http.Client
	creds               Credentials
}

// call sends method to path (below /v1) with query and body, and decodes
// a 2xx answer into out.
func (a *api) call(ctx context.Context, op, method, path string, query url.Values, body, out any) error {
	op = "godaddy " + op
	u := a.endpoint + "/v1" + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := rest.NewRequest(ctx, method, u, body)
	if err != nil {
		return providers.Transient(op, err)
	}
	req.Header.Set("Authorization", "sso-key "+a.creds.Key+":"+a.creds.Secret)
	if a.userAgent != "" {
		req.Header.Set("User-Agent", a.userAgent)
	}
	resp, err := rest.Do(a.client, req, op)
	if err != nil {
		return err
	}
	if resp.Status/100 != 2 {
		return answerError(resp, op, a.creds.Secret)
	}
	if out != nil {
		return rest.Decode(resp, out, op)
	}
	return nil
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

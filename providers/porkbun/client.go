// Package porkbun is the DNS provider for Porkbun
// (https://porkbun.com/api/json/v3/documentation, API v3): JSON POSTs to
// https://api.porkbun.com/api/json/v3, each carrying the account's API key
// and secret API key in its body. Porkbun publishes no Go SDK, so the
// provider speaks the API with net/http.
//
// Porkbun answers DNS calls only for domains whose "API Access" switch is
// on in the Domain Management page; the provider says so when the API
// answers that a domain is not opted in.
package porkbun

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

// DefaultEndpoint is the API's base URL ("API Hostname" in the
// documentation; porkbun.com itself stopped serving the API in 2024).
const DefaultEndpoint = "https://api.porkbun.com/api/json/v3"

// MinTTL is Porkbun's smallest TTL: the documentation's DNS Create Record
// gives 600 seconds as the minimum and the default.
const MinTTL = 600

// Provider manages the records of one account at Porkbun.
type Provider struct {
	api *api
}

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// Descriptor declares the Porkbun provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  "porkbun",
	Title: "Porkbun",
	Keys: []providers.SecretKey{
		{Name: APIKeyKey, Help: "the API key (pk1_...)"},
		{Name: SecretAPIKeyKey, Secret: true, Help: "the secret API key (sk1_...)"},
	},
	// Porkbun documents no request rate; clients that send quickly get
	// throttled (HTTP 503 from its front end, or 429). One request a
	// second, one at a time, stays far below what DDNS clients report
	// as safe.
	// (Written as 60 a minute: the gate sizes its burst from the count,
	// and one request per second leaves it no rate to refill at.)
	Limits:     providers.Limits{Requests: 60, Per: time.Minute, Concurrency: 1},
	ZoneList:   true,
	Marker:     "notes",
	DefaultTTL: "600",
	New:        newProvider,
}

// newProvider builds the provider for one account.
func newProvider(env providers.Env, secret map[string][]byte, _ *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
	creds, err := FromSecretData(secret)
	if err != nil {
		return nil, err
	}
	endpoint := env.EndpointOr(DefaultEndpoint)
	return &Provider{api: &api{endpoint: endpoint, client: env.HTTP(), userAgent: env.UserAgent, creds: creds}}, nil
}

// api is Porkbun's HTTP API.
type api struct {
	endpoint, userAgent string
	client              *http.Client
	creds               Credentials
}

// call POSTs body, with the credentials added, to path and decodes a
// SUCCESS answer into out. Any other answer is an error built from the
// API's message; domain names the domain the call is about, for the
// message that API access is off.
func (a *api) call(ctx context.Context, path, domain string, body map[string]any, out any) error {
	op := "porkbun " + opName(path)
	if body == nil {
		body = map[string]any{}
	}
	body["apikey"], body["secretapikey"] = a.creds.APIKey, a.creds.SecretAPIKey
	req, err := jsonapi.NewRequest(ctx, http.MethodPost, a.endpoint+path, body)
	if err != nil {
		return providers.Transient(op, err)
	}
	if a.userAgent != "" {
		req.Header.Set("User-Agent", a.userAgent)
	}
	resp, err := jsonapi.Do(a.client, req, op)
	if err != nil {
		return err
	}
	var st status
	decodeErr := jsonapi.Decode(resp, &st, op)
	if resp.Status != http.StatusOK || decodeErr != nil || st.Status != "SUCCESS" {
		return answerError(resp, st, decodeErr, op, domain, a.creds.SecretAPIKey)
	}
	if out != nil {
		return jsonapi.Decode(resp, out, op)
	}
	return nil
}

// opName is the API command a path calls: "dns/create" for
// "/dns/create/example.com".
func opName(path string) string {
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(parts) >= 2 {
		return parts[0] + "/" + parts[1]
	}
	return strings.Join(parts, "/")
}

// Package cloudflare is the DNS provider for Cloudflare, over the
// documented Cloudflare API v4 (https://developers.cloudflare.com/api/):
// List Zones and the DNS records calls (list, create, update, delete,
// batch), with net/http through providers.REST. It reads the Secret keys
// apiToken (preferred) or apiKey and email, and the record's
// spec.cloudflare options block (proxied, comment).
//
// It does not use the official SDK, github.com/cloudflare/cloudflare-go:
// the SDK's JSON packages keep reflect.Type values behind interfaces,
// which makes the Go linker keep every exported method of every reachable
// type in the whole binary: 11.7 MB of the stripped manager for six HTTP
// calls (measured with shoutrrr's router, the other package that does it,
// left out). The requests are those the SDK sent (wire.go names the
// reference page of each shape), without its X-Stainless-* telemetry
// headers and with the operator's User-Agent.
package cloudflare

import (
	"net/http"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// DefaultEndpoint is the API's base URL.
const DefaultEndpoint = "https://api.cloudflare.com/client/v4"

// DefaultUserAgent identifies the operator when the Env names no agent.
const DefaultUserAgent = "ddns-operator (+https://github.com/ddns-operator/ddns-operator)"

// Descriptor declares the Cloudflare provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  v1alpha1.ProviderCloudflare,
	Title: "Cloudflare",
	Keys: []providers.SecretKey{
		{Name: KeyAPIToken, Secret: true, Optional: true, Help: "a scoped API token with Zone:DNS:Edit (preferred)"},
		{Name: KeyAPIKey, Secret: true, Optional: true, Help: "the Global API Key, with email, when no apiToken is given"},
		{Name: KeyEmail, Optional: true, Help: "the account's e-mail address, with apiKey"},
	},
	KeysNote: "`apiToken`, or `apiKey` + `email`",
	Options:  func(spec *v1alpha1.DynamicDNSRecordSpec) any { return optionsOf(spec) },
	// Cloudflare's documented limit for one user or API token: 1200
	// requests per five minutes across the whole API
	// (https://developers.cloudflare.com/fundamentals/api/reference/limits/),
	// with at most four calls in flight.
	Limits:     providers.Limits{Requests: 1200, Per: 5 * time.Minute, Concurrency: 4},
	ZoneList:   true,
	Batch:      true,
	Marker:     "comment",
	DefaultTTL: "automatic (300)",
	New: func(env providers.Env, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
		creds, err := FromSecretData(secret)
		if err != nil {
			return nil, err
		}
		return New(env, creds, optionsOf(spec)), nil
	},
}

// optionsOf returns spec.cloudflare, nil when there is no spec or block.
func optionsOf(spec *v1alpha1.DynamicDNSRecordSpec) *v1alpha1.CloudflareOptions {
	if spec == nil {
		return nil
	}
	return spec.Cloudflare
}

// Provider implements providers.Provider for Cloudflare.
type Provider struct {
	api providers.REST
	// proxied is spec.cloudflare.proxied; nil keeps what the record has.
	proxied *bool
	// comment is spec.cloudflare.comment; empty keeps what the record has.
	comment string
	// secrets are scrubbed out of every error message.
	secrets []string
}

var (
	_ providers.Provider    = (*Provider)(nil)
	_ providers.ZoneReader  = (*Provider)(nil)
	_ providers.BatchWriter = (*Provider)(nil)
)

// New builds a Provider from parsed credentials and the (optional) options
// block. It does not read the environment: no CLOUDFLARE_* variable can
// change the endpoint or the credential.
//
// A request is sent once: a failed one is retried by the workqueue, which
// backs off and honours Retry-After, so a reconcile worker is never held
// for minutes and a create whose answer was lost is not repeated blindly.
func New(env providers.Env, creds Credentials, cf *v1alpha1.CloudflareOptions) *Provider {
	base := env.EndpointOr(DefaultEndpoint)
	ua := env.UserAgentOr(DefaultUserAgent)
	p := &Provider{secrets: creds.secrets()}
	p.api = providers.REST{
		Base: base, Client: env.HTTP(), UserAgent: ua,
		Authorize: func(r *http.Request) error {
			// https://developers.cloudflare.com/fundamentals/api/get-started/
			if creds.APIToken != "" {
				r.Header.Set("Authorization", "Bearer "+creds.APIToken)
			} else {
				r.Header.Set("X-Auth-Key", creds.APIKey)
				r.Header.Set("X-Auth-Email", creds.Email)
			}
			return nil
		},
		Refusal: p.refusal,
	}
	if cf != nil {
		if cf.Proxied != nil {
			v := *cf.Proxied
			p.proxied = &v
		}
		p.comment = cf.Comment
	}
	return p
}

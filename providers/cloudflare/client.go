// Package cloudflare is the DNS provider for Cloudflare, a thin layer over
// the official SDK github.com/cloudflare/cloudflare-go/v6, its dns, zones
// and option packages only: the SDK's root package links every Cloudflare
// service (117 packages against 13), so it is not imported. It reads the
// Secret keys apiToken (preferred) or apiKey and email, and the record's
// spec.cloudflare options block (proxied, comment).
package cloudflare

import (
	"context"
	"time"

	"github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/cloudflare/cloudflare-go/v6/packages/pagination"
	"github.com/cloudflare/cloudflare-go/v6/zones"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// zoneAPI is the part of the SDK's zones.ZoneService the provider uses.
type zoneAPI interface {
	List(ctx context.Context, query zones.ZoneListParams, opts ...option.RequestOption) (*pagination.V4PagePaginationArray[zones.Zone], error)
}

// recordAPI is the part of the SDK's dns.RecordService the provider uses.
type recordAPI interface {
	List(ctx context.Context, params dns.RecordListParams, opts ...option.RequestOption) (*pagination.V4PagePaginationArray[dns.RecordResponse], error)
	New(ctx context.Context, params dns.RecordNewParams, opts ...option.RequestOption) (*dns.RecordResponse, error)
	Edit(ctx context.Context, id string, params dns.RecordEditParams, opts ...option.RequestOption) (*dns.RecordResponse, error)
	Delete(ctx context.Context, id string, params dns.RecordDeleteParams, opts ...option.RequestOption) (*dns.RecordDeleteResponse, error)
	Batch(ctx context.Context, params dns.RecordBatchParams, opts ...option.RequestOption) (*dns.RecordBatchResponse, error)
}

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
	zones   zoneAPI
	records recordAPI
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
// block. It does not read the environment: unlike cloudflare.NewClient, no
// CLOUDFLARE_* variable can change the endpoint or the credential.
//
// The SDK's own retries stay off: its default (10 retries, up to 30s apart,
// POST included) would hold a reconcile worker for minutes, could repeat a
// create whose answer was lost, and would hide throttling from the
// workqueue, which already retries with backoff and honours Retry-After.
func New(env providers.Env, creds Credentials, cf *v1alpha1.CloudflareOptions) *Provider {
	ro := []option.RequestOption{
		option.WithEnvironmentProduction(),
		option.WithHTTPClient(env.HTTP()),
		option.WithMaxRetries(0),
		option.WithMiddleware(readErrors),
	}
	if env.Endpoint != "" {
		ro = append(ro, option.WithBaseURL(env.Endpoint))
	}
	if creds.APIToken != "" {
		ro = append(ro, option.WithAPIToken(creds.APIToken))
	} else {
		ro = append(ro, option.WithAPIKey(creds.APIKey), option.WithAPIEmail(creds.Email))
	}
	p := &Provider{
		zones:   zones.NewZoneService(ro...),
		records: dns.NewRecordService(ro...),
		secrets: creds.secrets(),
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

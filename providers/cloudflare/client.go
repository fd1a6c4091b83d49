// Package cloudflare is the DNS provider for Cloudflare, a thin layer over
// the official SDK github.com/cloudflare/cloudflare-go/v6. It reads the
// Secret keys apiToken (preferred) or apiKey and email, and the record's
// spec.cloudflare options block (proxied, comment).
package cloudflare

import (
	"context"
	"net/http"
	"time"

	"github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/cloudflare/cloudflare-go/v6/packages/pagination"
	"github.com/cloudflare/cloudflare-go/v6/zones"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// DefaultTimeout bounds one HTTP exchange when Options.HTTPClient is nil.
const DefaultTimeout = 30 * time.Second

// Options configure how the provider reaches Cloudflare. The zero value
// talks to the real API (https://api.cloudflare.com/client/v4/).
type Options struct {
	// Endpoint overrides the API base URL, e.g. a fake server's URL in
	// tests. Empty means Cloudflare's production API.
	Endpoint string
	// HTTPClient carries the requests; nil means a client with
	// DefaultTimeout.
	HTTPClient *http.Client
	// MaxRetries is how many times the SDK itself retries a failed request.
	// The zero value, 0, is what the operator wants: the SDK's default (10
	// retries, up to 30s apart, POST included) would hold a reconcile worker
	// for minutes, could repeat a create whose answer was lost, and would
	// hide throttling from the workqueue, which already retries with
	// backoff and honours Retry-After.
	MaxRetries int
}

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
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
	_ providers.Limited    = (*Provider)(nil)
)

// RequestLimits is Cloudflare's documented limit for one user or API
// token, 1200 requests per five minutes across the whole API
// (https://developers.cloudflare.com/fundamentals/api/reference/limits/),
// with at most four calls in flight.
func (p *Provider) RequestLimits() providers.Limits {
	return providers.Limits{Requests: 1200, Per: 5 * time.Minute, Concurrency: 4}
}

// Factory returns the constructor the registry calls: it reads the Secret's
// data and the record's spec (either may lack the options block) and builds
// a Provider.
func Factory(opts Options) providers.Factory {
	return func(secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
		creds, err := FromSecretData(secret)
		if err != nil {
			return nil, err
		}
		var cf *v1alpha1.CloudflareOptions
		if spec != nil {
			cf = spec.Cloudflare
		}
		return New(opts, creds, cf), nil
	}
}

// New builds a Provider from parsed credentials and the (optional) options
// block. It does not read the environment: unlike cloudflare.NewClient, no
// CLOUDFLARE_* variable can change the endpoint or the credential.
func New(opts Options, creds Credentials, cf *v1alpha1.CloudflareOptions) *Provider {
	hc := &http.Client{Timeout: DefaultTimeout}
	if opts.HTTPClient != nil {
		c := *opts.HTTPClient
		hc = &c
	}
	// A server that streams without end must not fill memory before the
	// timeout: every body is cut at providers.MaxResponseBody.
	hc.Transport = providers.LimitResponses(hc.Transport, providers.MaxResponseBody)
	ro := []option.RequestOption{
		option.WithEnvironmentProduction(),
		option.WithHTTPClient(hc),
		option.WithMaxRetries(max(opts.MaxRetries, 0)),
	}
	if opts.Endpoint != "" {
		ro = append(ro, option.WithBaseURL(opts.Endpoint))
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

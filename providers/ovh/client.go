// Package ovh is the DNS provider for OVHcloud DNS zones, through the
// official SDK github.com/ovh/go-ovh (https://api.ovh.com/console/, the
// /domain/zone API), authenticated with an application key and secret and
// a consumer key: every request is signed with the application secret. The
// API lives at one endpoint per region (ovh-eu, ovh-ca, ovh-us; the record's
// spec.ovh.endpoint).
//
// Record writes reach the zone's name servers only after POST
// /domain/zone/{zone}/refresh; the provider refreshes after every change,
// and a refresh that failed is tried again before the zone's next read, so
// a change never stays unpublished. Records carry no comment, so the
// ownership marker lives in a companion TXT record
// (providers.CompanionName).
package ovh

import (
	"context"
	"sync"
	"time"

	goovh "github.com/ovh/go-ovh/ovh"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// Secret keys the provider reads.
const (
	// KeyApplicationKey is the application key (AK): it names the
	// application and is not secret.
	KeyApplicationKey = "applicationKey"
	// KeyApplicationSecret is the application secret (AS), which signs
	// every request.
	KeyApplicationSecret = "applicationSecret"
	// KeyConsumerKey is the consumer key (CK) the account validated for
	// the application, with its access rules.
	KeyConsumerKey = "consumerKey"
)

// DefaultEndpoint is the API a record without spec.ovh uses.
const DefaultEndpoint = "ovh-eu"

// MinTTL is the smallest TTL OVHcloud accepts on a record (0 asks for the
// zone's default).
const MinTTL = 60

// Descriptor declares the OVHcloud provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  "ovh",
	Title: "OVHcloud DNS",
	Keys: []providers.SecretKey{
		{Name: KeyApplicationKey, Help: "the application key"},
		{Name: KeyApplicationSecret, Secret: true, Help: "the application secret"},
		{Name: KeyConsumerKey, Secret: true, Help: "the consumer key, validated with access to the zone's records"},
	},
	Options: func(spec *v1alpha1.DynamicDNSRecordSpec) any { return optionsOf(spec) },
	// OVHcloud documents no request limit for /domain; a conservative
	// pace, two calls at a time (a record read takes one call per record
	// ID, as the API lists IDs only).
	Limits:     providers.Limits{Requests: 10, Per: time.Second, Concurrency: 2},
	Marker:     "companion TXT record",
	DefaultTTL: "the zone's TTL (3600)",
	New: func(env providers.Env, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
		creds, err := FromSecretData(secret)
		if err != nil {
			return nil, err
		}
		return New(env, creds, optionsOf(spec))
	},
}

// optionsOf returns spec.ovh, nil when there is no spec or block.
func optionsOf(spec *v1alpha1.DynamicDNSRecordSpec) *v1alpha1.OVHOptions {
	if spec == nil {
		return nil
	}
	return spec.OVH
}

// Credentials are the Secret's keys. Its String method never prints a
// value.
type Credentials struct {
	ApplicationKey, ApplicationSecret, ConsumerKey string
}

// String names the application key only.
func (c Credentials) String() string {
	return "ovh credentials (application key " + c.ApplicationKey + ")"
}

// GoString is String, for %#v.
func (c Credentials) GoString() string { return c.String() }

// FromSecretData reads the three keys, trimmed (see providers.HeaderToken
// for what is refused).
func FromSecretData(data map[string][]byte) (Credentials, error) {
	var c Credentials
	for _, k := range []struct {
		name string
		to   *string
	}{{KeyApplicationKey, &c.ApplicationKey}, {KeyApplicationSecret, &c.ApplicationSecret}, {KeyConsumerKey, &c.ConsumerKey}} {
		raw, ok := data[k.name]
		if !ok {
			return Credentials{}, providers.MissingKey(k.name)
		}
		v, err := providers.HeaderToken(k.name, raw)
		if err != nil {
			return Credentials{}, err
		}
		*k.to = v
	}
	return c, nil
}

// Provider implements providers.Provider for OVHcloud.
type Provider struct {
	api *api
	// stale holds the zones whose changes await a refresh (by name).
	stale sync.Map
	// defaultTTL holds each zone's default TTL once read (by name).
	defaultTTL sync.Map
}

var _ providers.Provider = (*Provider)(nil)

// New builds the provider for one set of credentials, at the endpoint
// opts names (env.Endpoint, a URL, wins: tests and gateways).
func New(env providers.Env, creds Credentials, opts *v1alpha1.OVHOptions) (*Provider, error) {
	endpoint := DefaultEndpoint
	if opts != nil && opts.Endpoint != "" {
		endpoint = opts.Endpoint
	}
	endpoint = env.EndpointOr(endpoint)
	build := func() (*goovh.Client, error) {
		c, err := goovh.NewClient(endpoint, creds.ApplicationKey, creds.ApplicationSecret, creds.ConsumerKey)
		if err != nil {
			// An unknown endpoint name, or OVH_* variables in the
			// operator's environment that add a second way to
			// authenticate.
			return nil, providers.Errorf(providers.KindInvalid, "", "configure the OVHcloud client: %v", err)
		}
		c.Client = env.HTTP()
		// go-ovh bounds each call with its own Timeout: take the one
		// the environment's client has (DefaultHTTPTimeout unless set).
		c.Timeout = c.Client.Timeout
		c.UserAgent = env.UserAgent
		return c, nil
	}
	c, err := build()
	if err != nil {
		return nil, err
	}
	return &Provider{api: &api{c: c, build: build}}, nil
}

// api holds the go-ovh client. The client learns the API's clock once, at
// its first signed request (GET /auth/time), and stamps every request
// with it; an answer that was not the API's then (an empty 200 from a
// proxy reads as the time 0) would make every request "Query out of time"
// for good. Such a refusal therefore replaces the client, which asks the
// time again.
type api struct {
	mu    sync.Mutex
	c     *goovh.Client
	build func() (*goovh.Client, error)
}

func (a *api) client() *goovh.Client {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.c
}

// check replaces the client after a "Query out of time" refusal.
func (a *api) check(c *goovh.Client, err error) error {
	if !outOfTime(err) {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.c == c {
		if fresh, berr := a.build(); berr == nil {
			a.c = fresh
		}
	}
	return err
}

// GetWithContext, PostWithContext, PutWithContext and DeleteWithContext
// call the client's, then check.
func (a *api) GetWithContext(ctx context.Context, path string, out any) error {
	c := a.client()
	return a.check(c, c.GetWithContext(ctx, path, out))
}

func (a *api) PostWithContext(ctx context.Context, path string, in, out any) error {
	c := a.client()
	return a.check(c, c.PostWithContext(ctx, path, in, out))
}

func (a *api) PutWithContext(ctx context.Context, path string, in, out any) error {
	c := a.client()
	return a.check(c, c.PutWithContext(ctx, path, in, out))
}

func (a *api) DeleteWithContext(ctx context.Context, path string, out any) error {
	c := a.client()
	return a.check(c, c.DeleteWithContext(ctx, path, out))
}

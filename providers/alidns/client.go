// Package alidns is the Alibaba Cloud DNS (云解析 DNS) provider. It sends
// the eight RPC actions of the alidns API 2015-01-09 it needs as generic
// calls through the darabonba OpenAPI client
// (github.com/alibabacloud-go/darabonba-openapi/v2), the client every
// Alibaba Cloud Go SDK is built on: the same request, ACS3-HMAC-SHA256
// signature (V3, Authorization header) and transport as the service's SDK
// package alidns-20150109 sends, without linking that package's hundreds of
// other actions (about 3 MB of the manager binary). The fake in alidnsfake
// checks that signature as the service does.
package alidns

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	util "github.com/alibabacloud-go/tea-utils/v2/service"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// DefaultEndpoint is Alibaba Cloud DNS's one public API endpoint (the SDK's
// "central" endpoint rule: the host does not depend on the region).
const DefaultEndpoint = "alidns.aliyuncs.com"

// DefaultLine is the resolution line used when spec.alidns.line is unset.
const DefaultLine = "default"

// Timeouts of one API call. The SDK's own retries stay off: the operator's
// workqueue backs off instead.
const (
	connectTimeout = 5 * time.Second
	readTimeout    = 15 * time.Second
)

// Version is the alidns API version the provider speaks.
const Version = "2015-01-09"

// api sends one API call: the OpenAPI client's generic call, as the SDK
// package's generated methods make it.
type api interface {
	CallApi(*openapi.Params, *openapi.OpenApiRequest, *util.RuntimeOptions) (map[string]any, error)
}

// Provider is the Alibaba Cloud DNS implementation of providers.Provider.
type Provider struct {
	api api
	// rt are the options of every call: no auto-retry, the timeouts.
	rt   *util.RuntimeOptions
	line string
	// env's gate paces every API call.
	env providers.Env
	// secrets are scrubbed from every message the provider builds.
	secrets []string
}

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// Descriptor declares the Alibaba Cloud DNS provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  v1alpha1.ProviderAlidns,
	Title: "Alibaba Cloud DNS",
	Keys: []providers.SecretKey{
		{Name: KeyAccessKeyID, Help: "the RAM user's AccessKey ID"},
		{Name: KeyAccessKeySecret, Secret: true, Help: "the RAM user's AccessKey secret"},
		{Name: KeySecurityToken, Secret: true, Optional: true, Help: "an STS security token, with a temporary AccessKey"},
	},
	Options: func(spec *v1alpha1.DynamicDNSRecordSpec) any {
		if spec == nil {
			return nil
		}
		return spec.Alidns
	},
	// Alibaba Cloud DNS publishes per-action quotas per account
	// (api-alidns-2015-01-09-quota, "API speed limit dimension: regionId,
	// API, ParentUid"): AddDomainRecord, UpdateDomainRecord and
	// DeleteDomainRecord 60 per second, DescribeDomainRecords 100,
	// DescribeDomainRecordInfo 200, DescribeSubDomainRecords 300.
	// DescribeDomains and UpdateDomainRecordRemark are not listed, and
	// since January 2025 the service also throttles "intelligently" with
	// Throttling.User ("Notice on API throttling of Alibaba Cloud DNS").
	// The quotas count per account (ParentUid), which every RAM user's key
	// of that account shares, while the Gate is per credential; so the
	// pace is a conservative 20 requests a second, a third of the lowest
	// listed quota, four at a time.
	Limits:     providers.Limits{Requests: 20, Per: time.Second, Concurrency: 4},
	ZoneList:   true,
	Marker:     "remark",
	DefaultTTL: "600",
	New: func(env providers.Env, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
		creds, err := FromSecretData(secret)
		if err != nil {
			return nil, err
		}
		var o v1alpha1.AlidnsOptions
		if spec != nil && spec.Alidns != nil {
			o = *spec.Alidns
		}
		return New(env, creds, o)
	},
}

// New builds a Provider from parsed credentials and the spec's options.
// env.Endpoint wins over spec.alidns.endpoint: a bare host is reached over
// HTTPS; a URL ("http://127.0.0.1:8080", as tests use for the fake) sets
// the scheme. The Alibaba tea runtime builds its own transport, so of
// env.HTTPClient only the Timeout is used, as the per-call read timeout.
func New(env providers.Env, creds Credentials, o v1alpha1.AlidnsOptions) (*Provider, error) {
	endpoint, protocol, err := resolveEndpoint(env.Endpoint, o.Endpoint)
	if err != nil {
		return nil, err
	}
	cfg := &openapi.Config{
		AccessKeyId:     tea.String(creds.AccessKeyID),
		AccessKeySecret: tea.String(creds.AccessKeySecret),
		Endpoint:        tea.String(endpoint),
		Protocol:        tea.String(protocol),
		ConnectTimeout:  tea.Int(int(connectTimeout / time.Millisecond)),
		ReadTimeout:     tea.Int(int(readTimeout / time.Millisecond)),
	}
	if creds.SecurityToken != "" {
		cfg.SecurityToken = tea.String(creds.SecurityToken)
	}
	if o.RegionID != "" {
		cfg.RegionId = tea.String(o.RegionID)
	}
	if protocol == "http" {
		// Only tests use plain HTTP, against a local fake: never send that
		// traffic through a proxy taken from the environment.
		cfg.NoProxy = tea.String(endpoint)
	}
	client, err := openapi.NewClient(cfg)
	if err != nil {
		return nil, providers.Errorf(providers.KindInvalid, "", "alidns: cannot build the API client for endpoint %q", endpoint)
	}
	rt := &util.RuntimeOptions{
		Autoretry:      tea.Bool(false),
		MaxAttempts:    tea.Int(1),
		ConnectTimeout: cfg.ConnectTimeout,
		ReadTimeout:    cfg.ReadTimeout,
		NoProxy:        cfg.NoProxy,
	}
	if env.HTTPClient != nil && env.HTTPClient.Timeout > 0 {
		rt.ReadTimeout = tea.Int(int(env.HTTPClient.Timeout / time.Millisecond))
	}
	line := o.Line
	if line == "" {
		line = DefaultLine
	}
	return &Provider{api: client, rt: rt, line: line, env: env, secrets: creds.secrets()}, nil
}

// resolveEndpoint picks the API host and scheme: the operator's override,
// then spec.alidns.endpoint, then the public endpoint.
func resolveEndpoint(override, fromSpec string) (host, protocol string, err error) {
	raw := strings.TrimSpace(override)
	fromUser := false
	if raw == "" {
		raw, fromUser = strings.TrimSpace(fromSpec), true
	}
	if raw == "" {
		return DefaultEndpoint, "https", nil
	}
	if !strings.Contains(raw, "://") {
		return strings.TrimSuffix(raw, "/"), "https", nil
	}
	u, perr := url.Parse(raw)
	if perr != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", "", providers.Errorf(providers.KindInvalid, "", "alidns: endpoint %q is not a host name or an http(s) URL", raw)
	}
	if fromUser && u.Scheme != "https" {
		return "", "", providers.Errorf(providers.KindInvalid, "", "alidns: spec.alidns.endpoint must use https")
	}
	return u.Host, u.Scheme, nil
}

// call sends action with query (every parameter in the query string, as
// the SDK package sends the alidns RPC actions: POST /, formData, JSON
// answer) and decodes the answer's body into a T. It first waits for the
// credential's gate (the tea runtime's transport is its own), and a refused
// gate or a cancelled context sends nothing; a cancellation during the call
// returns at once (the tea runtime takes no context; the abandoned call ends
// at its read timeout). Errors are classified by classify; byID says the
// call addressed a record by its ID, so "record not in your account" means
// it is gone.
func call[T any](ctx context.Context, p *Provider, op, action string, byID bool, query map[string]string) (*T, error) {
	if err := p.env.Wait(ctx); err != nil {
		return nil, providers.Transient(op, err)
	}
	q := make(map[string]*string, len(query))
	for k, v := range query {
		q[k] = tea.String(v)
	}
	params := &openapi.Params{
		Action: tea.String(action), Version: tea.String(Version), Protocol: tea.String("HTTPS"),
		Pathname: tea.String("/"), Method: tea.String("POST"), AuthType: tea.String("AK"),
		Style: tea.String("RPC"), ReqBodyType: tea.String("formData"), BodyType: tea.String("json"),
	}
	type result struct {
		v   *T
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := p.api.CallApi(params, &openapi.OpenApiRequest{Query: q}, p.rt)
		if err != nil {
			done <- result{err: err}
			return
		}
		v, err := decode[T](res["body"])
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, p.classify(op, byID, r.err)
		}
		return r.v, nil
	case <-ctx.Done():
		return nil, providers.Transient(op, ctx.Err())
	}
}

// errNoBody is returned for a 2xx answer without a JSON object body.
var errNoBody = fmt.Errorf("response has no body")

// decode converts an answer's JSON body into a T with the tea runtime's
// lenient decoder, as the SDK package does: a number sent as a string, or
// a string as a number, still reads.
func decode[T any](body any) (*T, error) {
	if body == nil {
		return nil, errNoBody
	}
	v := new(T)
	if err := tea.Convert(body, v); err != nil {
		return nil, err
	}
	return v, nil
}

// Package alidns is the Alibaba Cloud DNS (云解析 DNS) provider, a thin layer
// over the official SDK github.com/alibabacloud-go/alidns-20150109/v4. The
// SDK signs every call with ACS3-HMAC-SHA256 (signature V3, Authorization
// header); the fake in alidnsfake checks that signature as the service does.
package alidns

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	alidns "github.com/alibabacloud-go/alidns-20150109/v4/client"
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

// api is the part of the SDK the provider uses.
type api interface {
	DescribeDomains(*alidns.DescribeDomainsRequest) (*alidns.DescribeDomainsResponseBody, error)
	DescribeSubDomainRecords(*alidns.DescribeSubDomainRecordsRequest) (*alidns.DescribeSubDomainRecordsResponseBody, error)
	DescribeDomainRecords(*alidns.DescribeDomainRecordsRequest) (*alidns.DescribeDomainRecordsResponseBody, error)
	DescribeDomainRecordInfo(*alidns.DescribeDomainRecordInfoRequest) (*alidns.DescribeDomainRecordInfoResponseBody, error)
	AddDomainRecord(*alidns.AddDomainRecordRequest) (*alidns.AddDomainRecordResponseBody, error)
	UpdateDomainRecord(*alidns.UpdateDomainRecordRequest) (*alidns.UpdateDomainRecordResponseBody, error)
	UpdateDomainRecordRemark(*alidns.UpdateDomainRecordRemarkRequest) (*alidns.UpdateDomainRecordRemarkResponseBody, error)
	DeleteDomainRecord(*alidns.DeleteDomainRecordRequest) (*alidns.DeleteDomainRecordResponseBody, error)
}

// Provider is the Alibaba Cloud DNS implementation of providers.Provider.
type Provider struct {
	api  api
	line string
	// env's gate paces every SDK call.
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
	client, err := alidns.NewClient(cfg)
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
	return &Provider{api: &sdkAPI{c: client, rt: rt}, line: line, env: env, secrets: creds.secrets()}, nil
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

// call runs one SDK call so that ctx is honoured: it first waits for the
// credential's gate (the tea runtime's transport is its own), and a refused gate or a cancelled
// context sends nothing; a cancellation during the call returns at once (the
// tea runtime takes no context; the abandoned call ends at its read
// timeout). SDK errors are classified by classify; byID says the call
// addressed a record by its ID, so "record not in your account" means it is
// gone.
func call[T any](ctx context.Context, p *Provider, op string, byID bool, fn func() (T, error)) (T, error) {
	var zero T
	if err := p.env.Wait(ctx); err != nil {
		return zero, providers.Transient(op, err)
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := fn()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return zero, p.classify(op, byID, r.err)
		}
		return r.v, nil
	case <-ctx.Done():
		return zero, providers.Transient(op, ctx.Err())
	}
}

// sdkAPI adapts the SDK client to api, passing the runtime options (no
// auto-retry, timeouts) with every call and returning the response bodies.
type sdkAPI struct {
	c  *alidns.Client
	rt *util.RuntimeOptions
}

// DescribeDomains calls the action of that name.
func (s *sdkAPI) DescribeDomains(r *alidns.DescribeDomainsRequest) (*alidns.DescribeDomainsResponseBody, error) {
	resp, err := s.c.DescribeDomainsWithOptions(r, s.rt)
	if err != nil {
		return nil, err
	}
	return body(resp.Body)
}

// DescribeSubDomainRecords calls the action of that name.
func (s *sdkAPI) DescribeSubDomainRecords(r *alidns.DescribeSubDomainRecordsRequest) (*alidns.DescribeSubDomainRecordsResponseBody, error) {
	resp, err := s.c.DescribeSubDomainRecordsWithOptions(r, s.rt)
	if err != nil {
		return nil, err
	}
	return body(resp.Body)
}

// DescribeDomainRecords calls the action of that name.
func (s *sdkAPI) DescribeDomainRecords(r *alidns.DescribeDomainRecordsRequest) (*alidns.DescribeDomainRecordsResponseBody, error) {
	resp, err := s.c.DescribeDomainRecordsWithOptions(r, s.rt)
	if err != nil {
		return nil, err
	}
	return body(resp.Body)
}

// DescribeDomainRecordInfo calls the action of that name.
func (s *sdkAPI) DescribeDomainRecordInfo(r *alidns.DescribeDomainRecordInfoRequest) (*alidns.DescribeDomainRecordInfoResponseBody, error) {
	resp, err := s.c.DescribeDomainRecordInfoWithOptions(r, s.rt)
	if err != nil {
		return nil, err
	}
	return body(resp.Body)
}

// AddDomainRecord calls the action of that name.
func (s *sdkAPI) AddDomainRecord(r *alidns.AddDomainRecordRequest) (*alidns.AddDomainRecordResponseBody, error) {
	resp, err := s.c.AddDomainRecordWithOptions(r, s.rt)
	if err != nil {
		return nil, err
	}
	return body(resp.Body)
}

// UpdateDomainRecord calls the action of that name.
func (s *sdkAPI) UpdateDomainRecord(r *alidns.UpdateDomainRecordRequest) (*alidns.UpdateDomainRecordResponseBody, error) {
	resp, err := s.c.UpdateDomainRecordWithOptions(r, s.rt)
	if err != nil {
		return nil, err
	}
	return body(resp.Body)
}

// UpdateDomainRecordRemark calls the action of that name.
func (s *sdkAPI) UpdateDomainRecordRemark(r *alidns.UpdateDomainRecordRemarkRequest) (*alidns.UpdateDomainRecordRemarkResponseBody, error) {
	resp, err := s.c.UpdateDomainRecordRemarkWithOptions(r, s.rt)
	if err != nil {
		return nil, err
	}
	return body(resp.Body)
}

// DeleteDomainRecord calls the action of that name.
func (s *sdkAPI) DeleteDomainRecord(r *alidns.DeleteDomainRecordRequest) (*alidns.DeleteDomainRecordResponseBody, error) {
	resp, err := s.c.DeleteDomainRecordWithOptions(r, s.rt)
	if err != nil {
		return nil, err
	}
	return body(resp.Body)
}

// errNoBody is returned for a 2xx answer without a JSON object body.
var errNoBody = fmt.Errorf("response has no body")

// body rejects a missing response body, which the SDK lets through.
func body[T any](b *T) (*T, error) {
	if b == nil {
		return nil, errNoBody
	}
	return b, nil
}

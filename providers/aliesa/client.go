// Package aliesa is the DNS provider for Alibaba Cloud ESA (Edge Security
// Acceleration, 边缘安全加速) sites, over the ESA API 2024-09-10
// (https://help.aliyun.com/zh/edge-security-acceleration/esa/api-esa-2024-09-10-overview):
// ListSites, ListRecords, CreateRecord, UpdateRecord and DeleteRecord at
// esa.<region>.aliyuncs.com.
//
// The ESA SDK (alibabacloud-go/esa-20240910) is not served by the module
// proxy, so the provider sends these RPC actions as generic calls through
// the darabonba OpenAPI client (alibabacloud-go/darabonba-openapi/v2)
// already linked by the alidns provider: the same signature V3
// (ACS3-HMAC-SHA256) and transport as every Alibaba Cloud SDK call, with
// the parameters of the API reference. The ownership marker lives in the
// record's Comment (at most 100 characters).
//
// ESA has one type, "A/AAAA", for address records; the provider tells A
// from AAAA by the value's family.
package aliesa

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	util "github.com/alibabacloud-go/tea-utils/v2/service"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// Version is the ESA API version the provider speaks.
const Version = "2024-09-10"

// DefaultRegion selects the Chinese mainland site's endpoint.
const DefaultRegion = "cn-hangzhou"

// Secret keys the provider reads.
const (
	AccessKeyIDKey     = "accessKeyId"
	AccessKeySecretKey = "accessKeySecret"
	SecurityTokenKey   = "securityToken"
)

// Timeouts of one call; the SDK's retries stay off.
const (
	connectTimeout = 5 * time.Second
	readTimeout    = 15 * time.Second
)

// Descriptor declares the Alibaba Cloud ESA provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  v1alpha1.ProviderAliESA,
	Title: "Alibaba Cloud ESA (Edge Security Acceleration)",
	Keys: []providers.SecretKey{
		{Name: AccessKeyIDKey, Help: "the RAM user's AccessKey ID"},
		{Name: AccessKeySecretKey, Secret: true, Help: "the RAM user's AccessKey secret"},
		{Name: SecurityTokenKey, Secret: true, Optional: true, Help: "an STS security token, with a temporary AccessKey"},
	},
	Options: func(spec *v1alpha1.DynamicDNSRecordSpec) any { return optionsOf(spec) },
	// ESA's API quota page lists per-action limits per account (ListRecords,
	// CreateRecord, UpdateRecord and DeleteRecord at 10 to 100 a second
	// depending on the action); every RAM key of the account shares them,
	// so a conservative 10 a second, two at a time.
	Limits:     providers.Limits{Requests: 10, Per: time.Second, Concurrency: 2},
	ZoneList:   true,
	Marker:     "comment",
	DefaultTTL: "automatic (1)",
	New: func(env providers.Env, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
		id, err := providers.SecretValue(secret, AccessKeyIDKey)
		if err != nil {
			return nil, err
		}
		key, err := providers.SecretValue(secret, AccessKeySecretKey)
		if err != nil {
			return nil, err
		}
		token, err := providers.OptionalSecretValue(secret, SecurityTokenKey)
		if err != nil {
			return nil, err
		}
		return New(env, id, key, token, optionsOf(spec))
	},
}

func optionsOf(spec *v1alpha1.DynamicDNSRecordSpec) *v1alpha1.AliESAOptions {
	if spec == nil {
		return nil
	}
	return spec.AliESA
}

// Provider manages records of ESA sites.
type Provider struct {
	client *openapi.Client
	rt     *util.RuntimeOptions
	env    providers.Env
	// secrets are scrubbed from messages.
	secrets []string

	mu sync.Mutex
	// access remembers each site's access type ("NS" or "CNAME"), as
	// FindZone read it: records of CNAME-accessed sites must be proxied.
	access map[string]string
}

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// New builds the provider for one AccessKey and options block (nil: the
// defaults). env.Endpoint, a host or an http(s) URL, wins over the
// region's endpoint.
func New(env providers.Env, id, secret, token string, o *v1alpha1.AliESAOptions) (*Provider, error) {
	region := DefaultRegion
	if o != nil && strings.TrimSpace(o.Region) != "" {
		region = strings.TrimSpace(o.Region)
	}
	host, protocol := "esa."+region+".aliyuncs.com", "https"
	if ep := strings.TrimSpace(env.Endpoint); ep != "" {
		host = strings.TrimSuffix(ep, "/")
		if u, err := url.Parse(ep); err == nil && u.Host != "" {
			host, protocol = u.Host, u.Scheme
		}
	}
	cfg := &openapi.Config{
		AccessKeyId:     tea.String(id),
		AccessKeySecret: tea.String(secret),
		Endpoint:        tea.String(host),
		Protocol:        tea.String(protocol),
		RegionId:        tea.String(region),
		ConnectTimeout:  tea.Int(int(connectTimeout / time.Millisecond)),
		ReadTimeout:     tea.Int(int(readTimeout / time.Millisecond)),
	}
	if token != "" {
		cfg.SecurityToken = tea.String(token)
	}
	if env.UserAgent != "" {
		cfg.UserAgent = tea.String(env.UserAgent)
	}
	if protocol == "http" {
		// Only tests use plain HTTP, against a local fake: never through
		// a proxy taken from the environment.
		cfg.NoProxy = tea.String(host)
	}
	client, err := openapi.NewClient(cfg)
	if err != nil {
		return nil, providers.Errorf(providers.KindInvalid, "", "aliesa: cannot build the API client for endpoint %q", host)
	}
	rt := &util.RuntimeOptions{Autoretry: tea.Bool(false), MaxAttempts: tea.Int(1), ConnectTimeout: cfg.ConnectTimeout, ReadTimeout: cfg.ReadTimeout, NoProxy: cfg.NoProxy}
	if env.HTTPClient != nil && env.HTTPClient.Timeout > 0 {
		rt.ReadTimeout = tea.Int(int(env.HTTPClient.Timeout / time.Millisecond))
	}
	secrets := []string{secret}
	if token != "" {
		secrets = append(secrets, token)
	}
	return &Provider{client: client, rt: rt, env: env, secrets: secrets, access: map[string]string{}}, nil
}

// call sends action with params (in the query, as ESA's RPC actions take
// them) and decodes the answer's body into out. It waits for the
// credential's gate first (the tea runtime's transport is its own); a
// cancelled context returns at once, the abandoned call ending at its read
// timeout.
func (p *Provider) call(ctx context.Context, action, method string, params map[string]string, out any) error {
	if err := p.env.Wait(ctx); err != nil {
		return providers.Transient("aliesa "+action, err)
	}
	query := make(map[string]*string, len(params))
	for k, v := range params {
		query[k] = tea.String(v)
	}
	ps := &openapi.Params{
		Action: tea.String(action), Version: tea.String(Version), Protocol: tea.String("HTTPS"),
		Pathname: tea.String("/"), Method: tea.String(method), AuthType: tea.String("AK"),
		Style: tea.String("RPC"), ReqBodyType: tea.String("formData"), BodyType: tea.String("json"),
	}
	type result struct {
		body any
		err  error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if recover() != nil {
				done <- result{err: providers.Errorf(providers.KindTransient, "", "aliesa %s: the API's answer could not be read", action)}
			}
		}()
		res, err := p.client.CallApi(ps, &openapi.OpenApiRequest{Query: query}, p.rt)
		done <- result{res["body"], err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		return providers.Transient("aliesa "+action, ctx.Err())
	}
	if r.err != nil {
		return p.classify(action, r.err)
	}
	raw, err := json.Marshal(r.body)
	if err != nil || r.body == nil {
		return providers.Errorf(providers.KindTransient, "", "aliesa %s: the answer has no body", action)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return &providers.Error{Kind: providers.KindTransient, Message: fmt.Sprintf("aliesa %s: the answer could not be read", action), Err: err}
	}
	return nil
}

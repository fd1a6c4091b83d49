// Package volcengine is the DNS provider for Volcengine DNS (火山引擎云解析
// DNS, which ddns-go calls TrafficRoute), over its OpenAPI (service DNS,
// version 2018-08-01, https://www.volcengine.com/docs/6758/155086) at
// https://open.volcengineapi.com: ListZones, ListRecords, CreateRecord,
// UpdateRecord and DeleteRecord, signed with HMAC-SHA256 (sign.go).
//
// The official SDK (volcengine-go-sdk v1.1.35, service/dns) is not used:
// it links 28 of its own packages and volc-sdk-golang's STS client, about
// 1.2 MB of binary for five calls, and its session builds credentials from
// a provider chain (environment, shared files, a process to run) that an
// operator reading a Secret must not consult. The documented API is a few
// JSON calls and one signature.
package volcengine

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/rest"
)

// The API's fixed coordinates.
const (
	DefaultEndpoint = "https://open.volcengineapi.com"
	Service         = "DNS"
	Region          = "cn-north-1"
	Version         = "2018-08-01"
)

// Secret keys the provider reads.
const (
	AccessKeyIDKey     = "accessKeyId"
	SecretAccessKeyKey = "secretAccessKey"
)

// DefaultLine is the line records are created on and listed from when the
// spec names none.
const DefaultLine = "default"

// DefaultTTL is the TTL Volcengine gives a record created without one.
const DefaultTTL = 600

// Descriptor declares the Volcengine DNS provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  v1alpha1.ProviderVolcengine,
	Title: "Volcengine DNS (TrafficRoute)",
	Keys: []providers.SecretKey{
		{Name: AccessKeyIDKey, Help: "the IAM user's Access Key ID"},
		{Name: SecretAccessKeyKey, Secret: true, Help: "the IAM user's Secret Access Key"},
	},
	Options: func(spec *v1alpha1.DynamicDNSRecordSpec) any { return optionsOf(spec) },
	// The OpenAPI gateway throttles per account and API (answering
	// AccountFlowLimitExceeded, HTTP 429); the DNS API reference gives no
	// figure. A conservative pace, 10 a second, two at a time.
	Limits:     providers.Limits{Requests: 10, Per: time.Second, Concurrency: 2},
	ZoneList:   true,
	Marker:     "remark",
	DefaultTTL: "600",
	New: func(env providers.Env, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
		ak, err := providers.SecretValue(secret, AccessKeyIDKey)
		if err != nil {
			return nil, err
		}
		sk, err := providers.SecretValue(secret, SecretAccessKeyKey)
		if err != nil {
			return nil, err
		}
		return New(env, ak, sk, optionsOf(spec)), nil
	},
}

func optionsOf(spec *v1alpha1.DynamicDNSRecordSpec) *v1alpha1.VolcengineOptions {
	if spec == nil {
		return nil
	}
	return spec.Volcengine
}

// Provider manages records at Volcengine DNS.
type Provider struct {
	endpoint, ak, sk, ua string
	line                 string
	hc                   *http.Client
	now                  func() time.Time
}

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// New builds the provider for one key pair and options block (nil: the
// defaults).
func New(env providers.Env, ak, sk string, o *v1alpha1.VolcengineOptions) *Provider {
	p := &Provider{endpoint: DefaultEndpoint, ak: ak, sk: sk, ua: env.UserAgent, line: DefaultLine, hc: env.HTTP(), now: time.Now}
	if o != nil && strings.TrimSpace(o.Line) != "" {
		p.line = strings.TrimSpace(o.Line)
	}
	p.endpoint = env.EndpointOr(p.endpoint)
	return p
}

// metadata is every answer's ResponseMetadata.
type metadata struct {
	RequestID string `json:"RequestId"`
	Error     *struct {
		CodeN   int    `json:"CodeN"`
		Code    string `json:"Code"`
		Message string `json:"Message"`
	} `json:"Error"`
}

// call sends action: a GET with params in the query when body is nil, a
// POST of body as JSON otherwise. It decodes Result into out. Every
// failure is a *providers.Error built from the answer's code and message,
// never from the request, whose headers hold the signature.
func (p *Provider) call(ctx context.Context, action string, params url.Values, body, out any) error {
	q := url.Values{"Action": {action}, "Version": {Version}}
	for k, v := range params {
		q[k] = v
	}
	method := http.MethodGet
	if body != nil {
		method = http.MethodPost
	}
	op := "volcengine " + action
	req, raw, err := rest.NewJSON(ctx, op, method, p.endpoint+"/?"+q.Encode(), body, p.ua)
	if err != nil {
		return err
	}
	sign(req, raw, p.ak, p.sk, Region, Service, p.now())
	resp, answer, err := rest.Do(p.hc, req, op)
	if err != nil {
		return err
	}
	var env struct {
		ResponseMetadata metadata        `json:"ResponseMetadata"`
		Result           json.RawMessage `json:"Result"`
	}
	decodeErr := json.Unmarshal(answer, &env)
	if decodeErr == nil && env.ResponseMetadata.Error != nil {
		return apiError(action, resp, env.ResponseMetadata, p.sk)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return apiError(action, resp, metadata{}, p.sk)
	}
	if decodeErr != nil {
		return &providers.Error{Kind: providers.KindTransient, Message: fmt.Sprintf("volcengine %s: undecodable answer (HTTP %d)", action, resp.StatusCode), Err: decodeErr}
	}
	if out == nil {
		return nil
	}
	if len(env.Result) == 0 || string(env.Result) == "null" {
		return providers.Errorf(providers.KindTransient, "", "volcengine %s: the answer has no Result", action)
	}
	if err := json.Unmarshal(env.Result, out); err != nil {
		return &providers.Error{Kind: providers.KindTransient, Message: "volcengine " + action + ": the answer's Result could not be read", Err: err}
	}
	return nil
}

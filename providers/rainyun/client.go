// Package rainyun is the DNS provider for Rainyun (雨云, rainyun.com), over
// its REST API v2 (https://api.v2.rainyun.com), authenticated with an API
// key in the x-api-key header. Rainyun publishes no Go SDK; the provider
// speaks the API with net/http, with the shapes ddns-go and the API's
// documentation on apifox (https://s.apifox.cn/a4595cc8-44c5-4678-a2a3-eed7738dab03)
// use:
//
//	GET    /product/domain/?options={...page, perPage}   the account's domains
//	GET    /product/domain/{id}/dns/?limit=&page_no=     a domain's records
//	POST   /product/domain/{id}/dns                      create a record
//	PATCH  /product/domain/{id}/dns                      change a record (record_id in the body)
//	DELETE /product/domain/{id}/dns?record_id=           delete a record
//
// every answer in the envelope {"code": 200, "message": ..., "data": ...}.
// A record has no comment field, so the ownership marker lives in a
// companion TXT record (package companion).
package rainyun

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion"
	"github.com/ddns-operator/ddns-operator/providers/internal/rest"
)

// DefaultEndpoint is the API's base URL.
const DefaultEndpoint = "https://api.v2.rainyun.com"

// APIKeyKey is the Secret key holding the API key.
const APIKeyKey = "apiKey"

// DefaultLine is the line records are created on and listed from when the
// spec names none.
const DefaultLine = "DEFAULT"

// MinTTL is the smallest TTL Rainyun accepts (its console and API
// documentation: "TTL (最小600)").
const MinTTL = 600

// defaultLevel is the priority ("level") a new record gets: the value
// Rainyun's console and ddns-go use; it matters only for MX records.
const defaultLevel = 10

// Descriptor declares the Rainyun provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  v1alpha1.ProviderRainyun,
	Title: "Rainyun (雨云)",
	Keys: []providers.SecretKey{
		{Name: APIKeyKey, Secret: true, Help: "the account's API key (账号设置 → API密钥)"},
	},
	Options: func(spec *v1alpha1.DynamicDNSRecordSpec) any { return optionsOf(spec) },
	// Rainyun publishes no request limit for its API ("请参考官方文档具体
	// 接口限制" with no figure given); a conservative pace, 5 a second,
	// two at a time.
	Limits:     providers.Limits{Requests: 5, Per: time.Second, Concurrency: 2},
	ZoneList:   true,
	Marker:     "companion TXT record",
	DefaultTTL: "600",
	New: func(env providers.Env, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
		key, err := providers.SecretValue(secret, APIKeyKey)
		if err != nil {
			return nil, err
		}
		return New(env, key, optionsOf(spec)), nil
	},
}

func optionsOf(spec *v1alpha1.DynamicDNSRecordSpec) *v1alpha1.RainyunOptions {
	if spec == nil {
		return nil
	}
	return spec.Rainyun
}

// New builds the provider for one API key and options block (nil: the
// defaults).
func New(env providers.Env, apiKey string, o *v1alpha1.RainyunOptions) providers.Provider {
	endpoint := env.EndpointOr(DefaultEndpoint)
	a := &api{endpoint: endpoint, key: apiKey, ua: env.UserAgent, hc: env.HTTP(), line: DefaultLine}
	if o != nil && strings.TrimSpace(o.Line) != "" {
		a.line = strings.TrimSpace(o.Line)
	}
	return companion.New(a, MinTTL)
}

// api is Rainyun's record API without markers (companion.Records).
type api struct {
	endpoint, key, ua, line string
	hc                      *http.Client
}

// call sends one request and decodes the envelope's data into out. Every
// failure is a *providers.Error built from the answer's code and message,
// never from the request, whose header holds the key.
func (a *api) call(ctx context.Context, op, method, path string, query url.Values, body, out any) error {
	op = "rainyun " + op
	u := a.endpoint + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, _, err := rest.NewJSON(ctx, op, method, u, body, a.ua)
	if err != nil {
		return err
	}
	req.Header.Set("x-api-key", a.key)
	resp, answer, err := rest.Do(a.hc, req, op)
	if err != nil {
		return err
	}
	env, err := rest.ReadEnvelope(op, resp, answer, a.key, "check the Secret's "+APIKeyKey)
	if err != nil {
		return err
	}
	return rest.DecodeData(op, env, out)
}

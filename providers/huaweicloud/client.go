// Package huaweicloud is the DNS provider for Huawei Cloud DNS (云解析服务),
// public zones, over its REST API (https://support.huaweicloud.com/intl/en-us/api-dns/):
//
//	GET    /v2/zones?type=public&limit=&offset=                      the account's public zones
//	GET    /v2.1/zones/{zone_id}/recordsets?type=&name=&line_id=...  a zone's record sets
//	POST   /v2.1/zones/{zone_id}/recordsets                          create a record set on a line
//	PUT    /v2.1/zones/{zone_id}/recordsets/{recordset_id}           change a record set
//	DELETE /v2.1/zones/{zone_id}/recordsets/{recordset_id}           delete a record set
//
// signed with an AK/SK pair (SDK-HMAC-SHA256, sign.go).
//
// The official SDK (huaweicloud-sdk-go-v3 v0.1.207, services/dns/v2) is
// not used: its calls take no context, so a cancelled reconcile could not
// stop a request or its wait for the request gate, and its core (the
// signer included) links MongoDB's BSON codec, a YAML parser, SM2/SM3
// crypto and json-iterator, about 2.3 MB of binary for five REST calls.
//
// Huawei Cloud keeps all values of a name, type and line in one record
// set. The operator manages one address per record, so a record set is
// one providers.Record whose Value is its values joined by commas: a set
// holding several values never equals the desired address, and the plan
// replaces its values with that one address (one write).
package huaweicloud

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

// Secret keys the provider reads.
const (
	AccessKeyIDKey     = "accessKeyId"
	SecretAccessKeyKey = "secretAccessKey"
)

// DefaultEndpoint is the DNS API of the Chinese mainland site; a region
// selects https://dns.<region>.myhuaweicloud.com.
const DefaultEndpoint = "https://dns.myhuaweicloud.com"

// DefaultLine is the line record sets are created on and listed from when
// the spec names none: 全网默认, every resolver.
const DefaultLine = "default_view"

// DefaultTTL is the TTL Huawei Cloud gives a record set created without one.
const DefaultTTL = 300

// Descriptor declares the Huawei Cloud DNS provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  v1alpha1.ProviderHuaweiCloud,
	Title: "Huawei Cloud DNS",
	Keys: []providers.SecretKey{
		{Name: AccessKeyIDKey, Help: "the IAM user's access key ID (AK)"},
		{Name: SecretAccessKeyKey, Secret: true, Help: "the IAM user's secret access key (SK)"},
	},
	Options: func(spec *v1alpha1.DynamicDNSRecordSpec) any { return optionsOf(spec) },
	// Huawei Cloud's API Gateway throttles each API per user and answers
	// APIGW.0308 (HTTP 429) beyond it; the DNS API reference publishes no
	// figure. A conservative pace, 10 a second, two at a time.
	Limits:     providers.Limits{Requests: 10, Per: time.Second, Concurrency: 2},
	ZoneList:   true,
	Marker:     "description",
	DefaultTTL: "300",
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

func optionsOf(spec *v1alpha1.DynamicDNSRecordSpec) *v1alpha1.HuaweiCloudOptions {
	if spec == nil {
		return nil
	}
	return spec.HuaweiCloud
}

// Provider manages record sets at Huawei Cloud DNS.
type Provider struct {
	endpoint, ak, sk, ua string
	// line is the ID of the line record sets are created on and listed
	// from.
	line string
	hc   *http.Client
	now  func() time.Time
}

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// New builds the provider for one AK/SK pair and options block (nil: the
// defaults). env.Endpoint, when set, wins over the region's endpoint.
func New(env providers.Env, ak, sk string, o *v1alpha1.HuaweiCloudOptions) *Provider {
	p := &Provider{endpoint: DefaultEndpoint, ak: ak, sk: sk, ua: env.UserAgent, line: DefaultLine, hc: env.HTTP(), now: time.Now}
	if o != nil {
		if l := strings.TrimSpace(o.Line); l != "" {
			p.line = l
		}
		if r := strings.TrimSpace(o.Region); r != "" {
			p.endpoint = "https://dns." + r + ".myhuaweicloud.com"
		}
	}
	p.endpoint = env.EndpointOr(p.endpoint)
	return p
}

// call sends one signed request and decodes a 2xx answer into out. Every
// failure is a *providers.Error built from the answer's code and message,
// never from the request, whose headers hold the signature.
func (p *Provider) call(ctx context.Context, op, method, path string, query url.Values, body, out any) error {
	op = "huaweicloud " + op
	u := p.endpoint + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, raw, err := rest.NewJSON(ctx, op, method, u, body, p.ua)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	sign(req, raw, p.ak, p.sk, p.now())
	resp, answer, err := rest.Do(p.hc, req, op)
	if err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return apiError(op, resp, answer, p.sk)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(answer, out); err != nil {
		return &providers.Error{Kind: providers.KindTransient, Message: fmt.Sprintf("%s: undecodable answer (HTTP %d)", op, resp.StatusCode), Err: err}
	}
	return nil
}

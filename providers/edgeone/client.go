// Package edgeone is the DNS provider for Tencent EdgeOne (TEO, 边缘安全加速
// 平台) sites accessed by NS, whose DNS records EdgeOne hosts: API version
// 2022-09-01 (https://cloud.tencent.com/document/api/1552/80721),
// DescribeZones, DescribeDnsRecords, CreateDnsRecord, ModifyDnsRecords and
// DeleteDnsRecords, signed with TC3-HMAC-SHA256.
//
// The SDK's teo package is not served by the module proxy, so the
// provider calls these actions through the Tencent Cloud SDK's common
// client (tencentcloud/common, already linked by the tencentcloud
// provider): a generic request with the action's JSON parameters, signed
// and sent by the same code as every SDK call. EdgeOne's DNS records have
// no remark field, so the ownership marker lives in a companion TXT record
// (package companion).
package edgeone

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion"
)

// The API's coordinates.
const (
	Service      = "teo"
	Version      = "2022-09-01"
	Endpoint     = "teo.tencentcloudapi.com"
	IntlEndpoint = "teo.intl.tencentcloudapi.com"
)

// Secret keys the provider reads: a Tencent Cloud API key.
const (
	SecretIDKey  = "secretId"
	SecretKeyKey = "secretKey"
)

// DefaultLocation is the resolution line records are created on and listed
// from when the spec names none.
const DefaultLocation = "Default"

// DNS record TTLs EdgeOne accepts ("TTL 取值范围 60~86400", CreateDnsRecord)
// and the one it gives a record created without one.
const (
	MinTTL     = 60
	MaxTTL     = 86400
	DefaultTTL = 300
)

// Descriptor declares the Tencent EdgeOne provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  v1alpha1.ProviderEdgeOne,
	Title: "Tencent EdgeOne (TEO) DNS",
	Keys: []providers.SecretKey{
		{Name: SecretIDKey, Help: "the API key's SecretId (AKID...)"},
		{Name: SecretKeyKey, Secret: true, Help: "the API key's SecretKey"},
	},
	Options: func(spec *v1alpha1.DynamicDNSRecordSpec) any { return optionsOf(spec) },
	// Each TEO action documents "默认接口请求频率限制：20次/秒" (20 requests
	// a second per action and account); one gate paces them all.
	Limits:     providers.Limits{Requests: 20, Per: time.Second, Concurrency: 4},
	ZoneList:   true,
	Marker:     "companion TXT record",
	DefaultTTL: "300",
	New: func(env providers.Env, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
		id, err := providers.SecretValue(secret, SecretIDKey)
		if err != nil {
			return nil, err
		}
		key, err := providers.SecretValue(secret, SecretKeyKey)
		if err != nil {
			return nil, err
		}
		return New(env, id, key, optionsOf(spec)), nil
	},
}

func optionsOf(spec *v1alpha1.DynamicDNSRecordSpec) *v1alpha1.EdgeOneOptions {
	if spec == nil {
		return nil
	}
	return spec.EdgeOne
}

// New builds the provider for one API key and options block (nil: the
// defaults). env.Endpoint, when set, wins over the site's endpoint.
func New(env providers.Env, secretID, secretKey string, o *v1alpha1.EdgeOneOptions) providers.Provider {
	cpf := profile.NewClientProfile()
	hc := env.HTTP()
	cpf.HttpProfile.ReqTimeout = max(1, int((hc.Timeout+time.Second-1)/time.Second))
	cpf.HttpProfile.Endpoint = Endpoint
	a := &api{location: DefaultLocation, secrets: []string{secretKey}}
	if o != nil {
		if l := strings.TrimSpace(o.Location); l != "" {
			a.location = l
		}
		if o.Site == "international" {
			cpf.HttpProfile.Endpoint = IntlEndpoint
		}
	}
	if ep := env.Endpoint; ep != "" {
		if strings.HasPrefix(ep, "http://") {
			cpf.HttpProfile.Scheme = "HTTP"
		}
		ep = strings.TrimPrefix(strings.TrimPrefix(ep, "http://"), "https://")
		cpf.HttpProfile.Endpoint = strings.TrimSuffix(ep, "/")
	}
	// EdgeOne is a global service: no region. NewCommonClient only
	// assembles the client.
	c := common.NewCommonClient(common.NewCredential(secretID, secretKey), "", cpf)
	// The client keeps its own http.Client: hand it the transport that
	// waits for the credential's gate and bounds every body (and names
	// the operator; the SDK's profile has no User-Agent).
	rt := hc.Transport
	if env.UserAgent != "" {
		rt = userAgent{rt: rt, ua: env.UserAgent}
	}
	c.WithHttpTransport(rt)
	a.client = c
	return companion.New(a, DefaultTTL)
}

// userAgent sets the User-Agent of every request (not a signed header).
type userAgent struct {
	rt http.RoundTripper
	ua string
}

func (u userAgent) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("User-Agent", u.ua)
	return u.rt.RoundTrip(r)
}

// api is EdgeOne's DNS record API without markers (companion.Records).
type api struct {
	client   *common.Client
	location string
	// secrets are scrubbed from messages.
	secrets []string
}

// call sends action with params and decodes the answer's Response into
// out. The common client signs the request (TC3-HMAC-SHA256) and parses
// the {"Response": {"Error": ...}} envelope; a panic inside it (it reads
// some malformed answers without checking) becomes a transient error.
func (a *api) call(ctx context.Context, action string, params map[string]any, out any) (err error) {
	if err := ctx.Err(); err != nil {
		return providers.Transient("edgeone "+action, err)
	}
	defer func() {
		if recover() != nil {
			err = providers.Errorf(providers.KindTransient, "", "edgeone %s: the API's answer could not be read", action)
		}
	}()
	req := tchttp.NewCommonRequest(Service, Version, action)
	if err := req.SetActionParameters(params); err != nil {
		return providers.Errorf(providers.KindInvalid, "", "edgeone %s: the request could not be built", action)
	}
	req.SetContext(ctx)
	resp := tchttp.NewCommonResponse()
	if err := a.client.Send(req, resp); err != nil {
		return mapError(ctx, action, err, a.secrets)
	}
	var env struct {
		Response json.RawMessage `json:"Response"`
	}
	if err := json.Unmarshal(resp.GetBody(), &env); err != nil || len(env.Response) == 0 || string(env.Response) == "null" {
		return providers.Errorf(providers.KindTransient, "", "edgeone %s: the answer has no Response", action)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(env.Response, out); err != nil {
		return &providers.Error{Kind: providers.KindTransient, Message: "edgeone " + action + ": the answer could not be read", Err: err}
	}
	return nil
}

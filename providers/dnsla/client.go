// Package dnsla is the DNS provider for DNS.LA (https://www.dns.la), over
// its REST API (https://www.dns.la/docs/ApiDoc) at https://api.dns.la,
// authenticated with HTTP Basic auth (APIID:APISecret). DNS.LA publishes no
// Go SDK; the provider speaks the API with net/http:
//
//	GET    /api/domainList?pageIndex=&pageSize=                  the account's domains
//	GET    /api/recordList?domainId=&host=&type=&pageIndex=...   a domain's records
//	POST   /api/record                                           create a record
//	PUT    /api/record                                           change a record (id in the body)
//	DELETE /api/record?id=                                       delete a record
//	GET    /api/dnsMeasures?id=                                  the domain's limits (minTTL)
//
// every answer in the envelope {"code": 200, "msg": ..., "data": ...}.
//
// ddns-go calls the API over plain http://api.dns.la. The API answers on
// HTTPS, which this provider uses; plain HTTP, which shows the API secret
// to anyone on the path, only with spec.dnsla.insecurePlainHTTP. A record
// has no remark field, so the ownership marker lives in a companion TXT
// record (package companion).
package dnsla

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

// Endpoints of the API.
const (
	DefaultEndpoint = "https://api.dns.la"
	PlainEndpoint   = "http://api.dns.la"
)

// Secret keys the provider reads.
const (
	APIIDKey     = "apiId"
	APISecretKey = "apiSecret"
)

// DefaultTTL is the TTL a record gets when the spec sets none, as the
// DNS.LA console and ddns-go create them.
const DefaultTTL = 600

// Descriptor declares the DNS.LA provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  v1alpha1.ProviderDNSLA,
	Title: "DNS.LA",
	Keys: []providers.SecretKey{
		{Name: APIIDKey, Help: "the API's APIID (用户中心 → API 密钥)"},
		{Name: APISecretKey, Secret: true, Help: "the API's APISecret"},
	},
	Options: func(spec *v1alpha1.DynamicDNSRecordSpec) any { return optionsOf(spec) },
	// DNS.LA's API documentation gives no request limit; a conservative
	// pace, 5 a second, two at a time.
	Limits:     providers.Limits{Requests: 5, Per: time.Second, Concurrency: 2},
	ZoneList:   true,
	Marker:     "companion TXT record",
	DefaultTTL: "600",
	New: func(env providers.Env, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
		id, err := providers.SecretValue(secret, APIIDKey)
		if err != nil {
			return nil, err
		}
		key, err := providers.SecretValue(secret, APISecretKey)
		if err != nil {
			return nil, err
		}
		return New(env, id, key, optionsOf(spec)), nil
	},
}

func optionsOf(spec *v1alpha1.DynamicDNSRecordSpec) *v1alpha1.DNSLAOptions {
	if spec == nil {
		return nil
	}
	return spec.DNSLA
}

// New builds the provider for one API ID and secret and options block
// (nil: the defaults). env.Endpoint, when set, wins over both endpoints.
func New(env providers.Env, apiID, apiSecret string, o *v1alpha1.DNSLAOptions) providers.Provider {
	a := &api{endpoint: DefaultEndpoint, id: apiID, secret: apiSecret, ua: env.UserAgent, hc: env.HTTP()}
	if o != nil {
		a.line = strings.TrimSpace(o.LineID)
		if o.InsecurePlainHTTP {
			a.endpoint = PlainEndpoint
		}
	}
	a.endpoint = env.EndpointOr(a.endpoint)
	return companion.New(a, DefaultTTL)
}

// api is DNS.LA's record API without markers (companion.Records).
type api struct {
	endpoint, id, secret, ua string
	// line is the line ID records are created on and listed from; ""
	// is the default line.
	line string
	hc   *http.Client
}

// call sends one request and decodes the envelope's data into out. Every
// failure is a *providers.Error built from the answer's code and msg,
// never from the request, whose header holds the credentials.
func (a *api) call(ctx context.Context, op, method, path string, query url.Values, body, out any) error {
	op = "dnsla " + op
	u := a.endpoint + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, _, err := rest.NewJSON(ctx, op, method, u, body, a.ua)
	if err != nil {
		return err
	}
	req.SetBasicAuth(a.id, a.secret)
	resp, answer, err := rest.Do(a.hc, req, op)
	if err != nil {
		return err
	}
	env, err := rest.ReadEnvelope(op, resp, answer, a.secret, "check the Secret's "+APIIDKey+" and "+APISecretKey)
	if err != nil {
		return err
	}
	return rest.DecodeData(op, env, out)
}

// Package baiducloud is the DNS provider for domains registered at Baidu AI
// Cloud (百度智能云), over the domain service's (BCD) resolve API at
// https://bcd.baidubce.com, the API ddns-go drives
// (https://cloud.baidu.com/doc/BCD/s/4jwvymhs7):
//
//	POST /v1/domain/resolve/list    a domain's records, paged
//	POST /v1/domain/resolve/add     create a record
//	POST /v1/domain/resolve/edit    change a record (every field sent)
//	POST /v1/domain/resolve/delete  delete a record
//
// signed with bce-auth-v1 (sign.go). Baidu Cloud DNS (云解析 DNS, the
// dns.baidubce.com API of bce-sdk-go's services/dns), which serves domains
// whose name servers point at it rather than domains bought at Baidu, is a
// different service and not offered by this provider.
//
// BCD lists no domains through the resolve API, so FindZone asks the
// record list of each suffix of the name, longest first, and takes the
// first one the account holds. Records have no remark field, so the
// ownership marker lives in a companion TXT record (package companion).
package baiducloud

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion"
	"github.com/ddns-operator/ddns-operator/providers/internal/rest"
)

// DefaultEndpoint is the BCD API's base URL.
const DefaultEndpoint = "https://bcd.baidubce.com"

// Secret keys the provider reads.
const (
	AccessKeyIDKey     = "accessKeyId"
	SecretAccessKeyKey = "secretAccessKey"
)

// DefaultView is the line (view) records are created on and listed from
// when the spec names none.
const DefaultView = "DEFAULT"

// DefaultTTL is the TTL a record gets when the spec sets none.
const DefaultTTL = 300

// Descriptor declares the Baidu BCD provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  v1alpha1.ProviderBaiduCloud,
	Title: "Baidu AI Cloud domains (BCD resolve API)",
	Keys: []providers.SecretKey{
		{Name: AccessKeyIDKey, Help: "the Access Key ID (AK) of the account or IAM user"},
		{Name: SecretAccessKeyKey, Secret: true, Help: "the Secret Access Key (SK)"},
	},
	Options: func(spec *v1alpha1.DynamicDNSRecordSpec) any { return optionsOf(spec) },
	// BCD documents no request limit for the resolve API; a conservative
	// pace, 5 a second, two at a time.
	Limits:     providers.Limits{Requests: 5, Per: time.Second, Concurrency: 2},
	ZoneList:   true,
	Marker:     "companion TXT record",
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

func optionsOf(spec *v1alpha1.DynamicDNSRecordSpec) *v1alpha1.BaiduCloudOptions {
	if spec == nil {
		return nil
	}
	return spec.BaiduCloud
}

// New builds the provider for one key pair and options block (nil: the
// defaults).
func New(env providers.Env, ak, sk string, o *v1alpha1.BaiduCloudOptions) providers.Provider {
	a := &api{endpoint: DefaultEndpoint, ak: ak, sk: sk, ua: env.UserAgent, view: DefaultView, hc: env.HTTP(), now: time.Now}
	if o != nil && strings.TrimSpace(o.View) != "" {
		a.view = strings.TrimSpace(o.View)
	}
	a.endpoint = env.EndpointOr(a.endpoint)
	return companion.New(a, DefaultTTL)
}

// api is BCD's resolve API without markers (companion.Records).
type api struct {
	endpoint, ak, sk, ua, view string
	hc                         *http.Client
	now                        func() time.Time
}

// call POSTs body as JSON to path and decodes a 2xx answer into out. Every
// failure is a *providers.Error built from the answer's code and message,
// never from the request, whose headers hold the signature.
func (a *api) call(ctx context.Context, op, path string, body, out any) error {
	op = "baiducloud " + op
	req, _, err := rest.NewJSON(ctx, op, http.MethodPost, a.endpoint+path, body, a.ua)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	sign(req, a.ak, a.sk, a.now())
	resp, answer, err := rest.Do(a.hc, req, op)
	if err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return apiError(op, resp, answer, a.sk)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(answer, out); err != nil {
		return &providers.Error{Kind: providers.KindTransient, Message: fmt.Sprintf("%s: undecodable answer (HTTP %d)", op, resp.StatusCode), Err: err}
	}
	return nil
}

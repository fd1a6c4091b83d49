// Package tencentcloud is the DNS provider for Tencent Cloud DNSPod, API 3.0
// (service dnspod, version 2021-03-23). Requests are signed with
// TC3-HMAC-SHA256 using an API key (SecretId and SecretKey).
//
// The five actions the provider sends go through the common client of the
// official Go SDK (tencentcloud-sdk-go/tencentcloud/common), the client
// every service package of the SDK is built on: the same signing,
// transport, error envelope and JSON body as the SDK's dnspod package
// sends, without linking that package's hundreds of other actions (about
// 1.4 MB of the manager binary). providers/edgeone calls EdgeOne the same
// way.
package tencentcloud

import (
	"strings"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// Secret keys the provider reads.
const (
	SecretIDKey  = "secretId"
	SecretKeyKey = "secretKey"
)

// DefaultLine is the line records are created on and listed from when the
// spec names none: "默认", the default line (ID "0").
const DefaultLine = "默认"

// defaultLineID is the ID of the default line.
const defaultLineID = "0"

// DefaultTTL is the TTL DNSPod gives a record created without one.
const DefaultTTL = 600

// freePlanMinTTL is the smallest TTL of DNSPod's free plan; paid plans allow
// less, so the provider leaves the check to the API and only names this
// value when the API refuses a TTL.
const freePlanMinTTL = 600

// Credentials are a Tencent Cloud API key.
type Credentials struct {
	SecretID  string
	SecretKey string
}

// String redacts the key so a stray %v cannot print it.
func (Credentials) String() string { return "tencentcloud.Credentials{redacted}" }

// GoString redacts the key for %#v.
func (c Credentials) GoString() string { return c.String() }

// FromSecretData reads the API key from a Secret's data, trimming the
// whitespace and newlines that `echo` and editors leave around values.
func FromSecretData(data map[string][]byte) (Credentials, error) {
	var c Credentials
	for _, f := range []struct {
		key string
		dst *string
	}{{SecretIDKey, &c.SecretID}, {SecretKeyKey, &c.SecretKey}} {
		raw, ok := data[f.key]
		if !ok {
			return Credentials{}, providers.MissingKey(f.key)
		}
		v := strings.TrimSpace(string(raw))
		switch {
		case v == "":
			return Credentials{}, providers.MalformedKey(f.key, "it is empty")
		case strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }):
			return Credentials{}, providers.MalformedKey(f.key, "it contains whitespace or control characters")
		}
		*f.dst = v
	}
	return c, nil
}

// Provider manages records of one DynamicDNSRecord at DNSPod.
type Provider struct {
	api sender
	// line and lineID select the line records are created on and listed
	// from; lineID wins when set.
	line, lineID string
}

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// Descriptor declares the Tencent Cloud DNSPod (API 3.0) provider to the
// registry.
var Descriptor = providers.Descriptor{
	Name:  v1alpha1.ProviderTencentCloud,
	Title: "Tencent Cloud DNSPod (API 3.0)",
	Keys: []providers.SecretKey{
		{Name: SecretIDKey, Help: "the API key's SecretId (AKID...)"},
		{Name: SecretKeyKey, Secret: true, Help: "the API key's SecretKey"},
	},
	Options: func(spec *v1alpha1.DynamicDNSRecordSpec) any { return optionsOf(spec) },
	// Tencent Cloud limits each action separately: DescribeDomainList 20
	// requests per second (https://cloud.tencent.com/document/api/1427/56172),
	// DescribeRecordList 100, CreateRecord, ModifyRecord and DeleteRecord
	// 500 each (the DNSPod API overview,
	// https://tencentcloud.com/document/product/1157/49025). One Gate paces
	// all of them, so it keeps to the lowest, 20 per second.
	Limits:     providers.Limits{Requests: 20, Per: time.Second, Concurrency: 4},
	ZoneList:   true,
	Marker:     "remark",
	DefaultTTL: "600",
	New: func(env providers.Env, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
		creds, err := FromSecretData(secret)
		if err != nil {
			return nil, err
		}
		return New(env, creds, optionsOf(spec)), nil
	},
}

// optionsOf returns spec.tencentcloud, nil when there is no spec or block.
func optionsOf(spec *v1alpha1.DynamicDNSRecordSpec) *v1alpha1.TencentCloudOptions {
	if spec == nil {
		return nil
	}
	return spec.TencentCloud
}

// New builds a provider from credentials, how to reach the API and the
// record's options block (nil for the defaults).
func New(env providers.Env, creds Credentials, o *v1alpha1.TencentCloudOptions) *Provider {
	// The profile keeps the SDK's language, zh-CN, the language of the
	// line names ("默认") that specs use.
	cpf := profile.NewClientProfile()
	hc := env.HTTP()
	cpf.HttpProfile.ReqTimeout = max(1, int((hc.Timeout+time.Second-1)/time.Second))
	if ep := env.Endpoint; ep != "" {
		switch {
		case strings.HasPrefix(ep, "http://"):
			cpf.HttpProfile.Scheme = "HTTP"
		case strings.HasPrefix(ep, "https://"):
			cpf.HttpProfile.Scheme = "HTTPS"
		}
		ep = strings.TrimPrefix(strings.TrimPrefix(ep, "http://"), "https://")
		cpf.HttpProfile.Endpoint = strings.TrimSuffix(ep, "/")
	}
	// The region is empty: DNSPod is a global service and takes none.
	// NewCommonClient only assembles the client, as the dnspod package's
	// NewClient did.
	client := common.NewCommonClient(common.NewCredential(creds.SecretID, creds.SecretKey), "", cpf)
	// The SDK keeps its own http.Client: hand it the transport that waits
	// for the credential's gate and cuts every body at
	// providers.MaxResponseBody, so a server that streams without end
	// cannot fill memory before the timeout.
	client.WithHttpTransport(hc.Transport)
	p := &Provider{api: client, line: DefaultLine}
	if o != nil {
		if l := strings.TrimSpace(o.RecordLine); l != "" {
			p.line = l
		}
		p.lineID = strings.TrimSpace(o.RecordLineID)
	}
	if p.lineID == "" && p.line == DefaultLine {
		// The default line's ID is fixed; matching on it does not depend
		// on how the API spells the line's name.
		p.lineID = defaultLineID
	}
	return p
}

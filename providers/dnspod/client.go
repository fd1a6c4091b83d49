// Package dnspod is the DNS provider for DNSPod's legacy user API
// ("DNSPod 用户 API" at https://dnsapi.cn), authenticated with a DNSPod Token
// (login_token "ID,TOKEN"). DNSPod publishes no Go SDK for this API, so the
// provider speaks it with net/http: form POSTs to /<Action> answered by a
// JSON status envelope.
//
// Deprecated for users: Tencent is retiring this API (DNSPod API 2.0) in
// favour of Tencent Cloud API 3.0, which the tencentcloud provider speaks;
// Descriptor.Deprecated says so to every record that uses it. The provider
// stays while the API still answers for some accounts.
package dnspod

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// DefaultEndpoint is the API's base URL.
const DefaultEndpoint = "https://dnsapi.cn"

// DefaultUserAgent identifies the operator to the API, which requires a
// User-Agent "program/version (contact)" and may ban clients that send
// none or a browser's.
const DefaultUserAgent = "ddns-operator/dev (+https://github.com/ddns-operator/ddns-operator)"

// DefaultLine is the line records are created on and listed from when the
// spec names none: "默认", the default line (ID "0").
const DefaultLine = "默认"

// maxBody bounds an answer: a full page of 3000 records is about 1 MiB.
const maxBody = 16 << 20

// dnspodAPI is the part of the API the provider uses, one method per action.
type dnspodAPI interface {
	DomainList(ctx context.Context, offset, length int) (domainListResponse, error)
	RecordList(ctx context.Context, q recordQuery) (recordListResponse, error)
	RecordCreate(ctx context.Context, p url.Values) (recordWriteResponse, error)
	RecordModify(ctx context.Context, p url.Values) (recordWriteResponse, error)
	RecordRemove(ctx context.Context, domainID, recordID string) error
	RecordRemark(ctx context.Context, domainID, recordID, remark string) error
}

// recordQuery selects records of a domain for Record.List.
type recordQuery struct {
	domainID, subDomain, recordType, line string
	offset, length                        int
}

// Provider manages the records of one DynamicDNSRecord at DNSPod.
type Provider struct {
	api dnspodAPI
	// line is the line records are created on and listed from.
	line string
}

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// Descriptor declares the legacy DNSPod token API provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  v1alpha1.ProviderDNSPod,
	Title: "DNSPod (legacy token API)",
	Keys: []providers.SecretKey{
		{Name: LoginTokenKey, Secret: true, Help: `the API token as "ID,TOKEN"`},
	},
	Options: func(spec *v1alpha1.DynamicDNSRecordSpec) any {
		if spec == nil {
			return nil
		}
		return spec.DNSPod
	},
	// The legacy API publishes no number: its rules (API开发规范,
	// https://docs.dnspod.cn/api/api-development-specification/) only call
	// "many additions, deletions or changes in a short time" abuse,
	// answered by "-2 API使用超出限制" and an hour's ban of the account's
	// API access. So the pace is a conservative guess, 5 requests a second
	// (a quarter of the 20 that API 3.0 documents for DescribeDomainList
	// on the same service), two at a time.
	Limits:     providers.Limits{Requests: 5, Per: time.Second, Concurrency: 2},
	ZoneList:   true,
	Marker:     "remark",
	DefaultTTL: "600",
	// Tencent announced the end of DNSPod API 2.0 (this token API at
	// dnsapi.cn), and clients report it answering 404 for some accounts;
	// API 3.0 is the tencentcloud provider.
	Deprecated: "Tencent is retiring the DNSPod token API (dnsapi.cn); move the record to provider tencentcloud (API 3.0), see docs/providers/dnspod.md",
	New:        newProvider,
}

// newProvider builds the provider for one account.
func newProvider(env providers.Env, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
	creds, err := FromSecretData(secret)
	if err != nil {
		return nil, err
	}
	endpoint := env.EndpointOr(DefaultEndpoint)
	ua := env.UserAgentOr(DefaultUserAgent)
	line := DefaultLine
	if spec != nil && spec.DNSPod != nil && strings.TrimSpace(spec.DNSPod.RecordLine) != "" {
		line = strings.TrimSpace(spec.DNSPod.RecordLine)
	}
	return &Provider{
		api:  &httpAPI{endpoint: endpoint, client: env.HTTP(), userAgent: ua, creds: creds},
		line: line,
	}, nil
}

// httpAPI is dnspodAPI over net/http.
type httpAPI struct {
	endpoint, userAgent string
	client              *http.Client
	creds               Credentials
}

// DomainList calls Domain.List for every domain of the account.
func (a *httpAPI) DomainList(ctx context.Context, offset, length int) (domainListResponse, error) {
	var out domainListResponse
	p := url.Values{"type": {"all"}, "offset": {strconv.Itoa(offset)}, "length": {strconv.Itoa(length)}}
	err := a.call(ctx, actionDomainList, p, &out)
	return out, err
}

// RecordList calls Record.List.
func (a *httpAPI) RecordList(ctx context.Context, q recordQuery) (recordListResponse, error) {
	var out recordListResponse
	p := url.Values{"domain_id": {q.domainID}, "offset": {strconv.Itoa(q.offset)}, "length": {strconv.Itoa(q.length)}}
	for k, v := range map[string]string{"sub_domain": q.subDomain, "record_type": q.recordType, "record_line": q.line} {
		if v != "" {
			p.Set(k, v)
		}
	}
	err := a.call(ctx, actionRecordList, p, &out)
	return out, err
}

// RecordCreate calls Record.Create.
func (a *httpAPI) RecordCreate(ctx context.Context, p url.Values) (recordWriteResponse, error) {
	var out recordWriteResponse
	err := a.call(ctx, actionRecordCreate, p, &out)
	return out, err
}

// RecordModify calls Record.Modify.
func (a *httpAPI) RecordModify(ctx context.Context, p url.Values) (recordWriteResponse, error) {
	var out recordWriteResponse
	err := a.call(ctx, actionRecordModify, p, &out)
	return out, err
}

// RecordRemove calls Record.Remove.
func (a *httpAPI) RecordRemove(ctx context.Context, domainID, recordID string) error {
	return a.call(ctx, actionRecordRemove, url.Values{"domain_id": {domainID}, "record_id": {recordID}}, nil)
}

// RecordRemark calls Record.Remark, which sets the remark of one record
// (records.rst, 设置记录备注: domain_id, record_id and remark, all
// required; an empty remark deletes it).
func (a *httpAPI) RecordRemark(ctx context.Context, domainID, recordID, remark string) error {
	p := url.Values{"domain_id": {domainID}, "record_id": {recordID}, "remark": {remark}}
	return a.call(ctx, actionRecordRemark, p, nil)
}

// newRequest builds the POST of params and the common parameters to
// /<action>: a form body, as the API takes nothing else.
func (a *httpAPI) newRequest(ctx context.Context, action string, params url.Values) (*http.Request, error) {
	form := make(url.Values, len(params)+4)
	for k, v := range params {
		form[k] = v
	}
	form.Set("login_token", a.creds.loginToken())
	form.Set("format", "json")
	form.Set("lang", "en")
	form.Set("error_on_empty", "no")

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.endpoint+"/"+action, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", a.userAgent)
	return req, nil
}

// call POSTs params and the common parameters to /<action> and decodes the
// answer into out. A status code other than "1" is returned as a
// *providers.Error carrying the code, so callers can treat the "no data"
// codes as empty results. The client waits for the credential's gate
// before it sends; a gate that refuses sends nothing.
func (a *httpAPI) call(ctx context.Context, action string, params url.Values, out any) error {
	req, err := a.newRequest(ctx, action, params)
	if err != nil {
		return providers.Transient("dnspod "+action, err)
	}

	resp, err := a.client.Do(req)
	if err != nil {
		return providers.Transient("dnspod "+action, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return providers.Transient("dnspod "+action, err)
	}

	var env struct {
		Status *status `json:"status"`
	}
	decodeErr := json.Unmarshal(body, &env)
	if decodeErr == nil && env.Status == nil {
		decodeErr = errors.New("answer has no status")
	}
	if resp.StatusCode != http.StatusOK && (decodeErr != nil || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500) {
		return httpError(action, resp.StatusCode, providers.ParseRetryAfter(resp.Header.Get("Retry-After")))
	}
	if decodeErr != nil {
		return &providers.Error{Kind: providers.KindTransient, Message: fmt.Sprintf("dnspod %s: undecodable answer (HTTP %d)", action, resp.StatusCode), Err: decodeErr}
	}
	if code := string(env.Status.Code); code != codeOK {
		return statusError(action, code, env.Status.Message, a.creds.Token)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			return &providers.Error{Kind: providers.KindTransient, Message: fmt.Sprintf("dnspod %s: undecodable answer", action), Err: err}
		}
	}
	return nil
}

// codeOf returns the API status code an error carries, "" for none.
func codeOf(err error) string {
	var pe *providers.Error
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

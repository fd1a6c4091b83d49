// Package dnsmgr is the DNS provider for HiPM DNSMgr
// (https://github.com/HiPM-Tech/DNSMgr), a self-hosted panel that manages
// the records of many DNS providers behind one API; ddns-go calls it
// "hipmdnsmgr". The instance's address comes from spec.dnsmgr.url; the API
// lives under /api and takes an API token ("dnsmgr_" and 64 hex digits,
// made in the panel's settings) as "Authorization: Bearer TOKEN"
// (docs/api-reference.md):
//
//	GET    /api/domains                                   the token's domains (a plain array for API tokens)
//	GET    /api/domains/{id}/records?page=&pageSize=&subdomain=&type=   {"total", "list"}
//	POST   /api/domains/{id}/records                      {name, type, value, ttl, remark} → {"id"}
//	PUT    /api/domains/{id}/records/{recordId}           name, type and value required
//	DELETE /api/domains/{id}/records/{recordId}
//
// Answers are {"code": 0, "data": ..., "msg": "success"}; a refusal is a
// code other than 0 with its reason in msg, mostly with HTTP 200
// (server/src/utils/http.ts), 401 and 403 for the token
// (server/src/middleware/auth.ts). DNSMgr passes a record's remark on to
// the DNS provider behind it, where the ownership marker lives.
package dnsmgr

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
	"github.com/ddns-operator/ddns-operator/providers/internal/secretdata"
)

// TokenKey is the Secret key holding the API token.
const TokenKey = "apiToken"

// DefaultTTL is the TTL a record gets when the spec sets none, DNSMgr's
// own default.
const DefaultTTL = 600

// pageSize is the page of records asked for (DNSMgr's default).
const pageSize = 100

// Provider manages the records one DNSMgr API token may reach.
type Provider struct {
	api   *jsonapi.Client
	token string
}

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// Descriptor declares the DNSMgr provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  v1alpha1.ProviderDNSMgr,
	Title: "HiPM DNSMgr (self-hosted)",
	Keys: []providers.SecretKey{
		{Name: TokenKey, Secret: true, Help: "a DNSMgr API token (dnsmgr_...), limited to the record's domain"},
	},
	Options: func(spec *v1alpha1.DynamicDNSRecordSpec) any {
		if spec == nil || spec.DNSMgr == nil {
			return nil
		}
		return spec.DNSMgr
	},
	// DNSMgr documents no limit on its record API; every call becomes a
	// call to the DNS provider behind it, so the pace is a gentle 5 a
	// second, two at a time.
	Limits:     providers.Limits{Requests: 5, Per: time.Second, Concurrency: 2},
	ZoneList:   true,
	Marker:     "remark",
	DefaultTTL: "600",
	New:        newProvider,
}

// newProvider builds the provider for one token at the instance of
// spec.dnsmgr.url (or the Env's endpoint, which tests and gateways set).
func newProvider(env providers.Env, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
	token, err := secretdata.Token(secret, TokenKey, "Bearer")
	if err != nil {
		return nil, err
	}
	base := env.Endpoint
	if base == "" && spec != nil && spec.DNSMgr != nil {
		base = strings.TrimSpace(spec.DNSMgr.URL)
	}
	if base == "" {
		return nil, providers.Errorf(providers.KindInvalid, "", "dnsmgr: spec.dnsmgr.url is not set: it is the address of the DNSMgr instance")
	}
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, providers.Errorf(providers.KindInvalid, "", "dnsmgr: spec.dnsmgr.url is not an http:// or https:// URL")
	}
	base = strings.TrimSuffix(strings.TrimSuffix(base, "/"), "/api")
	return &Provider{api: &jsonapi.Client{
		Base: base + "/api", Name: "dnsmgr", HTTP: env.HTTP(), UserAgent: env.UserAgent,
		Auth:    func(h http.Header) { h.Set("Authorization", "Bearer "+token) },
		Refusal: func(resp *jsonapi.Response, op string) error { return statusError(resp, op, token) },
	}, token: token}, nil
}

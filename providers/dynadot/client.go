// Package dynadot is the DNS provider for Dynadot's Dynamic DNS endpoint
// (https://www.dynadot.com/set_ddns, set up as described in Dynadot's help
// "How do I enable DDNS?" at
// https://www.dynadot.com/community/help/question/enable-DDNS). Dynadot
// documents the endpoint only through its own contribution of the client
// to ddns-go (jeessy2/ddns-go pull request 1050, by Dynadot's team):
//
//	GET /set_ddns?domain=DOMAIN&subDomain=NAMES&type=A|AAAA&ip=IP
//	    &pwd=DDNS_PASSWORD&ttl=TTL&containRoot=true|false
//
// answered with {"status":..., "error_code":..., "content":[...]}, where
// error_code -1 means failure and content says why. The endpoint creates
// or updates a name's record of the type; it cannot read or delete. So
// the provider reads the current value from the name's authoritative DNS
// (package dnsread) and sends an update only when that differs from the
// value and TTL wanted. The password travels in the query string; nothing
// the provider reports holds a URL.
package dynadot

import (
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/dnsread"
	"github.com/ddns-operator/ddns-operator/providers/internal/secretdata"
)

// DefaultEndpoint is the endpoint's base URL.
const DefaultEndpoint = "https://www.dynadot.com"

// PasswordKey is the Secret key holding the domain's DDNS password.
const PasswordKey = "ddnsPassword"

// DefaultTTL is the TTL the provider asks for when spec.ttl is unset, as
// ddns-go (Dynadot's recommended client) does.
const DefaultTTL = 600

// Provider sets the addresses of one domain's names at Dynadot.
type Provider struct {
	update   *updater
	dns      dnsread.Source
	password string
}

var _ providers.Provider = (*Provider)(nil)

// Descriptor declares the Dynadot provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  "dynadot",
	Title: "Dynadot (Dynamic DNS)",
	Keys: []providers.SecretKey{
		{Name: PasswordKey, Secret: true, Help: "the domain's DDNS password (DNS Settings → Dynamic DNS)"},
	},
	// Dynadot's API documentation limits a regular account to one
	// request at a time and 60 a minute; the DDNS endpoint is held to
	// the same, DNS reads included.
	Limits:     providers.Limits{Requests: 60, Per: time.Minute, Concurrency: 1},
	ZoneList:   false,
	Marker:     "",
	DefaultTTL: "600",
	New:        newProvider,
}

// newProvider builds the provider for one domain's DDNS password. The
// endpoint may name DNS servers to read from in its "dns" parameter
// (dnsread.SplitEndpoint).
func newProvider(env providers.Env, secret map[string][]byte, _ *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
	password, err := secretdata.Value(secret, PasswordKey)
	if err != nil {
		return nil, err
	}
	base, servers, err := dnsread.SplitEndpoint(env.Endpoint, DefaultEndpoint)
	if err != nil {
		return nil, err
	}
	return &Provider{
		update:   &updater{base: base, client: env.HTTP(), userAgent: env.UserAgent},
		dns:      dnsread.Source{Reader: &dnsread.Reader{Servers: servers, Wait: env.Wait}, Provider: "dynadot"},
		password: password,
	}, nil
}

// Package namecheap is the DNS provider for Namecheap's Dynamic DNS
// (https://www.namecheap.com/support/knowledgebase/article.aspx/29/11/how-to-dynamically-update-the-hosts-ip-with-an-http-request/):
// a GET of https://dynamicdns.park-your-domain.com/update with the host,
// the domain, the domain's Dynamic DNS password and the IPv4 address,
// answered with a small XML document. It is the only Namecheap interface
// open to every account (the full Namecheap API needs an allow-listed
// client IP and account thresholds), and it can do one thing: set the
// address of a host that has an "A + Dynamic DNS Record". It cannot
// read, create other types, delete, set a TTL, or take IPv6.
//
// So the provider reads the current value from the name's authoritative
// DNS servers (package dnsread) and sends an update only when that value
// differs from the one wanted: Namecheap's servers follow an update within
// seconds. Types other than A are refused (the CRD refuses AAAA at
// admission), as is deletion. The password travels in the query string;
// nothing the provider reports holds a URL.
package namecheap

import (
	"net/http"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/dnsread"
	"github.com/ddns-operator/ddns-operator/providers/internal/secretdata"
)

// DefaultEndpoint is the Dynamic DNS endpoint's base URL.
const DefaultEndpoint = "https://dynamicdns.park-your-domain.com"

// PasswordKey is the Secret key holding the domain's Dynamic DNS password.
const PasswordKey = "ddnsPassword"

// Provider sets the addresses of one domain's Dynamic DNS hosts at
// Namecheap.
type Provider struct {
	update   *updater
	dns      dnsread.Source
	password string
}

var _ providers.Provider = (*Provider)(nil)

// Descriptor declares the Namecheap provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  "namecheap",
	Title: "Namecheap (Dynamic DNS, IPv4 only)",
	Keys: []providers.SecretKey{
		{Name: PasswordKey, Secret: true, Help: "the domain's Dynamic DNS password (Advanced DNS → Dynamic DNS)"},
	},
	// Namecheap publishes no rate for the endpoint. Two requests a
	// second, DNS reads included, one at a time.
	Limits:     providers.Limits{Requests: 2, Per: time.Second, Concurrency: 1},
	ZoneList:   false,
	Marker:     "",
	DefaultTTL: "set in Namecheap's Advanced DNS",
	New:        newProvider,
}

// newProvider builds the provider for one domain's password. The
// endpoint may name, in its query parameter "dns", the DNS servers to
// read from (host:port, comma-separated) instead of the zone's own: a
// test's server, or a split-horizon setup.
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
		dns:      dnsread.Source{Reader: &dnsread.Reader{Servers: servers, Wait: env.Wait}, Provider: "namecheap", FixedTTL: true},
		password: password,
	}, nil
}

// updater is the Dynamic DNS endpoint.
type updater struct {
	base, userAgent string
	client          *http.Client
}

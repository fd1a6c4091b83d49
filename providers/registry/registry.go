// Package registry maps the spec.provider names to provider constructors. It
// is the one package that imports every provider; the contract package
// (providers) imports none, so no import cycle forms.
package registry

import (
	"fmt"
	"sort"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/alidns"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare"
	"github.com/ddns-operator/ddns-operator/providers/dnspod"
	"github.com/ddns-operator/ddns-operator/providers/rfc2136"
	"github.com/ddns-operator/ddns-operator/providers/tencentcloud"
)

// Registry maps a spec.provider name to the Factory that builds it. Tests
// build their own, pointing real providers at fake servers.
type Registry map[string]providers.Factory

// Endpoints override providers' API base URLs, for example to go through
// an API gateway or proxy (or a fake server in benchmarks). An empty field
// means the provider's real API.
type Endpoints struct {
	// Cloudflare replaces https://api.cloudflare.com/client/v4/.
	Cloudflare string
}

// Default returns the providers this build ships, talking to their real APIs.
func Default() Registry { return WithEndpoints(Endpoints{}) }

// WithEndpoints returns the providers this build ships, talking to the API
// base URLs in e where set and to the real APIs otherwise.
func WithEndpoints(e Endpoints) Registry {
	return Registry{
		v1alpha1.ProviderCloudflare:   cloudflare.Factory(cloudflare.Options{Endpoint: e.Cloudflare}),
		v1alpha1.ProviderAlidns:       alidns.Factory(alidns.Options{}),
		v1alpha1.ProviderTencentCloud: tencentcloud.Factory(tencentcloud.Options{}),
		v1alpha1.ProviderDNSPod:       dnspod.Factory(dnspod.Options{}),
		v1alpha1.ProviderRFC2136:      rfc2136.Factory(rfc2136.Options{}),
	}
}

// New builds the named provider for one record.
func (r Registry) New(name string, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
	f, ok := r[name]
	if !ok {
		return nil, fmt.Errorf("provider %q is not available in this build (have %v)", name, r.Names())
	}
	return f(secret, spec)
}

// Names lists the registered provider names, sorted.
func (r Registry) Names() []string {
	names := make([]string, 0, len(r))
	for n := range r {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

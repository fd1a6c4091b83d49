// Package registry is the set of providers this build ships. It is the one
// package that imports every provider; the contract package (providers)
// imports none, so no import cycle forms.
package registry

import (
	"fmt"
	"maps"
	"slices"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/alidns"
	"github.com/ddns-operator/ddns-operator/providers/aliesa"
	"github.com/ddns-operator/ddns-operator/providers/baiducloud"
	"github.com/ddns-operator/ddns-operator/providers/callback"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare"
	"github.com/ddns-operator/ddns-operator/providers/cloudns"
	"github.com/ddns-operator/ddns-operator/providers/desec"
	"github.com/ddns-operator/ddns-operator/providers/digitalocean"
	"github.com/ddns-operator/ddns-operator/providers/dnsla"
	"github.com/ddns-operator/ddns-operator/providers/dnsmgr"
	"github.com/ddns-operator/ddns-operator/providers/dnspod"
	"github.com/ddns-operator/ddns-operator/providers/duckdns"
	"github.com/ddns-operator/ddns-operator/providers/dynadot"
	"github.com/ddns-operator/ddns-operator/providers/dyndns2"
	"github.com/ddns-operator/ddns-operator/providers/dynv6"
	"github.com/ddns-operator/ddns-operator/providers/edgeone"
	"github.com/ddns-operator/ddns-operator/providers/eranet"
	"github.com/ddns-operator/ddns-operator/providers/gandi"
	"github.com/ddns-operator/ddns-operator/providers/gcore"
	"github.com/ddns-operator/ddns-operator/providers/godaddy"
	"github.com/ddns-operator/ddns-operator/providers/googleclouddns"
	"github.com/ddns-operator/ddns-operator/providers/hetzner"
	"github.com/ddns-operator/ddns-operator/providers/huaweicloud"
	"github.com/ddns-operator/ddns-operator/providers/namecheap"
	"github.com/ddns-operator/ddns-operator/providers/namecom"
	"github.com/ddns-operator/ddns-operator/providers/namesilo"
	"github.com/ddns-operator/ddns-operator/providers/nowcn"
	"github.com/ddns-operator/ddns-operator/providers/ns1"
	"github.com/ddns-operator/ddns-operator/providers/ovh"
	"github.com/ddns-operator/ddns-operator/providers/porkbun"
	"github.com/ddns-operator/ddns-operator/providers/rainyun"
	"github.com/ddns-operator/ddns-operator/providers/rfc2136"
	"github.com/ddns-operator/ddns-operator/providers/route53"
	"github.com/ddns-operator/ddns-operator/providers/spaceship"
	"github.com/ddns-operator/ddns-operator/providers/tencentcloud"
	"github.com/ddns-operator/ddns-operator/providers/tnethk"
	"github.com/ddns-operator/ddns-operator/providers/vercel"
	"github.com/ddns-operator/ddns-operator/providers/volcengine"
	"github.com/ddns-operator/ddns-operator/providers/webhook"
)

// shipped lists the providers of this build: one line per provider.
func shipped() []providers.Descriptor {
	return []providers.Descriptor{
		alidns.Descriptor,
		aliesa.Descriptor,
		baiducloud.Descriptor,
		callback.Descriptor,
		cloudflare.Descriptor,
		cloudns.Descriptor,
		desec.Descriptor,
		digitalocean.Descriptor,
		dnsla.Descriptor,
		dnsmgr.Descriptor,
		dnspod.Descriptor,
		duckdns.Descriptor,
		dynadot.Descriptor,
		dyndns2.Descriptor,
		dynv6.Descriptor,
		edgeone.Descriptor,
		eranet.Descriptor,
		gandi.Descriptor,
		gcore.Descriptor,
		godaddy.Descriptor,
		googleclouddns.Descriptor,
		hetzner.Descriptor,
		huaweicloud.Descriptor,
		namecheap.Descriptor,
		namecom.Descriptor,
		namesilo.Descriptor,
		nowcn.Descriptor,
		ns1.Descriptor,
		ovh.Descriptor,
		porkbun.Descriptor,
		rainyun.Descriptor,
		rfc2136.Descriptor,
		route53.Descriptor,
		spaceship.Descriptor,
		tencentcloud.Descriptor,
		tnethk.Descriptor,
		vercel.Descriptor,
		volcengine.Descriptor,
		webhook.Descriptor,
	}
}

// Registry maps spec.provider names to provider descriptors, with the Env
// each provider is built with. The zero value holds no provider; tests
// build their own with New, pointing real providers at fake servers.
type Registry struct {
	byName map[string]providers.Descriptor
	env    map[string]providers.Env
}

// Default returns the providers this build ships, talking to their real
// APIs.
func Default() Registry { return New(shipped()...) }

// New returns a registry of ds.
func New(ds ...providers.Descriptor) Registry {
	r := Registry{byName: map[string]providers.Descriptor{}, env: map[string]providers.Env{}}
	for _, d := range ds {
		r.byName[d.Name] = d
	}
	return r
}

// WithEndpoints returns r with the providers' API base URLs replaced, by
// provider name, for example to go through an API gateway or proxy (or a
// fake server in benchmarks). A name r does not hold is an error.
func (r Registry) WithEndpoints(endpoints map[string]string) (Registry, error) {
	out := r.clone()
	for name, url := range endpoints {
		if _, ok := out.byName[name]; !ok {
			return r, fmt.Errorf("no provider %q in this build (have %v)", name, r.Names())
		}
		env := out.env[name]
		env.Endpoint = url
		out.env[name] = env
	}
	return out, nil
}

// WithUserAgent returns r with every provider identifying itself as ua.
func (r Registry) WithUserAgent(ua string) Registry {
	out := r.clone()
	for name := range out.byName {
		env := out.env[name]
		env.UserAgent = ua
		out.env[name] = env
	}
	return out
}

func (r Registry) clone() Registry {
	return Registry{byName: maps.Clone(r.byName), env: maps.Clone(r.env)}
}

// Lookup returns the named provider's descriptor and the Env to build it
// with (its gate still to be set by the caller).
func (r Registry) Lookup(name string) (providers.Descriptor, providers.Env, bool) {
	d, ok := r.byName[name]
	return d, r.env[name], ok
}

// Names lists the registered provider names, sorted.
func (r Registry) Names() []string {
	return slices.Sorted(maps.Keys(r.byName))
}

// Descriptors lists the registered providers, sorted by name.
func (r Registry) Descriptors() []providers.Descriptor {
	out := make([]providers.Descriptor, 0, len(r.byName))
	for _, n := range r.Names() {
		out = append(out, r.byName[n])
	}
	return out
}

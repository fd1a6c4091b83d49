// Package registrytest lists, beside the registry, every provider with its
// fake server (providertest.Backend), for the operator's suites: the
// envtest suite takes each through a record to Ready, an address change,
// adoption and a wrong secret. Tests only: it imports every fake.
package registrytest

import (
	"github.com/ddns-operator/ddns-operator/providers/alidns"
	"github.com/ddns-operator/ddns-operator/providers/alidns/alidnsfake"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare/cloudflarefake"
	"github.com/ddns-operator/ddns-operator/providers/digitalocean"
	"github.com/ddns-operator/ddns-operator/providers/digitalocean/digitaloceanfake"
	"github.com/ddns-operator/ddns-operator/providers/dnspod"
	"github.com/ddns-operator/ddns-operator/providers/dnspod/dnspodfake"
	"github.com/ddns-operator/ddns-operator/providers/gandi"
	"github.com/ddns-operator/ddns-operator/providers/gandi/gandifake"
	"github.com/ddns-operator/ddns-operator/providers/googleclouddns"
	"github.com/ddns-operator/ddns-operator/providers/googleclouddns/googleclouddnsfake"
	"github.com/ddns-operator/ddns-operator/providers/hetzner"
	"github.com/ddns-operator/ddns-operator/providers/hetzner/hetznerfake"
	"github.com/ddns-operator/ddns-operator/providers/ovh"
	"github.com/ddns-operator/ddns-operator/providers/ovh/ovhfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/route53"
	"github.com/ddns-operator/ddns-operator/providers/route53/route53fake"
	"github.com/ddns-operator/ddns-operator/providers/tencentcloud"
	"github.com/ddns-operator/ddns-operator/providers/tencentcloud/tencentcloudfake"
)

// Backends lists the registered providers with their fakes: one line per
// provider.
func Backends() []providertest.Backend {
	return []providertest.Backend{
		alidnsfake.Backend(alidns.Descriptor),
		cloudflarefake.Backend(cloudflare.Descriptor),
		digitaloceanfake.Backend(digitalocean.Descriptor),
		dnspodfake.Backend(dnspod.Descriptor),
		gandifake.Backend(gandi.Descriptor),
		googleclouddnsfake.Backend(googleclouddns.Descriptor),
		hetznerfake.Backend(hetzner.Descriptor),
		ovhfake.Backend(ovh.Descriptor),
		route53fake.Backend(route53.Descriptor),
		tencentcloudfake.Backend(tencentcloud.Descriptor),
	}
}

// Without names the registered providers that have no Backend, each with
// the reason and where they are tested instead.
var Without = map[string]string{
	"rfc2136": "speaks DNS to a real BIND 9: its conformance run uses bindtest, and test/e2e takes a record through the manager binary to BIND",
}

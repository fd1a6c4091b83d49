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
	"github.com/ddns-operator/ddns-operator/providers/dnspod"
	"github.com/ddns-operator/ddns-operator/providers/dnspod/dnspodfake"
	"github.com/ddns-operator/ddns-operator/providers/dynadot"
	"github.com/ddns-operator/ddns-operator/providers/dynadot/dynadotfake"
	"github.com/ddns-operator/ddns-operator/providers/dynv6"
	"github.com/ddns-operator/ddns-operator/providers/dynv6/dynv6fake"
	"github.com/ddns-operator/ddns-operator/providers/gcore"
	"github.com/ddns-operator/ddns-operator/providers/gcore/gcorefake"
	"github.com/ddns-operator/ddns-operator/providers/godaddy"
	"github.com/ddns-operator/ddns-operator/providers/godaddy/godaddyfake"
	"github.com/ddns-operator/ddns-operator/providers/namecheap"
	"github.com/ddns-operator/ddns-operator/providers/namecheap/namecheapfake"
	"github.com/ddns-operator/ddns-operator/providers/namesilo"
	"github.com/ddns-operator/ddns-operator/providers/namesilo/namesilofake"
	"github.com/ddns-operator/ddns-operator/providers/porkbun"
	"github.com/ddns-operator/ddns-operator/providers/porkbun/porkbunfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/spaceship"
	"github.com/ddns-operator/ddns-operator/providers/spaceship/spaceshipfake"
	"github.com/ddns-operator/ddns-operator/providers/tencentcloud"
	"github.com/ddns-operator/ddns-operator/providers/tencentcloud/tencentcloudfake"
	"github.com/ddns-operator/ddns-operator/providers/vercel"
	"github.com/ddns-operator/ddns-operator/providers/vercel/vercelfake"
)

// Backends lists the registered providers with their fakes: one line per
// provider.
func Backends() []providertest.Backend {
	return []providertest.Backend{
		alidnsfake.Backend(alidns.Descriptor),
		cloudflarefake.Backend(cloudflare.Descriptor),
		dnspodfake.Backend(dnspod.Descriptor),
		dynadotfake.Backend(dynadot.Descriptor),
		dynv6fake.Backend(dynv6.Descriptor),
		gcorefake.Backend(gcore.Descriptor),
		godaddyfake.Backend(godaddy.Descriptor),
		namecheapfake.Backend(namecheap.Descriptor),
		namesilofake.Backend(namesilo.Descriptor),
		porkbunfake.Backend(porkbun.Descriptor),
		spaceshipfake.Backend(spaceship.Descriptor),
		tencentcloudfake.Backend(tencentcloud.Descriptor),
		vercelfake.Backend(vercel.Descriptor),
	}
}

// Without names the registered providers that have no Backend, each with
// the reason and where they are tested instead.
var Without = map[string]string{
	"rfc2136": "speaks DNS to a real BIND 9: its conformance run uses bindtest, and test/e2e takes a record through the manager binary to BIND",
}

// Package registrytest lists, beside the registry, every provider with its
// fake server (providertest.Backend), for the operator's suites: the
// envtest suite takes each through a record to Ready, an address change,
// adoption and a wrong secret. Tests only: it imports every fake.
package registrytest

import (
	"github.com/ddns-operator/ddns-operator/providers/alidns"
	"github.com/ddns-operator/ddns-operator/providers/alidns/alidnsfake"
	"github.com/ddns-operator/ddns-operator/providers/aliesa"
	"github.com/ddns-operator/ddns-operator/providers/aliesa/aliesafake"
	"github.com/ddns-operator/ddns-operator/providers/baiducloud"
	"github.com/ddns-operator/ddns-operator/providers/baiducloud/baiducloudfake"
	"github.com/ddns-operator/ddns-operator/providers/callback"
	"github.com/ddns-operator/ddns-operator/providers/callback/callbackfake"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare/cloudflarefake"
	"github.com/ddns-operator/ddns-operator/providers/cloudns"
	"github.com/ddns-operator/ddns-operator/providers/cloudns/cloudnsfake"
	"github.com/ddns-operator/ddns-operator/providers/desec"
	"github.com/ddns-operator/ddns-operator/providers/desec/desecfake"
	"github.com/ddns-operator/ddns-operator/providers/digitalocean"
	"github.com/ddns-operator/ddns-operator/providers/digitalocean/digitaloceanfake"
	"github.com/ddns-operator/ddns-operator/providers/dnsla"
	"github.com/ddns-operator/ddns-operator/providers/dnsla/dnslafake"
	"github.com/ddns-operator/ddns-operator/providers/dnsmgr"
	"github.com/ddns-operator/ddns-operator/providers/dnsmgr/dnsmgrfake"
	"github.com/ddns-operator/ddns-operator/providers/dnspod"
	"github.com/ddns-operator/ddns-operator/providers/dnspod/dnspodfake"
	"github.com/ddns-operator/ddns-operator/providers/duckdns"
	"github.com/ddns-operator/ddns-operator/providers/duckdns/duckdnsfake"
	"github.com/ddns-operator/ddns-operator/providers/dynadot"
	"github.com/ddns-operator/ddns-operator/providers/dynadot/dynadotfake"
	"github.com/ddns-operator/ddns-operator/providers/dyndns2"
	"github.com/ddns-operator/ddns-operator/providers/dyndns2/dyndns2fake"
	"github.com/ddns-operator/ddns-operator/providers/dynv6"
	"github.com/ddns-operator/ddns-operator/providers/dynv6/dynv6fake"
	"github.com/ddns-operator/ddns-operator/providers/edgeone"
	"github.com/ddns-operator/ddns-operator/providers/edgeone/edgeonefake"
	"github.com/ddns-operator/ddns-operator/providers/eranet"
	"github.com/ddns-operator/ddns-operator/providers/gandi"
	"github.com/ddns-operator/ddns-operator/providers/gandi/gandifake"
	"github.com/ddns-operator/ddns-operator/providers/gcore"
	"github.com/ddns-operator/ddns-operator/providers/gcore/gcorefake"
	"github.com/ddns-operator/ddns-operator/providers/godaddy"
	"github.com/ddns-operator/ddns-operator/providers/godaddy/godaddyfake"
	"github.com/ddns-operator/ddns-operator/providers/googleclouddns"
	"github.com/ddns-operator/ddns-operator/providers/googleclouddns/googleclouddnsfake"
	"github.com/ddns-operator/ddns-operator/providers/hetzner"
	"github.com/ddns-operator/ddns-operator/providers/hetzner/hetznerfake"
	"github.com/ddns-operator/ddns-operator/providers/huaweicloud"
	"github.com/ddns-operator/ddns-operator/providers/huaweicloud/huaweicloudfake"
	"github.com/ddns-operator/ddns-operator/providers/internal/todaynic/todaynicfake"
	"github.com/ddns-operator/ddns-operator/providers/namecheap"
	"github.com/ddns-operator/ddns-operator/providers/namecheap/namecheapfake"
	"github.com/ddns-operator/ddns-operator/providers/namecom"
	"github.com/ddns-operator/ddns-operator/providers/namecom/namecomfake"
	"github.com/ddns-operator/ddns-operator/providers/namesilo"
	"github.com/ddns-operator/ddns-operator/providers/namesilo/namesilofake"
	"github.com/ddns-operator/ddns-operator/providers/nowcn"
	"github.com/ddns-operator/ddns-operator/providers/ns1"
	"github.com/ddns-operator/ddns-operator/providers/ns1/ns1fake"
	"github.com/ddns-operator/ddns-operator/providers/ovh"
	"github.com/ddns-operator/ddns-operator/providers/ovh/ovhfake"
	"github.com/ddns-operator/ddns-operator/providers/porkbun"
	"github.com/ddns-operator/ddns-operator/providers/porkbun/porkbunfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/rainyun"
	"github.com/ddns-operator/ddns-operator/providers/rainyun/rainyunfake"
	"github.com/ddns-operator/ddns-operator/providers/route53"
	"github.com/ddns-operator/ddns-operator/providers/route53/route53fake"
	"github.com/ddns-operator/ddns-operator/providers/spaceship"
	"github.com/ddns-operator/ddns-operator/providers/spaceship/spaceshipfake"
	"github.com/ddns-operator/ddns-operator/providers/tencentcloud"
	"github.com/ddns-operator/ddns-operator/providers/tencentcloud/tencentcloudfake"
	"github.com/ddns-operator/ddns-operator/providers/tnethk"
	"github.com/ddns-operator/ddns-operator/providers/vercel"
	"github.com/ddns-operator/ddns-operator/providers/vercel/vercelfake"
	"github.com/ddns-operator/ddns-operator/providers/volcengine"
	"github.com/ddns-operator/ddns-operator/providers/volcengine/volcenginefake"
	"github.com/ddns-operator/ddns-operator/providers/webhook"
	"github.com/ddns-operator/ddns-operator/providers/webhook/webhooktest"
)

// Backends lists the registered providers with their fakes: one line per
// provider.
func Backends() []providertest.Backend {
	return []providertest.Backend{
		alidnsfake.Backend(alidns.Descriptor),
		aliesafake.Backend(aliesa.Descriptor),
		baiducloudfake.Backend(baiducloud.Descriptor),
		callbackfake.Backend(callback.Descriptor),
		cloudflarefake.Backend(cloudflare.Descriptor),
		cloudnsfake.Backend(cloudns.Descriptor),
		desecfake.Backend(desec.Descriptor),
		digitaloceanfake.Backend(digitalocean.Descriptor),
		dnslafake.Backend(dnsla.Descriptor),
		dnsmgrfake.Backend(dnsmgr.Descriptor),
		dnspodfake.Backend(dnspod.Descriptor),
		duckdnsfake.Backend(duckdns.Descriptor),
		dynadotfake.Backend(dynadot.Descriptor),
		dyndns2fake.Backend(dyndns2.Descriptor),
		dynv6fake.Backend(dynv6.Descriptor),
		edgeonefake.Backend(edgeone.Descriptor),
		gandifake.Backend(gandi.Descriptor),
		gcorefake.Backend(gcore.Descriptor),
		godaddyfake.Backend(godaddy.Descriptor),
		googleclouddnsfake.Backend(googleclouddns.Descriptor),
		hetznerfake.Backend(hetzner.Descriptor),
		huaweicloudfake.Backend(huaweicloud.Descriptor),
		namecheapfake.Backend(namecheap.Descriptor),
		namecomfake.Backend(namecom.Descriptor),
		namesilofake.Backend(namesilo.Descriptor),
		ns1fake.Backend(ns1.Descriptor),
		ovhfake.Backend(ovh.Descriptor),
		porkbunfake.Backend(porkbun.Descriptor),
		rainyunfake.Backend(rainyun.Descriptor),
		route53fake.Backend(route53.Descriptor),
		spaceshipfake.Backend(spaceship.Descriptor),
		tencentcloudfake.Backend(tencentcloud.Descriptor),
		todaynicfake.Backend(eranet.Descriptor),
		todaynicfake.Backend(nowcn.Descriptor),
		todaynicfake.Backend(tnethk.Descriptor),
		vercelfake.Backend(vercel.Descriptor),
		volcenginefake.Backend(volcengine.Descriptor),
		webhooktest.Backend(webhook.Descriptor),
	}
}

// Without names the registered providers that have no Backend, each with
// the reason and where they are tested instead.
var Without = map[string]string{
	"rfc2136": "speaks DNS to a real BIND 9: its conformance run uses bindtest, and test/e2e takes a record through the manager binary to BIND",
}

package controllers

import (
	"context"
	"fmt"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// TestInvalidManifestsAreRejected applies bad specs to the real API server
// and checks that each is refused with a message naming the field.
func TestInvalidManifestsAreRejected(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	valid := func() map[string]any {
		return map[string]any{
			"domain":    "home.example.com",
			"provider":  "cloudflare",
			"secretRef": map[string]any{"name": "creds"},
		}
	}
	cases := []struct {
		name   string
		mutate func(spec map[string]any)
		field  string
		msg    string
	}{
		{"no domain", func(s map[string]any) { delete(s, "domain") }, "spec.domain", "Required"},
		{"uppercase domain", func(s map[string]any) { s["domain"] = "Home.Example.com" }, "spec.domain", "must be a lowercase DNS name"},
		{"domain with trailing dot", func(s map[string]any) { s["domain"] = "home.example.com." }, "spec.domain", "must be a lowercase DNS name"},
		{"single-label domain", func(s map[string]any) { s["domain"] = "localhost" }, "spec.domain", "must be a lowercase DNS name"},
		{"IP literal as domain", func(s map[string]any) { s["domain"] = "192.0.2.1" }, "spec.domain", "must be a lowercase DNS name"},
		{"label longer than 63", func(s map[string]any) { s["domain"] = strings.Repeat("a", 64) + ".example.com" }, "spec.domain", "must be a lowercase DNS name"},
		{"domain longer than 253", func(s map[string]any) {
			s["domain"] = strings.Repeat(strings.Repeat("a", 60)+".", 4) + "example.com"
		}, "spec.domain", "253"},
		{"wildcard not leading", func(s map[string]any) { s["domain"] = "home.*.example.com" }, "spec.domain", "must be a lowercase DNS name"},
		{"label starting with hyphen", func(s map[string]any) { s["domain"] = "-home.example.com" }, "spec.domain", "must be a lowercase DNS name"},
		{"zone not a suffix", func(s map[string]any) { s["zone"] = "example.org" }, "spec.zone", "suffix"},
		{"zone a suffix only by characters", func(s map[string]any) { s["domain"] = "myexample.com"; s["zone"] = "example.com" }, "spec.zone", "suffix"},
		{"unknown type", func(s map[string]any) { s["type"] = "CNAME" }, "spec.type", "Unsupported value"},
		{"TTL zero", func(s map[string]any) { s["ttl"] = 0 }, "spec.ttl", "greater than or equal to 1"},
		{"TTL above a day", func(s map[string]any) { s["ttl"] = 86401 }, "spec.ttl", "less than or equal to 86400"},
		{"unknown provider", func(s map[string]any) { s["provider"] = "azure" }, "spec.provider", "Unsupported value"},
		{"no provider", func(s map[string]any) { delete(s, "provider") }, "spec.provider", "Required"},
		{"no secretRef", func(s map[string]any) { delete(s, "secretRef") }, "spec.secretRef", "Required"},
		{"empty secretRef name", func(s map[string]any) { s["secretRef"] = map[string]any{"name": ""} }, "spec.secretRef.name", ""},
		{"secretRef name not a DNS name", func(s map[string]any) { s["secretRef"] = map[string]any{"name": "My_Secret"} }, "spec.secretRef.name", "must be the name of a Secret"},
		{"options for another provider", func(s map[string]any) { s["alidns"] = map[string]any{"line": "default"} }, "spec.alidns", "only allowed with provider alidns"},
		{"interval too short", func(s map[string]any) { s["interval"] = "10s" }, "spec.interval", "at least 30s"},
		{"interval not a duration", func(s map[string]any) { s["interval"] = "five minutes" }, "spec.interval", "must be a duration such as 90s, 5m or 1h30m"},
		{"interval above a day", func(s map[string]any) { s["interval"] = "25h" }, "spec.interval", "at most 24h"},
		{"namecheap with AAAA", func(s map[string]any) { s["provider"] = "namecheap"; s["type"] = "AAAA" }, "spec.type", "Namecheap's Dynamic DNS takes no IPv6, so spec.type must be A"},
		{"namecheap deleting", func(s map[string]any) { s["provider"] = "namecheap"; s["deletionPolicy"] = "Delete" }, "spec.deletionPolicy", "their Dynamic DNS endpoints cannot delete records"},
		{"dynadot deleting", func(s map[string]any) { s["provider"] = "dynadot"; s["deletionPolicy"] = "Delete" }, "spec.deletionPolicy", "their Dynamic DNS endpoints cannot delete records"},
		{"unknown deletionPolicy", func(s map[string]any) { s["deletionPolicy"] = "Orphan" }, "spec.deletionPolicy", "Unsupported value"},
		{"static source not an IP", func(s map[string]any) { s["ipSource"] = map[string]any{"static": "home.example.com"} }, "spec.ipSource.static", "must be an IPv4 or IPv6 address"},
		{"static IPv6 for an A record", func(s map[string]any) { s["ipSource"] = map[string]any{"static": "2001:db8::1"} }, "spec.ipSource.static", "IPv4 address for type A"},
		{"static IPv4 for an AAAA record", func(s map[string]any) {
			s["type"] = "AAAA"
			s["ipSource"] = map[string]any{"static": "192.0.2.1"}
		}, "spec.ipSource.static", "IPv6 address for type AAAA"},
		{"unknown field", func(s map[string]any) { s["proxied"] = true }, "spec.proxied", "unknown field"},
		{"empty domain", func(s map[string]any) { s["domain"] = "" }, "spec.domain", ""},
		{"domain with a space", func(s map[string]any) { s["domain"] = "home .example.com" }, "spec.domain", "must be a lowercase DNS name"},
		{"domain with a scheme", func(s map[string]any) { s["domain"] = "https://home.example.com" }, "spec.domain", "must be a lowercase DNS name"},
		{"domain with a port", func(s map[string]any) { s["domain"] = "home.example.com:443" }, "spec.domain", "must be a lowercase DNS name"},
		{"domain with an empty label", func(s map[string]any) { s["domain"] = "home..example.com" }, "spec.domain", "must be a lowercase DNS name"},
		{"label ending with hyphen", func(s map[string]any) { s["domain"] = "home-.example.com" }, "spec.domain", "must be a lowercase DNS name"},
		{"numeric top-level label", func(s map[string]any) { s["domain"] = "home.example.123" }, "spec.domain", "must be a lowercase DNS name"},
		{"IPv6 literal as domain", func(s map[string]any) { s["domain"] = "2001:db8::1" }, "spec.domain", "must be a lowercase DNS name"},
		{"bare wildcard", func(s map[string]any) { s["domain"] = "*" }, "spec.domain", ""},
		{"double wildcard", func(s map[string]any) { s["domain"] = "*.*.example.com" }, "spec.domain", "must be a lowercase DNS name"},
		{"wildcard inside a label", func(s map[string]any) { s["domain"] = "ho*me.example.com" }, "spec.domain", "must be a lowercase DNS name"},
		{"wildcard zone", func(s map[string]any) { s["domain"] = "*.example.com"; s["zone"] = "*.example.com" }, "spec.zone", ""},
		{"uppercase zone", func(s map[string]any) { s["zone"] = "Example.com" }, "spec.zone", "must be a lowercase DNS zone name"},
		{"zone longer than domain", func(s map[string]any) { s["zone"] = "sub.home.example.com" }, "spec.zone", "suffix"},
		{"lowercase type", func(s map[string]any) { s["type"] = "a" }, "spec.type", "Unsupported value"},
		{"negative TTL", func(s map[string]any) { s["ttl"] = -5 }, "spec.ttl", "greater than or equal to 1"},
		{"TTL as a string", func(s map[string]any) { s["ttl"] = "300" }, "spec.ttl", "must be of type integer"},
		{"provider in capitals", func(s map[string]any) { s["provider"] = "Cloudflare" }, "spec.provider", "Unsupported value"},
		{"secretRef as a string", func(s map[string]any) { s["secretRef"] = "creds" }, "spec.secretRef", "must be of type object"},
		{"secretRef with a namespace", func(s map[string]any) { s["secretRef"] = map[string]any{"name": "creds", "namespace": "other"} }, "spec.secretRef.namespace", "unknown field"},
		{"cloudflare options with alidns", func(s map[string]any) {
			s["provider"] = "alidns"
			s["cloudflare"] = map[string]any{"proxied": true}
		}, "spec.cloudflare", "only allowed with provider cloudflare"},
		{"tencentcloud options with cloudflare", func(s map[string]any) { s["tencentcloud"] = map[string]any{"recordLine": "默认"} }, "spec.tencentcloud", "only allowed with provider tencentcloud"},
		{"cloudflare comment too long", func(s map[string]any) { s["cloudflare"] = map[string]any{"comment": strings.Repeat("x", 101)} }, "spec.cloudflare.comment", "100"},
		{"proxied not a boolean", func(s map[string]any) { s["cloudflare"] = map[string]any{"proxied": "yes"} }, "spec.cloudflare.proxied", "must be of type boolean"},
		{"interval in days", func(s map[string]any) { s["interval"] = "1d" }, "spec.interval", "must be a duration such as 90s, 5m or 1h30m"},
		{"negative interval", func(s map[string]any) { s["interval"] = "-5m" }, "spec.interval", "must be a duration such as 90s, 5m or 1h30m"},
		{"static source with a prefix length", func(s map[string]any) { s["ipSource"] = map[string]any{"static": "81.2.69.160/32"} }, "spec.ipSource.static", "must be an IPv4 or IPv6 address"},
		{"dyndns2 without its block", func(s map[string]any) { s["provider"] = "dyndns2" }, "spec.dyndns2", "needs spec.dyndns2"},
		{"dyndns2 with a preset and a server", func(s map[string]any) {
			s["provider"] = "dyndns2"
			s["dyndns2"] = map[string]any{"service": "noip", "server": "https://dyn.example.net/nic/update"}
		}, "spec.dyndns2", "exactly one of service"},
		{"dyndns2 unknown service", func(s map[string]any) { s["provider"] = "dyndns2"; s["dyndns2"] = map[string]any{"service": "freedns"} }, "spec.dyndns2.service", "Unsupported value"},
		{"dyndns2 server with credentials", func(s map[string]any) {
			s["provider"] = "dyndns2"
			s["dyndns2"] = map[string]any{"server": "https://user:pw@dyn.example.net/nic/update"}
		}, "spec.dyndns2.server", "without credentials"},
		{"dyndns2 ipv6Parameter with a preset", func(s map[string]any) {
			s["provider"] = "dyndns2"
			s["dyndns2"] = map[string]any{"service": "noip", "ipv6Parameter": "myipv6"}
		}, "spec.dyndns2.ipv6Parameter", "applies only to a custom server"},
		{"dyndns2 deleting", func(s map[string]any) {
			s["provider"] = "dyndns2"
			s["dyndns2"] = map[string]any{"service": "noip"}
			s["deletionPolicy"] = "Delete"
		}, "spec.deletionPolicy", "cannot delete a host"},
		{"callback deleting", func(s map[string]any) { s["provider"] = "callback"; s["deletionPolicy"] = "Delete" }, "spec.deletionPolicy", "cannot delete"},
		{"webhook options with cloudflare", func(s map[string]any) { s["webhook"] = map[string]any{"url": "http://localhost:8888"} }, "spec.webhook", "only allowed with provider webhook"},
		{"webhook URL with a query", func(s map[string]any) {
			s["provider"] = "webhook"
			s["webhook"] = map[string]any{"url": "http://localhost:8888/?x=1"}
		}, "spec.webhook.url", "without credentials, query or fragment"},
		{"webhook unknown ownership records", func(s map[string]any) {
			s["provider"] = "webhook"
			s["webhook"] = map[string]any{"ownershipRecords": "Labels"}
		}, "spec.webhook.ownershipRecords", "Unsupported value"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			spec := valid()
			tc.mutate(spec)
			obj := &unstructured.Unstructured{Object: map[string]any{
				"apiVersion": "ddns.dev/v1alpha1",
				"kind":       "DynamicDNSRecord",
				"metadata":   map[string]any{"name": fmt.Sprintf("bad-%d", i), "namespace": f.ns},
				"spec":       spec,
			}}
			err := k8s.Create(context.Background(), obj, strictFieldValidation)
			g.Expect(err).To(HaveOccurred(), "the API server accepted %v", spec)
			g.Expect(err.Error()).To(ContainSubstring(tc.field))
			g.Expect(err.Error()).To(ContainSubstring(tc.msg))
			// Refusals say what is wanted in words: no raw pattern, no
			// CEL type-conversion noise.
			g.Expect(err.Error()).NotTo(Or(ContainSubstring("should match"), ContainSubstring("no such overload"), ContainSubstring("type conversion"), ContainSubstring("compilation")))
		})
	}
	t.Run("the valid base is accepted", func(t *testing.T) {
		g := NewWithT(t)
		obj := &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "ddns.dev/v1alpha1", "kind": "DynamicDNSRecord",
			"metadata": map[string]any{"name": "good", "namespace": f.ns}, "spec": valid(),
		}}
		g.Expect(k8s.Create(context.Background(), obj, strictFieldValidation)).To(Succeed())
	})
}

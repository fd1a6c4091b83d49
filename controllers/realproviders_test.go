package controllers

import (
	"net/http"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/internal/egress"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/alidns"
	"github.com/ddns-operator/ddns-operator/providers/alidns/alidnsfake"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare/cloudflarefake"
	"github.com/ddns-operator/ddns-operator/providers/dnspod"
	"github.com/ddns-operator/ddns-operator/providers/dnspod/dnspodfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/registry"
	"github.com/ddns-operator/ddns-operator/providers/tencentcloud"
	"github.com/ddns-operator/ddns-operator/providers/tencentcloud/tencentcloudfake"
)

// fakeEndpoints points the real provider packages at the fake servers a
// test started. Until one is set, a provider dials a closed local port, so
// nothing ever leaves the machine.
var fakeEndpoints = struct {
	sync.Mutex
	byProvider map[string]string
}{byProvider: map[string]string{}}

func endpointOf(provider string) string {
	fakeEndpoints.Lock()
	defer fakeEndpoints.Unlock()
	if ep, ok := fakeEndpoints.byProvider[provider]; ok {
		return ep
	}
	return "http://127.0.0.1:1"
}

func setEndpoint(provider, url string) {
	fakeEndpoints.Lock()
	defer fakeEndpoints.Unlock()
	fakeEndpoints.byProvider[provider] = url
}

// testRegistry is the suite's provider registry. Under "cloudflare", a
// Secret with the in-memory provider's "token" key selects that provider;
// any other Secret goes to the real Cloudflare package. The other names are
// the real packages. All real ones talk to fake servers.
//
// A Secret holding testEndpointKey (the fault matrix's) names its own fake
// server instead, and its provider gets faultClient, whose short timeout
// lets the timeout fault end quickly.
func testRegistry() registry.Registry {
	cf := viaFake(cloudflare.Descriptor)
	real := cf.New
	cf.New = func(env providers.Env, secret map[string][]byte, spec *ddnsv1.DynamicDNSRecordSpec) (providers.Provider, error) {
		if _, ok := secret[providertest.MemoryTokenKey]; ok {
			return hub.factory(env, secret, spec)
		}
		return real(env, secret, spec)
	}
	// The in-memory provider reads its token; Cloudflare's keys stay
	// declared for the real package.
	cf.Keys = append(append([]providers.SecretKey(nil), cf.Keys...), providers.SecretKey{Name: providertest.MemoryTokenKey, Secret: true, Optional: true})
	return registry.New(cf, viaFake(alidns.Descriptor), viaFake(tencentcloud.Descriptor), viaFake(dnspod.Descriptor))
}

// viaFake returns d building its provider against the suite's fake server
// for d (or the one a Secret's testEndpointKey names).
func viaFake(d providers.Descriptor) providers.Descriptor {
	real := d.New
	d.New = func(env providers.Env, secret map[string][]byte, spec *ddnsv1.DynamicDNSRecordSpec) (providers.Provider, error) {
		ep, hc, secret := endpointFor(d.Name, secret)
		env.Endpoint, env.HTTPClient = ep, hc
		return real(env, secret, spec)
	}
	return d
}

// testEndpointKey, in a test's Secret, names the fake server its records
// talk to. It is removed before the provider reads the Secret.
const testEndpointKey = "test-endpoint"

// faultClient is the HTTP client of providers under the fault matrix: its
// timeout bounds how long the timeout fault holds a reconcile.
var faultClient = &http.Client{Timeout: 2 * time.Second}

// endpointFor returns the endpoint and client for a provider built from
// secret, and the Secret data without the test's key.
func endpointFor(provider string, secret map[string][]byte) (string, *http.Client, map[string][]byte) {
	ep, ok := secret[testEndpointKey]
	if !ok {
		return endpointOf(provider), nil, secret
	}
	rest := make(map[string][]byte, len(secret))
	for k, v := range secret {
		if k != testEndpointKey {
			rest[k] = v
		}
	}
	return string(ep), faultClient, rest
}

// TestRealProviders reconciles records through the real provider packages
// and their official SDKs, against fake servers speaking each provider's
// wire format, signatures included.
func TestRealProviders(t *testing.T) {
	cf := cloudflarefake.New(t, "example.com")
	ali := alidnsfake.New(t, "example.com")
	tc := tencentcloudfake.New(t, "example.com")
	dp := dnspodfake.New(t, "example.com")
	setEndpoint(ddnsv1.ProviderDNSPod, dp.URL)
	setEndpoint(ddnsv1.ProviderCloudflare, cf.URL)
	setEndpoint(ddnsv1.ProviderAlidns, ali.URL)
	setEndpoint(ddnsv1.ProviderTencentCloud, tc.URL)
	want := addresses.get(egress.IPv4).String()

	type backend struct {
		provider string
		good     map[string]string
		bad      map[string]string
		value    func(fqdn string) []string
		marker   func(fqdn string) []string
		seed     func(r providers.Record) providers.Record
	}
	for _, b := range []backend{
		{
			provider: ddnsv1.ProviderCloudflare,
			good:     map[string]string{"apiToken": cloudflarefake.Token},
			bad:      map[string]string{"apiToken": "not-the-right-cloudflare-token"},
			value: func(fqdn string) []string {
				var out []string
				for _, r := range cf.Records("example.com") {
					if r.Name == fqdn && r.Type == "A" {
						out = append(out, r.Content)
					}
				}
				return out
			},
			marker: func(fqdn string) []string {
				var out []string
				for _, r := range cf.Records("example.com") {
					if r.Name == fqdn && r.Type == "A" {
						out = append(out, r.Comment)
					}
				}
				return out
			},
			seed: func(r providers.Record) providers.Record { return cf.Seed("example.com", r) },
		},
		{
			provider: ddnsv1.ProviderAlidns,
			good:     map[string]string{"accessKeyId": alidnsfake.AccessKeyID, "accessKeySecret": alidnsfake.AccessKeySecret},
			bad:      map[string]string{"accessKeyId": alidnsfake.AccessKeyID, "accessKeySecret": "wrong-alibaba-secret-value"},
			value: func(fqdn string) []string {
				var out []string
				for _, r := range ali.Records() {
					if providers.AbsoluteName(r.RR, r.Domain) == fqdn && r.Type == "A" {
						out = append(out, r.Value)
					}
				}
				return out
			},
			marker: func(fqdn string) []string {
				var out []string
				for _, r := range ali.Records() {
					if providers.AbsoluteName(r.RR, r.Domain) == fqdn && r.Type == "A" {
						out = append(out, r.Remark)
					}
				}
				return out
			},
			seed: func(r providers.Record) providers.Record { return ali.Seed("example.com", r) },
		},
		{
			provider: ddnsv1.ProviderTencentCloud,
			good:     map[string]string{"secretId": tencentcloudfake.SecretID, "secretKey": tencentcloudfake.SecretKey},
			bad:      map[string]string{"secretId": tencentcloudfake.SecretID, "secretKey": "wrong-tencent-secret-key"},
			value: func(fqdn string) []string {
				var out []string
				for _, r := range tc.Records("example.com") {
					if providers.AbsoluteName(r.SubDomain, "example.com") == fqdn && r.Type == "A" {
						out = append(out, r.Value)
					}
				}
				return out
			},
			marker: func(fqdn string) []string {
				var out []string
				for _, r := range tc.Records("example.com") {
					if providers.AbsoluteName(r.SubDomain, "example.com") == fqdn && r.Type == "A" {
						out = append(out, r.Remark)
					}
				}
				return out
			},
			seed: func(r providers.Record) providers.Record { return tc.Seed("example.com", r) },
		},
		{
			provider: ddnsv1.ProviderDNSPod,
			good:     map[string]string{"loginToken": dnspodfake.LoginToken},
			bad:      map[string]string{"loginToken": dnspodfake.TokenID + ",not-the-right-dnspod-token"},
			value: func(fqdn string) []string {
				var out []string
				for _, r := range dp.Records("example.com") {
					if providers.AbsoluteName(r.Name, "example.com") == fqdn && r.Type == "A" {
						out = append(out, r.Value)
					}
				}
				return out
			},
			marker: func(fqdn string) []string {
				var out []string
				for _, r := range dp.Records("example.com") {
					if providers.AbsoluteName(r.Name, "example.com") == fqdn && r.Type == "A" {
						out = append(out, r.Remark)
					}
				}
				return out
			},
			seed: func(r providers.Record) providers.Record { return dp.Seed("example.com", r) },
		},
	} {
		t.Run(b.provider+" to Ready", func(t *testing.T) {
			f := newFixture(t)
			f.secret("real", b.good)
			fqdn := f.d("real", "example.com")
			f.record("real", fqdn, func(s *ddnsv1.DynamicDNSRecordSpec) {
				s.Provider = ddnsv1.ProviderName(b.provider)
				s.SecretRef.Name = "real"
				s.TTL = ptrTo(ddnsv1.TTLSeconds(600))
			})
			obj := f.waitReady("real")
			f.g.Expect(obj.Status.Addresses).To(Equal([]string{want}))
			f.g.Expect(obj.Status.Zone).To(Equal("example.com"))
			f.g.Expect(b.value(fqdn)).To(Equal([]string{want}))
			f.g.Expect(b.marker(fqdn)).To(Equal([]string{ownerMarker(testOwnerID, obj)}), "the record carries the ownership marker")
		})
		t.Run(b.provider+" adopts an unmarked record and leaves another owner's alone", func(t *testing.T) {
			f := newFixture(t)
			f.secret("real", b.good)
			mine, theirs := f.d("mine", "example.com"), f.d("theirs", "example.com")
			adopted := b.seed(providers.Record{Name: mine, Type: "A", Value: "81.2.69.210", TTL: 600})
			b.seed(providers.Record{Name: theirs, Type: "A", Value: "81.2.69.211", TTL: 600, Marker: otherOwner})
			for _, n := range []string{"mine", "theirs"} {
				f.record(n, f.d(n, "example.com"), func(s *ddnsv1.DynamicDNSRecordSpec) {
					s.Provider = ddnsv1.ProviderName(b.provider)
					s.SecretRef.Name = "real"
					s.TTL = ptrTo(ddnsv1.TTLSeconds(600))
				})
			}
			obj := f.waitReady("mine")
			f.g.Expect(obj.Status.RecordIDs).To(Equal([]string{adopted.ID}), "adopted, not created anew")
			f.g.Expect(b.value(mine)).To(Equal([]string{want}))
			f.g.Expect(b.marker(mine)).To(Equal([]string{ownerMarker(testOwnerID, obj)}))
			obj = f.waitReason("theirs", ddnsv1.ReasonConflict)
			f.g.Expect(cond(obj, ddnsv1.ConditionReady).Message).To(ContainSubstring("9e1d2c3b-other-cluster"))
			f.g.Expect(b.value(theirs)).To(Equal([]string{"81.2.69.211"}), "another owner's record is not touched")
			f.g.Expect(b.marker(theirs)).To(Equal([]string{otherOwner}))
		})
		t.Run(b.provider+" wrong secret stalls with AuthenticationFailed", func(t *testing.T) {
			f := newFixture(t)
			f.secret("bad", b.bad)
			f.record("bad", f.d("bad", "example.com"), func(s *ddnsv1.DynamicDNSRecordSpec) {
				s.Provider = ddnsv1.ProviderName(b.provider)
				s.SecretRef.Name = "bad"
			})
			obj := f.waitReason("bad", ddnsv1.ReasonAuthenticationFailed)
			f.g.Expect(cond(obj, ddnsv1.ConditionStalled).Status).To(Equal(metav1.ConditionTrue))
			for _, v := range b.bad {
				f.g.Expect(cond(obj, ddnsv1.ConditionReady).Message).NotTo(ContainSubstring(v))
			}
		})
	}
}

func ptrTo[T any](v T) *T { return &v }

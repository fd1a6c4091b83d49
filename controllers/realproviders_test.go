package controllers

import (
	"net/http"
	"net/netip"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/internal/egress"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/registry"
	"github.com/ddns-operator/ddns-operator/providers/registry/registrytest"
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
	var ds []providers.Descriptor
	for _, b := range registrytest.Backends() {
		d := viaFake(b.Descriptor)
		if d.Name == ddnsv1.ProviderCloudflare {
			d = withMemory(d)
		}
		ds = append(ds, d)
	}
	return registry.New(ds...)
}

// withMemory returns d building the suite's in-memory provider for a
// Secret that holds the in-memory provider's token key.
func withMemory(d providers.Descriptor) providers.Descriptor {
	real := d.New
	d.New = func(env providers.Env, secret map[string][]byte, spec *ddnsv1.DynamicDNSRecordSpec) (providers.Provider, error) {
		if _, ok := secret[providertest.MemoryTokenKey]; ok {
			return hub.factory(env, secret, spec)
		}
		return real(env, secret, spec)
	}
	// The in-memory provider's token is a credential too.
	d.Keys = append(append([]providers.SecretKey(nil), d.Keys...), providers.SecretKey{Name: providertest.MemoryTokenKey, Secret: true, Optional: true})
	return d
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

// TestRealProviders takes every registered provider with a fake
// (registrytest) through the operator on a real API server: its real
// package, official SDK included, against a fake speaking its wire format,
// signatures included. Each provider's records follow their own source
// list, so the address change of one provider's subtest moves no other
// test's records.
func TestRealProviders(t *testing.T) {
	for _, b := range registrytest.Backends() {
		name := b.Descriptor.Name
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := b.Start(t, "example.com")
			setEndpoint(name, srv.Endpoint)
			list := "real-" + name
			first, next := netip.MustParseAddr("81.2.69.180"), netip.MustParseAddr("81.2.69.181")
			addresses.setList(list, egress.IPv4, first)
			spec := func(secret string) func(*ddnsv1.DynamicDNSRecordSpec) {
				return func(s *ddnsv1.DynamicDNSRecordSpec) {
					s.Provider = ddnsv1.ProviderName(name)
					s.SecretRef.Name = secret
					s.TTL = ptrTo(ddnsv1.TTLSeconds(max(600, srv.MinTTL)))
					s.IPSource = &ddnsv1.IPSource{Sources: list}
					if srv.Options != nil {
						srv.Options(s)
					}
				}
			}
			values := func(fqdn string) (vals, markers []string) {
				for _, r := range srv.Records("example.com", fqdn, "A") {
					vals, markers = append(vals, r.Value), append(markers, r.Marker)
				}
				return vals, markers
			}
			// Each subtest has its own namespace, so its own Secret and
			// account (and zone snapshot) at the shared fake.
			fixture := func(t *testing.T) *fixture {
				f := newFixture(t)
				f.secret("real", srv.Secret)
				f.secret("bad", srv.BadSecret)
				return f
			}

			t.Run("to Ready, then an address change with one write", func(t *testing.T) {
				f := fixture(t)
				fqdn := f.d("real", "example.com")
				f.record("real", fqdn, spec("real"))
				obj := f.waitReady("real")
				f.g.Expect(obj.Status.Addresses).To(Equal([]string{first.String()}))
				f.g.Expect(obj.Status.Zone).To(Equal("example.com"))
				vals, markers := values(fqdn)
				f.g.Expect(vals).To(Equal([]string{first.String()}))
				if _, none := srv.Skip[providertest.CheckMarker]; !none && b.Descriptor.Marker != "" {
					f.g.Expect(markers).To(Equal([]string{ownerMarker(testOwnerID, obj)}), "the record carries the ownership marker")
				}
				if why := b.Descriptor.Deprecated; why != "" {
					f.g.Expect(cond(obj, ddnsv1.ConditionReady).Message).To(ContainSubstring("provider "+name+" is deprecated: "+why), "Ready says the provider is deprecated")
					f.g.Eventually(func() []string { return f.events("real") }, waitTimeout, pollEvery).Should(ContainElement(ddnsv1.ReasonDeprecatedProvider))
				}

				writes := srv.Writes()
				addresses.setList(list, egress.IPv4, next)
				f.waitFor("real", "pointing at the new address", func(o *ddnsv1.DynamicDNSRecord) bool {
					return len(o.Status.Addresses) == 1 && o.Status.Addresses[0] == next.String() && meta.IsStatusConditionTrue(o.Status.Conditions, ddnsv1.ConditionReady)
				})
				vals, _ = values(fqdn)
				f.g.Expect(vals).To(Equal([]string{next.String()}))
				f.g.Expect(srv.Writes()-writes).To(Equal(max(srv.WritesPerChange, 1)), "one change's writes for one address change")
			})

			t.Run("adopts an unmarked record and leaves another owner's alone", func(t *testing.T) {
				if why, ok := srv.Skip[providertest.CheckAdoption]; ok {
					t.Skip(why)
				}
				if b.Descriptor.Marker == "" {
					t.Skip("the provider keeps no ownership marker: every record is adopted, none can be told apart as another owner's")
				}
				f := fixture(t)
				mine, theirs := f.d("mine", "example.com"), f.d("theirs", "example.com")
				current, err := addresses.lookup(list, egress.IPv4)
				f.g.Expect(err).NotTo(HaveOccurred())
				ttl := max(600, srv.MinTTL)
				adopted := srv.Seed("example.com", providers.Record{Name: mine, Type: "A", Value: "81.2.69.210", TTL: ttl})
				srv.Seed("example.com", providers.Record{Name: theirs, Type: "A", Value: "81.2.69.211", TTL: ttl, Marker: otherOwner})
				f.record("mine", mine, spec("real"))
				f.record("theirs", theirs, spec("real"))
				obj := f.waitReady("mine")
				f.g.Expect(obj.Status.RecordIDs).To(Equal([]string{adopted.ID}), "adopted, not created anew")
				vals, markers := values(mine)
				f.g.Expect(vals).To(Equal([]string{current.String()}))
				f.g.Expect(markers).To(Equal([]string{ownerMarker(testOwnerID, obj)}))
				obj = f.waitReason("theirs", ddnsv1.ReasonConflict)
				f.g.Expect(cond(obj, ddnsv1.ConditionReady).Message).To(ContainSubstring("9e1d2c3b-other-cluster"))
				vals, markers = values(theirs)
				f.g.Expect(vals).To(Equal([]string{"81.2.69.211"}), "another owner's record is not touched")
				f.g.Expect(markers).To(Equal([]string{otherOwner}))
			})

			t.Run("a wrong secret stalls with AuthenticationFailed", func(t *testing.T) {
				if why, ok := srv.Skip[providertest.CheckWrongSecret]; ok {
					t.Skip(why)
				}
				f := fixture(t)
				f.record("bad", f.d("bad", "example.com"), spec("bad"))
				obj := f.waitReason("bad", ddnsv1.ReasonAuthenticationFailed)
				f.g.Expect(cond(obj, ddnsv1.ConditionStalled).Status).To(Equal(metav1.ConditionTrue))
				msg := cond(obj, ddnsv1.ConditionReady).Message
				f.g.Expect(msg).To(ContainSubstring("Secret "+f.ns+"/bad"), "the message names the Secret")
				for _, k := range b.Descriptor.Keys {
					if v, ok := srv.BadSecret[k.Name]; ok && k.Secret {
						f.g.Expect(msg).NotTo(ContainSubstring(v))
					}
				}
			})
		})
	}
}

package tencentcloud_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/tencentcloud"
	"github.com/ddns-operator/ddns-operator/providers/tencentcloud/tencentcloudfake"
)

// secret returns Secret data for the given key.
func secret(id, key string) map[string][]byte {
	return map[string][]byte{tencentcloud.SecretIDKey: []byte(id), tencentcloud.SecretKeyKey: []byte(key)}
}

// build makes a provider talking to fake with the given key and options.
func build(t *testing.T, fake *tencentcloudfake.Fake, id, key string, o *v1alpha1.TencentCloudOptions) providers.Provider {
	t.Helper()
	env := providers.Env{Endpoint: fake.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
	p, err := tencentcloud.Descriptor.New(env, secret(id, key), &v1alpha1.DynamicDNSRecordSpec{
		Provider: v1alpha1.ProviderTencentCloud, TencentCloud: o,
	})
	if err != nil {
		t.Fatalf("Factory: %v", err)
	}
	return p
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		fake := tencentcloudfake.New(t, zones...)
		return &providertest.Fixture{
			Descriptor: tencentcloud.Descriptor,
			Env:        providers.Env{Endpoint: fake.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}},
			Secret:     secret(tencentcloudfake.SecretID, tencentcloudfake.SecretKey),
			// The right SecretId with a wrong SecretKey: the fake recomputes
			// the signature and answers AuthFailure.SignatureFailure.
			BadSecret: secret(tencentcloudfake.SecretID, "wrong-secret-key"),
			Seed: func(_ *testing.T, zone string, r providers.Record) providers.Record {
				return fake.Seed(zone, r)
			},
			Writes:     fake.Writes,
			Fault:      fake.SetFault,
			PageSize:   fake.PageSize,
			MinTTL:     tencentcloudfake.MinTTL,
			RetryAfter: false,
		}
	})
}

// The conformance suite also passes when the spec is nil, as the registry
// may build a provider before a spec exists in tests.
func TestFactoryWithoutSpec(t *testing.T) {
	fake := tencentcloudfake.New(t, "example.com")
	p, err := tencentcloud.Descriptor.New(providers.Env{Endpoint: fake.URL},
		secret(tencentcloudfake.SecretID, tencentcloudfake.SecretKey), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.FindZone(t.Context(), "home.example.com", ""); err != nil {
		t.Fatalf("FindZone: %v", err)
	}
}

func TestFactoryRejectsBadSecret(t *testing.T) {
	_, err := tencentcloud.Descriptor.New(providers.Env{}, map[string][]byte{"secretId": []byte("AKID")}, nil)
	if providers.KindOf(err) != providers.KindCredentials {
		t.Fatalf("Factory with no secretKey = %v, want a credentials error", err)
	}
}

package dnspod_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/dnspod"
	"github.com/ddns-operator/ddns-operator/providers/dnspod/dnspodfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// secret returns Secret data holding loginToken.
func secret(loginToken string) map[string][]byte {
	return map[string][]byte{dnspod.LoginTokenKey: []byte(loginToken)}
}

// build makes a provider talking to fake with the given token and options.
func build(t *testing.T, fake *dnspodfake.Fake, loginToken string, o *v1alpha1.DNSPodOptions) providers.Provider {
	t.Helper()
	env := providers.Env{Endpoint: fake.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
	p, err := dnspod.Descriptor.New(env, secret(loginToken), &v1alpha1.DynamicDNSRecordSpec{
		Provider: v1alpha1.ProviderDNSPod, DNSPod: o,
	})
	if err != nil {
		t.Fatalf("Factory: %v", err)
	}
	return p
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		fake := dnspodfake.New(t, zones...)
		return &providertest.Fixture{
			Descriptor: dnspod.Descriptor,
			Env:        providers.Env{Endpoint: fake.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}},
			Secret:     secret(dnspodfake.LoginToken),
			// The right token ID with a wrong token: the API answers
			// "-1 登陆失败".
			BadSecret: secret(dnspodfake.TokenID + ",ffffffffffffffffffffffffffffffff"),
			Seed: func(_ *testing.T, zone string, r providers.Record) providers.Record {
				return fake.Seed(zone, r)
			},
			Writes:     fake.Writes,
			Fault:      fake.SetFault,
			PageSize:   fake.PageSize,
			MinTTL:     dnspodfake.MinTTL,
			RetryAfter: false,
		}
	})
}

// The provider also works with the spec's options block set explicitly to
// the default line, and with no spec at all.
func TestFactoryWithoutSpec(t *testing.T) {
	fake := dnspodfake.New(t, "example.com")
	p, err := dnspod.Descriptor.New(providers.Env{Endpoint: fake.URL}, secret(dnspodfake.LoginToken), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.FindZone(t.Context(), "home.example.com", ""); err != nil {
		t.Fatalf("FindZone: %v", err)
	}
}

func TestFactoryRejectsBadSecret(t *testing.T) {
	_, err := dnspod.Descriptor.New(providers.Env{}, map[string][]byte{"apiToken": []byte("x")}, nil)
	if providers.KindOf(err) != providers.KindCredentials {
		t.Fatalf("Factory without loginToken = %v, want a credentials error", err)
	}
}

// The API requires a descriptive User-Agent; the fake fails the test when
// the client sends Go's default, and here the override is checked.
func TestUserAgent(t *testing.T) {
	fake := dnspodfake.New(t, "example.com")
	p, err := dnspod.Descriptor.New(providers.Env{Endpoint: fake.URL, UserAgent: "ddns-operator/1.2.3 (ops@example.com)"}, secret(dnspodfake.LoginToken), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.FindZone(t.Context(), "example.com", ""); err != nil {
		t.Fatal(err)
	}
	if got := fake.UserAgent(); got != "ddns-operator/1.2.3 (ops@example.com)" {
		t.Fatalf("User-Agent = %q", got)
	}
	p = build(t, fake, dnspodfake.LoginToken, nil)
	if _, err := p.FindZone(t.Context(), "example.com", ""); err != nil {
		t.Fatal(err)
	}
	if got := fake.UserAgent(); got != dnspod.DefaultUserAgent {
		t.Fatalf("User-Agent = %q, want the default %q", got, dnspod.DefaultUserAgent)
	}
}

// A hint naming a zone that does not hold the name is refused.
func TestFindZoneHintMustHoldName(t *testing.T) {
	fake := dnspodfake.New(t, "example.com", "example.org")
	p := build(t, fake, dnspodfake.LoginToken, nil)
	if _, err := p.FindZone(t.Context(), "home.example.com", "example.org"); providers.KindOf(err) != providers.KindZoneNotFound {
		t.Fatalf("FindZone(home.example.com, hint example.org) = %v, want ZoneNotFound", err)
	}
	z, err := p.FindZone(t.Context(), "HOME.Example.COM.", "Example.com.")
	if err != nil || z.Name != "example.com" {
		t.Fatalf("FindZone with mixed case = %+v, %v", z, err)
	}
	if want, _ := fake.ZoneID("example.com"); z.ID != want {
		t.Fatalf("zone ID = %q, want the domain_id %q", z.ID, want)
	}
}

package alidns_test

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/alidns"
	"github.com/ddns-operator/ddns-operator/providers/alidns/alidnsfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// goodSecret is the Secret data of the fake's valid key pair.
func goodSecret() map[string][]byte {
	return map[string][]byte{
		alidns.KeyAccessKeyID:     []byte(alidnsfake.AccessKeyID),
		alidns.KeyAccessKeySecret: []byte(alidnsfake.AccessKeySecret),
	}
}

// newProvider builds the real provider, unmodified SDK included, against f.
func newProvider(t *testing.T, f *alidnsfake.Fake, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) providers.Provider {
	t.Helper()
	p, err := alidns.Descriptor.New(providers.Env{Endpoint: f.URL}, secret, spec)
	if err != nil {
		t.Fatalf("Factory: %v", err)
	}
	return p
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := alidnsfake.New(t, zones...)
		bad := goodSecret()
		bad[alidns.KeyAccessKeySecret] = []byte("wrong" + alidnsfake.AccessKeySecret)
		return &providertest.Fixture{
			Descriptor: alidns.Descriptor,
			Env:        providers.Env{Endpoint: f.URL},
			Secret:     goodSecret(),
			BadSecret:  bad,
			Seed: func(_ *testing.T, zone string, r providers.Record) providers.Record {
				return f.Seed(zone, r)
			},
			Writes:     f.Writes,
			Fault:      f.SetFault,
			PageSize:   f.PageSize,
			MinTTL:     alidnsfake.DefaultMinTTL,
			RetryAfter: false,
		}
	})
}

package cloudflare_test

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare/cloudflarefake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func tokenSecret(tok string) map[string][]byte {
	return map[string][]byte{cloudflare.KeyAPIToken: []byte(tok)}
}

func keySecret(key, email string) map[string][]byte {
	return map[string][]byte{cloudflare.KeyAPIKey: []byte(key), cloudflare.KeyEmail: []byte(email)}
}

func fixture(t *testing.T, zones []string, good, bad map[string][]byte) *providertest.Fixture {
	f := cloudflarefake.New(t, zones...)
	return &providertest.Fixture{
		Descriptor: cloudflare.Descriptor,
		Env:        providers.Env{Endpoint: f.URL},
		Secret:     good,
		BadSecret:  bad,
		Seed: func(_ *testing.T, zone string, r providers.Record) providers.Record {
			return f.Seed(zone, r)
		},
		Writes:     f.Writes,
		Fault:      f.SetFault,
		PageSize:   f.PageSize,
		MinTTL:     cloudflarefake.DefaultMinTTL,
		RetryAfter: true,
	}
}

// The suite with a scoped API token (Authorization: Bearer).
func TestConformanceAPIToken(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		return fixture(t, zones,
			tokenSecret(cloudflarefake.Token+"\n"),
			tokenSecret("WrongToken0123456789abcdefGHIJKLMNOPQRS"))
	})
}

// The suite with the Global API Key (X-Auth-Key, X-Auth-Email).
func TestConformanceGlobalAPIKey(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		return fixture(t, zones,
			keySecret(cloudflarefake.APIKey, cloudflarefake.Email),
			keySecret("ffffffffffffffffffffffffffffffffffff0", cloudflarefake.Email))
	})
}

package webhook_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/webhook"
	"github.com/ddns-operator/ddns-operator/providers/webhook/webhooktest"
)

// TestConformance runs the provider suite against external-dns's own
// webhook server and in-memory provider (v0.23.0), one process per case.
func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		s := webhooktest.Start(t, zones)
		return &providertest.Fixture{
			Descriptor: webhook.Descriptor,
			Env:        providers.Env{Endpoint: s.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}},
			Secret:     map[string][]byte{},
			BadSecret:  map[string][]byte{},
			Seed:       func(_ *testing.T, zone string, r providers.Record) providers.Record { return s.Seed(zone, r) },
			Writes:     s.Writes,
			Fault:      s.SetFault,
			// The protocol has no pages: every list is one answer.
			PageSize:   5,
			RetryAfter: true,
			Skip: map[string]string{
				"wrong credentials are an authentication error": "the webhook holds its DNS provider's credentials itself; the operator sends none",
			},
		}
	})
}

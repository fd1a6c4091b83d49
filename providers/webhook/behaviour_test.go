package webhook_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/webhook"
	"github.com/ddns-operator/ddns-operator/providers/webhook/webhooktest"
)

func build(t *testing.T, url string, spec *v1alpha1.WebhookOptions) providers.Provider {
	t.Helper()
	p, err := webhook.Descriptor.New(providers.Env{Endpoint: url, HTTPClient: &http.Client{Timeout: 5 * time.Second}}, nil,
		&v1alpha1.DynamicDNSRecordSpec{Provider: webhook.Name, Webhook: spec})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const marker = "ddns-operator:3f2c6a4e:default/home"

// check does what the reconciler does at each check (controllers.ComputePlan).
func check(t *testing.T, p providers.Provider, name, addr string, ttl int32) error {
	t.Helper()
	ctx := context.Background()
	z, err := p.FindZone(ctx, name, "")
	if err != nil {
		return err
	}
	got, err := p.ListRecords(ctx, z, name, "A")
	if err != nil {
		return err
	}
	want := providers.Record{Name: name, Type: "A", Value: addr, TTL: ttl, Marker: marker}
	switch {
	case len(got) == 0:
		_, err = p.CreateRecord(ctx, z, want)
	case got[0].Value != addr || got[0].TTL != ttl || got[0].Marker != marker:
		want.ID = got[0].ID
		_, err = p.UpdateRecord(ctx, z, want)
	}
	return err
}

// A name outside the webhook's domain filter has no zone, and the error
// names the filter; nothing is written.
func TestOutsideTheDomainFilter(t *testing.T) {
	s := webhooktest.Start(t, []string{"example.com", "example.org"}, "example.org", ".sub.example.com")
	p := build(t, s.URL, nil)
	err := check(t, p, "home.example.com", "81.2.69.160", 300)
	if providers.KindOf(err) != providers.KindZoneNotFound || !strings.Contains(err.Error(), "include [.sub.example.com, example.org]") {
		t.Fatalf("error %v, want zone not found naming the filter", err)
	}
	ctx := context.Background()
	if _, err := p.CreateRecord(ctx, providers.Zone{Name: "example.com"}, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160"}); providers.KindOf(err) != providers.KindZoneNotFound {
		t.Fatalf("a create outside the filter: %v", err)
	}
	if s.Writes() != 0 {
		t.Fatalf("%d writes", s.Writes())
	}
	if err := check(t, p, "a.sub.example.com", "81.2.69.160", 300); err != nil {
		t.Fatalf("a name the filter holds: %v", err)
	}
}

// At steady state the webhook is only read; each change is one POST.
func TestOneWritePerChange(t *testing.T) {
	s := webhooktest.Start(t, []string{"example.com"})
	p := build(t, s.URL, nil)
	for i, addr := range []string{"81.2.69.160", "81.2.69.161"} {
		for range 10 {
			if err := check(t, p, "home.example.com", addr, 300); err != nil {
				t.Fatal(err)
			}
		}
		if s.Writes() != i+1 {
			t.Fatalf("after change %d: %d writes", i+1, s.Writes())
		}
	}
	if got := s.Records("example.com", "home.example.com", "A"); len(got) != 1 || got[0].Marker != marker || got[0].Value != "81.2.69.161" {
		t.Fatalf("the webhook holds %+v", got)
	}
}

// With ownershipRecords None no TXT record is written; the marker lives
// in memory, and steady state writes nothing.
func TestWithoutOwnershipRecords(t *testing.T) {
	s := webhooktest.Start(t, []string{"example.com"})
	p := build(t, s.URL, &v1alpha1.WebhookOptions{OwnershipRecords: "None"})
	for range 5 {
		if err := check(t, p, "home.example.com", "81.2.69.160", 300); err != nil {
			t.Fatal(err)
		}
	}
	for _, ep := range s.Endpoints() {
		if ep.RecordType == "TXT" {
			t.Fatalf("a TXT record was written: %+v", ep)
		}
	}
	if s.Writes() != 1 {
		t.Fatalf("%d writes, want 1", s.Writes())
	}
	// A restart adopts the record without a write.
	q := build(t, s.URL, &v1alpha1.WebhookOptions{OwnershipRecords: "None"})
	for range 5 {
		if err := check(t, q, "home.example.com", "81.2.69.160", 300); err != nil {
			t.Fatal(err)
		}
	}
	if s.Writes() != 1 {
		t.Fatalf("after a restart: %d writes, want still 1", s.Writes())
	}
}

// A webhook whose /adjustendpoints raises the TTL is not asked again
// every check for the TTL it will not store.
func TestAdjustedTTLIsNotRewritten(t *testing.T) {
	s := webhooktest.StartWith(t, webhooktest.Config{Zones: []string{"example.com"}, MinTTL: 600})
	p := build(t, s.URL, nil)
	for range 10 {
		if err := check(t, p, "home.example.com", "81.2.69.160", 60); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.Records("example.com", "home.example.com", "A"); s.Writes() != 1 || len(got) != 1 || got[0].TTL != 600 {
		t.Fatalf("%d writes, the webhook holds %+v; want one write and the adjusted TTL", s.Writes(), got)
	}
}

// 5xx is retried (a transient error), 4xx is permanent, as external-dns
// classifies a webhook's answers; a timeout is transient.
func TestAnswerClasses(t *testing.T) {
	s := webhooktest.Start(t, []string{"example.com"})
	for fault, kind := range map[providertest.Fault]providers.Kind{
		providertest.FaultHTTP500:         providers.KindTransient,
		providertest.FaultHTTP503:         providers.KindTransient,
		providertest.FaultAuthRejected:    providers.KindAuth,
		providertest.FaultRateLimited:     providers.KindRateLimited,
		providertest.FaultHTMLPage:        providers.KindTransient,
		providertest.FaultEndlessPages:    providers.KindTransient,
		providertest.FaultZoneNotFound:    providers.KindZoneNotFound,
		providertest.FaultConnectionReset: providers.KindTransient,
	} {
		s.SetFault(fault)
		p := build(t, s.URL, nil)
		if err := check(t, p, "home.example.com", "81.2.69.160", 300); providers.KindOf(err) != kind {
			t.Errorf("%s: error %v, want %s", fault, err, kind)
		}
	}
	s.SetFault(providertest.FaultNone)
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
	}))
	defer bad.Close()
	if err := check(t, build(t, bad.URL, nil), "home.example.com", "81.2.69.160", 300); providers.KindOf(err) != providers.KindInvalid {
		t.Errorf("HTTP 400: %v, want a permanent (invalid) error", err)
	}
}

// The negotiation requires the protocol's media type exactly.
func TestNegotiationNeedsTheMediaType(t *testing.T) {
	for _, ct := range []string{"application/json", "application/external.dns.webhook+json;version=2", "application/external.dns.webhook+json; version=1"} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			_, _ = w.Write([]byte(`{"include":["example.com"]}`))
		}))
		_, err := build(t, srv.URL, nil).FindZone(context.Background(), "home.example.com", "")
		srv.Close()
		if err == nil || !strings.Contains(err.Error(), webhook.MediaType) {
			t.Errorf("Content-Type %q: %v, want an error naming %s", ct, err, webhook.MediaType)
		}
	}
}

// A record made by hand (no TXT) is listed without a marker; one whose
// TXT names another owner is listed with that owner's marker.
func TestMarkersAreRead(t *testing.T) {
	s := webhooktest.Start(t, []string{"example.com"})
	s.Seed("example.com", providers.Record{Name: "mine.example.com", Type: "A", Value: "81.2.69.160", TTL: 300})
	s.Seed("example.com", providers.Record{Name: "theirs.example.com", Type: "A", Value: "81.2.69.161", TTL: 300, Marker: "ddns-operator:other:ns/x"})
	p := build(t, s.URL, nil)
	ctx := context.Background()
	for name, want := range map[string]string{"mine.example.com": "", "theirs.example.com": "ddns-operator:other:ns/x"} {
		got, err := p.ListRecords(ctx, providers.Zone{Name: "example.com"}, name, "A")
		if err != nil || len(got) != 1 || got[0].Marker != want {
			t.Errorf("%s: %+v, %v; want marker %q", name, got, err, want)
		}
	}
}

func FuzzResponses(f *testing.F) {
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return webhook.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, nil, nil)
	}, nil, []providertest.FuzzSeed{
		{Status: 200, Body: `{"include":["example.com"]}`},
		{Status: 200, Body: `[{"dnsName":"home.example.com","targets":["81.2.69.160"],"recordType":"A","recordTTL":300}]`},
		{Status: 204},
	})
}

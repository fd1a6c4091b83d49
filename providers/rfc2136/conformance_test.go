package rfc2136

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/rfc2136/bindtest"
)

// TestConformance runs the provider suite against a real BIND 9 per case,
// through a proxy that counts the UPDATE messages reaching named and can
// stand in for a failing server.
func TestConformance(t *testing.T) {
	providertest.Run(t, setupBIND)
}

func setupBIND(t *testing.T, zones []string) *providertest.Fixture {
	s := bindtest.StartT(t, zones...)
	proxy, err := bindtest.NewProxy(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(proxy.Close)
	good := s.Keys["hmac-sha256"]
	wrong := good
	wrong.Secret = base64.StdEncoding.EncodeToString([]byte("not the secret the server has"))
	return &providertest.Fixture{
		Descriptor: Descriptor,
		Secret:     keySecret(good),
		BadSecret:  keySecret(wrong),
		Spec:       &v1alpha1.DynamicDNSRecordSpec{Provider: v1alpha1.ProviderRFC2136, RFC2136: &v1alpha1.RFC2136Options{Server: proxy.Addr}},
		Seed: func(t *testing.T, zone string, r providers.Record) providers.Record {
			rr, err := newRR(r)
			if err != nil {
				t.Fatal(err)
			}
			rrs := []dns.RR{rr}
			if r.Marker != "" {
				txt, err := markerRR(r.Name, r.Type, r.Marker)
				if err != nil {
					t.Fatal(err)
				}
				txt.Header().Ttl = rr.Header().Ttl
				rrs = append(rrs, txt)
			}
			if err := s.Add(zone, rrs...); err != nil {
				t.Fatalf("seed %v: %v", r, err)
			}
			// The ID is what ListRecords reports now: "name/type" while
			// the record is the only one of its name and type.
			same, err := s.Records(zone, r.Name, rr.Header().Rrtype)
			if err != nil {
				t.Fatal(err)
			}
			r.ID = recordID(r, len(same) == 1)
			return r
		},
		Writes: proxy.Updates,
		Fault: func(f providertest.Fault) {
			switch f {
			case providertest.FaultNone:
				proxy.FailWith(dns.RcodeSuccess)
			case providertest.FaultServerError:
				proxy.FailWith(dns.RcodeServerFailure)
			}
		},
		Skip: map[string]string{
			// BIND's response rate limiting drops or truncates answers,
			// which the provider sees as timeouts (transient).
			"throttling is a rate-limit error": "DNS has no rate-limit rcode: throttled servers drop answers, a transient timeout",
		},
		// DNS answers are not paged; 3 keeps the suite's "more than a
		// page" cases (7 zones, 7 duplicates) quick against BIND.
		PageSize: 3,
		MinTTL:   0,
	}
}

// keySecret is the Secret data of TSIG key k.
func keySecret(k bindtest.Key) map[string][]byte {
	return map[string][]byte{
		KeyTSIGKeyName:   []byte(k.Name),
		KeyTSIGSecret:    []byte(k.Secret),
		KeyTSIGAlgorithm: []byte(k.Algorithm),
	}
}

func newProvider(t *testing.T, addr string, k bindtest.Key) *Provider {
	t.Helper()
	creds, err := FromSecretData(keySecret(k))
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(addr, creds, providers.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Every algorithm the server has a key for signs updates it accepts,
// including hmac-md5, which miekg/dns does not offer by itself.
func TestEveryAlgorithmUpdates(t *testing.T) {
	s := bindtest.StartT(t, "example.test")
	ctx := context.Background()
	for i, alg := range bindtest.Algorithms {
		t.Run(alg, func(t *testing.T) {
			p := newProvider(t, s.Addr, s.Keys[alg])
			z, err := p.FindZone(ctx, "x.example.test", "")
			if err != nil {
				t.Fatalf("FindZone: %v", err)
			}
			name := fmt.Sprintf("%s.example.test", strings.ReplaceAll(alg, "-", ""))
			value := fmt.Sprintf("81.2.69.%d", 170+i)
			if _, err := p.CreateRecord(ctx, z, providers.Record{Name: name, Type: "A", Value: value}); err != nil {
				t.Fatalf("CreateRecord: %v", err)
			}
			got, err := s.Records("example.test", name, dns.TypeA)
			if err != nil || len(got) != 1 || got[0].(*dns.A).A.String() != value || got[0].Header().Ttl != DefaultTTL {
				t.Fatalf("zone holds %v, %v; want one A %s with TTL %d", got, err, value, DefaultTTL)
			}
		})
	}
}

// The server's TSIG errors say what is wrong with the key, and never the
// secret itself.
func TestTSIGErrorsNameTheCause(t *testing.T) {
	s := bindtest.StartT(t, "example.test")
	ctx := context.Background()
	k := s.Keys["hmac-sha512"]
	for _, tc := range []struct {
		name     string
		mutate   func(*bindtest.Key)
		wantCode string
	}{
		{"wrong secret", func(k *bindtest.Key) { k.Secret = base64.StdEncoding.EncodeToString([]byte("wrong")) }, "BADSIG"},
		{"wrong algorithm", func(k *bindtest.Key) { k.Algorithm = "hmac-sha256" }, "BADKEY"},
		{"unknown key name", func(k *bindtest.Key) { k.Name = "nobody" }, "BADKEY"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := k
			tc.mutate(&bad)
			_, err := newProvider(t, s.Addr, bad).FindZone(ctx, "home.example.test", "")
			if providers.KindOf(err) != providers.KindAuth {
				t.Fatalf("error %v is of kind %s, want auth", err, providers.KindOf(err))
			}
			if !strings.Contains(err.Error(), tc.wantCode) {
				t.Fatalf("error %q does not name %s", err, tc.wantCode)
			}
			if strings.Contains(err.Error(), bad.Secret) || strings.Contains(err.Error(), k.Secret) {
				t.Fatalf("error %q holds a secret", err)
			}
		})
	}
}

package dnsread_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/dnsread"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// zones starts an authoritative test server for example.com and
// sub.example.com with a few records.
func zones(t *testing.T) (*providertest.Fake[struct{}], *providertest.DNSServer) {
	f := &providertest.Fake[struct{}]{}
	f.AddZone("example.com")
	f.AddZone("sub.example.com")
	for _, r := range []providers.Record{
		{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600},
		{Name: "home.example.com", Type: "A", Value: "81.2.69.161", TTL: 600},
		{Name: "home.example.com", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1", TTL: 300},
		{Name: "_ddns.example.com", Type: "TXT", Value: "hello", TTL: 60},
		{Name: "ns1.example.com", Type: "A", Value: "127.0.0.1", TTL: 60},
		{Name: "a.sub.example.com", Type: "A", Value: "81.2.69.170", TTL: 60},
	} {
		zone := "example.com"
		if strings.HasSuffix(r.Name, ".sub.example.com") {
			zone = "sub.example.com"
		}
		f.Seed(zone, r)
	}
	return f, f.ServeDNS(t)
}

func TestZone(t *testing.T) {
	_, srv := zones(t)
	r := &dnsread.Reader{Servers: []string{srv.Addr}}
	for name, want := range map[string]string{
		"example.com":             "example.com",
		"home.example.com":        "example.com",
		"missing.example.com":     "example.com",
		"a.b.c.example.com.":      "example.com",
		"sub.example.com":         "sub.example.com",
		"x.a.sub.example.com":     "sub.example.com",
		"HOME.Example.COM":        "example.com",
		"notsub.example.com":      "example.com",
		"deep.in.sub.example.com": "sub.example.com",
	} {
		got, err := r.Zone(t.Context(), name)
		if err != nil || got != want {
			t.Errorf("Zone(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	if _, err := r.Zone(t.Context(), "home.example.net"); providers.KindOf(err) != providers.KindZoneNotFound {
		t.Errorf("Zone of a name in no zone = %v, want ZoneNotFound", err)
	}
}

func TestLookup(t *testing.T) {
	_, srv := zones(t)
	r := &dnsread.Reader{Servers: []string{srv.Addr}}
	ctx := t.Context()
	for _, tc := range []struct {
		name, typ string
		want      []dnsread.Answer
	}{
		{"home.example.com", "A", []dnsread.Answer{{Value: "81.2.69.160", TTL: 600}, {Value: "81.2.69.161", TTL: 600}}},
		{"home.example.com", "AAAA", []dnsread.Answer{{Value: "2a02:2e0:3fe:1001:302::1", TTL: 300}}},
		{"_ddns.example.com", "TXT", []dnsread.Answer{{Value: "hello", TTL: 60}}},
		{"home.example.com", "TXT", nil},  // NODATA
		{"missing.example.com", "A", nil}, // NXDOMAIN
		{"example.com", "A", nil},         // the apex, no A record
	} {
		got, err := r.Lookup(ctx, "example.com", tc.name, tc.typ)
		if err != nil {
			t.Fatalf("Lookup(%s %s): %v", tc.name, tc.typ, err)
		}
		if len(got) != len(tc.want) {
			t.Fatalf("Lookup(%s %s) = %+v, want %+v", tc.name, tc.typ, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Fatalf("Lookup(%s %s) = %+v, want %+v", tc.name, tc.typ, got, tc.want)
			}
		}
	}
	if _, err := r.Lookup(ctx, "example.com", "home.example.com", "MX"); providers.KindOf(err) != providers.KindInvalid {
		t.Fatalf("Lookup of type MX = %v, want an invalid-input error", err)
	}
}

// Without fixed servers, the Reader finds the zone through a recursive
// resolver, the zone's name servers through their NS and A records, and
// asks them; the servers found are kept for the next read.
func TestDiscovery(t *testing.T) {
	_, srv := zones(t)
	_, port, _ := net.SplitHostPort(srv.Addr)
	r := &dnsread.Reader{Resolvers: []string{srv.Addr}, NameServerPort: port}
	ctx := t.Context()
	zone, err := r.Zone(ctx, "home.example.com")
	if err != nil || zone != "example.com" {
		t.Fatalf("Zone = %q, %v", zone, err)
	}
	got, err := r.Lookup(ctx, zone, "home.example.com", "AAAA")
	if err != nil || len(got) != 1 {
		t.Fatalf("Lookup = %+v, %v", got, err)
	}
	before := srv.Queries()
	if _, err := r.Lookup(ctx, zone, "home.example.com", "A"); err != nil {
		t.Fatal(err)
	}
	if n := srv.Queries() - before; n != 1 {
		t.Fatalf("a second read asked %d questions, want 1 (the zone's servers are cached)", n)
	}
}

// Every query waits for the gate; a gate that refuses stops the read
// before anything is sent, with the gate's error.
func TestGate(t *testing.T) {
	_, srv := zones(t)
	var waits atomic.Int64
	r := &dnsread.Reader{Servers: []string{srv.Addr}, Wait: func(ctx context.Context) error { waits.Add(1); return ctx.Err() }}
	if _, err := r.Lookup(t.Context(), "example.com", "home.example.com", "A"); err != nil || waits.Load() != 1 {
		t.Fatalf("Lookup: %v after %d waits", err, waits.Load())
	}
	before := srv.Queries()
	r.Wait = func(context.Context) error { return context.Canceled }
	_, err := r.Zone(t.Context(), "home.example.com")
	if !errors.Is(err, context.Canceled) || srv.Queries() != before {
		t.Fatalf("a refused gate: %v, %d queries sent", err, srv.Queries()-before)
	}
	// Questions to recursive resolvers (finding the zone and its name
	// servers) are not the provider's: they do not wait for its gate.
	_, port, _ := net.SplitHostPort(srv.Addr)
	waits.Store(0)
	r = &dnsread.Reader{Resolvers: []string{srv.Addr}, NameServerPort: port, Wait: func(ctx context.Context) error { waits.Add(1); return ctx.Err() }}
	zone, err := r.Zone(t.Context(), "home.example.com")
	if err != nil || waits.Load() != 0 {
		t.Fatalf("Zone through a resolver: %v after %d waits, want none", err, waits.Load())
	}
	if _, err := r.Lookup(t.Context(), zone, "home.example.com", "A"); err != nil || waits.Load() != 1 {
		t.Fatalf("Lookup: %v after %d waits, want 1 (the name server's answer only)", err, waits.Load())
	}
}

// A server that does not answer is a transient error, within the
// timeout; the next server of the list is tried.
func TestUnreachable(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Close() }) // a socket that never answers
	r := &dnsread.Reader{Servers: []string{pc.LocalAddr().String()}, Timeout: 200 * time.Millisecond}
	start := time.Now()
	_, err = r.Lookup(t.Context(), "example.com", "home.example.com", "A")
	if providers.KindOf(err) != providers.KindTransient || time.Since(start) > 2*time.Second {
		t.Fatalf("Lookup against a silent server = %v after %s", err, time.Since(start))
	}
	_, srv := zones(t)
	r.Servers = append(r.Servers, srv.Addr)
	if got, err := r.Lookup(t.Context(), "example.com", "home.example.com", "A"); err != nil || len(got) != 2 {
		t.Fatalf("Lookup with a second, working server = %+v, %v", got, err)
	}
}

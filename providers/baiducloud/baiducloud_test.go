package baiducloud_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/baiducloud"
	"github.com/ddns-operator/ddns-operator/providers/baiducloud/baiducloudfake"
	"github.com/ddns-operator/ddns-operator/providers/companion/companionfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(ak, sk string) map[string][]byte {
	return map[string][]byte{baiducloud.AccessKeyIDKey: []byte(ak), baiducloud.SecretAccessKeyKey: []byte(sk)}
}

func env(f *baiducloudfake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := baiducloudfake.New(t, zones...)
		t.Cleanup(func() { t.Logf("baiducloud fake: %d requests, %d writes", f.Requests(), f.Writes()) })
		return companionfake.Fill(&f.Fake, &providertest.Fixture{
			Descriptor: baiducloud.Descriptor,
			Env:        env(f),
			Secret:     secret(baiducloudfake.AK, baiducloudfake.SK),
			// The right AK with a wrong SK: the fake recomputes the
			// bce-auth-v1 signature and answers SignatureDoesNotMatch.
			BadSecret: secret(baiducloudfake.AK, "00000000000000000wrongbcdsecret00"),
			MinTTL:    1,
		})
	})
}

// FindZone asks the record list of each suffix, longest first: a name
// under two domains of the account belongs to the longer one, and a
// domain the account lacks is skipped, not an error.
func TestFindZoneProbesSuffixes(t *testing.T) {
	ctx := context.Background()
	f := baiducloudfake.New(t, "example.com", "lab.example.com")
	p, _ := baiducloud.Descriptor.New(env(f), secret(baiducloudfake.AK, baiducloudfake.SK), nil)
	for fqdn, want := range map[string]string{"a.b.lab.example.com": "lab.example.com", "b.example.com": "example.com", "example.com": "example.com"} {
		z, err := p.FindZone(ctx, fqdn, "")
		if err != nil || z.Name != want {
			t.Errorf("FindZone(%s) = %+v, %v; want %s", fqdn, z, err, want)
		}
	}
	if _, err := p.FindZone(ctx, "home.example.net", ""); providers.KindOf(err) != providers.KindZoneNotFound {
		t.Errorf("FindZone(home.example.net) = %v, want ZoneNotFound", err)
	}
	if _, err := p.FindZone(ctx, "home.example.com", "other.example.com"); providers.KindOf(err) != providers.KindZoneNotFound {
		t.Errorf("FindZone with a hint outside the name = %v, want ZoneNotFound", err)
	}
}

// AAAA values go to BCD in upper case, which it requires, and come back
// in canonical form; records of another view are not the record's.
func TestIPv6AndViews(t *testing.T) {
	ctx := context.Background()
	f := baiducloudfake.New(t, "example.com")
	f.SeedRec("example.com", providertest.Rec[baiducloudfake.X]{Name: "v6", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::9", TTL: 300, X: baiducloudfake.X{View: "ct"}})
	p, _ := baiducloud.Descriptor.New(env(f), secret(baiducloudfake.AK, baiducloudfake.SK), &v1alpha1.DynamicDNSRecordSpec{BaiduCloud: &v1alpha1.BaiduCloudOptions{View: "DEFAULT"}})
	z, err := p.FindZone(ctx, "v6.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := p.ListRecords(ctx, z, "v6.example.com", "AAAA"); err != nil || len(got) != 0 {
		t.Fatalf("a record of view ct was listed: %+v, %v", got, err)
	}
	created, err := p.CreateRecord(ctx, z, providers.Record{Name: "v6.example.com", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1", TTL: 300})
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.ListRecords(ctx, z, "v6.example.com", "AAAA")
	if err != nil || len(got) != 1 || got[0].ID != created.ID || got[0].Value != "2a02:2e0:3fe:1001:302::1" {
		t.Fatalf("ListRecords = %+v, %v", got, err)
	}
}

func TestFromSecretData(t *testing.T) {
	for _, tc := range []struct {
		name string
		data map[string][]byte
		want string
	}{
		{"no AK", map[string][]byte{baiducloud.SecretAccessKeyKey: []byte("x")}, `no key "accessKeyId"`},
		{"no SK", map[string][]byte{baiducloud.AccessKeyIDKey: []byte("x")}, `no key "secretAccessKey"`},
		{"empty SK", secret("AK", ""), "empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := baiducloud.Descriptor.New(providers.Env{}, tc.data, nil)
			if providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New = %v, want a credentials error saying %q", err, tc.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	f := baiducloudfake.New(t, "example.com")
	p, err := baiducloud.Descriptor.New(env(f), secret(baiducloudfake.AK, baiducloudfake.SK), nil)
	if err != nil {
		t.Fatal(err)
	}
	providertest.CheckAnswers(t, p, f.FailWith, []providertest.Answer{
		{Name: "unknown AK", Status: 403, Body: `{"requestId":"r","code":"InvalidAccessKeyId","message":"The access key ID you provided does not exist."}`, Kind: providers.KindAuth, Says: "does not exist"},
		{Name: "denied", Status: 403, Body: `{"requestId":"r","code":"AccessDenied","message":"Access denied."}`, Kind: providers.KindAuth, Says: "Access denied"},
		{Name: "throttled", Status: 429, Body: `{"requestId":"r","code":"RequestRateLimitExceeded","message":"slow down"}`, Kind: providers.KindRateLimited, Says: "slow down"},
		{Name: "server", Status: 500, Body: `{"requestId":"r","code":"InternalError","message":"internal"}`, Kind: providers.KindTransient, Says: "internal"},
		{Name: "gateway page", Status: 502, Body: `<html>`, Kind: providers.KindTransient, Says: "Bad Gateway"},
	}, baiducloudfake.SK)
}

// A server that keeps announcing pages while serving the first one again
// is stopped, not followed forever.
func TestEndlessPages(t *testing.T) {
	f := baiducloudfake.New(t, "example.com")
	p, err := baiducloud.Descriptor.New(env(f), secret(baiducloudfake.AK, baiducloudfake.SK), nil)
	if err != nil {
		t.Fatal(err)
	}
	z, err := p.FindZone(context.Background(), "home.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2*f.PageSize; i++ {
		f.Seed("example.com", providers.Record{Name: "n.example.com", Type: "A", Value: fmt.Sprintf("81.2.69.%d", i+1), TTL: 300})
	}
	// FindZone reads one entry; the zone's listing pages.
	providertest.CheckEndlessPages(t, f.SetFault, func(ctx context.Context) error {
		_, err := p.ListRecords(ctx, z, "home.example.com", "A")
		return err
	})
}

// FuzzBaiduCloudResponses feeds the provider arbitrary answers.
func FuzzBaiduCloudResponses(f *testing.F) {
	s := secret("f7be7cbe0000000000000000fuzz7789", "29dbe98d00000000000000000fuzz6381")
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return baiducloud.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, s, nil)
	}, []string{string(s[baiducloud.SecretAccessKeyKey])}, []providertest.FuzzSeed{
		{Status: 200, Body: `{"orderBy":"domain","order":"desc","pageNo":1,"pageSize":10,"totalCount":2,"result":[{"recordId":21311111,"domain":"home","view":"DEFAULT","rdtype":"A","ttl":300,"rdata":"81.2.69.160","zoneName":"example.com","status":"RUNNING"},{"recordId":21311112,"domain":"_ddns-owner-a.home","view":"DEFAULT","rdtype":"TXT","ttl":300,"rdata":"ddns-operator:x:default/home","zoneName":"example.com","status":"RUNNING"}]}`},
		{Status: 200, Body: ``},
		{Status: 400, Body: `{"requestId":"r","code":"SignatureDoesNotMatch","message":"The request signature we calculated does not match the signature you provided."}`},
		{Status: 400, Body: `{"requestId":"r","code":"DomainNotExist","message":"The domain does not exist or does not belong to you."}`},
	})
}

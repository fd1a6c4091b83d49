package aliesa_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/aliesa"
	"github.com/ddns-operator/ddns-operator/providers/aliesa/aliesafake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(id, key string) map[string][]byte {
	return map[string][]byte{aliesa.AccessKeyIDKey: []byte(id), aliesa.AccessKeySecretKey: []byte(key)}
}

func env(f *aliesafake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func build(t *testing.T, f *aliesafake.Fake) providers.Provider {
	t.Helper()
	p, err := aliesa.Descriptor.New(env(f), secret(aliesafake.AccessKeyID, aliesafake.AccessKeySecret), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := aliesafake.New(t, zones...)
		t.Cleanup(func() { t.Logf("aliesa fake: %d requests, %d writes", f.Requests(), f.Writes()) })
		return f.Fill(&providertest.Fixture{
			Descriptor: aliesa.Descriptor,
			Env:        env(f),
			Secret:     secret(aliesafake.AccessKeyID, aliesafake.AccessKeySecret),
			// The right AccessKey ID with a wrong secret: the fake
			// recomputes the ACS3 signature and answers
			// SignatureDoesNotMatch.
			BadSecret: secret(aliesafake.AccessKeyID, "wrongAliyunESAAccessKeySecret0000"),
			// TTLs from 1 (automatic) to 86400.
			MinTTL: 1,
		})
	})
}

// A record of a site accessed by CNAME is created proxied, as ESA
// requires; an update keeps the proxy setting and scenario; an A and an
// AAAA record of one name, both of type A/AAAA, are told apart.
func TestCNAMESiteAndFamilies(t *testing.T) {
	ctx := context.Background()
	f := aliesafake.New(t, "example.com")
	f.SetAccessType("example.com", "CNAME")
	p := build(t, f)
	z, err := p.FindZone(ctx, "home.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	created, err := p.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600, Marker: "mine"})
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := f.Get(created.ID)
	if !rec.X.Proxied || rec.X.BizName != "web" {
		t.Fatalf("a CNAME site's record was created with %+v", rec.X)
	}
	f.Seed("example.com", providers.Record{Name: "home.example.com", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1", TTL: 600})
	if got, err := p.ListRecords(ctx, z, "home.example.com", "A"); err != nil || len(got) != 1 || got[0].ID != created.ID {
		t.Fatalf("ListRecords(A) = %+v, %v", got, err)
	}
	if got, err := p.ListRecords(ctx, z, "home.example.com", "AAAA"); err != nil || len(got) != 1 || got[0].Value != "2a02:2e0:3fe:1001:302::1" {
		t.Fatalf("ListRecords(AAAA) = %+v, %v", got, err)
	}
	if _, err := p.UpdateRecord(ctx, z, providers.Record{ID: created.ID, Name: "home.example.com", Type: "A", Value: "81.2.69.161"}); err != nil {
		t.Fatal(err)
	}
	rec, _ = f.Get(created.ID)
	if rec.Value != "81.2.69.161" || !rec.X.Proxied || rec.X.BizName != "web" || rec.Marker != "mine" || rec.TTL != 600 {
		t.Fatalf("after the update %+v", rec)
	}
}

func TestFromSecretData(t *testing.T) {
	for _, tc := range []struct {
		name string
		data map[string][]byte
		want string
	}{
		{"no id", map[string][]byte{aliesa.AccessKeySecretKey: []byte("x")}, `no key "accessKeyId"`},
		{"no secret", map[string][]byte{aliesa.AccessKeyIDKey: []byte("x")}, `no key "accessKeySecret"`},
		{"token with a space", map[string][]byte{aliesa.AccessKeyIDKey: []byte("id"), aliesa.AccessKeySecretKey: []byte("secret"), aliesa.SecurityTokenKey: []byte("a b")}, `"securityToken" is malformed`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := aliesa.Descriptor.New(providers.Env{}, tc.data, nil)
			if providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New = %v, want a credentials error saying %q", err, tc.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	f := aliesafake.New(t, "example.com")
	p, err := aliesa.Descriptor.New(env(f), secret(aliesafake.AccessKeyID, aliesafake.AccessKeySecret), nil)
	if err != nil {
		t.Fatal(err)
	}
	providertest.CheckAnswers(t, p, f.FailWith, []providertest.Answer{
		{Name: "unknown key", Status: 404, Body: `{"RequestId":"r","Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found."}`, Kind: providers.KindAuth, Says: "access key is not found"},
		{Name: "RAM denies", Status: 403, Body: `{"RequestId":"r","Code":"Forbidden.NoPermission","Message":"You are not authorized to operate on the specified resource."}`, Kind: providers.KindAuth, Says: "not authorized"},
		{Name: "throttled", Status: 429, Body: `{"RequestId":"r","Code":"Throttling.User","Message":"Request was denied due to user flow control."}`, Kind: providers.KindRateLimited, Says: "flow control"},
		{Name: "server", Status: 500, Body: `{"RequestId":"r","Code":"InternalError","Message":"The request processing has failed."}`, Kind: providers.KindTransient, Says: "failed"},
		{Name: "HTML", Status: 502, Body: `<html>`, Kind: providers.KindTransient, Says: ""},
	}, aliesafake.AccessKeySecret)
}

// A server that keeps announcing pages while serving the first one again
// is stopped, not followed forever.
func TestEndlessPages(t *testing.T) {
	f := aliesafake.New(t, "example.com")
	p, err := aliesa.Descriptor.New(env(f), secret(aliesafake.AccessKeyID, aliesafake.AccessKeySecret), nil)
	if err != nil {
		t.Fatal(err)
	}
	providertest.CheckEndlessPages(t, f.SetFault, func(ctx context.Context) error {
		_, err := p.FindZone(ctx, "home.example.com", "")
		return err
	})
}

// FuzzAliESAResponses feeds the provider arbitrary answers.
func FuzzAliESAResponses(f *testing.F) {
	s := secret("LTAI5tFuzzESAKeyForTests01", "fuzzAliyunESAAccessKeySecret000001")
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return aliesa.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, s, nil)
	}, []string{string(s[aliesa.AccessKeySecretKey])}, []providertest.FuzzSeed{
		{Status: 200, Body: `{"RequestId":"r","TotalCount":1,"Sites":[{"SiteId":1150000000000001,"SiteName":"example.com","AccessType":"NS"}]}`},
		{Status: 200, Body: `{"RequestId":"r","TotalCount":1,"Records":[{"RecordId":3800000000000001,"RecordName":"home.example.com","RecordType":"A/AAAA","Data":{"Value":"81.2.69.160"},"Ttl":600,"Proxied":false,"Comment":"ddns-operator:x:default/home"}]}`},
		{Status: 200, Body: `{"RequestId":"r","RecordId":3800000000000001}`},
		{Status: 400, Body: `{"RequestId":"r","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:GET&%2F&AccessKeyId%3DLTAI"}`},
		{Status: 404, Body: `{"RequestId":"r","Code":"Site.NotFound","Message":"The site does not exist."}`},
	})
}

package edgeone_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion/companionfake"
	"github.com/ddns-operator/ddns-operator/providers/edgeone"
	"github.com/ddns-operator/ddns-operator/providers/edgeone/edgeonefake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(id, key string) map[string][]byte {
	return map[string][]byte{edgeone.SecretIDKey: []byte(id), edgeone.SecretKeyKey: []byte(key)}
}

func env(f *edgeonefake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := edgeonefake.New(t, zones...)
		t.Cleanup(func() { t.Logf("edgeone fake: %d requests, %d writes", f.Requests(), f.Writes()) })
		return companionfake.Fill(&f.Fake, &providertest.Fixture{
			Descriptor: edgeone.Descriptor,
			Env:        env(f),
			Secret:     secret(edgeonefake.SecretID, edgeonefake.SecretKey),
			// The right SecretId with a wrong SecretKey: the fake
			// recomputes the TC3 signature and answers
			// AuthFailure.SignatureFailure.
			BadSecret: secret(edgeonefake.SecretID, "wrongEdgeOneSecretKeyForTests0000"),
			MinTTL:    edgeonefake.MinTTL,
		})
	})
}

// An update keeps the record's location and weight; records of another
// location are not the record's.
func TestLocationAndUpdate(t *testing.T) {
	ctx := context.Background()
	f := edgeonefake.New(t, "example.com")
	w := 20
	seeded := f.SeedRec("example.com", providertest.Rec[edgeonefake.X]{Name: "home", Type: "A", Value: "81.2.69.160", TTL: 600, X: edgeonefake.X{Location: "Default", Weight: &w}})
	f.SeedRec("example.com", providertest.Rec[edgeonefake.X]{Name: "home", Type: "A", Value: "81.2.69.150", TTL: 600, X: edgeonefake.X{Location: "CN.Telecom"}})
	p, err := edgeone.Descriptor.New(env(f), secret(edgeonefake.SecretID, edgeonefake.SecretKey), &v1alpha1.DynamicDNSRecordSpec{EdgeOne: &v1alpha1.EdgeOneOptions{Location: "Default"}})
	if err != nil {
		t.Fatal(err)
	}
	z, err := p.FindZone(ctx, "home.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.ListRecords(ctx, z, "home.example.com", "A")
	if err != nil || len(got) != 1 || got[0].ID != seeded.ID {
		t.Fatalf("ListRecords = %+v, %v; want only the Default location's record", got, err)
	}
	if _, err := p.UpdateRecord(ctx, z, providers.Record{ID: seeded.ID, Name: "home.example.com", Type: "A", Value: "81.2.69.161"}); err != nil {
		t.Fatal(err)
	}
	rec, _ := f.Get(seeded.ID)
	if rec.Value != "81.2.69.161" || rec.TTL != 600 || rec.X.Location != "Default" || rec.X.Weight == nil || *rec.X.Weight != 20 {
		t.Fatalf("after the update %+v", rec)
	}
}

func TestFromSecretData(t *testing.T) {
	for _, tc := range []struct {
		name string
		data map[string][]byte
		want string
	}{
		{"no id", map[string][]byte{edgeone.SecretKeyKey: []byte("x")}, `no key "secretId"`},
		{"no key", map[string][]byte{edgeone.SecretIDKey: []byte("x")}, `no key "secretKey"`},
		{"key with a space", secret("AKID", "a b"), "whitespace"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := edgeone.Descriptor.New(providers.Env{}, tc.data, nil)
			if providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New = %v, want a credentials error saying %q", err, tc.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	f := edgeonefake.New(t, "example.com")
	p, err := edgeone.Descriptor.New(env(f), secret(edgeonefake.SecretID, edgeonefake.SecretKey), nil)
	if err != nil {
		t.Fatal(err)
	}
	providertest.CheckAnswers(t, p, f.FailWith, []providertest.Answer{
		{Name: "unknown SecretId", Status: 200, Body: `{"Response":{"Error":{"Code":"AuthFailure.SecretIdNotFound","Message":"The SecretId is not found."},"RequestId":"r1"}}`, Kind: providers.KindAuth, Says: "SecretId is not found"},
		{Name: "CAM denies", Status: 200, Body: `{"Response":{"Error":{"Code":"UnauthorizedOperation.CamUnauthorized","Message":"CAM denied teo:DescribeZones."},"RequestId":"r1"}}`, Kind: providers.KindAuth, Says: "teo:DescribeZones"},
		{Name: "throttled", Status: 200, Body: `{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"too many"},"RequestId":"r1"}}`, Kind: providers.KindRateLimited, Says: "too many"},
		// The SDK reads an error envelope before the status; a JSON body
		// without one leaves the status to tell.
		{Name: "gateway throttles", Status: 429, Body: `{}`, Kind: providers.KindRateLimited, Says: "429"},
		{Name: "gateway error", Status: 503, Body: `{}`, Kind: providers.KindTransient, Says: "503"},
		{Name: "server", Status: 200, Body: `{"Response":{"Error":{"Code":"InternalError","Message":"internal"},"RequestId":"r1"}}`, Kind: providers.KindTransient, Says: "internal"},
		{Name: "HTML page", Status: 502, Body: `<html>`, Kind: providers.KindTransient, Says: "could not be decoded"},
		{Name: "plan refuses", Status: 200, Body: `{"Response":{"Error":{"Code":"OperationDenied","Message":"套餐不支持"},"RequestId":"r1"}}`, Kind: providers.KindInvalid, Says: "套餐不支持"},
	}, edgeonefake.SecretKey)
}

// A server that keeps announcing pages while serving the first one again
// is stopped, not followed forever.
func TestEndlessPages(t *testing.T) {
	f := edgeonefake.New(t, "example.com")
	p, err := edgeone.Descriptor.New(env(f), secret(edgeonefake.SecretID, edgeonefake.SecretKey), nil)
	if err != nil {
		t.Fatal(err)
	}
	providertest.CheckEndlessPages(t, f.SetFault, func(ctx context.Context) error {
		_, err := p.FindZone(ctx, "home.example.com", "")
		return err
	})
}

// FuzzEdgeOneResponses feeds the provider arbitrary answers.
func FuzzEdgeOneResponses(f *testing.F) {
	s := secret("AKIDfuzzEdgeOneSecretId00000000001", "fuzzEdgeOneSecretKey0000000000001")
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return edgeone.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, s, nil)
	}, []string{string(s[edgeone.SecretKeyKey])}, []providertest.FuzzSeed{
		{Status: 200, Body: `{"Response":{"TotalCount":1,"Zones":[{"ZoneId":"zone-1","ZoneName":"example.com","Type":"full"}],"RequestId":"r"}}`},
		{Status: 200, Body: `{"Response":{"TotalCount":2,"DnsRecords":[{"RecordId":"record-1","Name":"home.example.com","Type":"A","Location":"Default","Content":"81.2.69.160","TTL":300,"Weight":-1},{"RecordId":"record-2","Name":"_ddns-owner-a.home.example.com","Type":"TXT","Location":"Default","Content":"ddns-operator:x:default/home","TTL":300}],"RequestId":"r"}}`},
		{Status: 200, Body: `{"Response":{"RecordId":"record-1","RequestId":"r"}}`},
		{Status: 200, Body: `{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"The provided credentials could not be validated."},"RequestId":"r"}}`},
		{Status: 200, Body: `{"Response":{"Error":{"Code":"ResourceNotFound","Message":"站点不存在。"},"RequestId":"r"}}`},
		{Status: 200, Body: `{"Response":null}`},
	})
}

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
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   providers.Kind
		text   string
	}{
		{"unknown SecretId", 200, `{"Response":{"Error":{"Code":"AuthFailure.SecretIdNotFound","Message":"The SecretId is not found."},"RequestId":"r1"}}`, providers.KindAuth, "SecretId is not found"},
		{"CAM denies", 200, `{"Response":{"Error":{"Code":"UnauthorizedOperation.CamUnauthorized","Message":"CAM denied teo:DescribeZones."},"RequestId":"r1"}}`, providers.KindAuth, "teo:DescribeZones"},
		{"throttled", 200, `{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"too many"},"RequestId":"r1"}}`, providers.KindRateLimited, "too many"},
		// The SDK reads an error envelope before the status; a JSON body
		// without one leaves the status to tell.
		{"gateway throttles", 429, `{}`, providers.KindRateLimited, "429"},
		{"gateway error", 503, `{}`, providers.KindTransient, "503"},
		{"server", 200, `{"Response":{"Error":{"Code":"InternalError","Message":"internal"},"RequestId":"r1"}}`, providers.KindTransient, "internal"},
		{"HTML page", 502, `<html>`, providers.KindTransient, "could not be decoded"},
		{"plan refuses", 200, `{"Response":{"Error":{"Code":"OperationDenied","Message":"套餐不支持"},"RequestId":"r1"}}`, providers.KindInvalid, "套餐不支持"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := edgeonefake.New(t, "example.com")
			p, _ := edgeone.Descriptor.New(env(f), secret(edgeonefake.SecretID, edgeonefake.SecretKey), nil)
			f.FailWith(tc.status, tc.body)
			_, err := p.FindZone(ctx, "home.example.com", "")
			if providers.KindOf(err) != tc.want || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("FindZone = %v (kind %s), want kind %s saying %q", err, providers.KindOf(err), tc.want, tc.text)
			}
		})
	}
}

// A server that keeps announcing pages while serving the first one again
// is stopped, not followed forever.
func TestEndlessPages(t *testing.T) {
	f := edgeonefake.New(t, "example.com")
	p, _ := edgeone.Descriptor.New(env(f), secret(edgeonefake.SecretID, edgeonefake.SecretKey), nil)
	f.SetFault(providertest.FaultEndlessPages)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := p.FindZone(ctx, "home.example.com", ""); providers.KindOf(err) != providers.KindTransient || ctx.Err() != nil {
		t.Fatalf("FindZone over endless pages = %v, want a transient error before the deadline", err)
	}
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

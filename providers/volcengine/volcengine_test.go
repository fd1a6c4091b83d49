package volcengine_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/volcengine"
	"github.com/ddns-operator/ddns-operator/providers/volcengine/volcenginefake"
)

func secret(ak, sk string) map[string][]byte {
	return map[string][]byte{volcengine.AccessKeyIDKey: []byte(ak), volcengine.SecretAccessKeyKey: []byte(sk)}
}

func env(f *volcenginefake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := volcenginefake.New(t, zones...)
		t.Cleanup(func() { t.Logf("volcengine fake: %d requests, %d writes", f.Requests(), f.Writes()) })
		return f.Fill(&providertest.Fixture{
			Descriptor: volcengine.Descriptor,
			Env:        env(f),
			Secret:     secret(volcenginefake.AK, volcenginefake.SK),
			// The right AK with a wrong SK: the fake recomputes the
			// signature and answers SignatureDoesNotMatch.
			BadSecret: secret(volcenginefake.AK, "d3JvbmdWb2xjZW5naW5lU2VjcmV0S2V5MDAwMDAw"),
			MinTTL:    volcenginefake.MinTTL,
		})
	})
}

// An update keeps the record's line, weight and remark unless it brings a
// marker.
func TestUpdateKeeps(t *testing.T) {
	ctx := context.Background()
	f := volcenginefake.New(t, "example.com")
	w := 7
	seeded := f.SeedRec("example.com", providertest.Rec[volcenginefake.X]{Name: "home", Type: "A", Value: "81.2.69.160", TTL: 900, Marker: "hand-written", X: volcenginefake.X{Line: "telecom", Weight: &w}})
	p, err := volcengine.Descriptor.New(env(f), secret(volcenginefake.AK, volcenginefake.SK), &v1alpha1.DynamicDNSRecordSpec{Volcengine: &v1alpha1.VolcengineOptions{Line: "telecom"}})
	if err != nil {
		t.Fatal(err)
	}
	z, err := p.FindZone(ctx, "home.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpdateRecord(ctx, z, providers.Record{ID: seeded.ID, Name: "home.example.com", Type: "A", Value: "81.2.69.161"}); err != nil {
		t.Fatal(err)
	}
	got, _ := f.Get(seeded.ID)
	if got.Value != "81.2.69.161" || got.TTL != 900 || got.Marker != "hand-written" || got.X.Line != "telecom" || got.X.Weight == nil || *got.X.Weight != 7 {
		t.Fatalf("after the update %+v", got)
	}
}

func TestFromSecretData(t *testing.T) {
	for _, tc := range []struct {
		name string
		data map[string][]byte
		want string
	}{
		{"no AK", map[string][]byte{volcengine.SecretAccessKeyKey: []byte("x")}, `no key "accessKeyId"`},
		{"no SK", map[string][]byte{volcengine.AccessKeyIDKey: []byte("x")}, `no key "secretAccessKey"`},
		{"empty SK", secret("AK", " "), "empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := volcengine.Descriptor.New(providers.Env{}, tc.data, nil)
			if providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New = %v, want a credentials error saying %q", err, tc.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	f := volcenginefake.New(t, "example.com")
	p, err := volcengine.Descriptor.New(env(f), secret(volcenginefake.AK, volcenginefake.SK), nil)
	if err != nil {
		t.Fatal(err)
	}
	providertest.CheckAnswers(t, p, f.FailWith, []providertest.Answer{
		{Name: "unknown key", Status: 401, Body: `{"ResponseMetadata":{"RequestId":"r1","Error":{"CodeN":100009,"Code":"InvalidAccessKey","Message":"The access key does not exist."}}}`, Kind: providers.KindAuth, Says: "does not exist"},
		{Name: "forbidden", Status: 403, Body: `{"ResponseMetadata":{"Error":{"Code":"AccessDenied","Message":"User is not authorized to perform: dns:ListZones"}}}`, Kind: providers.KindAuth, Says: "dns:ListZones"},
		{Name: "throttled", Status: 429, Body: `{"ResponseMetadata":{"Error":{"Code":"AccountFlowLimitExceeded","Message":"flow limit"}}}`, Kind: providers.KindRateLimited, Says: "flow limit"},
		{Name: "zone", Status: 400, Body: `{"ResponseMetadata":{"Error":{"CodeN":400105,"Code":"ErrZoneNotFound","Message":"zone not found"}}}`, Kind: providers.KindZoneNotFound, Says: "zone not found"},
		{Name: "server", Status: 500, Body: `{"ResponseMetadata":{"Error":{"CodeN":500100,"Code":"ErrInternalServer","Message":"server internal error"}}}`, Kind: providers.KindTransient, Says: "internal"},
		{Name: "gateway page", Status: 502, Body: `<html>`, Kind: providers.KindTransient, Says: "Bad Gateway"},
		{Name: "no Result", Status: 200, Body: `{"ResponseMetadata":{"RequestId":"r"}}`, Kind: providers.KindTransient, Says: "no Result"},
	}, volcenginefake.SK)
}

// A server that keeps announcing pages while serving the first one again
// is stopped, not followed forever.
func TestEndlessPages(t *testing.T) {
	f := volcenginefake.New(t, "example.com")
	p, err := volcengine.Descriptor.New(env(f), secret(volcenginefake.AK, volcenginefake.SK), nil)
	if err != nil {
		t.Fatal(err)
	}
	providertest.CheckEndlessPages(t, f.SetFault, func(ctx context.Context) error {
		_, err := p.FindZone(ctx, "home.example.com", "")
		return err
	})
}

// FuzzVolcengineResponses feeds the provider arbitrary answers.
func FuzzVolcengineResponses(f *testing.F) {
	s := secret("AKLTZnV6elZvbGNlbmdpbmVBSzAwMDE", "ZnV6elZvbGNlbmdpbmVTZWNyZXRBY2Nlc3NLZXkwMDAx")
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return volcengine.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, s, nil)
	}, []string{string(s[volcengine.SecretAccessKeyKey])}, []providertest.FuzzSeed{
		{Status: 200, Body: `{"ResponseMetadata":{"RequestId":"r","Action":"ListZones"},"Result":{"Zones":[{"ZID":1001,"ZoneName":"example.com"}],"Total":1}}`},
		{Status: 200, Body: `{"ResponseMetadata":{"RequestId":"r"},"Result":{"Records":[{"RecordID":"7520000000000000001","Host":"home","Type":"A","Value":"81.2.69.160","TTL":600,"Line":"default","Remark":"ddns-operator:x:default/home"}],"TotalCount":1}}`},
		{Status: 200, Body: `{"ResponseMetadata":{"RequestId":"r"},"Result":{"RecordID":"7520000000000000001"}}`},
		{Status: 401, Body: `{"ResponseMetadata":{"Error":{"CodeN":100010,"Code":"SignatureDoesNotMatch","Message":"The request signature we calculated does not match"}}}`},
		{Status: 400, Body: `{"ResponseMetadata":{"Error":{"CodeN":400135,"Code":"ErrSpecNotValid","Message":"record ttl not valid when creating record"}}}`},
		{Status: 429, Body: `{"ResponseMetadata":{"Error":{"Code":"AccountFlowLimitExceeded","Message":"flow limit"}}}`},
	})
}

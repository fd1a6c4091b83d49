package todaynic

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/todaynic/todaynicfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

var testSite = Site{Name: "nowcn", Title: "时代互联 Now.cn", Endpoint: "https://api.now.cn"}

// build is the api the descriptor wraps, reached directly for its clock.
func build(t *testing.T, f *todaynicfake.Fake, key string) *api {
	t.Helper()
	return &api{name: testSite.Name, base: f.URL, id: todaynicfake.UserID, key: key, hc: &http.Client{Timeout: 5 * time.Second}, now: time.Now}
}

// A wrong key signs wrongly: the platform refuses it, the error says which
// Secret keys to check, and neither the key nor the signature is in it.
func TestWrongKey(t *testing.T) {
	f := todaynicfake.New(t, "example.com")
	const wrong = "todaynic-wrong-api-key-9f8e7d6c5b4a"
	a := build(t, f, wrong)
	_, err := a.FindZone(context.Background(), "home.example.com", "")
	if providers.KindOf(err) != providers.KindAuth || !strings.Contains(err.Error(), "authUserId and apiKey") {
		t.Fatalf("FindZone with a wrong key = %v", err)
	}
	for _, seen := range f.CredentialsSeen() {
		if strings.Contains(err.Error(), seen) || strings.Contains(err.Error(), wrong) {
			t.Fatalf("the error repeats a credential: %v", err)
		}
	}
	if len(f.CredentialsSeen()) == 0 {
		t.Fatal("the fake saw no signature")
	}
}

// A clock 20 minutes off signs a timestamp the platform refuses as expired.
func TestClockSkew(t *testing.T) {
	f := todaynicfake.New(t, "example.com")
	a := build(t, f, todaynicfake.APIKey)
	a.now = func() time.Time { return time.Now().Add(-20 * time.Minute) }
	_, err := a.FindZone(context.Background(), "home.example.com", "")
	if providers.KindOf(err) != providers.KindAuth || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("FindZone with a slow clock = %v", err)
	}
}

// FindZone asks for each suffix, longest first, down to the registrable
// domain and never for a public suffix.
func TestSuffixes(t *testing.T) {
	for fqdn, want := range map[string][]string{
		"a.b.example.co.uk":    {"a.b.example.co.uk", "b.example.co.uk", "example.co.uk"},
		"example.com":          {"example.com"},
		"*.lab.example.com":    {"lab.example.com", "example.com"},
		"home.zone007.example": {"home.zone007.example", "zone007.example"},
		"co.uk":                {"co.uk"},
	} {
		if got := suffixes(fqdn); !slices.Equal(got, want) {
			t.Errorf("suffixes(%q) = %v, want %v", fqdn, got, want)
		}
	}
	f := todaynicfake.New(t, "example.co.uk")
	z, err := build(t, f, todaynicfake.APIKey).FindZone(context.Background(), "a.b.example.co.uk", "")
	if err != nil || z.Name != "example.co.uk" || f.Count("DescribeRecordIndex") != 3 {
		t.Fatalf("FindZone = %+v, %v after %d requests", z, err, f.Count("DescribeRecordIndex"))
	}
}

// An address change is one UpdateDomainRecord that keeps the TTL.
func TestUpdateKeepsTTL(t *testing.T) {
	ctx := context.Background()
	f := todaynicfake.New(t, "example.com")
	a := build(t, f, todaynicfake.APIKey)
	seeded := f.Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 1800})
	z := providers.Zone{ID: "example.com", Name: "example.com"}
	before := f.Writes()
	if _, err := a.Update(ctx, z, providers.Record{ID: seeded.ID, Name: "home.example.com", Type: "A", Value: "81.2.69.161"}); err != nil {
		t.Fatal(err)
	}
	got, _ := f.Get(seeded.ID)
	if got.Value != "81.2.69.161" || got.TTL != 1800 || f.Writes()-before != 1 {
		t.Fatalf("after the update %+v, %d writes", got, f.Writes()-before)
	}
	if _, err := a.Update(ctx, z, providers.Record{ID: seeded.ID, Name: "home.example.com", Type: "A", Value: "81.2.69.161"}); err != nil || f.Writes()-before != 1 {
		t.Fatalf("an update to the same value wrote (%v, %d writes)", err, f.Writes()-before)
	}
}

func TestRefusal(t *testing.T) {
	for _, tc := range []struct {
		msg  string
		want providers.Kind
	}{
		{"签名错误", providers.KindAuth},
		{"Invalid AccessInstanceID", providers.KindAuth},
		{"域名不存在", providers.KindZoneNotFound},
		{"The domain does not exist", providers.KindZoneNotFound},
		{"记录不存在", providers.KindNotFound},
		{"record not found in domain example.com", providers.KindNotFound},
		{"操作过于频繁，请稍后再试", providers.KindRateLimited},
		{"TTL 值不合法", providers.KindInvalid},
		// A replayed request (its answer was lost) is retried, not Stalled.
		{"Signature nonce used before (SignatureNonce 重复)", providers.KindTransient},
	} {
		if err := refusal("nowcn op", tc.msg); err.Kind != tc.want || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("refusal(%q) = %v (%s), want %s", tc.msg, err, err.Kind, tc.want)
		}
	}
}

func TestAnswers(t *testing.T) {
	f := todaynicfake.New(t, "example.com")
	p, err := Descriptor(testSite).New(providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}, todaynicfake.Secret(todaynicfake.APIKey), nil)
	if err != nil {
		t.Fatal(err)
	}
	providertest.CheckAnswers(t, p, f.FailWith, []providertest.Answer{
		{Name: "refused in band", Status: 200, Body: `{"RequestId":"x","error":"签名验证失败"}`, Kind: providers.KindAuth, Says: "签名验证失败"},
		{Name: "forbidden", Status: 403, Body: `{"error":"IP not allowed"}`, Kind: providers.KindAuth, Says: "IP not allowed"},
		{Name: "throttled", Status: 429, Body: `{"error":"too many requests"}`, Kind: providers.KindRateLimited, Says: "too many requests"},
		{Name: "server error", Status: 502, Body: `<html>bad gateway</html>`, Kind: providers.KindTransient, Says: "HTTP 502"},
		{Name: "not JSON", Status: 200, Body: `<html>`, Kind: providers.KindTransient, Says: "undecodable"},
		{Name: "key echoed", Status: 200, Body: `{"error":"invalid api key ` + todaynicfake.APIKey + `"}`, Kind: providers.KindAuth, Says: "[redacted]"},
	}, todaynicfake.APIKey)
}

// FuzzTodaynicResponses feeds the provider arbitrary answers.
func FuzzTodaynicResponses(f *testing.F) {
	const key = "todaynic-fuzz-api-key-0123456789"
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return Descriptor(testSite).New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, todaynicfake.Secret(key), nil)
	}, []string{key}, []providertest.FuzzSeed{
		{Status: 200, Body: `{"RequestId":"1","Id":0,"error":"","Data":[{"id":7310001,"Domain":"example.com","Host":"home","Type":"A","Value":"81.2.69.160","State":1,"Ttl":600}]}`},
		{Status: 200, Body: `{"RequestId":"1","Id":7310002,"error":""}`},
		{Status: 200, Body: `{"RequestId":"1","error":"域名不存在"}`},
		{Status: 200, Body: `{"RequestId":"1","error":"签名验证失败"}`},
		{Status: 429, RetryAfter: "2", Body: `{"error":"请求过于频繁"}`},
	})
}

package providertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Build makes the provider under fuzzing, talking to endpoint with hc.
type Build func(endpoint string, hc *http.Client) (providers.Provider, error)

// FuzzSeed is one answer to seed the corpus with.
type FuzzSeed struct {
	Status     int
	RetryAfter string
	Body       string
}

// FuzzResponses fuzzes a provider's response decoding and error mapping:
// every request the provider makes is answered with the fuzzed HTTP
// status, Retry-After and body, and each Provider method is called once.
// Whatever the answer, the provider must not panic or loop, every error
// must be a classified providers.Error that repeats no value of secrets,
// and what it lists must be what was asked for.
func FuzzResponses(f *testing.F, build Build, secrets []string, seeds []FuzzSeed) {
	for _, s := range append(seeds, genericSeeds...) {
		f.Add(s.Status, s.RetryAfter, []byte(s.Body))
	}
	var (
		mu  sync.Mutex
		cur FuzzSeed
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		a := cur
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if a.RetryAfter != "" {
			w.Header().Set("Retry-After", a.RetryAfter)
		}
		w.WriteHeader(a.Status)
		_, _ = w.Write([]byte(a.Body))
	}))
	f.Cleanup(srv.Close)
	hc := &http.Client{Timeout: 5 * time.Second}
	p, err := build(srv.URL, hc)
	if err != nil {
		f.Fatalf("build the provider: %v", err)
	}

	f.Fuzz(func(t *testing.T, status int, retryAfter string, body []byte) {
		if status < 200 || status > 599 || !validHeader(retryAfter) {
			t.Skip()
		}
		mu.Lock()
		cur = FuzzSeed{Status: status, RetryAfter: retryAfter, Body: string(body)}
		mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		// A provider that ignores its context or loops would hang the
		// fuzzer silently; crash with the input instead, so it is kept.
		stuck := time.AfterFunc(30*time.Second, func() {
			panic(fmt.Sprintf("provider still busy after 30s on status %d, Retry-After %q, body %q", status, retryAfter, body))
		})
		defer stuck.Stop()
		const fqdn = "home.example.com"
		zone := providers.Zone{ID: "1", Name: "example.com"}
		rec := providers.Record{ID: "1", Name: fqdn, Type: "A", Value: "81.2.69.160", TTL: 600}

		z, err := p.FindZone(ctx, fqdn, "")
		check(t, "FindZone", err, secrets)
		if err == nil && z.Name != fqdn && !strings.HasSuffix(fqdn, "."+z.Name) {
			t.Fatalf("FindZone(%s) = %q, a zone that does not hold the name", fqdn, z.Name)
		}
		rs, err := p.ListRecords(ctx, zone, fqdn, "A")
		check(t, "ListRecords", err, secrets)
		for _, r := range rs {
			if r.Name != fqdn || r.Type != "A" {
				t.Fatalf("ListRecords(%s, A) reported %+v", fqdn, r)
			}
		}
		_, err = p.CreateRecord(ctx, zone, rec)
		check(t, "CreateRecord", err, secrets)
		_, err = p.UpdateRecord(ctx, zone, rec)
		check(t, "UpdateRecord", err, secrets)
		check(t, "DeleteRecord", p.DeleteRecord(ctx, zone, rec), secrets)
	})
}

// check asserts err, when set, is classified and free of secrets.
func check(t *testing.T, op string, err error, secrets []string) {
	t.Helper()
	if err == nil {
		return
	}
	var kindKnown bool
	switch providers.KindOf(err) {
	case providers.KindTransient, providers.KindAuth, providers.KindCredentials, providers.KindZoneNotFound,
		providers.KindRateLimited, providers.KindInvalid, providers.KindNotFound:
		kindKnown = true
	}
	if !kindKnown {
		t.Fatalf("%s: error %q has an unknown kind", op, err)
	}
	if d, ok := providers.RetryAfterOf(err); ok && d <= 0 {
		t.Fatalf("%s: retry-after %s is not positive", op, d)
	}
	msg := err.Error()
	for _, s := range secrets {
		if strings.Contains(msg, s) {
			t.Fatalf("%s: error message %q holds a credential", op, msg)
		}
	}
}

func validHeader(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] == 0x7f {
			return false
		}
	}
	return true
}

// genericSeeds are answers no provider expects.
var genericSeeds = []FuzzSeed{
	{200, "", ""},
	{200, "", `{"Response":{"RequestId":"5e2c0000","result":[{"id":"`},
	{200, "", "<!DOCTYPE html><html><body>Sign in</body></html>"},
	{429, "7", `{}`},
	{429, "Wed, 21 Oct 2015 07:28:00 GMT", `null`},
	{502, "", "<html><head><title>502 Bad Gateway</title></head></html>"},
	{503, strconv.Itoa(1 << 30), `[]`},
}

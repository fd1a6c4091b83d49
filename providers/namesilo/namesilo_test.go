package namesilo_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/namesilo"
	"github.com/ddns-operator/ddns-operator/providers/namesilo/namesilofake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(key string) map[string][]byte {
	return map[string][]byte{namesilo.KeyKey: []byte(key)}
}

func env(endpoint string) providers.Env {
	return providers.Env{Endpoint: endpoint, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func build(t *testing.T, endpoint, key string) providers.Provider {
	t.Helper()
	p, err := namesilo.Descriptor.New(env(endpoint), secret(key), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := namesilofake.New(t, zones...)
		t.Cleanup(func() { t.Logf("namesilo fake: %d requests, %d writes", f.Requests(), f.Writes()) })
		return f.View().Fill(&providertest.Fixture{
			Descriptor: namesilo.Descriptor,
			Env:        env(f.URL),
			Secret:     secret(namesilofake.Key),
			// A key NameSilo does not know: reply code 110.
			BadSecret:  secret("ffffffffffffffffffffffff"),
			MinTTL:     namesilo.MinTTL,
			RetryAfter: true,
			Skip: map[string]string{
				"the ownership marker is stored, listed and kept": "NameSilo's DNS records have no comment field, so the provider keeps no marker (Descriptor.Marker is empty; docs/providers/namesilo.md says how adoption and deletion stay safe)",
			},
		})
	})
}

// The key is in every request's query string: no error the provider
// returns may hold it, whatever fails: a wrong key, refusals, throttling,
// server errors, an answer that echoes the request URL, a closed port.
func TestKeyNeverInErrors(t *testing.T) {
	ctx := t.Context()
	var errs []error
	collect := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	zone := providers.Zone{ID: "example.com", Name: "example.com"}
	rec := providers.Record{ID: "9", Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 3600}

	f := namesilofake.New(t, "example.com")
	const wrong = "0123456789abcdefWRONGKEY"
	bad := build(t, f.URL, wrong)
	_, err := bad.FindZone(ctx, "home.example.com", "")
	collect(err)
	good := build(t, f.URL, namesilofake.Key)
	_, err = good.CreateRecord(ctx, zone, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 60})
	collect(err)
	_, err = good.UpdateRecord(ctx, zone, rec)
	collect(err)
	for _, fault := range []providertest.Fault{providertest.FaultRateLimited, providertest.FaultServerError, providertest.FaultHTTP502, providertest.FaultZoneNotFound, providertest.FaultAuthRejected, providertest.FaultHTMLPage, providertest.FaultTruncatedJSON} {
		f.SetFault(fault)
		_, err = good.ListRecords(ctx, zone, "home.example.com", "A")
		collect(err)
		collect(good.DeleteRecord(ctx, zone, rec))
	}

	// A server that repeats the whole request, key included, in its
	// detail and in an HTML page.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "dnsListRecords") {
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprintf(w, "<html>bad gateway for %s</html>", r.URL.String())
			return
		}
		fmt.Fprintf(w, `<namesilo><reply><code>110</code><detail>Invalid API Key %s for %s</detail></reply></namesilo>`, r.URL.Query().Get("key"), r.URL.String())
	}))
	t.Cleanup(echo.Close)
	p := build(t, echo.URL, namesilofake.Key)
	_, err = p.FindZone(ctx, "home.example.com", "")
	collect(err)
	_, err = p.ListRecords(ctx, zone, "home.example.com", "A")
	collect(err)

	// Nothing listening, and a timeout.
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	_, err = build(t, closed.URL, namesilofake.Key).FindZone(ctx, "home.example.com", "")
	collect(err)
	slow := namesilofake.New(t, "example.com")
	slow.SetLatency(time.Second)
	p, _ = namesilo.Descriptor.New(providers.Env{Endpoint: slow.URL, HTTPClient: &http.Client{Timeout: 50 * time.Millisecond}}, secret(namesilofake.Key), nil)
	_, err = p.FindZone(ctx, "home.example.com", "")
	collect(err)

	if len(errs) < 18 {
		t.Fatalf("collected only %d errors", len(errs))
	}
	for _, err := range errs {
		for _, form := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err)} {
			if strings.Contains(form, namesilofake.Key) || strings.Contains(form, wrong) || strings.Contains(form, "key=") {
				t.Errorf("error %q holds the key or a URL with it", form)
			}
		}
	}
}

// A wrong key is NameSilo's code 110, an authentication error naming the
// causes a user can fix.
func TestWrongKey(t *testing.T) {
	f := namesilofake.New(t, "example.com")
	_, err := build(t, f.URL, "wrongwrongwrong").FindZone(t.Context(), "home.example.com", "")
	if providers.KindOf(err) != providers.KindAuth || !strings.Contains(err.Error(), "Invalid API Key") || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("FindZone with a wrong key = %v", err)
	}
	if seen := strings.Join(f.CredentialsSeen(), " "); !strings.Contains(seen, "wrongwrongwrong") {
		t.Fatalf("the fake did not see the key in the query (saw %q)", seen)
	}
}

// FuzzNameSiloResponses feeds the provider arbitrary answers.
func FuzzNameSiloResponses(f *testing.F) {
	const key = "fuzznamesilokey0123456789"
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return namesilo.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, secret(key), nil)
	}, []string{key}, []providertest.FuzzSeed{
		{Status: 200, Body: `<namesilo><request><operation>listDomains</operation><ip>1.2.3.4</ip></request><reply><code>300</code><detail>success</detail><domains><domain>example.com</domain></domains><pager><total>1</total><pageSize>500</pageSize><page>1</page></pager></reply></namesilo>`},
		{Status: 200, Body: `<namesilo><reply><code>300</code><detail>success</detail><resource_record><record_id>1a2b</record_id><type>A</type><host>home.example.com</host><value>81.2.69.160</value><ttl>7207</ttl><distance>0</distance></resource_record></reply></namesilo>`},
		{Status: 200, Body: `<namesilo><reply><code>300</code><detail>success</detail><record_id>1a2b</record_id></reply></namesilo>`},
		{Status: 200, Body: `<namesilo><reply><code>110</code><detail>Invalid API Key</detail></reply></namesilo>`},
		{Status: 200, Body: `<namesilo><reply><code>200</code><detail>Domain is not active, or does not belong to this user</detail></reply></namesilo>`},
		{Status: 200, Body: `<namesilo><reply><code>280</code><detail>DNS modification error</detail></reply></namesilo>`},
	})
}

// NameSilo adds records with GET. Go's transport resends by itself a GET
// whose reused connection broke before the answer; a create whose answer
// is lost must reach NameSilo once, so the retry is the operator's,
// after it has listed the zone again.
func TestLostCreateIsSentOnce(t *testing.T) {
	f := namesilofake.New(t, "example.com")
	p := build(t, f.URL, namesilofake.Key)
	ctx := t.Context()
	// A first call opens a connection the create may reuse.
	if _, err := p.FindZone(ctx, "home.example.com", ""); err != nil {
		t.Fatal(err)
	}
	f.SetFault(providertest.FaultLostResponse)
	_, err := p.CreateRecord(ctx, providers.Zone{ID: "example.com", Name: "example.com"}, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 3600})
	if err == nil {
		t.Fatal("CreateRecord with a lost answer succeeded")
	}
	if n := f.Count("dnsAddRecord"); n != 1 {
		t.Fatalf("dnsAddRecord reached NameSilo %d times, want once", n)
	}
	if recs := f.Records("example.com", "home.example.com", "A"); len(recs) != 1 {
		t.Fatalf("the fake holds %d records, want 1", len(recs))
	}
}

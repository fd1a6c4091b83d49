package callback_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/callback"
	"github.com/ddns-operator/ddns-operator/providers/callback/callbackfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// TestConformance runs the provider suite against a callback receiver.
// A callback has no zones and cannot be read, so the cases that read the
// provider's side are skipped.
func TestConformance(t *testing.T) {
	noZones := "a callback has no zones: the zone is the name's registrable domain (or spec.zone), shown in status only"
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := callbackfake.New(t, zones...)
		return f.Fill(&providertest.Fixture{
			Descriptor: callback.Descriptor,
			Env:        providers.Env{HTTPClient: &http.Client{Timeout: 5 * time.Second}},
			Secret:     map[string][]byte{"url": []byte(callbackfake.GetURL(f.URL, callbackfake.Token))},
			BadSecret:  map[string][]byte{"url": []byte(callbackfake.GetURL(f.URL, "not-the-token"))},
			WriteOnly:  true,
			NoDelete:   "a callback only sends addresses",
			RetryAfter: true,
			Skip: map[string]string{
				"FindZone picks the longest suffix":               noZones,
				"FindZone with a hint":                            noZones + "; a hint is taken as it is",
				"FindZone for a name no zone holds":               noZones,
				"ListRecords filters by name and type":            "a callback cannot be read: the operator lists what it sent (TestSendsOnlyChanges)",
				"duplicates are all reported, across pages":       "a callback cannot be read: the operator lists one record per name and type, what it sent",
				"the ownership marker is stored, listed and kept": "a callback carries no ownership marker",
				"every request waits for the gate":                "finding the zone and listing make no request; TestEveryCallbackWaitsForTheGate covers the callback",
			},
		})
	})
}

func newProvider(t *testing.T, f *callbackfake.Fake, url string) providers.Provider {
	t.Helper()
	p, err := callback.Descriptor.New(providers.Env{HTTPClient: &http.Client{Timeout: 5 * time.Second}}, map[string][]byte{"url": []byte(url)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// check does what the reconciler does at each check (controllers.ComputePlan):
// it lists, and writes when address, TTL (when set) or marker differ.
func check(t *testing.T, p providers.Provider, name, typ, addr string, ttl int32) error {
	t.Helper()
	ctx := context.Background()
	z, _ := p.FindZone(ctx, name, "")
	got, err := p.ListRecords(ctx, z, name, typ)
	if err != nil {
		return err
	}
	want := providers.Record{Name: name, Type: typ, Value: addr, TTL: ttl, Marker: "m"}
	switch {
	case len(got) == 0:
		_, err = p.CreateRecord(ctx, z, want)
	case got[0].Value != addr || (ttl != 0 && got[0].TTL != ttl) || got[0].Marker != "m":
		want.ID = got[0].ID
		_, err = p.UpdateRecord(ctx, z, want)
	}
	return err
}

// The operator calls back once per change of address or TTL, never at
// steady state; after a restart (nothing in memory) it calls once again.
func TestSendsOnlyChanges(t *testing.T) {
	f := callbackfake.New(t, "example.com")
	p := newProvider(t, f, callbackfake.GetURL(f.URL, callbackfake.Token))
	steps := []struct {
		addr  string
		ttl   int32
		calls int
	}{
		{"81.2.69.160", 0, 1},
		{"81.2.69.160", 0, 1},
		{"81.2.69.161", 0, 2},
		{"81.2.69.161", 300, 3},
		{"81.2.69.161", 300, 3},
	}
	for i, s := range steps {
		for range 10 {
			if err := check(t, p, "home.example.com", "A", s.addr, s.ttl); err != nil {
				t.Fatal(err)
			}
		}
		if f.Writes() != s.calls {
			t.Fatalf("step %d: %d callbacks, want %d", i, f.Writes(), s.calls)
		}
	}
	if got := f.Records("example.com", "home.example.com", "A"); len(got) != 1 || got[0].Value != "81.2.69.161" || got[0].TTL != 300 {
		t.Fatalf("the receiver holds %+v", got)
	}
	restarted := newProvider(t, f, callbackfake.GetURL(f.URL, callbackfake.Token))
	for range 5 {
		if err := check(t, restarted, "home.example.com", "A", "81.2.69.161", 300); err != nil {
			t.Fatal(err)
		}
	}
	if f.Writes() != 4 {
		t.Fatalf("after a restart: %d callbacks, want one more (4)", f.Writes())
	}
}

// A failed callback is an error the reconciler retries with backoff; the
// provider itself sends once per write, and sends again at the next.
func TestFailedCallbackIsSentAgainOnce(t *testing.T) {
	f := callbackfake.New(t, "example.com")
	p := newProvider(t, f, callbackfake.GetURL(f.URL, callbackfake.Token))
	f.SetFault(providertest.FaultServerError)
	if err := check(t, p, "home.example.com", "A", "81.2.69.160", 0); providers.KindOf(err) != providers.KindTransient {
		t.Fatalf("a 500: %v", err)
	}
	f.SetFault(providertest.FaultNone)
	for range 5 {
		if err := check(t, p, "home.example.com", "A", "81.2.69.160", 0); err != nil {
			t.Fatal(err)
		}
	}
	if f.Requests() != 2 {
		t.Fatalf("%d requests, want the failed one and one more", f.Requests())
	}
}

// The callback waits for the credential's gate; a gate that refuses sends
// nothing.
func TestEveryCallbackWaitsForTheGate(t *testing.T) {
	f := callbackfake.New(t, "example.com")
	g := &gate{}
	p, err := callback.Descriptor.New(providers.Env{Gate: g}, map[string][]byte{"url": []byte(callbackfake.GetURL(f.URL, callbackfake.Token))}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := check(t, p, "home.example.com", "A", "81.2.69.160", 0); err != nil || g.n != 1 {
		t.Fatalf("%v; the gate was asked %d times", err, g.n)
	}
	g.err = context.Canceled
	if err := check(t, p, "home.example.com", "A", "81.2.69.161", 0); err == nil || f.Requests() != 1 {
		t.Fatalf("a refused gate: %v, %d requests", err, f.Requests())
	}
}

type gate struct {
	n   int
	err error
}

func (g *gate) Wait(context.Context) error { g.n++; return g.err }

// A template that would make an invalid request is refused when the
// account is built, naming the key and the variable, and never a value.
func TestTemplatesAreChecked(t *testing.T) {
	for _, tc := range []struct {
		name string
		data map[string]string
		says string
	}{
		{"no url", map[string]string{"body": "x"}, `secret has no key "url"`},
		{"unknown variable", map[string]string{"url": "https://h.example.net/u?d=#{domain}&x=#{line}"}, "#{line} is not a variable"},
		{"ddns-go custom parameter", map[string]string{"url": "https://h.example.net/u?d=#{domain}&x=#{Line}"}, "#{Line} is not a variable"},
		{"IPv6 address as host", map[string]string{"url": "http://#{ip}:8080/update"}, `#{ip} holds "2001:db8::7" (a AAAA record)`},
		{"no scheme", map[string]string{"url": "h.example.net/update?ip=#{ip}"}, "the scheme must be http or https"},
		{"a port that is no number", map[string]string{"url": "https://user:pw-secret-1@h.example.net:#{domain}/u"}, "#{domain}"},
		{"address outside a JSON string", map[string]string{"url": "https://h.example.net/u", "body": `{"ip": #{ip}, "ttl": #{ttl}}`}, "when #{ip} holds"},
		{"empty address outside a JSON string", map[string]string{"url": "https://h.example.net/u", "body": `{"v6": #{ipv6Addr}}`}, "#{ipv6Addr}"},
		{"broken JSON", map[string]string{"url": "https://h.example.net/u", "body": `{"ip": "#{ip}",}`}, "not valid JSON"},
		{"header without a colon", map[string]string{"url": "https://h.example.net/u", "headers": "Authorization Bearer tok-secret-1"}, `line 1 is not "Name: value"`},
		{"header the client sets", map[string]string{"url": "https://h.example.net/u", "headers": "X-Token: a\nHost: other"}, "line 2 sets Host"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := map[string][]byte{}
			for k, v := range tc.data {
				data[k] = []byte(v)
			}
			_, err := callback.Descriptor.New(providers.Env{}, data, nil)
			if providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("error %v, want a credentials error saying %q", err, tc.says)
			}
			for _, secret := range []string{"pw-secret-1", "tok-secret-1", "h.example.net"} {
				if strings.Contains(err.Error(), secret) {
					t.Fatalf("error %q repeats the Secret's value %q", err, secret)
				}
			}
		})
	}
}

// Values are escaped for where they go: a URL component, a JSON string,
// a form. The URL of an IPv6 address keeps its colons, as ddns-go's.
func TestValuesAreEscaped(t *testing.T) {
	base, got := rawServer(t)
	p, err := callback.Descriptor.New(providers.Env{}, map[string][]byte{
		"url":     []byte(base + "/u/#{domain}?ip=#{ip}&v4=#{ipv4Addr}"),
		"body":    []byte(`{"name": "#{domain}", "ttl": #{ttl}}`),
		"headers": []byte("Authorization: Bearer tok-1\n# a comment\n\nX-Extra: yes"),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := p.CreateRecord(ctx, providers.Zone{Name: "example.com"}, providers.Record{Name: "*.example.com", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1", TTL: 60}); err != nil {
		t.Fatal(err)
	}
	req := receive(t, got)
	for _, want := range []string{
		"POST /u/*.example.com?ip=2a02:2e0:3fe:1001:302::1&v4= HTTP/1.1",
		"Authorization: Bearer tok-1\r\n",
		"X-Extra: yes\r\n",
		"Content-Type: application/json\r\n",
		`{"name": "*.example.com", "ttl": 60}`,
	} {
		if !strings.Contains(req, want) {
			t.Errorf("request\n%s\nlacks %q", req, want)
		}
	}
}

func TestStatusClasses(t *testing.T) {
	for status, kind := range map[int]providers.Kind{
		401: providers.KindAuth, 403: providers.KindAuth, 404: providers.KindInvalid, 400: providers.KindInvalid,
		429: providers.KindRateLimited, 500: providers.KindTransient, 503: providers.KindTransient,
	} {
		f := callbackfake.New(t, "example.com")
		p := newProvider(t, f, callbackfake.GetURL(f.URL, callbackfake.Token))
		f.FailWith(status, "echo "+callbackfake.Token)
		err := check(t, p, "home.example.com", "A", "81.2.69.160", 0)
		if providers.KindOf(err) != kind || strings.Contains(err.Error(), callbackfake.Token) {
			t.Errorf("HTTP %d: %v, want %s without the token", status, err, kind)
		}
	}
}

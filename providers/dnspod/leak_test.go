package dnspod_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/dnspod"
	"github.com/ddns-operator/ddns-operator/providers/dnspod/dnspodfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// No error the provider returns may hold the token, which travels in every
// request body: not even when the server echoes the request back.
func TestErrorsNeverHoldTheToken(t *testing.T) {
	const wrongToken = "deadbeefdeadbeefdeadbeefdeadbeef"
	var errs []error
	collect := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	ctx := t.Context()
	zone := providers.Zone{ID: "1", Name: "example.com"}
	rec := providers.Record{ID: "9", Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600}

	// The fake: wrong token, faults, refusals.
	fake := dnspodfake.New(t, "example.com")
	bad := build(t, fake, dnspodfake.TokenID+","+wrongToken, nil)
	_, err := bad.FindZone(ctx, "home.example.com", "")
	collect(err)
	_, err = bad.CreateRecord(ctx, zone, rec)
	collect(err)
	good := build(t, fake, dnspodfake.LoginToken, nil)
	z := zoneOf(t, good, "example.com")
	_, err = good.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 1})
	collect(err)
	_, err = good.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "not-an-ip"})
	collect(err)
	_, err = good.UpdateRecord(ctx, z, rec)
	collect(err)
	for _, f := range []providertest.Fault{providertest.FaultRateLimited, providertest.FaultServerError} {
		fake.SetFault(f)
		_, err = good.ListRecords(ctx, z, "home.example.com", "A")
		collect(err)
		collect(good.DeleteRecord(ctx, z, rec))
	}

	// A server that echoes the request body in its message.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		msg, _ := json.Marshal("you sent " + string(body) + " and " + dnspodfake.Token)
		fmt.Fprintf(w, `{"status":{"code":"-1","message":%s}}`, msg)
	}))
	t.Cleanup(echo.Close)
	p, err := dnspod.Descriptor.New(providers.Env{Endpoint: echo.URL}, secret(dnspodfake.LoginToken), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.FindZone(ctx, "home.example.com", "")
	collect(err)
	_, err = p.CreateRecord(ctx, zone, rec)
	collect(err)

	// Transport failure.
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	p, _ = dnspod.Descriptor.New(providers.Env{Endpoint: closed.URL}, secret(dnspodfake.LoginToken), nil)
	_, err = p.ListRecords(ctx, zone, "home.example.com", "A")
	collect(err)

	// Malformed secrets.
	for _, v := range []string{wrongToken, "x," + wrongToken, "1,has space " + wrongToken} {
		_, err := dnspod.FromSecretData(secret(v))
		collect(err)
	}

	if len(errs) < 14 {
		t.Fatalf("collected only %d errors", len(errs))
	}
	for _, err := range errs {
		for _, form := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err)} {
			for _, secretText := range []string{dnspodfake.Token, wrongToken} {
				if strings.Contains(form, secretText) {
					t.Errorf("error %q holds a token", form)
				}
			}
		}
	}
}

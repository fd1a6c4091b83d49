package providers_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
)

func TestPageGuardStopsARepeatingListing(t *testing.T) {
	g := providers.NewPageGuard("list records")
	if err := g.Page([]string{"1", "2"}); err != nil {
		t.Fatalf("first page: %v", err)
	}
	if err := g.Page([]string{"2", "3"}); err != nil {
		t.Fatalf("a page with one new entry: %v", err)
	}
	err := g.Page([]string{"1", "3"})
	if err == nil || providers.KindOf(err) != providers.KindTransient {
		t.Fatalf("a page of entries already read = %v, want a transient error", err)
	}
}

func TestPageGuardStopsAfterMaxPages(t *testing.T) {
	g := providers.NewPageGuard("list zones")
	for i := 0; i < providers.MaxPages; i++ {
		if err := g.Page([]string{fmt.Sprint(i)}); err != nil {
			t.Fatalf("page %d: %v", i+1, err)
		}
	}
	if err := g.Page([]string{"new"}); err == nil {
		t.Fatalf("page %d was accepted", providers.MaxPages+1)
	}
}

func TestEnvHTTPCutsLongBodies(t *testing.T) {
	for _, tc := range []struct {
		size    int
		wantErr bool
	}{{providers.MaxResponseBody, false}, {providers.MaxResponseBody + 1, true}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write(bytes.Repeat([]byte("x"), tc.size))
		}))
		res, err := providers.Env{}.HTTP().Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(res.Body)
		_ = res.Body.Close()
		srv.Close()
		if (err != nil) != tc.wantErr || len(b) > providers.MaxResponseBody {
			t.Errorf("body of %d bytes: read %d, error %v; want error %t", tc.size, len(b), err, tc.wantErr)
		}
	}
}

// refusingGate refuses every request after counting it.
type refusingGate struct{ n int }

func (g *refusingGate) Wait(context.Context) error {
	g.n++
	return errors.New("holding back")
}

func TestEnvHTTPWaitsForTheGate(t *testing.T) {
	sent := 0
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { sent++ }))
	defer srv.Close()
	g := &refusingGate{}
	res, err := (providers.Env{Gate: g}).HTTP().Get(srv.URL)
	if err == nil {
		_ = res.Body.Close()
		t.Fatal("a request the gate refused succeeded")
	}
	if g.n != 1 || sent != 0 {
		t.Fatalf("gate asked %d times, %d requests reached the server; want 1 and 0", g.n, sent)
	}
}

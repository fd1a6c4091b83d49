package providers_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
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

func TestLimitResponsesCutsLongBodies(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("x", 100)))
	}))
	defer srv.Close()
	for _, tc := range []struct {
		limit   int64
		wantErr bool
	}{{100, false}, {99, true}} {
		c := &http.Client{Transport: providers.LimitResponses(nil, tc.limit)}
		res, err := c.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(res.Body)
		_ = res.Body.Close()
		if (err != nil) != tc.wantErr || int64(len(b)) > tc.limit {
			t.Errorf("limit %d: read %d bytes, error %v; want error %t", tc.limit, len(b), err, tc.wantErr)
		}
	}
}

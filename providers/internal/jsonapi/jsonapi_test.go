package jsonapi

import (
	"net/http"
	"testing"
)

func TestNextLink(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header []string
		want   string
	}{
		{"none", nil, ""},
		{"deSEC's three links", []string{`<https://desec.io/api/v1/domains/x/rrsets/?cursor=>; rel="first", <https://desec.io/api/v1/domains/x/rrsets/?cursor=:p>; rel="prev", <https://desec.io/api/v1/domains/x/rrsets/?cursor=:n>; rel="next"`}, "https://desec.io/api/v1/domains/x/rrsets/?cursor=:n"},
		{"last page", []string{`<https://a/?cursor=>; rel="first", <https://a/?cursor=p>; rel="prev"`}, ""},
		{"unquoted rel, second header", []string{`<https://a/1>; rel=prev`, `<https://a/3>; rel=next`}, "https://a/3"},
		{"several relations", []string{`<https://a/2>; rel="last next"`}, "https://a/2"},
		{"malformed", []string{`https://a/2; rel="next"`}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			for _, v := range tc.header {
				h.Add("Link", v)
			}
			if got := NextLink(h); got != tc.want {
				t.Fatalf("NextLink = %q, want %q", got, tc.want)
			}
		})
	}
}

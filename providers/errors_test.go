package providers

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	inAMinute := time.Now().Add(time.Minute).UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT")
	for _, tc := range []struct {
		name, in string
		min, max time.Duration
	}{
		{"seconds", "12", 12 * time.Second, 12 * time.Second},
		{"seconds with spaces", " 3 ", 3 * time.Second, 3 * time.Second},
		{"an HTTP date", inAMinute, 50 * time.Second, time.Minute},
		{"a date in the past", "Mon, 02 Jan 2006 15:04:05 GMT", 0, 0},
		{"absent", "", 0, 0},
		{"words", "soon", 0, 0},
		{"negative", "-3", 0, 0},
		{"zero", "0", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := ParseRetryAfter(tc.in); d < tc.min || d > tc.max {
				t.Fatalf("ParseRetryAfter(%q) = %v, want between %v and %v", tc.in, d, tc.min, tc.max)
			}
		})
	}
}

func TestKindOf(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want Kind
	}{
		{"auth", Errorf(KindAuth, "401", "no"), KindAuth},
		{"wrapped", fmt.Errorf("list: %w", Errorf(KindZoneNotFound, "", "no zone")), KindZoneNotFound},
		{"missing key", MissingKey("apiToken"), KindCredentials},
		{"plain error", errors.New("boom"), KindTransient},
		{"rate limited", RateLimited("429", "slow", time.Second), KindRateLimited},
	} {
		if got := KindOf(tc.err); got != tc.want {
			t.Errorf("%s: KindOf = %s, want %s", tc.name, got, tc.want)
		}
	}
}

// A transport error's text repeats the request URL, which can carry a
// signature or token; Transient keeps only the cause.
func TestTransientDropsTheRequestURL(t *testing.T) {
	uerr := &url.Error{Op: "Get", URL: "https://api.example/?Signature=s3cr3t&token=t0k3n", Err: errors.New("connection reset by peer")}
	err := Transient("list records", uerr)
	if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), "t0k3n") {
		t.Fatalf("message %q repeats the URL", err)
	}
	if !strings.Contains(err.Error(), "connection reset by peer") || !errors.Is(err, uerr) {
		t.Fatalf("message %q or chain lost the cause", err)
	}
	if got := Transient("x", context.Canceled); !errors.Is(got, context.Canceled) {
		t.Fatal("cancellation is not kept in the chain")
	}
}

func TestLongestSuffixZone(t *testing.T) {
	zones := []Zone{{Name: "example.com"}, {Name: "sub.example.com"}, {Name: "ample.com"}}
	for fqdn, want := range map[string]string{
		"a.sub.example.com": "sub.example.com",
		"example.com":       "example.com",
		"HOME.Example.com.": "example.com",
		"xsub.example.com":  "example.com",
		"ample.com":         "ample.com",
		"example.org":       "",
	} {
		z, ok := LongestSuffixZone(fqdn, zones)
		if z.Name != want || ok != (want != "") {
			t.Errorf("LongestSuffixZone(%q) = %q, %v, want %q", fqdn, z.Name, ok, want)
		}
	}
	if RelativeName("example.com", "example.com") != "@" || RelativeName("a.b.example.com", "example.com") != "a.b" {
		t.Error("RelativeName")
	}
	if AbsoluteName("@", "example.com") != "example.com" || AbsoluteName("www", "Example.com.") != "www.example.com" {
		t.Error("AbsoluteName")
	}
}

package baiducloud

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// The canonical request has the documented layout (method, URI, sorted
// query, sorted "name:value" headers with encoded values, no trailing
// newline) and the authorization string names the signed headers.
func TestCanonicalRequest(t *testing.T) {
	req, _ := http.NewRequest(http.MethodPost, "https://bcd.baidubce.com/v1/domain/resolve/list?b=2&a=x%20y", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	sign(req, "AK", "SK", time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC))
	want := strings.Join([]string{
		"POST",
		"/v1/domain/resolve/list",
		"a=x%20y&b=2",
		"content-type:application%2Fjson%3B%20charset%3Dutf-8",
		"host:bcd.baidubce.com",
		"x-bce-date:2026-09-03T00%3A00%3A00Z",
	}, "\n")
	if got := canonicalRequest(req, []string{"content-type", "host", "x-bce-date"}); got != want {
		t.Fatalf("canonical request\n%s\nwant\n%s", got, want)
	}
	if h := req.Header.Get("Authorization"); !strings.HasPrefix(h, "bce-auth-v1/AK/2026-09-03T00:00:00Z/1800/content-type;host;x-bce-date/") {
		t.Fatalf("Authorization %q", h)
	}
}

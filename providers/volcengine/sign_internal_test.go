package volcengine

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// The canonical request has the documented layout: method, "/", the
// sorted query, one "name:value" line per signed header, a blank line,
// the signed headers, the body's hash; the credential scope names the
// date, region, service and "request".
func TestSignatureLayout(t *testing.T) {
	req, _ := http.NewRequest(http.MethodPost, "https://open.volcengineapi.com/?Version=2018-08-01&Action=CreateRecord", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	sign(req, []byte(`{}`), "AKLT", "secret", "cn-north-1", "DNS", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	want := strings.Join([]string{
		"POST",
		"/",
		"Action=CreateRecord&Version=2018-08-01",
		"content-type:application/json",
		"host:open.volcengineapi.com",
		"x-content-sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
		"x-date:20240102T030405Z",
		"",
		"content-type;host;x-content-sha256;x-date",
		"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
	}, "\n")
	if got := canonicalRequest(req, []byte(`{}`), []string{"content-type", "host", "x-content-sha256", "x-date"}); got != want {
		t.Fatalf("canonical request\n%s\nwant\n%s", got, want)
	}
	if h := req.Header.Get("Authorization"); !strings.HasPrefix(h, "HMAC-SHA256 Credential=AKLT/20240102/cn-north-1/DNS/request, SignedHeaders=content-type;host;x-content-sha256;x-date, Signature=") {
		t.Fatalf("Authorization %q", h)
	}
}

package huaweicloud

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers/internal/signing"
)

// The signing guide's worked example: this string to sign and this secret
// access key give this signature ("Calculating the Signature",
// https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-004.html).
func TestSignatureOfTheGuidesExample(t *testing.T) {
	const sk = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
	sts := "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
	if got := signing.HMACHex([]byte(sk), sts); got != "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe" {
		t.Fatalf("signature %s", got)
	}
}

// The canonical request has the guide's layout: a trailing "/" on the
// path, the query sorted and encoded, one "name:value" line per signed
// header, a blank line, the signed headers, the body's hash.
func TestCanonicalRequest(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "https://dns.myhuaweicloud.com/v2.1/zones/ff80/recordsets?type=A&name=home.example.com.&line_id=default_view&b=a%20b", nil)
	req.Header.Set("X-Sdk-Date", "20191115T033655Z")
	got := canonicalRequest(req, nil, []string{"host", "x-sdk-date"})
	want := strings.Join([]string{
		"GET",
		"/v2.1/zones/ff80/recordsets/",
		"b=a%20b&line_id=default_view&name=home.example.com.&type=A",
		"host:dns.myhuaweicloud.com",
		"x-sdk-date:20191115T033655Z",
		"",
		"host;x-sdk-date",
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	}, "\n")
	if got != want {
		t.Fatalf("canonical request\n%s\nwant\n%s", got, want)
	}
	sign(req, nil, "AKID", "secret", time.Date(2019, 11, 15, 3, 36, 55, 0, time.UTC))
	if h := req.Header.Get("Authorization"); !strings.HasPrefix(h, "SDK-HMAC-SHA256 Access=AKID, SignedHeaders=host;x-sdk-date, Signature=") {
		t.Fatalf("Authorization %q", h)
	}
}

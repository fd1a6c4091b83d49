package huaweicloud

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/providers/internal/signing"
)

// AK/SK signing as Huawei Cloud's API Gateway documents it ("API Request
// Signing Guide: AK/SK Signing and Authentication Algorithm",
// https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm.html):
//
//	CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n
//	                   CanonicalHeaders \n SignedHeaders \n HexEncode(SHA256(Body))
//	StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n HexEncode(SHA256(CanonicalRequest))
//	Signature        = HexEncode(HMAC-SHA256(SK, StringToSign))
//	Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, Signature=<hex>
//
// The canonical URI is the path with every segment percent-encoded and a
// trailing "/"; the query's names and values are percent-encoded (RFC
// 3986's unreserved characters kept) and sorted; each signed header is
// "name:value\n", lowercase name, trimmed value, sorted by name, and
// X-Sdk-Date (YYYYMMDDTHHMMSSZ, UTC, within 15 minutes of the gateway's
// clock) must be among them.

const (
	signAlgorithm = "SDK-HMAC-SHA256"
	dateHeader    = "X-Sdk-Date"
	dateFormat    = "20060102T150405Z"
)

// sign sets X-Sdk-Date and Authorization on req, whose body is body,
// signing content-type (when set), host and x-sdk-date.
func sign(req *http.Request, body []byte, ak, sk string, now time.Time) {
	date := now.UTC().Format(dateFormat)
	req.Header.Set(dateHeader, date)
	signed := []string{"host", "x-sdk-date"}
	if req.Header.Get("Content-Type") != "" {
		signed = append(signed, "content-type")
	}
	slices.Sort(signed)
	cr := canonicalRequest(req, body, signed)
	sig := signing.HMACHex([]byte(sk), stringToSign(date, cr))
	req.Header.Set("Authorization", signAlgorithm+" Access="+ak+", SignedHeaders="+strings.Join(signed, ";")+", Signature="+sig)
}

// stringToSign is the text the signature covers.
func stringToSign(date, canonical string) string {
	return signAlgorithm + "\n" + date + "\n" + signing.SHA256Hex([]byte(canonical))
}

// canonicalRequest builds the canonical form of req for the signed
// headers (lowercase, sorted).
func canonicalRequest(req *http.Request, body []byte, signed []string) string {
	var b strings.Builder
	b.WriteString(req.Method + "\n")
	b.WriteString(canonicalURI(req.URL.EscapedPath()) + "\n")
	b.WriteString(signing.Query(req.URL.Query()) + "\n")
	b.WriteString(signing.Headers(req, signed))
	b.WriteString("\n" + strings.Join(signed, ";") + "\n")
	b.WriteString(signing.SHA256Hex(body))
	return b.String()
}

// canonicalURI encodes each segment of the (escaped) path and ends it with
// "/".
func canonicalURI(escapedPath string) string {
	segs := strings.Split(escapedPath, "/")
	for i, s := range segs {
		segs[i] = signing.Escape(unescape(s))
	}
	p := strings.Join(segs, "/")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// unescape decodes a path segment; one that does not decode is kept.
func unescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return string(out)
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

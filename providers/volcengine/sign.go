package volcengine

import (
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/providers/internal/signing"
)

// The HMAC-SHA256 signature of Volcengine's OpenAPI gateway ("签名方法",
// https://www.volcengine.com/docs/6369/67269), the V4 scheme with its own
// names:
//
//	CanonicalRequest = Method \n "/" \n CanonicalQueryString \n CanonicalHeaders \n
//	                   SignedHeaders \n HexEncode(SHA256(Body))
//	CredentialScope  = YYYYMMDD "/" Region "/" Service "/request"
//	StringToSign     = "HMAC-SHA256" \n X-Date \n CredentialScope \n HexEncode(SHA256(CanonicalRequest))
//	kSigning         = HMAC(HMAC(HMAC(HMAC(SK, YYYYMMDD), Region), Service), "request")
//	Signature        = HexEncode(HMAC(kSigning, StringToSign))
//	Authorization: HMAC-SHA256 Credential=<AK>/<CredentialScope>, SignedHeaders=<h1;h2>, Signature=<hex>
//
// with X-Date (YYYYMMDDTHHMMSSZ, UTC) and X-Content-Sha256 (the body's
// hash) sent and signed, the query's names and values percent-encoded
// (unreserved characters kept, space as %20) and sorted.

const (
	signAlgorithm = "HMAC-SHA256"
	dateFormat    = "20060102T150405Z"
)

// sign sets X-Date, X-Content-Sha256 and Authorization on req, whose body
// is body, for region and service.
func sign(req *http.Request, body []byte, ak, sk, region, service string, now time.Time) {
	xdate := now.UTC().Format(dateFormat)
	req.Header.Set("X-Date", xdate)
	req.Header.Set("X-Content-Sha256", signing.SHA256Hex(body))
	signed := []string{"host", "x-content-sha256", "x-date"}
	if req.Header.Get("Content-Type") != "" {
		signed = append(signed, "content-type")
	}
	slices.Sort(signed)
	scope := xdate[:8] + "/" + region + "/" + service + "/request"
	toSign := signAlgorithm + "\n" + xdate + "\n" + scope + "\n" + signing.SHA256Hex([]byte(canonicalRequest(req, body, signed)))
	key := signing.HMAC([]byte(sk), xdate[:8])
	for _, part := range []string{region, service, "request"} {
		key = signing.HMAC(key, part)
	}
	sig := hex.EncodeToString(signing.HMAC(key, toSign))
	req.Header.Set("Authorization", signAlgorithm+" Credential="+ak+"/"+scope+", SignedHeaders="+strings.Join(signed, ";")+", Signature="+sig)
}

// canonicalRequest builds the canonical form of req for the signed headers
// (lowercase, sorted).
func canonicalRequest(req *http.Request, body []byte, signed []string) string {
	path := req.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	var b strings.Builder
	b.WriteString(req.Method + "\n" + path + "\n" + signing.Query(req.URL.Query()) + "\n")
	b.WriteString(signing.Headers(req, signed))
	b.WriteString("\n" + strings.Join(signed, ";") + "\n" + signing.SHA256Hex(body))
	return b.String()
}

package alidnsfake

import (
	"cmp"
	"crypto/hmac"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Signature V3 (ACS3-HMAC-SHA256), recomputed from the documented algorithm
// in "Request syntax and signature method V3"
// (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature):
//
//	CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n
//	                   CanonicalHeaders \n SignedHeaders \n HashedRequestPayload
//	StringToSign     = "ACS3-HMAC-SHA256" \n hex(sha256(CanonicalRequest))
//	Signature        = hex(hmac-sha256(AccessKeySecret, StringToSign))
//	Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<h1;h2>,Signature=<hex>
//
// Query names and values are percent-encoded per RFC 3986 (space %20, *
// %2A, ~ kept) and sorted; CanonicalHeaders are host, content-type and every
// x-acs-* header, lowercase, trimmed, sorted, one "name:value\n" each; the
// payload hash is hex(sha256(body)), also sent as x-acs-content-sha256.

const algorithm = "ACS3-HMAC-SHA256"

// signedRequired are the common headers every V3 request must sign.
var signedRequired = []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}

// maxSkew is how far x-acs-date may be from the server's clock.
const maxSkew = 15 * time.Minute

// verify checks the request's V3 signature and returns the documented
// error answer when it fails. The fake's lock is held.
func (f *Fake) verify(r *http.Request, body []byte) *apiError {
	a, ok := providertest.ParseAuthorization(r.Header.Get("Authorization"), algorithm)
	if !ok {
		return errIncompleteSignature
	}
	cred, known := f.creds[a.Credential]
	if !known {
		return errAccessKeyNotFound
	}
	if cred.disabled {
		return errAccessKeyInactive
	}
	headers, names := providertest.CanonicalHeaders(r, a.SignedHeaders)
	signed := strings.Split(names, ";")
	for _, h := range signedRequired {
		if !slices.Contains(signed, h) || (h != "host" && r.Header.Get(h) == "") {
			return errIncompleteSignature
		}
	}
	for name := range r.Header {
		l := strings.ToLower(name)
		if (strings.HasPrefix(l, "x-acs-") || l == "content-type") && !slices.Contains(signed, l) {
			return errIncompleteSignature
		}
	}
	canonical := strings.Join([]string{r.Method, cmp.Or(r.URL.EscapedPath(), "/"), canonicalQuery(r.URL.RawQuery),
		headers, names, providertest.SHA256Hex(body)}, "\n")
	want := providertest.HMACSHA256([]byte(cred.secret), algorithm+"\n"+providertest.SHA256Hex([]byte(canonical)))
	if !hmac.Equal([]byte(hex.EncodeToString(want)), []byte(strings.ToLower(a.Signature))) {
		return errSignatureMismatch
	}
	if tok := r.Header.Get("x-acs-security-token"); cred.token != "" && tok == "" {
		return errMissingSecurityToken
	} else if cred.token != "" && tok != cred.token {
		return errSecurityTokenMismatch
	}
	date, err := time.Parse("2006-01-02T15:04:05Z", r.Header.Get("x-acs-date"))
	if err != nil || time.Until(date).Abs() > maxSkew {
		return errTimestampExpired
	}
	nonce := r.Header.Get("x-acs-signature-nonce")
	if f.nonces[nonce] {
		return errNonceUsed
	}
	f.nonces[nonce] = true
	return nil
}

// canonicalQuery re-encodes the query per RFC 3986 (url.QueryEscape but for
// a space, %20), sorted by name, then value for a repeated name.
func canonicalQuery(raw string) string {
	q, _ := url.ParseQuery(raw)
	enc := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	var pairs [][2]string
	for k, vs := range q {
		for _, v := range vs {
			pairs = append(pairs, [2]string{enc(k), enc(v)})
		}
	}
	slices.SortFunc(pairs, func(a, b [2]string) int { return cmp.Or(strings.Compare(a[0], b[0]), strings.Compare(a[1], b[1])) })
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = p[0] + "=" + p[1]
	}
	return strings.Join(out, "&")
}

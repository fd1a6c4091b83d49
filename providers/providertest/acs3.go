package providertest

import (
	"crypto/hmac"
	"encoding/hex"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// ACS3 verifies Alibaba Cloud's signature V3 (ACS3-HMAC-SHA256), which
// every Alibaba product's fake checks the same way ("Request syntax and
// signature method V3",
// https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature):
//
//	CanonicalRequest = Method \n URI \n Query \n CanonicalHeaders \n SignedHeaders \n Hex(SHA256(Body))
//	StringToSign     = "ACS3-HMAC-SHA256" \n Hex(SHA256(CanonicalRequest))
//	Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<h1;h2>,Signature=Hex(HMAC(Secret, StringToSign))
//
// host and the x-acs-* common headers (action, content-sha256, date,
// signature-nonce, version) must be signed, as must every x-acs-* header
// and content-type sent; x-acs-date may be 15 minutes off and a nonce is
// used once. The query is re-encoded the RFC 3986 way and sorted.
type ACS3 struct {
	// Keys maps each AccessKey ID the fake knows to its secret.
	Keys map[string]string

	mu     sync.Mutex
	nonces map[string]bool
}

// The refusals Verify returns: the codes Alibaba Cloud's gateway answers
// with (HTTP 400 for the first, 401/403 for the others).
const (
	ACS3Incomplete     = "IncompleteSignature"
	ACS3UnknownKey     = "InvalidAccessKeyId.NotFound"
	ACS3Mismatch       = "SignatureDoesNotMatch"
	ACS3Expired        = "InvalidTimeStamp.Expired"
	ACS3NonceUsed      = "SignatureNonceUsed"
	acs3Algorithm      = "ACS3-HMAC-SHA256"
	acs3MaxClockSkew   = 15 * time.Minute
	acs3DateTimeFormat = "2006-01-02T15:04:05Z"
)

var acs3Required = []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}

// Verify returns "" for a request signed with a known key, else one of
// the ACS3* codes.
func (v *ACS3) Verify(r *http.Request, body []byte, now time.Time) string {
	rest, ok := strings.CutPrefix(strings.TrimSpace(r.Header.Get("Authorization")), acs3Algorithm+" ")
	if !ok {
		return ACS3Incomplete
	}
	f := authFields(rest)
	if f["Credential"] == "" || f["SignedHeaders"] == "" || f["Signature"] == "" {
		return ACS3Incomplete
	}
	secret, known := v.Keys[f["Credential"]]
	if !known {
		return ACS3UnknownKey
	}
	signed := strings.Split(strings.ToLower(f["SignedHeaders"]), ";")
	for _, h := range acs3Required {
		if !slices.Contains(signed, h) || (h != "host" && r.Header.Get(h) == "") {
			return ACS3Incomplete
		}
	}
	for name := range r.Header {
		if l := strings.ToLower(name); (strings.HasPrefix(l, "x-acs-") || l == "content-type") && !slices.Contains(signed, l) {
			return ACS3Incomplete
		}
	}
	slices.Sort(signed)
	var headers strings.Builder
	for _, h := range signed {
		val := r.Host
		if h != "host" {
			vals := r.Header.Values(h)
			for i := range vals {
				vals[i] = strings.TrimSpace(vals[i])
			}
			val = strings.Join(vals, ",")
		}
		headers.WriteString(h + ":" + strings.TrimSpace(val) + "\n")
	}
	uri := r.URL.EscapedPath()
	if uri == "" {
		uri = "/"
	}
	canonical := strings.Join([]string{r.Method, uri, acs3Query(r.URL.RawQuery), headers.String(), strings.Join(signed, ";"), hexSum(body)}, "\n")
	want := hex.EncodeToString(hmacSum([]byte(secret), acs3Algorithm+"\n"+hexSum([]byte(canonical))))
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(f["Signature"]))) {
		return ACS3Mismatch
	}
	date, err := time.Parse(acs3DateTimeFormat, r.Header.Get("x-acs-date"))
	if err != nil || now.Sub(date).Abs() > acs3MaxClockSkew {
		return ACS3Expired
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	nonce := r.Header.Get("x-acs-signature-nonce")
	if v.nonces[nonce] {
		return ACS3NonceUsed
	}
	if v.nonces == nil {
		v.nonces = map[string]bool{}
	}
	v.nonces[nonce] = true
	return ""
}

// acs3Query re-encodes the query per RFC 3986, sorted by name then value.
func acs3Query(raw string) string {
	q, _ := url.ParseQuery(raw)
	var pairs []string
	for _, k := range slices.Sorted(maps.Keys(q)) {
		vals := slices.Clone(q[k])
		slices.Sort(vals)
		for _, val := range vals {
			pairs = append(pairs, rfc3986(k)+"="+rfc3986(val))
		}
	}
	return strings.Join(pairs, "&")
}

// rfc3986 percent-encodes all but the unreserved characters.
func rfc3986(s string) string {
	return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(url.QueryEscape(s))
}

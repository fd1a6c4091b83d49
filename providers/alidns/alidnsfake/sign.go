package alidnsfake

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
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

// authorization is a parsed Authorization header.
type authorization struct {
	accessKeyID   string
	signedHeaders []string
	signature     string
}

// parseAuthorization splits "ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..".
func parseAuthorization(h string) (authorization, bool) {
	algo, rest, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || algo != algorithm {
		return authorization{}, false
	}
	var a authorization
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return authorization{}, false
		}
		switch k {
		case "Credential":
			a.accessKeyID = v
		case "SignedHeaders":
			a.signedHeaders = strings.Split(v, ";")
		case "Signature":
			a.signature = v
		}
	}
	if a.accessKeyID == "" || len(a.signedHeaders) == 0 || a.signature == "" {
		return authorization{}, false
	}
	return a, true
}

// authenticate checks the request's V3 signature and returns the documented
// error answer when it fails.
func (f *Fake) authenticate(r *http.Request, body []byte) *apiError {
	a, ok := parseAuthorization(r.Header.Get("Authorization"))
	if !ok {
		return errIncompleteSignature
	}
	f.mu.Lock()
	cred, known := f.creds[a.accessKeyID]
	f.mu.Unlock()
	if !known {
		return errAccessKeyNotFound
	}
	if cred.disabled {
		return errAccessKeyInactive
	}
	signed := map[string]bool{}
	for _, h := range a.signedHeaders {
		signed[strings.ToLower(h)] = true
	}
	for _, h := range signedRequired {
		if !signed[h] || (h != "host" && r.Header.Get(h) == "") {
			return errIncompleteSignature
		}
	}
	for name := range r.Header {
		l := strings.ToLower(name)
		if (strings.HasPrefix(l, "x-acs-") || l == "content-type") && !signed[l] {
			return errIncompleteSignature
		}
	}
	want := signature(cred.secret, canonicalRequest(r, a.signedHeaders, body))
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(a.signature))) {
		return errSignatureMismatch
	}
	if cred.token != "" {
		switch tok := r.Header.Get("x-acs-security-token"); {
		case tok == "":
			return errMissingSecurityToken
		case tok != cred.token:
			return errSecurityTokenMismatch
		}
	}
	date, err := time.Parse("2006-01-02T15:04:05Z", r.Header.Get("x-acs-date"))
	if err != nil || date.Sub(time.Now()).Abs() > maxSkew {
		return errTimestampExpired
	}
	nonce := r.Header.Get("x-acs-signature-nonce")
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.nonces[nonce] {
		return errNonceUsed
	}
	f.nonces[nonce] = true
	return nil
}

// canonicalRequest builds the documented canonical request.
func canonicalRequest(r *http.Request, signedHeaders []string, body []byte) string {
	uri := r.URL.EscapedPath()
	if uri == "" {
		uri = "/"
	}
	var hs []string
	for _, h := range signedHeaders {
		hs = append(hs, strings.ToLower(h))
	}
	sort.Strings(hs)
	var headers strings.Builder
	for _, h := range hs {
		var v string
		if h == "host" {
			v = r.Host
		} else {
			vals := r.Header.Values(h)
			for i := range vals {
				vals[i] = strings.TrimSpace(vals[i])
			}
			v = strings.Join(vals, ",")
		}
		headers.WriteString(h + ":" + strings.TrimSpace(v) + "\n")
	}
	sum := sha256.Sum256(body)
	return strings.Join([]string{
		r.Method,
		uri,
		canonicalQuery(r.URL.RawQuery),
		headers.String(),
		strings.Join(hs, ";"),
		hex.EncodeToString(sum[:]),
	}, "\n")
}

// canonicalQuery re-encodes the query per RFC 3986, sorted by name (then
// value, for a repeated name).
func canonicalQuery(raw string) string {
	q, _ := url.ParseQuery(raw)
	type pair struct{ k, v string }
	var pairs []pair
	for k, vs := range q {
		for _, v := range vs {
			pairs = append(pairs, pair{percentEncode(k), percentEncode(v)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = p.k + "=" + p.v
	}
	return strings.Join(out, "&")
}

// percentEncode encodes all but RFC 3986's unreserved characters.
func percentEncode(s string) string {
	const hexdig = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexdig[c>>4])
		b.WriteByte(hexdig[c&15])
	}
	return b.String()
}

// signature is hex(hmac-sha256(secret, StringToSign)).
func signature(secret, canonical string) string {
	h := sha256.Sum256([]byte(canonical))
	stringToSign := algorithm + "\n" + hex.EncodeToString(h[:])
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stringToSign))
	return hex.EncodeToString(mac.Sum(nil))
}

package volcenginefake

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

// The OpenAPI gateway's HMAC-SHA256 check, recomputed from the request as
// the signing guide describes it (see the package doc).

// Authenticate verifies the HMAC-SHA256 signature.
func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, body []byte) bool {
	h := r.Header.Get("Authorization")
	w.f.Note(h)
	f := map[string]string{}
	rest, ok := strings.CutPrefix(h, "HMAC-SHA256 ")
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		f[k] = v
	}
	w.f.Note(f["Signature"])
	cred := strings.Split(f["Credential"], "/")
	xdate := r.Header.Get("X-Date")
	t, err := time.Parse("20060102T150405Z", xdate)
	switch {
	case !ok || len(cred) != 5 || f["Signature"] == "" || f["SignedHeaders"] == "":
		fail(rw, r, http.StatusUnauthorized, 100001, "MissingAuthenticationToken", "The request is missing a valid Authorization header.")
	case cred[0] != AK:
		fail(rw, r, http.StatusUnauthorized, 100009, "InvalidAccessKey", "The access key ID "+cred[0]+" does not exist.")
	case err != nil || time.Since(t).Abs() > 15*time.Minute || cred[1] != xdate[:8] || cred[4] != "request":
		fail(rw, r, http.StatusUnauthorized, 100010, "SignatureDoesNotMatch", "The request's X-Date or credential scope is invalid or expired.")
	case r.Header.Get("X-Content-Sha256") != hashHex(body) ||
		!hmac.Equal([]byte(signature(r, body, f["SignedHeaders"], cred[1], cred[2], cred[3])), []byte(f["Signature"])):
		fail(rw, r, http.StatusUnauthorized, 100010, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your Secret Access Key and signing method.")
	default:
		return true
	}
	return false
}

// signature recomputes the request's signature with SK.
func signature(r *http.Request, body []byte, signedHeaders, date, region, service string) string {
	names := strings.Split(signedHeaders, ";")
	if !sort.StringsAreSorted(names) || !has(names, "host") || !has(names, "x-date") {
		return ""
	}
	var query []string
	for k, vs := range r.URL.Query() {
		for _, v := range vs {
			query = append(query, enc(k)+"="+enc(v))
		}
	}
	sort.Strings(query)
	var headers strings.Builder
	for _, n := range names {
		v := r.Header.Get(n)
		if n == "host" {
			v = r.Host
		}
		headers.WriteString(n + ":" + strings.TrimSpace(v) + "\n")
	}
	canonical := strings.Join([]string{r.Method, r.URL.EscapedPath(), strings.Join(query, "&"), headers.String(), signedHeaders, hashHex(body)}, "\n")
	scope := date + "/" + region + "/" + service + "/request"
	toSign := "HMAC-SHA256\n" + r.Header.Get("X-Date") + "\n" + scope + "\n" + hashHex([]byte(canonical))
	k := mac([]byte(SK), date)
	k = mac(k, region)
	k = mac(k, service)
	k = mac(k, "request")
	return hex.EncodeToString(mac(k, toSign))
}

func enc(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

func has(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func hashHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func mac(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

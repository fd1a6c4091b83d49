package baiducloud

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/providers/internal/signing"
)

// Baidu AI Cloud's request signature, bce-auth-v1 ("生成认证字符串",
// https://cloud.baidu.com/doc/Reference/s/njwvz1yfu):
//
//	AuthStringPrefix = "bce-auth-v1/" AK "/" Timestamp "/" ExpirationPeriodInSeconds
//	SigningKey       = HexEncode(HMAC-SHA256(SK, AuthStringPrefix))
//	CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders
//	Signature        = HexEncode(HMAC-SHA256(SigningKey, CanonicalRequest))
//	Authorization: AuthStringPrefix "/" SignedHeaders "/" Signature
//
// with Timestamp as 2006-01-02T15:04:05Z (UTC); the URI's segments and the
// query's names and values percent-encoded the RFC 3986 way and the query
// sorted; each signed header as UriEncode(lowercase name) ":"
// UriEncode(trimmed value), sorted and joined by newlines; SignedHeaders
// the lowercase names joined by ";".

const (
	timestampFormat = "2006-01-02T15:04:05Z"
	// expiration is how long a signature stays valid, in seconds.
	expiration = "1800"
)

// sign sets x-bce-date and Authorization on req, signing host,
// content-type (when set) and x-bce-date.
func sign(req *http.Request, ak, sk string, now time.Time) {
	ts := now.UTC().Format(timestampFormat)
	req.Header.Set("x-bce-date", ts)
	signed := []string{"host", "x-bce-date"}
	if req.Header.Get("Content-Type") != "" {
		signed = append(signed, "content-type")
	}
	slices.Sort(signed)
	prefix := "bce-auth-v1/" + ak + "/" + ts + "/" + expiration
	key := signing.HMACHex([]byte(sk), prefix)
	sig := signing.HMACHex([]byte(key), canonicalRequest(req, signed))
	req.Header.Set("Authorization", prefix+"/"+strings.Join(signed, ";")+"/"+sig)
}

// canonicalRequest builds the canonical form of req for the signed
// headers (lowercase, sorted).
func canonicalRequest(req *http.Request, signed []string) string {
	segs := strings.Split(req.URL.Path, "/")
	for i, s := range segs {
		segs[i] = signing.Escape(s)
	}
	var headers []string
	for _, h := range signed {
		v := req.Header.Get(h)
		if h == "host" {
			v = req.Host
			if v == "" {
				v = req.URL.Host
			}
		}
		headers = append(headers, signing.Escape(h)+":"+signing.Escape(strings.TrimSpace(v)))
	}
	slices.Sort(headers)
	return req.Method + "\n" + strings.Join(segs, "/") + "\n" + signing.Query(req.URL.Query()) + "\n" + strings.Join(headers, "\n")
}

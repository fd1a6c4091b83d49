package route53fake

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// sigV4 is a parsed "Authorization: AWS4-HMAC-SHA256 ..." header.
type sigV4 struct {
	accessKey, date, region, service string
	signedHeaders                    []string
	signature                        string
}

// parseSigV4 reads the header's credential scope, signed headers and
// signature (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html).
func parseSigV4(auth string) (sigV4, bool) {
	rest, ok := strings.CutPrefix(auth, "AWS4-HMAC-SHA256 ")
	if !ok {
		return sigV4{}, false
	}
	var s sigV4
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			scope := strings.Split(v, "/")
			if len(scope) != 5 || scope[4] != "aws4_request" {
				return sigV4{}, false
			}
			s.accessKey, s.date, s.region, s.service = scope[0], scope[1], scope[2], scope[3]
		case "SignedHeaders":
			s.signedHeaders = strings.Split(v, ";")
		case "Signature":
			s.signature = v
		}
	}
	return s, s.accessKey != "" && s.signature != "" && len(s.signedHeaders) > 0
}

// verifySigV4 recomputes r's signature with secret, as AWS does
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html),
// and returns why it does not match ("" when it does).
func verifySigV4(r *http.Request, body []byte, s sigV4, secret string, now time.Time) string {
	amzDate := r.Header.Get("X-Amz-Date")
	t, err := time.Parse("20060102T150405Z", amzDate)
	switch {
	case err != nil:
		return "missing or malformed X-Amz-Date"
	case now.Sub(t).Abs() > 15*time.Minute:
		return "Signature expired: " + amzDate + " is now earlier or later than 15 minutes from the server's time."
	case t.Format("20060102") != s.date:
		return "the credential scope's date is not the request's"
	}
	signed := map[string]bool{}
	for _, h := range s.signedHeaders {
		signed[h] = true
	}
	if !signed["host"] || !signed["x-amz-date"] {
		return "host and x-amz-date must be signed"
	}
	payload := r.Header.Get("X-Amz-Content-Sha256")
	if payload == "" {
		sum := sha256.Sum256(body)
		payload = hex.EncodeToString(sum[:])
	}
	var canon strings.Builder
	canon.WriteString(r.Method + "\n")
	canon.WriteString(escapePath(r.URL.Path) + "\n")
	canon.WriteString(canonicalQuery(r.URL.Query()) + "\n")
	for _, h := range s.signedHeaders {
		v := r.Header.Values(h)
		if h == "host" {
			v = []string{r.Host}
		}
		for i := range v {
			v[i] = strings.Join(strings.Fields(v[i]), " ")
		}
		canon.WriteString(h + ":" + strings.Join(v, ",") + "\n")
	}
	canon.WriteString("\n" + strings.Join(s.signedHeaders, ";") + "\n" + payload)
	sum := sha256.Sum256([]byte(canon.String()))
	scope := fmt.Sprintf("%s/%s/%s/aws4_request", s.date, s.region, s.service)
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
	key := mac([]byte("AWS4"+secret), s.date)
	for _, part := range []string{s.region, s.service, "aws4_request"} {
		key = mac(key, part)
	}
	if !hmac.Equal([]byte(hex.EncodeToString(mac(key, toSign))), []byte(s.signature)) {
		return "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."
	}
	return ""
}

func mac(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

// escapePath encodes a path as SigV4 wants it: every byte but unreserved
// characters and '/'.
func escapePath(p string) string {
	if p == "" {
		return "/"
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '/' || unreserved(c) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// canonicalQuery is the query sorted by key then value, each encoded.
func canonicalQuery(q url.Values) string {
	var parts []string
	for k, vs := range q {
		for _, v := range vs {
			parts = append(parts, escape(k)+"="+escape(v))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, "&")
}

func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; unreserved(c) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
}

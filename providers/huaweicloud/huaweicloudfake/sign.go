package huaweicloudfake

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

// The API Gateway's SDK-HMAC-SHA256 check, recomputed from the request as
// the signing guide describes it (see the package doc).

// Authenticate verifies the SDK-HMAC-SHA256 signature.
func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, body []byte) bool {
	h := r.Header.Get("Authorization")
	w.f.Note(h)
	fields := map[string]string{}
	rest, ok := strings.CutPrefix(h, "SDK-HMAC-SHA256 ")
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		fields[k] = v
	}
	w.f.Note(fields["Signature"])
	date, err := time.Parse("20060102T150405Z", r.Header.Get("X-Sdk-Date"))
	switch {
	case !ok || fields["Access"] == "" || fields["Signature"] == "" || fields["SignedHeaders"] == "":
		gatewayError(rw, http.StatusUnauthorized, "APIGW.0301", "Incorrect IAM authentication information: Authorization not found or malformed")
	case fields["Access"] != AK:
		gatewayError(rw, http.StatusUnauthorized, "APIGW.0301", "Incorrect IAM authentication information: AK "+fields["Access"]+" not exist")
	case err != nil || time.Since(date).Abs() > 15*time.Minute:
		gatewayError(rw, http.StatusUnauthorized, "APIGW.0301", "Incorrect IAM authentication information: x-sdk-date is missing or more than 15 minutes away")
	case !hmac.Equal([]byte(signature(r, body, fields["SignedHeaders"])), []byte(fields["Signature"])):
		gatewayError(rw, http.StatusUnauthorized, "APIGW.0301", "Incorrect IAM authentication information: verify aksk signature fail")
	default:
		return true
	}
	return false
}

// signature recomputes the request's signature with SK over the headers
// it names; x-sdk-date and host must be among them.
func signature(r *http.Request, body []byte, signedHeaders string) string {
	names := strings.Split(signedHeaders, ";")
	if !contains(names, "x-sdk-date") || !contains(names, "host") || !sort.StringsAreSorted(names) {
		return ""
	}
	path := r.URL.EscapedPath()
	var segs []string
	for _, s := range strings.Split(path, "/") {
		u, err := url.PathUnescape(s)
		if err != nil {
			u = s
		}
		segs = append(segs, encode(u))
	}
	uri := strings.Join(segs, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	var query []string
	for k, vs := range r.URL.Query() {
		for _, v := range vs {
			query = append(query, encode(k)+"="+encode(v))
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
	bodySum := sha256.Sum256(body)
	canonical := strings.Join([]string{r.Method, uri, strings.Join(query, "&"), headers.String(), signedHeaders, hex.EncodeToString(bodySum[:])}, "\n")
	crSum := sha256.Sum256([]byte(canonical))
	toSign := "SDK-HMAC-SHA256\n" + r.Header.Get("X-Sdk-Date") + "\n" + hex.EncodeToString(crSum[:])
	m := hmac.New(sha256.New, []byte(SK))
	m.Write([]byte(toSign))
	return hex.EncodeToString(m.Sum(nil))
}

// encode is RFC 3986 percent-encoding (unreserved characters kept).
func encode(s string) string {
	e := url.QueryEscape(s)
	e = strings.ReplaceAll(e, "+", "%20")
	e = strings.ReplaceAll(e, "%7E", "~")
	return e
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

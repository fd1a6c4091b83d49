package providertest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// TC3 verifies Tencent Cloud API 3.0's TC3-HMAC-SHA256 signature, which
// every Tencent product's fake checks the same way ("Signature v3",
// https://intl.cloud.tencent.com/document/api/1021/34193):
//
//	CanonicalRequest = Method \n "/" \n Query \n CanonicalHeaders \n SignedHeaders \n Hex(SHA256(Payload))
//	StringToSign     = "TC3-HMAC-SHA256" \n X-TC-Timestamp \n Date/service/tc3_request \n Hex(SHA256(CanonicalRequest))
//	SecretSigning    = HMAC(HMAC(HMAC("TC3"+SecretKey, Date), service), "tc3_request")
//	Authorization: TC3-HMAC-SHA256 Credential=SecretId/Date/service/tc3_request, SignedHeaders=content-type;host, Signature=Hex(HMAC(SecretSigning, StringToSign))
//
// content-type and host must be signed; the timestamp may be five minutes
// off; X-TC-Content-SHA256: UNSIGNED-PAYLOAD replaces the payload's hash.
type TC3 struct {
	// Service is the product's service name ("dnspod", "teo").
	Service string
	// Keys maps each SecretId the fake knows to its SecretKey.
	Keys map[string]string
}

// Verify returns "" for a request signed with a known key, else the code
// the API answers with: AuthFailure.InvalidAuthorization (no or a
// malformed header), AuthFailure.SecretIdNotFound, AuthFailure.SignatureExpire
// or AuthFailure.SignatureFailure.
func (v TC3) Verify(r *http.Request, body []byte, now time.Time) string {
	const algorithm = "TC3-HMAC-SHA256"
	rest, ok := strings.CutPrefix(r.Header.Get("Authorization"), algorithm+" ")
	if !ok {
		return "AuthFailure.InvalidAuthorization"
	}
	f := authFields(rest)
	scope := strings.Split(f["Credential"], "/")
	if len(scope) != 4 || scope[3] != "tc3_request" || f["Signature"] == "" || f["SignedHeaders"] == "" {
		return "AuthFailure.InvalidAuthorization"
	}
	secret, known := v.Keys[scope[0]]
	if !known {
		return "AuthFailure.SecretIdNotFound"
	}
	ts, err := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	if err != nil {
		return "AuthFailure.SignatureFailure"
	}
	if now.Sub(time.Unix(ts, 0)).Abs() > 5*time.Minute {
		return "AuthFailure.SignatureExpire"
	}
	date := time.Unix(ts, 0).UTC().Format("2006-01-02")
	signed := strings.Split(f["SignedHeaders"], ";")
	if scope[1] != date || scope[2] != v.Service || !slices.Contains(signed, "content-type") || !slices.Contains(signed, "host") {
		return "AuthFailure.SignatureFailure"
	}
	var headers strings.Builder
	for _, h := range slices.Sorted(slices.Values(signed)) {
		val := r.Header.Get(h)
		if h == "host" {
			val = r.Host
		}
		headers.WriteString(h + ":" + strings.ToLower(strings.TrimSpace(val)) + "\n")
	}
	payload := hexSum(body)
	if r.Header.Get("X-TC-Content-SHA256") == "UNSIGNED-PAYLOAD" {
		payload = hexSum([]byte("UNSIGNED-PAYLOAD"))
	}
	canonical := strings.Join([]string{r.Method, "/", r.URL.RawQuery, headers.String(), f["SignedHeaders"], payload}, "\n")
	toSign := algorithm + "\n" + strconv.FormatInt(ts, 10) + "\n" + date + "/" + v.Service + "/tc3_request\n" + hexSum([]byte(canonical))
	key := hmacSum([]byte("TC3"+secret), date)
	key = hmacSum(key, v.Service)
	key = hmacSum(key, "tc3_request")
	if !hmac.Equal([]byte(hex.EncodeToString(hmacSum(key, toSign))), []byte(f["Signature"])) {
		return "AuthFailure.SignatureFailure"
	}
	return ""
}

// authFields splits "k1=v1, k2=v2" (or without spaces) into a map.
func authFields(s string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(s, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		out[k] = v
	}
	return out
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func hmacSum(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

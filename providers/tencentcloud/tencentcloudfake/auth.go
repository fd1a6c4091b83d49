package tencentcloudfake

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The TC3-HMAC-SHA256 signature ("签名方法 v3"), recomputed from the request
// as documented in "Signature v3"
// (https://intl.cloud.tencent.com/document/api/1021/34193, the same text for
// every API 3.0 product, e.g. https://tencentcloud.com/document/product/1084/39391):
//
//  1. CanonicalRequest = HTTPRequestMethod + "\n" + CanonicalURI ("/") + "\n" +
//     CanonicalQueryString ("" for POST) + "\n" + CanonicalHeaders + "\n" +
//     SignedHeaders + "\n" + HexEncode(SHA256(RequestPayload)).
//     CanonicalHeaders are "key:value\n" for each header named in
//     SignedHeaders, keys and values lowercased and trimmed, in ascending key
//     order; content-type and host must be among them.
//  2. StringToSign = "TC3-HMAC-SHA256" + "\n" + X-TC-Timestamp + "\n" +
//     CredentialScope + "\n" + HexEncode(SHA256(CanonicalRequest)), where
//     CredentialScope = Date (UTC, YYYY-MM-DD, of the timestamp) + "/" +
//     service + "/tc3_request".
//  3. SecretDate = HMAC("TC3"+SecretKey, Date); SecretService =
//     HMAC(SecretDate, service); SecretSigning = HMAC(SecretService,
//     "tc3_request"); Signature = HexEncode(HMAC(SecretSigning, StringToSign)).
//  4. Authorization = "TC3-HMAC-SHA256 Credential=" + SecretId + "/" +
//     CredentialScope + ", SignedHeaders=" + SignedHeaders + ", Signature=" +
//     Signature.
//
// The page also says the timestamp may differ from the server's clock by at
// most five minutes (AuthFailure.SignatureExpire), and that with the header
// X-TC-Content-SHA256: UNSIGNED-PAYLOAD the payload hash is that of the
// string "UNSIGNED-PAYLOAD".

const algorithm = "TC3-HMAC-SHA256"

// authorization is a parsed Authorization header.
type authorization struct {
	secretID      string
	date, service string
	signedHeaders []string
	signature     string
}

// parseAuthorization splits "TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request,
// SignedHeaders=a;b, Signature=HEX".
func parseAuthorization(h string) (authorization, bool) {
	var a authorization
	rest, ok := strings.CutPrefix(h, algorithm+" ")
	if !ok {
		return a, false
	}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, false
		}
		switch k {
		case "Credential":
			f := strings.Split(v, "/")
			if len(f) != 4 || f[3] != "tc3_request" {
				return a, false
			}
			a.secretID, a.date, a.service = f[0], f[1], f[2]
		case "SignedHeaders":
			a.signedHeaders = strings.Split(v, ";")
		case "Signature":
			a.signature = v
		}
	}
	if a.secretID == "" || a.signature == "" || len(a.signedHeaders) == 0 {
		return a, false
	}
	return a, true
}

// verify checks the request's signature against the known keys and returns
// the documented error when it fails.
func (f *Fake) verify(r *http.Request, body []byte) *apiError {
	a, ok := parseAuthorization(r.Header.Get("Authorization"))
	if !ok {
		return &errInvalidAuthorization
	}
	secretKey, known := f.keys[a.secretID]
	if !known {
		return &errSecretIDNotFound
	}
	ts, err := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	if err != nil {
		return &errSignatureFailure
	}
	if d := f.now().Sub(time.Unix(ts, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return &errSignatureExpire
	}
	date := time.Unix(ts, 0).UTC().Format("2006-01-02")
	if a.date != date || a.service != Service {
		return &errSignatureFailure
	}
	want, ok := signature(r, body, a, secretKey, ts)
	if !ok || !hmac.Equal([]byte(want), []byte(a.signature)) {
		return &errSignatureFailure
	}
	return nil
}

// signature recomputes the request's signature with secretKey; false when
// the signed headers omit content-type or host.
func signature(r *http.Request, body []byte, a authorization, secretKey string, ts int64) (string, bool) {
	names := append([]string(nil), a.signedHeaders...)
	sort.Strings(names)
	var canonHeaders strings.Builder
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		var v string
		if n == "host" {
			v = r.Host
		} else {
			v = r.Header.Get(n)
		}
		seen[n] = true
		canonHeaders.WriteString(n + ":" + strings.ToLower(strings.TrimSpace(v)) + "\n")
	}
	if !seen["content-type"] || !seen["host"] {
		return "", false
	}
	payloadHash := sha256Hex(body)
	if r.Header.Get("X-TC-Content-SHA256") == "UNSIGNED-PAYLOAD" {
		payloadHash = sha256Hex([]byte("UNSIGNED-PAYLOAD"))
	}
	canonical := strings.Join([]string{
		r.Method, "/", r.URL.RawQuery, canonHeaders.String(),
		strings.Join(a.signedHeaders, ";"), payloadHash,
	}, "\n")
	scope := a.date + "/" + a.service + "/tc3_request"
	toSign := algorithm + "\n" + strconv.FormatInt(ts, 10) + "\n" + scope + "\n" + sha256Hex([]byte(canonical))
	kDate := hmacSHA256([]byte("TC3"+secretKey), a.date)
	kService := hmacSHA256(kDate, a.service)
	kSigning := hmacSHA256(kService, "tc3_request")
	return hex.EncodeToString(hmacSHA256(kSigning, toSign)), true
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

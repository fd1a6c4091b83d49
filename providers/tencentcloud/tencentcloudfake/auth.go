package tencentcloudfake

import (
	"crypto/hmac"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/providers/providertest"
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

// verify checks the request's signature against the known keys and returns
// the documented error when it fails.
func (f *Fake) verify(r *http.Request, body []byte) *apiError {
	a, ok := providertest.ParseAuthorization(r.Header.Get("Authorization"), algorithm)
	scope := strings.Split(a.Credential, "/") // SecretId/Date/service/tc3_request
	if !ok || len(scope) != 4 || scope[0] == "" || scope[3] != "tc3_request" {
		return &errInvalidAuthorization
	}
	secretKey, known := f.keys[scope[0]]
	if !known {
		return &errSecretIDNotFound
	}
	ts, err := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	if err != nil {
		return &errSignatureFailure
	}
	if d := time.Since(time.Unix(ts, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return &errSignatureExpire
	}
	date := time.Unix(ts, 0).UTC().Format("2006-01-02")
	headers, names := providertest.CanonicalHeaders(r, a.SignedHeaders)
	signed := strings.Split(names, ";")
	if scope[1] != date || scope[2] != Service || !slices.Contains(signed, "content-type") || !slices.Contains(signed, "host") {
		return &errSignatureFailure
	}
	payload := providertest.SHA256Hex(body)
	if r.Header.Get("X-TC-Content-SHA256") == "UNSIGNED-PAYLOAD" {
		payload = providertest.SHA256Hex([]byte("UNSIGNED-PAYLOAD"))
	}
	canonical := strings.Join([]string{r.Method, "/", r.URL.RawQuery, strings.ToLower(headers), strings.Join(a.SignedHeaders, ";"), payload}, "\n")
	toSign := algorithm + "\n" + strconv.FormatInt(ts, 10) + "\n" + strings.Join(scope[1:], "/") + "\n" + providertest.SHA256Hex([]byte(canonical))
	key := []byte("TC3" + secretKey)
	for _, part := range scope[1:] { // SecretDate, SecretService, SecretSigning
		key = providertest.HMACSHA256(key, part)
	}
	if !hmac.Equal([]byte(hex.EncodeToString(providertest.HMACSHA256(key, toSign))), []byte(a.Signature)) {
		return &errSignatureFailure
	}
	return nil
}

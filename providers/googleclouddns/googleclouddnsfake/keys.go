package googleclouddnsfake

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"strings"
	"sync"
	"time"
)

// Project is the fake's project; ClientEmail its service account.
const (
	Project     = "ddns-test-4711"
	ClientEmail = "ddns-operator@ddns-test-4711.iam.gserviceaccount.com"
)

// keys are the service account's key the fake trusts and another one it
// does not, made once per process (RSA key generation is slow).
var keys = sync.OnceValue(func() [2]*rsa.PrivateKey {
	var out [2]*rsa.PrivateKey
	for i := range out {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		out[i] = k
	}
	return out
})

// KeyJSON is a JSON key of the service account, as the console's "Create
// key" downloads it; with trusted false, a key the fake does not trust
// (the same account, another private key). tokenURI is written as the
// console writes it; the provider does not follow it.
func KeyJSON(trusted bool) string {
	k := keys()[0]
	id := "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c"
	if !trusted {
		k, id = keys()[1], "ffffffffffffffffffffffffffffffffffffffff"
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		panic(err)
	}
	raw, _ := json.MarshalIndent(map[string]string{
		"type": "service_account", "project_id": Project, "private_key_id": id,
		"private_key":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email": ClientEmail, "client_id": "104857600000000000001",
		"auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": "https://oauth2.googleapis.com/token",
		"auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
	}, "", "  ")
	return string(raw)
}

// claims are the JWT claims of a service account's token request
// (https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests).
type claims struct {
	Iss   string `json:"iss"`
	Scope string `json:"scope"`
	Aud   string `json:"aud"`
	Exp   int64  `json:"exp"`
	Iat   int64  `json:"iat"`
}

// verifyAssertion checks a JWT bearer assertion as Google's token endpoint
// does: an RS256 signature by the trusted key, the service account as
// issuer, the token endpoint as audience, a lifetime of at most an hour
// around now. A refusal is the error_description Google answers with.
func verifyAssertion(assertion, audience string) (claims, refusal) {
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		return claims{}, refusal("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.")
	}
	var head struct {
		Alg string `json:"alg"`
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || json.Unmarshal(raw, &head) != nil || head.Alg != "RS256" {
		return claims{}, refusal("Invalid JWT header.")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return claims{}, refusal("Invalid JWT Signature.")
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(&keys()[0].PublicKey, crypto.SHA256, sum[:], sig) != nil {
		return claims{}, refusal("Invalid JWT Signature.")
	}
	var c claims
	if raw, err = base64.RawURLEncoding.DecodeString(parts[1]); err != nil || json.Unmarshal(raw, &c) != nil {
		return claims{}, refusal("Invalid JWT payload.")
	}
	now := time.Now().Unix()
	switch {
	case c.Iss != ClientEmail:
		return c, refusal("Invalid grant: account not found")
	case c.Aud != audience:
		return c, refusal("Invalid JWT: audience does not match the token endpoint")
	case c.Exp < now || c.Iat > now+60 || c.Exp-c.Iat > 3600:
		return c, refusal("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.")
	}
	return c, ""
}

// refusal is the token endpoint's error_description; "" for none.
type refusal string

package rfc2136

import (
	"crypto/hmac"
	"crypto/md5"  //nolint:gosec // hmac-md5 is offered only when a Secret asks for it
	"crypto/sha1" //nolint:gosec // hmac-sha1 likewise
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"strings"

	"github.com/miekg/dns"
)

// algorithms maps every accepted spelling to the canonical TSIG algorithm
// name and its hash. miekg/dns has no hmac-md5, which older BIND and
// Windows-era setups still use, so the provider signs itself.
var algorithms = map[string]struct {
	canon string
	hash  func() hash.Hash
}{
	"hmac-md5":                 {dns.HmacMD5, md5.New},
	"hmac-md5.sig-alg.reg.int": {dns.HmacMD5, md5.New},
	"hmac-sha1":                {dns.HmacSHA1, sha1.New},
	"hmac-sha224":              {dns.HmacSHA224, sha256.New224},
	"hmac-sha256":              {dns.HmacSHA256, sha256.New},
	"hmac-sha384":              {dns.HmacSHA384, sha512.New384},
	"hmac-sha512":              {dns.HmacSHA512, sha512.New},
}

// algorithmName returns the canonical name of alg, in any case, with or
// without a trailing dot.
func algorithmName(alg string) (string, bool) {
	a, ok := algorithms[strings.TrimSuffix(strings.ToLower(alg), ".")]
	return a.canon, ok
}

// hmacProvider signs and verifies with one key, of any algorithm above.
type hmacProvider struct{ secret string }

// Generate returns the MAC of msg under the algorithm t names.
func (h hmacProvider) Generate(msg []byte, t *dns.TSIG) ([]byte, error) {
	a, ok := algorithms[strings.TrimSuffix(strings.ToLower(t.Algorithm), ".")]
	if !ok {
		return nil, dns.ErrKeyAlg
	}
	raw, err := base64.StdEncoding.DecodeString(h.secret)
	if err != nil {
		return nil, dns.ErrSecret
	}
	m := hmac.New(a.hash, raw)
	m.Write(msg)
	return m.Sum(nil), nil
}

// Verify checks the MAC of an answer.
func (h hmacProvider) Verify(msg []byte, t *dns.TSIG) error {
	want, err := h.Generate(msg, t)
	if err != nil {
		return err
	}
	got, err := hex.DecodeString(t.MAC)
	if err != nil || !hmac.Equal(want, got) {
		return dns.ErrSig
	}
	return nil
}

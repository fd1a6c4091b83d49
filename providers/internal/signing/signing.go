// Package signing holds the pieces the HMAC request signatures of several
// Chinese clouds share: Huawei Cloud's SDK-HMAC-SHA256, Volcengine's
// HMAC-SHA256 and Baidu's bce-auth-v1 all hash the body, percent-encode
// names and values the RFC 3986 way and sort the query the same way; each
// of those providers builds its own canonical request and string to sign
// from these, as its documentation describes. The older HMAC-SHA1 query
// signature of Alibaba Cloud's RPC APIs, which the Todaynic registrars
// (Now.cn, Eranet, TNet) sign with too, is here whole (RPCSignature).
package signing

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
)

// Escape percent-encodes every byte but RFC 3986's unreserved characters
// (A-Z a-z 0-9 - _ . ~), with upper-case hex digits: a space is %20, a
// slash %2F.
func Escape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// Query is the canonical query string: names and values escaped, sorted
// by name then by value, "name=value" pairs joined by "&".
func Query(q map[string][]string) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, Escape(k))
	}
	slices.Sort(keys)
	byKey := make(map[string][]string, len(q))
	for k, vs := range q {
		for _, v := range vs {
			byKey[Escape(k)] = append(byKey[Escape(k)], Escape(v))
		}
	}
	var pairs []string
	for _, k := range keys {
		vs := byKey[k]
		slices.Sort(vs)
		for _, v := range vs {
			pairs = append(pairs, k+"="+v)
		}
	}
	return strings.Join(pairs, "&")
}

// SHA256Hex is the lower-case hex SHA-256 of b.
func SHA256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// HMAC is HMAC-SHA256 of msg under key.
func HMAC(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// HMACHex is HMAC in lower-case hex.
func HMACHex(key []byte, msg string) string { return hex.EncodeToString(HMAC(key, msg)) }

// Headers is the canonical headers block of req for names (lower-case, in
// the order given): one "name:value\n" line each, the value trimmed, the
// host taken from the request's Host.
func Headers(req *http.Request, names []string) string {
	var b strings.Builder
	for _, h := range names {
		v := req.Header.Get(h)
		if h == "host" {
			v = req.Host
			if v == "" {
				v = req.URL.Host
			}
		}
		b.WriteString(h + ":" + strings.TrimSpace(v) + "\n")
	}
	return b.String()
}

// RPCStringToSign is the string to sign of Alibaba Cloud's RPC signature
// version 1.0 (HMAC-SHA1), which other APIs copied (the Todaynic
// registrars' DNS API): the method, the escaped "/" and the escaped
// canonical query of every parameter but Signature, joined by "&".
func RPCStringToSign(method string, params map[string][]string) string {
	q := make(map[string][]string, len(params))
	for k, v := range params {
		if k != "Signature" {
			q[k] = v
		}
	}
	return method + "&" + Escape("/") + "&" + Escape(Query(q))
}

// RPCSignature is the signature of that scheme: the Base64 HMAC-SHA1 of
// the string to sign under the secret followed by "&".
func RPCSignature(secret, stringToSign string) string {
	m := hmac.New(sha1.New, []byte(secret+"&"))
	m.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

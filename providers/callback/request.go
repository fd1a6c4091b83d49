package callback

import (
	"context"
	"encoding/json"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// The Secret keys the provider reads. All are credentials: callback URLs
// and bodies usually carry a token.
const (
	// URLKey holds the URL template.
	URLKey = "url"
	// BodyKey holds the body template; empty or absent makes a GET.
	BodyKey = "body"
	// HeadersKey holds extra headers, "Name: value" per line.
	HeadersKey = "headers"
)

// Request is a callback as its Secret describes it, checked.
type Request struct {
	url, body template
	hasBody   bool
	headers   http.Header
}

// FromSecretData reads and checks the callback of a Secret: the URL must
// make a valid http(s) URL for every variable's value, a JSON body valid
// JSON, and headers must be "Name: value" lines. The error names the key
// and the variable at fault, never a value of the Secret.
func FromSecretData(data map[string][]byte) (Request, error) {
	var r Request
	raw, ok := data[URLKey]
	if !ok {
		return r, providers.MissingKey(URLKey)
	}
	u := strings.TrimSpace(string(raw))
	if u == "" {
		return r, providers.MalformedKey(URLKey, "it is empty")
	}
	var err error
	if r.url, err = parse(u); err != nil {
		return r, providers.MalformedKey(URLKey, err.Error())
	}
	if err := checkURL(r.url); err != nil {
		return r, providers.MalformedKey(URLKey, err.Error())
	}
	if b := strings.TrimSpace(string(data[BodyKey])); b != "" {
		if r.body, err = parseBody(b); err != nil {
			return r, providers.MalformedKey(BodyKey, err.Error())
		}
		if err := checkBody(r.body); err != nil {
			return r, providers.MalformedKey(BodyKey, err.Error())
		}
		r.hasBody = true
	}
	if r.headers, err = parseHeaders(string(data[HeadersKey])); err != nil {
		return r, err
	}
	return r, nil
}

// parseHeaders reads "Name: value" lines; blank lines and lines starting
// with # are skipped.
func parseHeaders(s string) (http.Header, error) {
	h := http.Header{}
	for i, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" || strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' || r >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) }) {
			return nil, providers.MalformedKey(HeadersKey, "line "+strconv.Itoa(i+1)+` is not "Name: value"`)
		}
		if strings.ContainsFunc(value, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) {
			return nil, providers.MalformedKey(HeadersKey, "the value on line "+strconv.Itoa(i+1)+" holds control characters")
		}
		switch textproto.CanonicalMIMEHeaderKey(name) {
		case "Host", "Content-Length", "Transfer-Encoding", "Connection":
			return nil, providers.MalformedKey(HeadersKey, "line "+strconv.Itoa(i+1)+" sets "+name+", which the HTTP client sets itself")
		}
		h.Add(name, value)
	}
	return h, nil
}

// Build makes the request for v: GET without a body; with one, POST with
// Content-Type application/json for a JSON body and
// application/x-www-form-urlencoded otherwise (ddns-go sends that type
// with its GETs too). ua is the User-Agent unless the headers set one;
// empty leaves Go's, as ddns-go sends.
func (r Request) Build(ctx context.Context, v Values, ua string) (*http.Request, error) {
	method, body, ctype := http.MethodGet, "", "application/x-www-form-urlencoded"
	if r.hasBody {
		method, body = http.MethodPost, r.body.render(v, !r.body.json)
		// As ddns-go decides: a body that is valid JSON once filled.
		if r.body.json || json.Valid([]byte(body)) {
			ctype = "application/json"
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, r.url.render(v, true), strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", ctype)
	if ua != "" {
		req.Header.Set("User-Agent", ua)
	}
	for name, values := range r.headers {
		req.Header[name] = values
	}
	return req, nil
}

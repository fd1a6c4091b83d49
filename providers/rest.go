package providers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// REST sends JSON requests to a provider's documented HTTP API, for
// providers without a lean official SDK (Gandi, DigitalOcean, Google Cloud
// DNS). It does what each of them would repeat: the base URL, the
// User-Agent, the credential (Authorize), the body limit of Env.HTTP, and
// errors that never repeat the request URL. The provider says how its
// error bodies read (Refusal).
type REST struct {
	// Base is the API's base URL, without a trailing slash.
	Base string
	// Client is Env.HTTP(): it waits for the credential's gate.
	Client *http.Client
	// UserAgent is sent with every request.
	UserAgent string
	// Authorize sets the credential on a request; an error stops it.
	Authorize func(*http.Request) error
	// Refusal turns an answer outside 2xx into the provider's error, from
	// its status, headers and body.
	Refusal func(op string, status int, h http.Header, body []byte) error
}

// Answer is a 2xx answer.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends method to Base+path with query, and in (when not nil) as JSON;
// a 2xx answer's body is decoded into out when out is not nil, and an
// answer without a body is then a transient error (a proxy's empty 200 is
// no empty list). op names the call in errors ("list records").
func (c REST) Do(ctx context.Context, op, method, path string, query url.Values, in, out any) (Answer, error) {
	if err := ctx.Err(); err != nil {
		// Before Authorize, which may fetch a token.
		return Answer{}, Transient(op, err)
	}
	var body io.Reader
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return Answer{}, Errorf(KindInvalid, "", "%s: %v", op, err)
		}
		body = bytes.NewReader(raw)
	}
	u := c.Base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return Answer{}, Transient(op, err)
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	if c.Authorize != nil {
		if err := c.Authorize(req); err != nil {
			return Answer{}, err
		}
	}
	res, err := c.Client.Do(req)
	if err != nil {
		return Answer{}, Transient(op, err)
	}
	defer func() { _ = res.Body.Close() }()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return Answer{}, Transient(op, err)
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return Answer{}, c.Refusal(op, res.StatusCode, res.Header, raw)
	}
	a := Answer{Status: res.StatusCode, Header: res.Header, Body: raw}
	if out != nil {
		if len(bytes.TrimSpace(raw)) == 0 {
			return a, Undecodable(op, res.StatusCode)
		}
		if err := json.Unmarshal(raw, out); err != nil {
			return a, &Error{Kind: KindTransient, Message: fmt.Sprintf("%s: the answer is not the API's JSON (HTTP %d)", op, res.StatusCode), Err: err}
		}
	}
	return a, nil
}

// PathEscape escapes each segment for a URL path, as providers that put
// names into paths need.
func PathEscape(segments ...string) string {
	out := make([]string, len(segments))
	for i, s := range segments {
		out[i] = url.PathEscape(s)
	}
	return "/" + strings.Join(out, "/")
}

// Undecodable is the error for a 2xx answer that lacks what the call
// returns (an empty body where a list was due).
func Undecodable(op string, status int) *Error {
	return Errorf(KindTransient, "", "%s: the answer is not the API's JSON (HTTP %d)", op, status)
}

// HeaderToken reads a token-like Secret value: trimmed of surrounding
// whitespace (Secrets made with echo end in a newline), not empty, and
// only visible ASCII, so it can travel in an HTTP header (a space or
// control character inside means a pasting mistake, and could split
// headers). Errors name key, never the value.
func HeaderToken(key string, raw []byte) (string, error) {
	v := strings.TrimSpace(string(raw))
	if v == "" {
		return "", MalformedKey(key, "it is empty")
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x21 || c > 0x7e {
			return "", MalformedKey(key, "it holds whitespace, control or non-ASCII characters")
		}
	}
	return v, nil
}

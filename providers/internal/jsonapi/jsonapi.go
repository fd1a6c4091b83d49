// Package jsonapi is what the providers that speak a plain HTTPS API share:
// sending a request through the account's client and reading the whole
// answer, with transport failures turned into errors that never repeat
// the request's URL (which may carry a key in its query). Each provider
// keeps its own routes, shapes and error mapping.
package jsonapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Response is an API's answer, read whole.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// RetryAfter is the wait the answer's Retry-After header asks for; 0 when
// it gives none.
func (r *Response) RetryAfter() time.Duration {
	return providers.ParseRetryAfter(r.Header.Get("Retry-After"))
}

// NewRequest builds a request of method to url with body encoded as JSON
// (no body when nil), and the headers a JSON API expects.
func NewRequest(ctx context.Context, method, url string, body any) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("encode the request: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// Do sends req with c and reads the answer. A request that cannot be sent
// or an answer that cannot be read is a transient providers.Error named
// op, without the URL.
func Do(c *http.Client, req *http.Request, op string) (*Response, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, providers.Transient(op, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, providers.Transient(op, err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// Decode decodes a JSON answer into out; a body that does not decode is a
// transient error named op (a proxy's page, a cut answer).
func Decode(r *Response, out any, op string) error {
	if err := json.Unmarshal(r.Body, out); err != nil {
		return &providers.Error{Kind: providers.KindTransient, Message: fmt.Sprintf("%s: undecodable answer (HTTP %d)", op, r.Status), Err: err}
	}
	return nil
}

// StatusError classifies an answer by its HTTP status alone, for answers
// whose body says nothing more: 401 and 403 refused credentials, 404 a
// missing object, 429 throttling (with the Retry-After), 5xx and
// anything unexpected a passing fault, other 4xx a refused request. msg
// is the provider's text when it gave one.
func StatusError(r *Response, op, code, msg string) *providers.Error {
	text := op + ": " + http.StatusText(r.Status)
	if msg != "" {
		text = op + ": " + msg
	}
	text = fmt.Sprintf("%s (HTTP %d)", text, r.Status)
	switch {
	case r.Status == http.StatusTooManyRequests:
		return providers.RateLimited(code, text, r.RetryAfter())
	case r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden:
		return providers.Errorf(providers.KindAuth, code, "%s", text)
	case r.Status == http.StatusNotFound:
		return providers.Errorf(providers.KindNotFound, code, "%s", text)
	case r.Status >= 400 && r.Status < 500:
		return providers.Errorf(providers.KindInvalid, code, "%s", text)
	}
	return providers.Errorf(providers.KindTransient, code, "%s", text)
}

// Client is one account's JSON API: where it is, how a request carries
// the credentials, and how a refusal reads. Providers whose calls are
// plain HTTP verbs on JSON resources use it as their whole transport.
type Client struct {
	// Base is the API's base URL; request paths are appended to it.
	Base string
	// Name prefixes operations in messages ("gcore").
	Name string
	// HTTP sends the requests (the account's providers.Env.HTTP()).
	HTTP *http.Client
	// UserAgent, when set, identifies the operator.
	UserAgent string
	// Auth sets the credential headers of a request.
	Auth func(http.Header)
	// Query holds parameters every request carries (Vercel's teamId).
	Query url.Values
	// Refusal builds the error for an answer that is not 2xx.
	Refusal func(resp *Response, op string) error
}

// Call sends method to path with query and body (JSON, none when nil)
// and decodes a 2xx answer into out, when out is set: an answer that does
// not decode, an empty one included, is a passing fault, never an empty
// result. op names the call in messages, after the Client's Name.
func (c *Client) Call(ctx context.Context, op, method, path string, query url.Values, body, out any) error {
	resp, err := c.Send(ctx, op, method, path, query, body)
	if err != nil || out == nil {
		return err
	}
	return Decode(resp, out, c.Name+" "+op)
}

// Send is Call for callers that read more of the answer than its body (a
// Link header of the next page): it returns a 2xx answer as it came, and
// any other as the Client's Refusal.
func (c *Client) Send(ctx context.Context, op, method, path string, query url.Values, body any) (*Response, error) {
	op = c.Name + " " + op
	q := url.Values{}
	for k, v := range c.Query {
		q[k] = v
	}
	for k, v := range query {
		q[k] = v
	}
	u := c.Base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := NewRequest(ctx, method, u, body)
	if err != nil {
		return nil, providers.Transient(op, err)
	}
	if c.Auth != nil {
		c.Auth(req.Header)
	}
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	resp, err := Do(c.HTTP, req, op)
	if err != nil {
		return nil, err
	}
	if resp.Status/100 != 2 {
		return nil, c.Refusal(resp, op)
	}
	return resp, nil
}

// NextLink returns the target of the rel="next" link of an RFC 8288 Link
// header ("<https://...?cursor=x>; rel=\"next\", <...>; rel=\"prev\""),
// the way APIs with cursor pagination announce the next page; "" when
// there is none.
func NextLink(h http.Header) string {
	for _, v := range h.Values("Link") {
		for _, link := range strings.Split(v, ",") {
			target, params, ok := strings.Cut(link, ";")
			target = strings.TrimSpace(target)
			if !ok || !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			for _, p := range strings.Split(params, ";") {
				k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
				if strings.EqualFold(k, "rel") && slices.Contains(strings.Fields(strings.ToLower(strings.Trim(val, `"`))), "next") {
					return target[1 : len(target)-1]
				}
			}
		}
	}
	return ""
}

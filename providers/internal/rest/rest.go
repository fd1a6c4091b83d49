// Package rest holds the HTTP plumbing the REST providers share: building
// a JSON request, sending it and reading the answer with every failure
// classified without the request's URL, and reading the {"code", "msg" or
// "message", "data"} envelope whose code follows HTTP's numbers (Rainyun,
// DNS.LA). Signing and each API's own error bodies stay in the provider.
package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// NewJSON builds a request of method to url with body as JSON (nil: no
// body) and returns it with the body's bytes (for signing). It sets
// Accept, Content-Type when there is a body, and User-Agent when ua is
// set.
func NewJSON(ctx context.Context, op, method, url string, body any, ua string) (*http.Request, []byte, error) {
	var raw []byte
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, nil, providers.Errorf(providers.KindInvalid, "", "%s: %v", op, err)
		}
		raw = b
	}
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(raw))
	if err != nil {
		return nil, nil, providers.Transient(op, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if ua != "" {
		req.Header.Set("User-Agent", ua)
	}
	return req, raw, nil
}

// Do sends req with hc and reads the whole answer. A transport failure or
// a body that cannot be read is a transient error that names op, never
// the request's URL.
func Do(hc *http.Client, req *http.Request, op string) (*http.Response, []byte, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return nil, nil, providers.Transient(op, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, providers.Transient(op, err)
	}
	return resp, body, nil
}

// Envelope is the answer body of APIs that repeat the HTTP status as a
// code and name their message msg or message.
type Envelope struct {
	Code    int             `json:"code"`
	Msg     string          `json:"msg"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// ReadEnvelope decodes body and classifies the answer: nil for code 200
// in an HTTP 2xx answer, else a *providers.Error by the code (the HTTP
// status when the answer is not an envelope or the status is not 2xx)
// with the API's message, secret scrubbed from it. hint is added to a
// refused credential ("check the Secret's apiKey").
func ReadEnvelope(op string, resp *http.Response, body []byte, secret, hint string) (Envelope, error) {
	var env Envelope
	decodeErr := json.Unmarshal(body, &env)
	if decodeErr == nil && env.Code == 0 {
		decodeErr = fmt.Errorf("the answer has no code")
	}
	code := env.Code
	if decodeErr != nil || resp.StatusCode >= 300 {
		code = resp.StatusCode
	}
	if code == http.StatusOK {
		if decodeErr != nil {
			return env, &providers.Error{Kind: providers.KindTransient, Message: fmt.Sprintf("%s: undecodable answer (HTTP %d)", op, resp.StatusCode), Err: decodeErr}
		}
		return env, nil
	}
	msg := strings.TrimSpace(env.Msg)
	if msg == "" {
		msg = strings.TrimSpace(env.Message)
	}
	if secret != "" {
		msg = strings.ReplaceAll(msg, secret, "[redacted]")
	}
	if msg == "" {
		msg = http.StatusText(code)
	}
	full, c := op+": "+msg, fmt.Sprint(code)
	switch k := providers.KindOfStatus(code); k {
	case providers.KindRateLimited:
		return env, providers.RateLimited(c, full, providers.ParseRetryAfter(resp.Header.Get("Retry-After")))
	case providers.KindAuth:
		return env, providers.Errorf(k, c, "%s; %s", full, hint)
	default:
		return env, providers.Errorf(k, c, "%s", full)
	}
}

// DecodeData decodes an envelope's data into out; no data leaves out as
// it is.
func DecodeData(op string, env Envelope, out any) error {
	if out == nil || len(env.Data) == 0 || string(env.Data) == "null" {
		return nil
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return &providers.Error{Kind: providers.KindTransient, Message: op + ": the answer's data could not be read", Err: err}
	}
	return nil
}

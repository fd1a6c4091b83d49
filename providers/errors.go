package providers

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Kind classifies a provider error by what must happen next.
type Kind int

const (
	// KindTransient: a passing fault (5xx, timeout, reset, garbled
	// response). Retry with backoff.
	KindTransient Kind = iota
	// KindAuth: the provider rejected the credentials. A user must act.
	KindAuth
	// KindCredentials: the Secret lacks a key or holds a malformed value.
	// A user must act; the message names the key, never its value.
	KindCredentials
	// KindZoneNotFound: no zone holds the name. A user must act.
	KindZoneNotFound
	// KindRateLimited: the provider asked to slow down; RetryAfter says for
	// how long when the provider said.
	KindRateLimited
	// KindInvalid: the provider refused the request's content (TTL, value,
	// line). A user must act; the message keeps the provider's words.
	KindInvalid
	// KindNotFound: the record addressed by ID no longer exists. The next
	// reconcile re-reads and plans again.
	KindNotFound
)

// String names the kind, as used in metrics labels.
func (k Kind) String() string {
	switch k {
	case KindAuth:
		return "auth"
	case KindCredentials:
		return "credentials"
	case KindZoneNotFound:
		return "zone_not_found"
	case KindRateLimited:
		return "rate_limited"
	case KindInvalid:
		return "invalid"
	case KindNotFound:
		return "not_found"
	default:
		return "transient"
	}
}

// Error is the typed error every provider returns. Message must never hold a
// credential: providers build it from the provider's error code and text,
// not from request URLs or headers.
type Error struct {
	Kind Kind
	// Code is the provider's own error code, when it gave one.
	Code string
	// Message is a human-readable explanation.
	Message string
	// RetryAfter is how long the provider asked to wait (KindRateLimited).
	RetryAfter time.Duration
	// Err is the underlying error, for errors.Is/As; it is not printed.
	Err error
}

// Error formats the error as "<message> (code <code>)".
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	if msg == "" {
		msg = e.Kind.String()
	}
	if e.Code != "" {
		return fmt.Sprintf("%s (code %s)", msg, e.Code)
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error of kind k.
func Errorf(k Kind, code, format string, args ...any) *Error {
	return &Error{Kind: k, Code: code, Message: fmt.Sprintf(format, args...)}
}

// MissingKey is the error for a Secret that lacks a required key.
func MissingKey(key string) *Error {
	return Errorf(KindCredentials, "", "secret has no key %q", key)
}

// MalformedKey is the error for a Secret key whose value cannot be used; why
// says what is wrong without quoting the value.
func MalformedKey(key, why string) *Error {
	return Errorf(KindCredentials, "", "secret key %q is malformed: %s", key, why)
}

// DefaultRateLimitWait is how long to hold back after a provider throttled
// without saying for how long.
const DefaultRateLimitWait = 30 * time.Second

// RateLimited is the error for a provider's "slow down".
func RateLimited(code, msg string, after time.Duration) *Error {
	return &Error{Kind: KindRateLimited, Code: code, Message: msg, RetryAfter: after}
}

// KindOf classifies any error: a provider Error by its kind, a context or
// network error as transient.
func KindOf(err error) Kind {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Kind
	}
	return KindTransient
}

// RetryAfterOf returns the wait a rate-limited provider asked for.
func RetryAfterOf(err error) (time.Duration, bool) {
	var pe *Error
	if errors.As(err, &pe) && pe.Kind == KindRateLimited && pe.RetryAfter > 0 {
		return pe.RetryAfter, true
	}
	return 0, false
}

// Transient wraps a transport-level error (dial, reset, timeout, EOF, a
// response that does not decode) as a KindTransient Error whose message is
// safe to show: it never repeats a request URL, which may carry a signature
// or token in its query.
func Transient(op string, err error) *Error {
	var netErr net.Error
	var pe *Error
	switch {
	case errors.As(err, &pe):
		// Already classified where it arose (a gate holding a request
		// back is a rate limit, not a fault).
		c := *pe
		c.Message, c.Err = op+": "+pe.Error(), err
		c.Code = ""
		return &c
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return &Error{Kind: KindTransient, Message: op + ": timed out", Err: err}
	case errors.Is(err, context.Canceled):
		return &Error{Kind: KindTransient, Message: op + ": canceled", Err: err}
	}
	return &Error{Kind: KindTransient, Message: op + ": " + safeTransportText(err), Err: err}
}

// safeTransportText keeps the innermost cause of a transport error: url.Error
// and friends prefix it with the method and URL, which can hold secrets.
func safeTransportText(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

// ParseRetryAfter reads an HTTP Retry-After value, in seconds or as an HTTP
// date, and returns how long to wait; 0 when absent, malformed or past.
func ParseRetryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var pe *Error
	ok := errors.As(err, &pe)
	return pe, ok
}

package controllers

import (
	"errors"
	"fmt"
	"strings"
	"time"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// stalledError stops a reconcile on something only a user can fix: the
// record reports Stalled with reason, and is checked again at spec.interval
// or when its Secret changes, never in a hot loop.
type stalledError struct {
	reason string
	msg    string
}

func (e *stalledError) Error() string { return e.msg }

func stalled(reason, format string, args ...any) error {
	return &stalledError{reason: reason, msg: fmt.Sprintf(format, args...)}
}

// waitError stops a reconcile that must wait a known time before trying
// again: a provider's rate limit, or no address known yet. It is not a
// failure of ours, so it does not feed the exponential backoff.
type waitError struct {
	reason string
	msg    string
	after  time.Duration
}

func (e *waitError) Error() string { return e.msg }

// credentialRef names the credential an account was built from, for
// messages: the Secret (namespace/name) and the keys the provider read.
type credentialRef struct {
	secret string
	keys   []string
}

// String says where the credential is: `keys apiToken of Secret ns/name`.
func (c credentialRef) String() string {
	if c.secret == "" {
		return "the credentials in the Secret"
	}
	if len(c.keys) == 0 {
		return "Secret " + c.secret
	}
	return "key" + map[bool]string{true: "s", false: ""}[len(c.keys) > 1] + " " + strings.Join(c.keys, ", ") + " of Secret " + c.secret
}

// classify turns a provider error into the reconcile's error class: stalled
// for errors a user must fix, wait for rate limits, and the error itself
// (transient, retried with backoff) otherwise. op says what was attempted;
// cred names the credential used.
func classify(op string, err error, cred credentialRef) error {
	msg := describe(op, err)
	switch k := providers.KindOf(err); k {
	case providers.KindAuth:
		return stalled(ddnsv1.ReasonAuthenticationFailed, "%s; the provider refused %s, or they lack permission on the zone", msg, cred)
	case providers.KindCredentials:
		return stalled(ddnsv1.ReasonInvalidCredentials, "%s", msg)
	case providers.KindZoneNotFound:
		return stalled(ddnsv1.ReasonZoneNotFound, "%s; check spec.zone, spec.domain and that the credentials can see the zone", msg)
	case providers.KindInvalid:
		return stalled(ddnsv1.ReasonInvalidRecord, "%s", msg)
	case providers.KindRateLimited:
		after, ok := providers.RetryAfterOf(err)
		if !ok {
			after = providers.DefaultRateLimitWait
		}
		return &waitError{reason: ddnsv1.ReasonRateLimited, msg: fmt.Sprintf("%s; retrying in %s", msg, after.Round(time.Second)), after: after}
	default:
		return &transientError{msg: msg, err: err}
	}
}

// transientError is a passing fault, retried with backoff; its message
// says what was attempted once.
type transientError struct {
	msg string
	err error
}

func (e *transientError) Error() string { return e.msg }
func (e *transientError) Unwrap() error { return e.err }

// describe joins op and err's message without saying the operation twice:
// a provider message that already starts with op is kept as it is
// ("find zone of home.example.com: ..."), one that names it in fewer words
// takes op's ("list records: 403" under op "list records in zone
// example.com" becomes "list records in zone example.com: 403").
func describe(op string, err error) string {
	msg := err.Error()
	if op == "" || strings.HasPrefix(msg, op) {
		return msg
	}
	if verb, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(op, verb) {
		return op + ": " + rest
	}
	return op + ": " + msg
}

// isStalled reports whether err stops for a user, and returns it.
func isStalled(err error) (*stalledError, bool) {
	var se *stalledError
	ok := errors.As(err, &se)
	return se, ok
}

// isWait reports whether err asks to wait a known time, and returns it.
func isWait(err error) (*waitError, bool) {
	var we *waitError
	ok := errors.As(err, &we)
	return we, ok
}

package hetzner

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"

	"github.com/ddns-operator/ddns-operator/providers"
)

func TestMapError(t *testing.T) {
	resp := func(status int, h map[string]string) *hcloud.Response {
		r := &hcloud.Response{Response: &http.Response{StatusCode: status, Header: http.Header{}}}
		for k, v := range h {
			r.Header.Set(k, v)
		}
		return r
	}
	reset := time.Now().Add(30 * time.Second)
	limited := resp(429, nil)
	limited.Meta.Ratelimit.Reset = reset
	for _, tc := range []struct {
		name     string
		resp     *hcloud.Response
		err      error
		kind     providers.Kind
		text     string
		min, max time.Duration
	}{
		{"unauthorized", resp(401, nil), hcloud.Error{Code: hcloud.ErrorCodeUnauthorized, Message: "unable to authenticate"}, providers.KindAuth, "unable to authenticate", 0, 0},
		{"a read-only token", resp(403, nil), hcloud.Error{Code: hcloud.ErrorCodeForbidden, Message: "insufficient permissions"}, providers.KindAuth, "insufficient", 0, 0},
		{"TTL too small", resp(422, nil), hcloud.Error{Code: hcloud.ErrorCodeInvalidInput, Message: "invalid input in field 'ttl'",
			Details: hcloud.ErrorDetailsInvalidInput{Fields: []hcloud.ErrorDetailsInvalidInputField{{Name: "ttl", Messages: []string{"must be greater than or equal to 60"}}}}},
			providers.KindInvalid, "ttl: must be greater than or equal to 60", 0, 0},
		{"a secondary zone", resp(422, nil), hcloud.Error{Code: "incorrect_zone_mode", Message: "This operation is not supported for this Zone's mode."}, providers.KindInvalid, "mode", 0, 0},
		{"protected", resp(422, nil), hcloud.Error{Code: hcloud.ErrorCodeProtected, Message: "rrset is protected"}, providers.KindInvalid, "protected", 0, 0},
		{"exists", resp(409, nil), hcloud.Error{Code: hcloud.ErrorCodeUniquenessError, Message: "rrset already exists"}, providers.KindTransient, "already", 0, 0},
		{"not found", resp(404, nil), hcloud.Error{Code: hcloud.ErrorCodeNotFound, Message: "rrset not found"}, providers.KindNotFound, "not found", 0, 0},
		{"throttled", limited, hcloud.Error{Code: hcloud.ErrorCodeRateLimitExceeded, Message: "limit reached"}, providers.KindRateLimited, "limit", 29 * time.Second, 32 * time.Second},
		{"a proxy's 503", resp(503, nil), fmt.Errorf("hcloud: %w %d", hcloud.ErrStatusCode, 503), providers.KindTransient, "service unavailable", 0, 0},
		{"a proxy's 429", resp(429, map[string]string{"Retry-After": "9"}), fmt.Errorf("hcloud: %w %d", hcloud.ErrStatusCode, 429), providers.KindRateLimited, "too many", 9 * time.Second, 9 * time.Second},
		{"a reset", nil, errors.New("read tcp 127.0.0.1:1: connection reset by peer"), providers.KindTransient, "connection reset", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := mapError("list zones", tc.resp, tc.err)
			if providers.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("mapError = %v (kind %s), want kind %s with %q", err, providers.KindOf(err), tc.kind, tc.text)
			}
			if d, _ := providers.RetryAfterOf(err); d < tc.min || d > tc.max {
				t.Fatalf("retry after %s, want %s..%s", d, tc.min, tc.max)
			}
		})
	}
	if err := actionError("update", &hcloud.Action{Status: hcloud.ActionStatusError, ErrorCode: "action_failed", ErrorMessage: "Action failed"}); err == nil || !strings.Contains(err.Error(), "Action failed") {
		t.Fatalf("a failed action = %v", err)
	}
	if err := actionError("update", &hcloud.Action{Status: hcloud.ActionStatusRunning}); err != nil {
		t.Fatalf("a running action = %v", err)
	}
}

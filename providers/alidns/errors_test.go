package alidns

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/alibabacloud-go/tea/tea"

	"github.com/ddns-operator/ddns-operator/providers"
)

// sdkError builds the error the SDK returns for an error answer.
func sdkError(status int, code, msg string) error {
	return tea.NewSDKError(map[string]interface{}{
		"code":    code,
		"message": fmt.Sprintf("code: %d, %s request id: 5E2C0000-0001", status, msg),
		"data": map[string]interface{}{
			"Code": code, "Message": msg, "RequestId": "5E2C0000-0001",
			"HostId": "alidns.aliyuncs.com", "statusCode": tea.Int(status),
		},
	})
}

func TestClassify(t *testing.T) {
	p := &Provider{secrets: []string{"LTAI5tLeakyKeyId", "LeakySecret0123", "CAISLeakyToken"}}
	for _, tc := range []struct {
		name     string
		err      error
		byID     bool
		want     providers.Kind
		contains string
	}{
		{"unknown key", sdkError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."), false, providers.KindAuth, "access key is not found"},
		{"wrong secret", sdkError(400, "SignatureDoesNotMatch", "Specified signature does not match our calculation."), false, providers.KindAuth, "signature does not match"},
		{"disabled key", sdkError(400, "InvalidAccessKeyId.Inactive", "Specified access key is disabled."), false, providers.KindAuth, "disabled"},
		{"ram forbidden", sdkError(400, "Forbidden.RAM", "User not authorized to operate on the specified resource, or this API doesn't support RAM."), false, providers.KindAuth, "not authorized"},
		{"plain forbidden", sdkError(403, "Forbidden", "User not authorized to operate on the specified resource."), false, providers.KindAuth, "not authorized"},
		{"expired sts token", sdkError(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired."), false, providers.KindAuth, "expired"},
		{"throttling user", sdkError(400, "Throttling.User", "Request was denied due to user flow control."), false, providers.KindRateLimited, "flow control"},
		{"throttling", sdkError(503, "Throttling", "Request was denied due to request throttling."), false, providers.KindRateLimited, "throttling"},
		{"throttling api", sdkError(400, "Throttling.Api", "Request was denied due to api flow control."), false, providers.KindRateLimited, "flow control"},
		{"http 429", sdkError(429, "TooManyRequests", "slow down"), false, providers.KindRateLimited, "slow down"},
		{"domain gone", sdkError(400, "InvalidDomainName.NoExist", "The specified domain name does not exist."), false, providers.KindZoneNotFound, "does not exist"},
		{"domain of another user", sdkError(400, "IncorrectDomainUser", "The domain name belongs to other users."), false, providers.KindZoneNotFound, "other users"},
		{"record id gone", sdkError(400, "DomainRecordNotBelongToUser", "The DNS record does not exist in your account."), true, providers.KindNotFound, "does not exist"},
		{"record not owned when listing", sdkError(400, "DomainRecordNotBelongToUser", "The DNS record does not exist in your account."), false, providers.KindZoneNotFound, "does not exist"},
		{"ttl below the edition", sdkError(400, "QuotaExceeded.TTL", "The specified TTL is invalid. A valid TTL must be in the range of 600 to 86400."), false, providers.KindInvalid, "600 to 86400"},
		{"invalid ttl", sdkError(400, "InvalidTTL", "Specified parameter TTL is not valid."), false, providers.KindInvalid, "TTL"},
		{"invalid rr", sdkError(400, "InvalidRR.NoExist", "The host record does not exist."), false, providers.KindInvalid, "host record"},
		{"conflict", sdkError(400, "DomainRecordConflict", "The DNS record conflicts with other records."), false, providers.KindInvalid, "conflicts"},
		{"record locked", sdkError(400, "Forbidden.RecordLocked", "The record is locked."), false, providers.KindInvalid, "locked"},
		{"unnamed 400", sdkError(400, "SomethingNew", "Something new went wrong."), false, providers.KindInvalid, "Something new"},
		{"internal error", sdkError(500, "InternalError", "The request processing has failed due to some unknown error."), false, providers.KindTransient, "unknown error"},
		{"service unavailable", sdkError(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."), false, providers.KindTransient, "temporary failure"},
		{"bare 502", sdkError(502, "", ""), false, providers.KindTransient, "Bad Gateway"},
		{"nonce reused", sdkError(400, "SignatureNonceUsed", "Specified signature nonce was used already."), false, providers.KindTransient, "nonce"},
		{"duplicate", sdkError(400, "DomainRecordDuplicate", "The DNS record already exists."), false, providers.KindTransient, "already exists"},
		{"reset", fmt.Errorf("Post \"https://alidns.aliyuncs.com/?Action=x\": %w", io.ErrUnexpectedEOF), false, providers.KindTransient, "unexpected EOF"},
		{"timeout", fmt.Errorf("post: %w", context.DeadlineExceeded), false, providers.KindTransient, "timed out"},
		{"echoed string to sign", sdkError(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DLTAI5tLeakyKeyId"), false, providers.KindAuth, "not matched"},
		{"echoed key id", sdkError(404, "InvalidAccessKeyId.NotFound", "Specified access key LTAI5tLeakyKeyId is not found."), false, providers.KindAuth, "***"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := p.classify("alidns: test", tc.byID, tc.err)
			if got := providers.KindOf(err); got != tc.want {
				t.Fatalf("classify(%v) kind = %s, want %s", tc.err, got, tc.want)
			}
			var pe *providers.Error
			if !errors.As(err, &pe) {
				t.Fatalf("classify returned %T, want *providers.Error", err)
			}
			if !strings.Contains(err.Error(), tc.contains) {
				t.Fatalf("error %q does not contain %q", err, tc.contains)
			}
			for _, s := range p.secrets {
				if strings.Contains(err.Error(), s) {
					t.Fatalf("error %q leaks %q", err, s)
				}
			}
			if strings.Contains(err.Error(), "string to sign is:") || strings.Contains(err.Error(), "alidns.aliyuncs.com/?") {
				t.Fatalf("error %q echoes the request", err)
			}
		})
	}
}

func TestClassifyKeepsCodeAndCancellation(t *testing.T) {
	p := &Provider{}
	err := p.classify("alidns: create record", false, sdkError(400, "QuotaExceeded.TTL", "The specified TTL is invalid. A valid TTL must be in the range of 600 to 86400."))
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Code != "QuotaExceeded.TTL" {
		t.Fatalf("classify lost the code: %#v", err)
	}
	err = p.classify("alidns: list records", false, fmt.Errorf("wrapped: %w", context.Canceled))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v does not wrap context.Canceled", err)
	}
}

func TestResolveEndpoint(t *testing.T) {
	for _, tc := range []struct {
		override, spec, host, proto string
		bad                         bool
	}{
		{"", "", DefaultEndpoint, "https", false},
		{"", "alidns.ap-southeast-1.aliyuncs.com", "alidns.ap-southeast-1.aliyuncs.com", "https", false},
		{"", "https://alidns.example.internal/", "alidns.example.internal", "https", false},
		{"", "http://alidns.aliyuncs.com", "", "", true},
		{"http://127.0.0.1:8080", "alidns.ap-southeast-1.aliyuncs.com", "127.0.0.1:8080", "http", false},
		{"ftp://x", "", "", "", true},
	} {
		host, proto, err := resolveEndpoint(tc.override, tc.spec)
		if tc.bad {
			if err == nil {
				t.Errorf("resolveEndpoint(%q, %q) succeeded, want an error", tc.override, tc.spec)
			}
			continue
		}
		if err != nil || host != tc.host || proto != tc.proto {
			t.Errorf("resolveEndpoint(%q, %q) = %q, %q, %v; want %q, %q", tc.override, tc.spec, host, proto, err, tc.host, tc.proto)
		}
	}
}

package rest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
)

func TestReadEnvelope(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   providers.Kind
		ok     bool
		says   string
	}{
		{name: "ok", status: 200, body: `{"code":200,"data":{"id":"1"}}`, ok: true},
		{name: "code in the envelope", status: 200, body: `{"code":401,"msg":"认证失败"}`, want: providers.KindAuth, says: "认证失败; check it"},
		{name: "message field", status: 200, body: `{"code":400,"message":"bad value"}`, want: providers.KindInvalid, says: "bad value"},
		{name: "HTTP status wins over a 200 code", status: 502, body: `{"code":200}`, want: providers.KindTransient, says: "Bad Gateway"},
		{name: "not an envelope", status: 200, body: `<html>`, want: providers.KindTransient, says: "undecodable answer (HTTP 200)"},
		{name: "no code", status: 200, body: `{}`, want: providers.KindTransient, says: "undecodable"},
		{name: "throttled", status: 429, body: `{"code":429,"msg":"slow"}`, want: providers.KindRateLimited, says: "slow"},
		{name: "secret scrubbed", status: 200, body: `{"code":403,"msg":"key s3cr3t-value refused"}`, want: providers.KindAuth, says: "key [redacted] refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadEnvelope("demo op", &http.Response{StatusCode: tc.status, Header: http.Header{}}, []byte(tc.body), "s3cr3t-value", "check it")
			if tc.ok {
				if err != nil {
					t.Fatalf("ReadEnvelope = %v", err)
				}
				return
			}
			if providers.KindOf(err) != tc.want || !strings.Contains(err.Error(), tc.says) || strings.Contains(err.Error(), "s3cr3t-value") {
				t.Fatalf("ReadEnvelope = %v (kind %s), want kind %s saying %q", err, providers.KindOf(err), tc.want, tc.says)
			}
		})
	}
}

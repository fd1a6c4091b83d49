package tencentcloud

import (
	"context"
	"errors"
	"strings"
	"testing"

	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"

	"github.com/ddns-operator/ddns-operator/providers"
)

func TestMapError(t *testing.T) {
	for _, tc := range []struct {
		code, msg string
		want      providers.Kind
		wantText  string // must appear in the error
		notText   string // must not appear in the error
	}{
		{"AuthFailure.SignatureFailure", "The provided credentials could not be validated.", providers.KindAuth, "could not be validated", ""},
		{"AuthFailure.SecretIdNotFound", "The SecretId is not found", providers.KindAuth, "SecretId is not found", ""},
		{"AuthFailure.SignatureExpire", "Signature expired.", providers.KindAuth, "expired", ""},
		{"AuthFailure.UnauthorizedOperation", "请求未授权。", providers.KindAuth, "请求未授权", ""},
		{"UnauthorizedOperation", "未授权操作。", providers.KindAuth, "未授权操作", ""},
		{"OperationDenied.NoPermissionToOperateDomain", "没有权限操作该域名。", providers.KindAuth, "没有权限", ""},
		{"FailedOperation.LoginFailed", "登录失败。", providers.KindAuth, "", ""},
		{"RequestLimitExceeded", "frequency limit", providers.KindRateLimited, "frequency limit", ""},
		{"RequestLimitExceeded.RequestLimitExceeded", "API请求次数超出限制。", providers.KindRateLimited, "", ""},
		{"RequestLimitExceeded.UinLimitExceeded", "主账号限频。", providers.KindRateLimited, "", ""},
		{"FailedOperation.FrequencyLimit", "您操作过于频繁，请稍后重试", providers.KindRateLimited, "", ""},
		{"InvalidParameterValue.DomainNotExists", "当前域名有误，请返回重新操作。", providers.KindZoneNotFound, "当前域名有误", ""},
		{"ResourceNotFound.NoDataOfDomain", "域名列表为空。", providers.KindZoneNotFound, "", ""},
		{"FailedOperation.NotDomainOwner", "域名不在您的名下。", providers.KindZoneNotFound, "", ""},
		{"InvalidParameter.RecordIdInvalid", "记录编号错误。", providers.KindNotFound, "记录编号错误", ""},
		{"ResourceNotFound.NoDataOfRecord", "记录列表为空。", providers.KindNotFound, "", ""},
		{"LimitExceeded.RecordTtlLimit", "记录的TTL值超出了限制。", providers.KindInvalid, "TTL值", ""},
		{"InvalidParameter.RecordLineInvalid", "记录线路不正确。", providers.KindInvalid, "记录线路不正确", ""},
		{"InvalidParameter.RecordValueInvalid", "记录的值不正确。", providers.KindInvalid, "", ""},
		{"LimitExceeded.AAAACountLimit", "AAAA记录数量超出限制。", providers.KindInvalid, "", ""},
		{"FailedOperation.DomainIsLocked", "锁定域名不能进行此操作。", providers.KindInvalid, "", ""},
		{"MissingParameter", "missing", providers.KindInvalid, "", ""},
		{"InternalError", "An internal error has occurred.", providers.KindTransient, "internal error", ""},
		{"InternalError.DbError", "db", providers.KindTransient, "", ""},
		{"ServiceUnavailable", "unavailable", providers.KindTransient, "", ""},
		{"FailedOperation.UnknowError", "未知错误", providers.KindTransient, "", ""},
		{"SomethingNew", "?", providers.KindTransient, "", ""},
		{"ClientError.NetworkError", `Fail to get response because Post "https://dnspod.tencentcloudapi.com/?secret=x": dial tcp: connection refused`,
			providers.KindTransient, "connection refused", "secret=x"},
		{"ClientError.HttpStatusCodeError", "Request fail with http status code: 502 Bad Gateway, with body: <html>token</html>",
			providers.KindTransient, "502 Bad Gateway", "token"},
		{"ClientError.ParseJsonError", "Fail to parse json content: <html>key</html>", providers.KindTransient, "could not be decoded", "key"},
	} {
		t.Run(tc.code, func(t *testing.T) {
			err := mapError(context.Background(), "testing", tcerr.NewTencentCloudSDKError(tc.code, tc.msg, "req-1"))
			if got := providers.KindOf(err); got != tc.want {
				t.Fatalf("kind of %s = %s, want %s", tc.code, got, tc.want)
			}
			if !strings.Contains(err.Error(), tc.code) {
				t.Errorf("error %q does not carry the code %s", err, tc.code)
			}
			if tc.wantText != "" && !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("error %q lost the provider's words %q", err, tc.wantText)
			}
			if tc.notText != "" && strings.Contains(err.Error(), tc.notText) {
				t.Errorf("error %q repeats %q", err, tc.notText)
			}
			if _, ok := providers.RetryAfterOf(err); ok {
				t.Errorf("error %q has a retry-after Tencent Cloud never sends", err)
			}
		})
	}
}

func TestMapErrorCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := mapError(ctx, "testing", tcerr.NewTencentCloudSDKError("ClientError.NetworkError", "context canceled", ""))
	if !errors.Is(err, context.Canceled) || providers.KindOf(err) != providers.KindTransient {
		t.Fatalf("mapError on a cancelled context = %v", err)
	}
}

func TestMapErrorNotSDK(t *testing.T) {
	err := mapError(context.Background(), "testing", errors.New("DescribeRecordList require credential"))
	if providers.KindOf(err) != providers.KindTransient {
		t.Fatalf("mapError(plain error) = %v", err)
	}
}

func TestTTLError(t *testing.T) {
	base := mapError(context.Background(), "creating record", tcerr.NewTencentCloudSDKError(codeRecordTTLLimit, "记录的TTL值超出了限制。", "r"))
	err := ttlError(base, 60)
	if providers.KindOf(err) != providers.KindInvalid || !strings.Contains(err.Error(), "600") || !strings.Contains(err.Error(), "记录的TTL值超出了限制") {
		t.Fatalf("ttlError = %v", err)
	}
	other := mapError(context.Background(), "creating record", tcerr.NewTencentCloudSDKError("InternalError", "x", "r"))
	if ttlError(other, 60) != other { //nolint:errorlint // identity: the same error value must come back
		t.Fatal("ttlError changed an unrelated error")
	}
}

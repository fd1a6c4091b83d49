package tencentcloudfake

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"

	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The response envelope of every Tencent Cloud API 3.0 call, success or
// failure, answered with HTTP 200:
//
//	{"Response": {..., "RequestId": "..."}}
//	{"Response": {"Error": {"Code": "...", "Message": "..."}, "RequestId": "..."}}
//
// Documented in "返回结果" (https://cloud.tencent.com/document/api/1427/56191)
// and "错误码" (https://cloud.tencent.com/document/api/1427/56192).

// apiError is one documented error: its code and message.
type apiError struct {
	Code    string `json:"Code"`
	Message string `json:"Message"`
}

// Error codes and messages the fake answers with. Common codes and their
// descriptions come from the DNSPod error code page
// (https://cloud.tencent.com/document/api/1427/56192); the messages of the
// two AuthFailure codes are the ones the API sends, as quoted in Tencent's
// signature FAQ (https://cloud.tencent.com/document/faq/884/78984) and in the
// example at the top of the error code page. Business codes are the ones the
// SDK's v20210323/errors.go lists for these actions.
var (
	errSignatureFailure     = apiError{"AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct."}
	errSecretIDNotFound     = apiError{"AuthFailure.SecretIdNotFound", "The SecretId is not found, please ensure that your SecretId is correct."}
	errSignatureExpire      = apiError{"AuthFailure.SignatureExpire", "Signature expired. Timestamp and server time cannot differ by more than five minutes."}
	errInvalidAuthorization = apiError{"AuthFailure.InvalidAuthorization", "Authorization in the request header is invalid."}
	errRequestLimitExceeded = apiError{"RequestLimitExceeded", "Your current request times equals to `100` in a second, which exceeds the frequency limit `100` for a second. Please reduce the frequency of calls."}
	errInternal             = apiError{"InternalError", "An internal error has occurred. Retry your request."}
	errInvalidAction        = apiError{"InvalidAction", "The action does not exist."}
	errNoSuchVersion        = apiError{"NoSuchVersion", "The API version does not exist."}
	errUnsupportedHTTP      = apiError{"UnsupportedProtocol", "Only POST requests with Content-Type application/json are supported by this fake."}
	errDomainNotExists      = apiError{"InvalidParameterValue.DomainNotExists", "当前域名有误，请返回重新操作。"}
	errNoDataOfRecord       = apiError{"ResourceNotFound.NoDataOfRecord", "记录列表为空。"}
	errNoDataOfDomain       = apiError{"ResourceNotFound.NoDataOfDomain", "域名列表为空。"}
	errRecordIDInvalid      = apiError{"InvalidParameter.RecordIdInvalid", "记录编号错误。"}
	errRecordTTLLimit       = apiError{"LimitExceeded.RecordTtlLimit", "记录的TTL值超出了限制。"}
	errRecordLine           = apiError{"InvalidParameter.RecordLineInvalid", "记录线路不正确。"}
	errRecordType           = apiError{"InvalidParameter.RecordTypeInvalid", "记录类型不正确。"}
	errRecordValue          = apiError{"InvalidParameter.RecordValueInvalid", "记录的值不正确。"}
	errRecordExist          = apiError{"InvalidParameter.DomainRecordExist", "记录已经存在，无需再次添加。"}
	errLimitInvalid         = apiError{"InvalidParameterValue.LimitInvalid", "分页长度数量错误。"}
	errBadJSON              = apiError{"InvalidParameter", "The request body is not valid JSON."}
)

func missingParameter(name string) *apiError {
	return &apiError{"MissingParameter", "The request is missing a required parameter `" + name + "`."}
}

func requestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// writeError answers a failed call, with HTTP 200 as the real API does (its
// gateway answers a 5xx status when the service behind it fails).
func writeError(w http.ResponseWriter, status int, e apiError) {
	providertest.WriteJSON(w, status, map[string]any{"Response": map[string]any{"Error": e, "RequestId": requestID()}})
}

// request holds the parameters of the actions, with the names of the API
// pages: DescribeDomainList https://tencentcloud.com/document/product/1157/53854,
// DescribeRecordList https://cloud.tencent.com/document/api/1427/56166,
// CreateRecord https://tencentcloud.com/document/api/1157/49041,
// ModifyRecord https://cloud.tencent.com/document/api/1427/56157,
// DeleteRecord https://tencentcloud.com/document/product/1157/49039.
// Decoding matches names whatever their case, so DescribeRecordList's
// Subdomain is SubDomain and RecordLineId RecordLineID.
type request struct {
	Domain, SubDomain, RecordType, RecordLine, RecordLineID, Keyword, Value, Status, Remark *string
	Offset, Limit                                                                           *int64
	RecordID, MX, TTL, Weight                                                               *uint64
}

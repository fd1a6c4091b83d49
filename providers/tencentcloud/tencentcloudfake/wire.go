package tencentcloudfake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
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
	errSignatureFailure = apiError{"AuthFailure.SignatureFailure",
		"The provided credentials could not be validated. Please check your signature is correct."}
	errSecretIDNotFound = apiError{"AuthFailure.SecretIdNotFound",
		"The SecretId is not found, please ensure that your SecretId is correct."}
	errSignatureExpire = apiError{"AuthFailure.SignatureExpire",
		"Signature expired. Timestamp and server time cannot differ by more than five minutes."}
	errInvalidAuthorization = apiError{"AuthFailure.InvalidAuthorization",
		"Authorization in the request header is invalid."}
	errRequestLimitExceeded = apiError{"RequestLimitExceeded",
		"Your current request times equals to `100` in a second, which exceeds the frequency limit `100` for a second. Please reduce the frequency of calls."}
	errInternal        = apiError{"InternalError", "An internal error has occurred. Retry your request."}
	errInvalidAction   = apiError{"InvalidAction", "The action does not exist."}
	errNoSuchVersion   = apiError{"NoSuchVersion", "The API version does not exist."}
	errUnsupportedHTTP = apiError{"UnsupportedProtocol", "Only POST requests with Content-Type application/json are supported by this fake."}
	errDomainNotExists = apiError{"InvalidParameterValue.DomainNotExists", "当前域名有误，请返回重新操作。"}
	errNoDataOfRecord  = apiError{"ResourceNotFound.NoDataOfRecord", "记录列表为空。"}
	errNoDataOfDomain  = apiError{"ResourceNotFound.NoDataOfDomain", "域名列表为空。"}
	errRecordIDInvalid = apiError{"InvalidParameter.RecordIdInvalid", "记录编号错误。"}
	errRecordTTLLimit  = apiError{"LimitExceeded.RecordTtlLimit", "记录的TTL值超出了限制。"}
	errRecordLine      = apiError{"InvalidParameter.RecordLineInvalid", "记录线路不正确。"}
	errRecordType      = apiError{"InvalidParameter.RecordTypeInvalid", "记录类型不正确。"}
	errRecordValue     = apiError{"InvalidParameter.RecordValueInvalid", "记录的值不正确。"}
	errRecordExist     = apiError{"InvalidParameter.DomainRecordExist", "记录已经存在，无需再次添加。"}
	errLimitInvalid    = apiError{"InvalidParameterValue.LimitInvalid", "分页长度数量错误。"}
	errBadJSON         = apiError{"InvalidParameter", "The request body is not valid JSON."}
)

func missingParameter(name string) apiError {
	return apiError{"MissingParameter", "The request is missing a required parameter `" + name + "`."}
}

func requestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// writeResult answers a successful call: body's fields plus RequestId inside
// the "Response" object.
func writeResult(w http.ResponseWriter, body map[string]any) {
	if body == nil {
		body = map[string]any{}
	}
	body["RequestId"] = requestID()
	writeJSON(w, map[string]any{"Response": body})
}

// writeError answers a failed call, with HTTP 200 as the real API does.
func writeError(w http.ResponseWriter, e apiError) {
	writeJSON(w, map[string]any{"Response": map[string]any{"Error": e, "RequestId": requestID()}})
}

// writeErrorStatus answers an error with an HTTP status other than 200.
func writeErrorStatus(w http.ResponseWriter, status int, e apiError) {
	writeJSONStatus(w, status, map[string]any{"Response": map[string]any{"Error": e, "RequestId": requestID()}})
}

func writeJSON(w http.ResponseWriter, v any) { writeJSONStatus(w, http.StatusOK, v) }

func writeJSONStatus(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Request bodies, with the parameter names of the API pages:
// DescribeDomainList https://tencentcloud.com/document/product/1157/53854,
// DescribeRecordList https://cloud.tencent.com/document/api/1427/56166,
// CreateRecord https://tencentcloud.com/document/api/1157/49041,
// ModifyRecord https://cloud.tencent.com/document/api/1427/56157,
// DeleteRecord https://tencentcloud.com/document/product/1157/49039.

type describeDomainListReq struct {
	Type    *string
	Offset  *int64
	Limit   *int64
	Keyword *string
}

type describeRecordListReq struct {
	Domain       *string
	Subdomain    *string
	RecordType   *string
	RecordLine   *string
	RecordLineId *string //nolint:revive // the API's spelling
	Keyword      *string
	Offset       *uint64
	Limit        *uint64
}

type recordWriteReq struct {
	Domain       *string
	RecordId     *uint64 //nolint:revive // the API's spelling
	SubDomain    *string
	RecordType   *string
	RecordLine   *string
	RecordLineId *string //nolint:revive // the API's spelling
	Value        *string
	MX           *uint64
	TTL          *uint64
	Weight       *uint64
	Status       *string
	Remark       *string
}

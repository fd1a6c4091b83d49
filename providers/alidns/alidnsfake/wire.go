package alidnsfake

import (
	"fmt"
	"net/http"

	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// apiError is one of the service's error answers. The body shape is the
// POP gateway's JSON error: {"RequestId","HostId","Code","Message",
// "Recommend"}; codes, statuses and messages are those Alibaba Cloud
// documents in its common error codes and the Alibaba Cloud DNS error
// center, and that the service returns (as quoted in user reports).
type apiError struct {
	status  int
	code    string
	message string
}

// Authentication (common error codes of the API gateway).
var (
	errAccessKeyNotFound     = &apiError{http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found."}
	errAccessKeyInactive     = &apiError{http.StatusBadRequest, "InvalidAccessKeyId.Inactive", "Specified access key is disabled."}
	errSignatureMismatch     = &apiError{http.StatusBadRequest, "SignatureDoesNotMatch", "Specified signature does not match our calculation."}
	errIncompleteSignature   = &apiError{http.StatusBadRequest, "IncompleteSignature", "The request signature does not conform to Aliyun standards."}
	errMissingSecurityToken  = &apiError{http.StatusBadRequest, "MissingSecurityToken", "SecurityToken is mandatory for this action."}
	errSecurityTokenMismatch = &apiError{http.StatusBadRequest, "InvalidSecurityToken.Mismatch", "Specified SecurityToken mismatch with the AccessKey."}
	errTimestampExpired      = &apiError{http.StatusBadRequest, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."}
	errNonceUsed             = &apiError{http.StatusBadRequest, "SignatureNonceUsed", "Specified signature nonce was used already."}
	errForbiddenRAM          = &apiError{http.StatusBadRequest, "Forbidden.RAM", "User not authorized to operate on the specified resource, or this API doesn't support RAM."}
	errActionNotFound        = &apiError{http.StatusNotFound, "InvalidAction.NotFound", "Specified api is not found, please check your url and method."}
	errVersion               = &apiError{http.StatusBadRequest, "InvalidVersion", "Specified parameter Version is not valid."}

	// Faults: Alibaba Cloud DNS throttles with Throttling.User (HTTP 400,
	// no Retry-After; "Notice on API throttling of Alibaba Cloud DNS") and
	// fails with InternalError (HTTP 500).
	errThrottled   = &apiError{http.StatusBadRequest, "Throttling.User", "Request was denied due to user flow control."}
	errInternal    = &apiError{http.StatusInternalServerError, "InternalError", "The request processing has failed due to some unknown error, exception or failure."}
	errBadGateway  = &apiError{http.StatusBadGateway, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."}
	errUnavailable = &apiError{http.StatusServiceUnavailable, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."}

	// Alibaba Cloud DNS error center (help.aliyun.com/document_detail/2355841).
	errDomainNoExist   = &apiError{http.StatusBadRequest, "InvalidDomainName.NoExist", "The specified domain name does not exist. Refresh the page and try again."}
	errIncorrectUser   = &apiError{http.StatusBadRequest, "IncorrectDomainUser", "The domain name belongs to other users. Transfer the domain name to the current user and then try the binding and setting actions."}
	errRecordNotOwned  = &apiError{http.StatusBadRequest, "DomainRecordNotBelongToUser", "The DNS record does not exist in your account."}
	errRecordDuplicate = &apiError{http.StatusBadRequest, "DomainRecordDuplicate", "The DNS record already exists."}
	errRecordConflict  = &apiError{http.StatusBadRequest, "DomainRecordConflict", "The DNS record conflicts with other records."}
)

func errTTL(min int) *apiError {
	return &apiError{http.StatusBadRequest, "QuotaExceeded.TTL", fmt.Sprintf("The specified TTL is invalid. A valid TTL must be in the range of %d to %d.", min, MaxTTL)}
}

func missing(param string) *apiError {
	return &apiError{http.StatusBadRequest, "Missing" + param, param + " is mandatory for this action."}
}

func invalid(param string) *apiError {
	return &apiError{http.StatusBadRequest, "InvalidParameter", "Specified parameter " + param + " is not valid."}
}

// answer sends an action's answer, or its error e in the POP gateway's
// shape, each with its RequestId.
func (f *Fake) answer(w http.ResponseWriter, r *http.Request, body map[string]any, e *apiError) {
	id, status := f.requestID(), http.StatusOK
	if e != nil {
		status, body = e.status, map[string]any{"HostId": r.Host, "Code": e.code, "Message": e.message,
			"Recommend": fmt.Sprintf("https://api.aliyun.com/troubleshoot?q=%s&product=Alidns&requestId=%s", e.code, id)}
	}
	body["RequestId"] = id
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	providertest.WriteJSON(w, status, body)
}

// requestID returns an ID shaped like the service's (8-4-4-4-12 hex).
func (f *Fake) requestID() string {
	n := f.reqSeq.Add(1)
	return fmt.Sprintf("5E2C%04X-%04X-%04X-%04X-%012X", n>>16&0xffff, n&0xffff, 0x4A00, 0x8000, n)
}

package alidns

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/alibabacloud-go/tea/tea"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Alibaba Cloud error codes the provider acts on. Sources: the common error
// codes of the POP gateway and Alibaba Cloud DNS's error center
// (https://help.aliyun.com/document_detail/2355841.html), and the codes the
// service returns as reported against real accounts.
const (
	codeDuplicate      = "DomainRecordDuplicate"
	codeRecordNotOwned = "DomainRecordNotBelongToUser"
)

// codeKinds maps exact error codes to kinds.
var codeKinds = map[string]providers.Kind{
	// Authentication and authorization.
	"InvalidAccessKeyId":           providers.KindAuth,
	"InvalidAccessKeyId.NotFound":  providers.KindAuth,
	"InvalidAccessKeyId.Inactive":  providers.KindAuth,
	"SignatureDoesNotMatch":        providers.KindAuth,
	"IncompleteSignature":          providers.KindAuth,
	"MissingSecurityToken":         providers.KindAuth,
	"InvalidTimeStamp.Expired":     providers.KindAuth,
	"Forbidden":                    providers.KindAuth,
	"Forbidden.RAM":                providers.KindAuth,
	"Forbidden.AccessKeyDisabled":  providers.KindAuth,
	"Forbidden.NoPermission":       providers.KindAuth,
	"NoPermission":                 providers.KindAuth,
	"Throttling":                   providers.KindRateLimited,
	"Throttling.User":              providers.KindRateLimited,
	"Throttling.Api":               providers.KindRateLimited,
	"Throttling.Resource":          providers.KindRateLimited,
	"InvalidDomainName.NoExist":    providers.KindZoneNotFound,
	"IncorrectDomainUser":          providers.KindZoneNotFound,
	"QuotaExceeded.TTL":            providers.KindInvalid,
	"InvalidTTL":                   providers.KindInvalid,
	"InvalidRR.NoExist":            providers.KindInvalid,
	"DomainRecordConflict":         providers.KindInvalid,
	"QuotaExceeded.Record":         providers.KindInvalid,
	"Forbidden.RecordLocked":       providers.KindInvalid,
	"Forbidden.DomainExpired":      providers.KindInvalid,
	"InternalError":                providers.KindTransient,
	"ServiceUnavailable":           providers.KindTransient,
	"UnknownError":                 providers.KindTransient,
	"SignatureNonceUsed":           providers.KindTransient,
	codeDuplicate:                  providers.KindTransient,
	codeRecordNotOwned:             providers.KindZoneNotFound,
	"InvalidSecurityToken.Expired": providers.KindAuth,
}

// prefixKinds classify code families, checked after the exact codes.
var prefixKinds = []struct {
	prefix string
	kind   providers.Kind
}{
	{"InvalidAccessKeyId.", providers.KindAuth},
	{"InvalidSecurityToken.", providers.KindAuth},
	{"Throttling.", providers.KindRateLimited},
	{"ServiceUnavailable.", providers.KindTransient},
	{"QuotaExceeded.", providers.KindInvalid},
	{"Invalid", providers.KindInvalid},
	{"Missing", providers.KindInvalid},
	{"Forbidden.", providers.KindInvalid},
}

// apiError is what the provider keeps of an Alibaba Cloud error answer.
type apiError struct {
	Status  int
	Code    string
	Message string
}

// asAPIError extracts the service's answer from an SDK error: the code, the
// HTTP status and the service's own message (from the response body kept in
// Data, not the SDK's formatted text).
func asAPIError(err error) (apiError, bool) {
	var se *tea.SDKError
	if !errors.As(err, &se) || se.StatusCode == nil {
		return apiError{}, false
	}
	ae := apiError{Status: tea.IntValue(se.StatusCode), Code: tea.StringValue(se.Code)}
	var data struct {
		Message string `json:"Message"`
		Code    string `json:"Code"`
	}
	if se.Data != nil && json.Unmarshal([]byte(*se.Data), &data) == nil {
		ae.Message = data.Message
		if ae.Code == "" {
			ae.Code = data.Code
		}
	}
	return ae, true
}

// kindOf classifies an error answer: by exact code, by code family, then by
// HTTP status. byID says the request addressed a record by its ID.
func kindOf(ae apiError, byID bool) providers.Kind {
	if ae.Code == codeRecordNotOwned && byID {
		return providers.KindNotFound
	}
	if k, ok := codeKinds[ae.Code]; ok {
		return k
	}
	for _, pk := range prefixKinds {
		if strings.HasPrefix(ae.Code, pk.prefix) {
			return pk.kind
		}
	}
	switch {
	case ae.Status == http.StatusTooManyRequests:
		return providers.KindRateLimited
	case ae.Status == http.StatusUnauthorized || ae.Status == http.StatusForbidden:
		return providers.KindAuth
	case ae.Status >= 500:
		return providers.KindTransient
	case ae.Status >= 400:
		// A refusal the provider does not name: repeating the same request
		// cannot help, a user must look at it.
		return providers.KindInvalid
	}
	return providers.KindTransient
}

// classify turns an SDK error into a providers.Error. Error answers keep the
// service's code and message; anything else (dial, reset, timeout, a body
// that is not JSON) is transient. Messages never carry a credential: they
// are built from the answer's code and message, scrubbed of the credential
// values and of any echoed string-to-sign.
func (p *Provider) classify(op string, byID bool, err error) error {
	var pe *providers.Error
	if errors.As(err, &pe) {
		return err
	}
	ae, ok := asAPIError(err)
	if !ok {
		// Transport errors: providers.Transient keeps only the innermost
		// cause, never the request URL.
		return providers.Transient(op, err)
	}
	msg := p.scrub(ae.Message)
	if msg == "" {
		msg = http.StatusText(ae.Status)
	}
	k := kindOf(ae, byID)
	e := &providers.Error{Kind: k, Code: ae.Code, Message: op + ": " + msg}
	if k == providers.KindAuth && ae.Code != "" {
		e.Message += "; check " + KeyAccessKeyID + "/" + KeyAccessKeySecret + " and the RAM user's alidns permissions"
	}
	return e
}

// scrub removes credential values and everything from an echoed
// "server string to sign" on (signature V2 echoes the AccessKeyId there).
func (p *Provider) scrub(s string) string {
	if i := strings.Index(strings.ToLower(s), "string to sign"); i >= 0 {
		s = strings.TrimRight(s[:i], " :") + " [string to sign removed]"
	}
	for _, secret := range p.secrets {
		s = strings.ReplaceAll(s, secret, "***")
	}
	return s
}

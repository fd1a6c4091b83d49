package aliesa

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/alibabacloud-go/tea/tea"

	"github.com/ddns-operator/ddns-operator/providers"
)

// kindOfCode classifies an Alibaba Cloud error code: the POP gateway's
// common codes ("公共错误码") by name and family, ESA's own ("Site.*",
// "Record.*", ...) by what they say; "" when the code says nothing.
func kindOfCode(code string) (providers.Kind, bool) {
	switch code {
	case "SignatureDoesNotMatch", "IncompleteSignature", "MissingSecurityToken", "InvalidTimeStamp.Expired", "NoPermission":
		return providers.KindAuth, true
	case "InternalError", "ServiceUnavailable", "UnknownError", "SignatureNonceUsed":
		return providers.KindTransient, true
	}
	for _, pk := range []struct {
		prefix string
		kind   providers.Kind
	}{
		{"InvalidAccessKeyId", providers.KindAuth},
		{"InvalidSecurityToken", providers.KindAuth},
		{"Forbidden", providers.KindAuth},
		{"Throttling", providers.KindRateLimited},
		{"ServiceUnavailable", providers.KindTransient},
	} {
		if strings.HasPrefix(code, pk.prefix) {
			return pk.kind, true
		}
	}
	if strings.Contains(code, "NotFound") || strings.Contains(code, "NotExist") {
		return providers.KindNotFound, true
	}
	return 0, false
}

// classify turns an SDK error into a providers.Error built from the
// answer's code and message (the body the SDK keeps in Data), never the
// SDK's own text for transport failures, which quotes the request.
func (p *Provider) classify(action string, err error) error {
	var pe *providers.Error
	if errors.As(err, &pe) {
		return err
	}
	var se *tea.SDKError
	if !errors.As(err, &se) || se.StatusCode == nil {
		return providers.Transient("aliesa "+action, err)
	}
	status := tea.IntValue(se.StatusCode)
	code := tea.StringValue(se.Code)
	var data struct {
		Code    string `json:"Code"`
		Message string `json:"Message"`
	}
	if se.Data != nil && json.Unmarshal([]byte(*se.Data), &data) == nil && code == "" {
		code = data.Code
	}
	msg := strings.TrimSpace(data.Message)
	if i := strings.Index(strings.ToLower(msg), "string to sign"); i >= 0 {
		msg = strings.TrimRight(msg[:i], " :") + " [string to sign removed]"
	}
	for _, s := range p.secrets {
		msg = strings.ReplaceAll(msg, s, "[redacted]")
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	kind, ok := kindOfCode(code)
	if !ok {
		kind = providers.KindOfStatus(status)
	}
	full := "aliesa " + action + ": " + msg
	switch kind {
	case providers.KindRateLimited:
		return providers.RateLimited(code, full, 0)
	case providers.KindAuth:
		return providers.Errorf(kind, code, "%s; check the Secret's %s and %s and the RAM user's esa permissions", full, AccessKeyIDKey, AccessKeySecretKey)
	}
	return providers.Errorf(kind, code, "%s", full)
}

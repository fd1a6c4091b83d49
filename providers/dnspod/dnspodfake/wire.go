package dnspodfake

import (
	"net/http"
	"strconv"
	"time"

	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Codes of the status envelope this fake answers with. The meaning of each is
// the documented one (共通返回 in info.rst, 响应代码 of each action in
// domains.rst and records.rst); the English messages are the texts the API
// sends with lang=en where public clients quote them, otherwise the English
// edition of the reference (docs.dnspod.com/api-legacy).
const (
	codeOK = "1"
	// codeLoginFailed: 共通返回 "-1 登陆失败". The API answers a wrong or
	// revoked login_token with it; clients quote "Login fail, please check
	// login info".
	codeLoginFailed = "-1"
	// codeAPILimited: 共通返回 "-2 API使用超出限制", the throttling answer.
	// It carries no wait time: the API sends no Retry-After.
	codeAPILimited = "-2"
	codePostOnly   = "2" // 共通返回 "2 只允许POST方法"
	// codeDomainID: Record.List / Record.Modify / Record.Remove "6 域名ID错误";
	// Domain.List "6 记录开始的偏移无效"; Record.Create "6 缺少参数或者参数错误".
	codeDomainID = "6"
	codeSeven    = "7" // Domain.List "7 共要获取的记录的数量无效"; Record.List "7 记录开始的偏移无效"
	codeEight    = "8" // Record.Modify / Record.Remove "8 记录ID错误"; Record.List "8 共要获取的记录的数量无效"
	// codeNoDomains (Domain.List "9 没有任何域名") and codeNoRecords
	// (Record.List "10 没有记录") are sent only with error_on_empty=yes (the
	// default).
	codeNoDomains, codeNoRecords = "9", "10"
	codeBadSubDomain             = "22" // "22 子域名不合法"
	codeBadLine                  = "26" // "26 记录线路错误"
	codeBadType                  = "27" // "27 记录类型错误"
	codeTTLTooSmall              = "29" // Record.Modify "29 TTL 值太小"
	// codeTTLLimited: Record.Create "32 记录的TTL值超出了限制". Users of the
	// free plan report it with the message "Record ttl is limited(600)"
	// (github.com/tengattack/certbot-dns-dnspod issue 1,
	// github.com/nixonli/ddns-scripts_dnspod issue 1).
	codeTTLLimited = "32"
	codeBadValue   = "34" // "34 记录值非法"
)

// now formats the time as the API does in status.created_at.
func now() string { return time.Now().Format(time.DateTime) }

// writeStatus answers with an envelope holding only a status.
func writeStatus(w http.ResponseWriter, code, message string) {
	writeEnvelope(w, map[string]any{}, code, message)
}

// writeEnvelope answers HTTP 200 with body, the action's own members, and
// the status every answer carries, {"code","message","created_at"}; the
// API reports every failure in the envelope, never in the HTTP status.
func writeEnvelope(w http.ResponseWriter, body map[string]any, code, message string) {
	body["status"] = map[string]string{"code": code, "message": message, "created_at": now()}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	providertest.WriteJSON(w, http.StatusOK, body)
}

// writeGatewayPage answers as the API's front end does when the service
// behind it fails: status with an HTML page, not the JSON envelope.
func writeGatewayPage(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	text := strconv.Itoa(status) + " " + http.StatusText(status)
	_, _ = w.Write([]byte("<html>\r\n<head><title>" + text + "</title></head>\r\n<body>\r\n<center><h1>" + text + "</h1></center>\r\n</body>\r\n</html>\r\n"))
}

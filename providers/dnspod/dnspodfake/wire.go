package dnspodfake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// The wire format of the legacy DNSPod user API ("DNSPod 用户 API", token
// authentication), as documented in the DNSPod API reference
// (https://docs.dnspod.cn/api/ and its source, github.com/DNSPod/dnspod-api-doc:
// source/info.rst, source/domains.rst, source/records.rst):
//
//   - every call is an HTTPS POST to https://dnsapi.cn/<Action> with an
//     application/x-www-form-urlencoded body ("只支持POST方法请求数据");
//   - the common parameters are login_token ("ID,TOKEN"), format {json,xml},
//     lang {en,cn} and error_on_empty {yes,no} (公共参数);
//   - every answer is HTTP 200 with a JSON envelope whose status.code is "1"
//     on success and another code, a string, on failure (共通返回), e.g.
//     {"status":{"code":"-1","message":"...","created_at":"2015-01-18 16:21:28"}}.

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
	// codePostOnly: 共通返回 "2 只允许POST方法".
	codePostOnly = "2"
	// codeDomainID: Record.List / Record.Modify / Record.Remove "6 域名ID错误";
	// Domain.List "6 记录开始的偏移无效"; Record.Create "6 缺少参数或者参数错误".
	codeDomainID = "6"
	// codeSeven: Domain.List "7 共要获取的记录的数量无效"; Record.List
	// "7 记录开始的偏移无效".
	codeSeven = "7"
	// codeEight: Record.Modify / Record.Remove "8 记录ID错误"; Record.List
	// "8 共要获取的记录的数量无效".
	codeEight = "8"
	// codeNoDomains: Domain.List "9 没有任何域名", sent only with
	// error_on_empty=yes (the default).
	codeNoDomains = "9"
	// codeNoRecords: Record.List "10 没有记录", sent only with
	// error_on_empty=yes (the default).
	codeNoRecords = "10"
	// codeBadSubDomain: "22 子域名不合法".
	codeBadSubDomain = "22"
	// codeBadLine: "26 记录线路错误".
	codeBadLine = "26"
	// codeBadType: "27 记录类型错误".
	codeBadType = "27"
	// codeTTLTooSmall: Record.Modify "29 TTL 值太小".
	codeTTLTooSmall = "29"
	// codeTTLLimited: Record.Create "32 记录的TTL值超出了限制". Users of the
	// free plan report it with the message "Record ttl is limited(600)"
	// (github.com/tengattack/certbot-dns-dnspod issue 1,
	// github.com/nixonli/ddns-scripts_dnspod issue 1).
	codeTTLLimited = "32"
	// codeBadValue: "34 记录值非法".
	codeBadValue = "34"
)

// status is the envelope every answer carries.
type status struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	CreatedAt string `json:"created_at"`
}

// envelope is an answer: the status plus the action's own members.
type envelope map[string]any

// domainJSON is one member of Domain.List's "domains". As in the documented
// sample, the ID is a JSON number while ttl and records are strings.
type domainJSON struct {
	ID         int    `json:"id"`
	Status     string `json:"status"`
	Grade      string `json:"grade"`
	GroupID    string `json:"group_id"`
	IsMark     string `json:"is_mark"`
	TTL        string `json:"ttl"`
	Remark     string `json:"remark"`
	Punycode   string `json:"punycode"`
	ExtStatus  string `json:"ext_status"`
	Name       string `json:"name"`
	GradeTitle string `json:"grade_title"`
	IsVIP      string `json:"is_vip"`
	Owner      string `json:"owner"`
	Records    string `json:"records"`
}

// recordJSON is one member of Record.List's "records"; every field is a
// string, as in the documented sample (line_id and weight come from the
// current API's answers).
type recordJSON struct {
	ID            string  `json:"id"`
	Name          string  `json:"name"`
	Line          string  `json:"line"`
	LineID        string  `json:"line_id"`
	Type          string  `json:"type"`
	TTL           string  `json:"ttl"`
	Value         string  `json:"value"`
	Weight        *string `json:"weight"`
	MX            string  `json:"mx"`
	Enabled       string  `json:"enabled"`
	Status        string  `json:"status"`
	MonitorStatus string  `json:"monitor_status"`
	Remark        string  `json:"remark"`
	UpdatedOn     string  `json:"updated_on"`
	UseAQB        string  `json:"use_aqb"`
}

// now formats the time as the API does in status.created_at.
func now() string { return time.Now().Format(time.DateTime) }

// writeStatus answers with an envelope holding only a status.
func writeStatus(w http.ResponseWriter, code, message string) {
	writeEnvelope(w, envelope{}, code, message)
}

// writeEnvelope answers HTTP 200 with body and the given status; the API
// reports every failure in the envelope, never in the HTTP status.
func writeEnvelope(w http.ResponseWriter, body envelope, code, message string) {
	body["status"] = status{Code: code, Message: message, CreatedAt: now()}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(body)
}

// writeServerError answers as the API's front end does when the service
// behind it fails: an HTTP 5xx with an HTML page, not the JSON envelope.
func writeServerError(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadGateway)
	_, _ = w.Write([]byte("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"))
}

// writeGatewayPage answers status with the front end's HTML page.
func writeGatewayPage(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	text := strconv.Itoa(status) + " " + http.StatusText(status)
	_, _ = w.Write([]byte("<html>\r\n<head><title>" + text + "</title></head>\r\n<body>\r\n<center><h1>" + text + "</h1></center>\r\n</body>\r\n</html>\r\n"))
}

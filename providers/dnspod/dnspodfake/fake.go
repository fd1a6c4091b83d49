// Package dnspodfake is a stateful stand-in for the legacy DNSPod user API
// ("DNSPod 用户 API", https://dnsapi.cn, token authentication) for tests,
// built on the fake-server kit (providertest.Fake): an httptest.Server that
// speaks the API's wire format as the DNSPod API reference documents it
// (https://docs.dnspod.cn/api/ and its source, github.com/DNSPod/dnspod-api-doc:
// source/info.rst, source/domains.rst, source/records.rst) and enforces its
// rules (the login token, the free plan's TTL minimum, the full-replace
// semantics of Record.Modify):
//
//   - every call is an HTTPS POST to https://dnsapi.cn/<Action> with an
//     application/x-www-form-urlencoded body ("只支持POST方法请求数据");
//   - the common parameters are login_token ("ID,TOKEN"), format {json,xml},
//     lang {en,cn} and error_on_empty {yes,no} (公共参数); lists page with
//     offset and length;
//   - every answer is HTTP 200 with a JSON envelope whose status.code is "1"
//     on success and another code, a string, on failure (共通返回), e.g.
//     {"status":{"code":"-1","message":"...","created_at":"2015-01-18 16:21:28"}};
//     numbers are sent as strings.
package dnspodfake

import (
	"cmp"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The credentials the fake accepts (a DNSPod Token is an ID and a token
// value, sent as login_token "ID,TOKEN"), and the API's limits.
const (
	TokenID    = "123456"                           // the valid token's numeric ID
	Token      = "0f1e2d3c4b5a69788796a5b4c3d2e1f0" // the valid token's secret value
	LoginToken = TokenID + "," + Token              // the valid Secret value: "ID,TOKEN"

	// MinTTL is the smallest TTL the fake accepts: the minimum of DNSPod's
	// free plan (DP_Free), 600 seconds. Records.rst documents TTLs of
	// 1-604800 with "不同等级域名最小值不同" (each plan has its own minimum).
	MinTTL = 600
	MaxTTL = 604800 // the documented largest TTL
	// DefaultTTL is the TTL of a record created without one (the free
	// plan's domain default).
	DefaultTTL = 600
	// MaxLength is the documented forced page of Domain.List and
	// Record.List: "如果...数量超过了3000, 将会强制分页并且只返回前3000条".
	MaxLength = 3000
	// DefaultLine is the default line's name and DefaultLineID its ID.
	DefaultLine   = "默认"
	DefaultLineID = "0"
)

// lines are the line names the fake knows, with their IDs, as Record.Line
// lists them for a free-plan domain.
var lines = map[string]string{
	DefaultLine: DefaultLineID, "电信": "10=0", "联通": "10=1", "教育网": "10=2", "移动": "10=3", "境外": "3=0", "搜索引擎": "80=0",
}

// Extra is what only DNSPod keeps on a record: its line, MX priority,
// weight and whether it is disabled.
type Extra struct {
	Line, LineID string
	MX           int
	Weight       *int
	Disabled     bool
}

// Record is a record as the fake stores it; Marker is its remark.
type Record = providertest.Rec[Extra]

// Fake is the fake API server.
type Fake struct {
	providertest.Fake[Extra]
	t         testing.TB
	userAgent string
}

// New starts a fake holding the named zones. With t set, protocol
// violations by the client fail the test and the server closes at cleanup.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{t: t}
	f.Store.ZoneID = func(_ string, n int) string { return strconv.Itoa(2317346 + n) }
	f.Store.RecordID = func(n int) string { return strconv.Itoa(16894439 + n) }
	f.Store.Defaults = func(r *Record) {
		r.X.Line, r.TTL = cmp.Or(r.X.Line, DefaultLine), cmp.Or(r.TTL, DefaultTTL)
		r.X.LineID = cmp.Or(r.X.LineID, lines[r.X.Line])
	}
	f.Start(t, f)
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// UserAgent returns the User-Agent of the last request.
func (f *Fake) UserAgent() string {
	f.Lock()
	defer f.Unlock()
	return f.userAgent
}

// errorf reports a client protocol violation to the test, when there is one.
func (f *Fake) errorf(format string, args ...any) {
	if f.t != nil {
		f.t.Errorf("dnspodfake: "+format, args...)
	}
}

// Operation is the action the path names ("Record.List");
// Record.Create, Record.Modify, Record.Remove and Record.Remark write.
func (f *Fake) Operation(r *http.Request, _ []byte) (string, bool) {
	action := strings.TrimPrefix(r.URL.Path, "/")
	return action, action == "Record.Create" || action == "Record.Modify" || action == "Record.Remove" || action == "Record.Remark"
}

// Authenticate takes POSTs only (info.rst, API开发规范 4: "只支持POST方法请求数据，
// 用其它方法会提示错误") and checks login_token; it reports to the test a
// client that breaks the other rules: a form body, json format, and a
// User-Agent "程序英文名称/版本(联系邮箱)" (API开发规范 5).
func (f *Fake) Authenticate(w http.ResponseWriter, r *http.Request, _ []byte) bool {
	action := strings.TrimPrefix(r.URL.Path, "/")
	f.userAgent = r.UserAgent()
	if r.Method != http.MethodPost {
		writeStatus(w, codePostOnly, "Only POST method is allowed")
		return false
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/x-www-form-urlencoded" {
		f.errorf("%s sent with Content-Type %q", action, ct)
	}
	if ua := r.UserAgent(); !strings.Contains(ua, "/") || strings.HasPrefix(ua, "Go-http-client") {
		f.errorf("%s sent without a descriptive User-Agent: %q", action, ua)
	}
	if err := r.ParseForm(); err != nil {
		writeStatus(w, "3", "Unknown error")
		return false
	}
	if len(r.URL.Query()) > 0 {
		f.errorf("%s sent parameters in the URL; they belong in the POST body", action)
	}
	if r.PostForm.Get("format") != "json" {
		f.errorf("%s asked for format %q, want json", action, r.PostForm.Get("format"))
	}
	f.Note(r.PostForm.Get("login_token"))
	if r.PostForm.Get("login_token") != LoginToken {
		writeStatus(w, codeLoginFailed, "Login fail, please check login info")
		return false
	}
	return true
}

// Fault answers as the API does: its own failures in the envelope with
// HTTP 200 (-2 for throttling, with no wait time; -1 for a refused token;
// 9 or 6 for no domain), its front end's with an HTML page and a 5xx.
func (f *Fake) Fault(w http.ResponseWriter, _ *http.Request, fault providertest.Fault, action string) bool {
	switch fault {
	case providertest.FaultRateLimited, providertest.FaultRateLimitedNoRetryAfter:
		writeStatus(w, codeAPILimited, "API usage is limited")
	case providertest.FaultServerError:
		writeGatewayPage(w, http.StatusBadGateway)
	case providertest.FaultHTTP500, providertest.FaultHTTP502, providertest.FaultHTTP503:
		writeGatewayPage(w, providertest.FaultStatus(fault))
	case providertest.FaultAuthRejected:
		writeStatus(w, codeLoginFailed, "Login fail, please check login info")
	case providertest.FaultZoneNotFound:
		code, message := codeDomainID, "Domain id invalid"
		if action == "Domain.List" {
			code, message = codeNoDomains, "No domains"
		}
		writeStatus(w, code, message)
	default:
		return false
	}
	return true
}

// Serve runs an authenticated action on its form.
func (f *Fake) Serve(w http.ResponseWriter, r *http.Request, action string, _ []byte) {
	h, ok := actions[action]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h(f, w, r.PostForm)
}

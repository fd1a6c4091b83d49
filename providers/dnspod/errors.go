package dnspod

import (
	"fmt"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
)

// The API's actions.
const (
	actionDomainList   = "Domain.List"
	actionRecordList   = "Record.List"
	actionRecordCreate = "Record.Create"
	actionRecordModify = "Record.Modify"
	actionRecordRemove = "Record.Remove"
	actionRecordRemark = "Record.Remark"
)

// Status codes with a meaning the provider acts on (DNSPod API reference,
// 共通返回 and each action's 响应代码).
const (
	codeOK = "1"
	// codeNoDomains is Domain.List's "9 没有任何域名".
	codeNoDomains = "9"
	// codeNoRecords is Record.List's "10 没有记录".
	codeNoRecords = "10"
)

// freePlanMinTTL is the smallest TTL of DNSPod's free plan. Paid plans
// allow less, so the provider leaves the check to the API and names this
// value only when the API refuses a TTL without saying its minimum.
const freePlanMinTTL = 600

// commonKinds classifies the codes every action may answer (共通返回, and
// the D令牌 codes 50-54).
var commonKinds = map[string]providers.Kind{
	"-1":  providers.KindAuth,         // 登陆失败: wrong or revoked token
	"-2":  providers.KindRateLimited,  // API使用超出限制
	"-3":  providers.KindInvalid,      // 不是合法代理 (agent API only)
	"-4":  providers.KindInvalid,      // 不在代理名下 (agent API only)
	"-7":  providers.KindAuth,         // 无权使用此接口 / 企业账号的域名需要升级
	"-8":  providers.KindAuth,         // 登录失败次数过多，帐号被暂时封禁 / 代理名下用户的域名需要升级
	"-15": providers.KindZoneNotFound, // 域名已被封禁
	"-99": providers.KindTransient,    // 此功能暂停开放，请稍候重试
	"2":   providers.KindInvalid,      // 只允许POST方法
	"3":   providers.KindTransient,    // 未知错误
	"50":  providers.KindAuth,         // 您开启了D令牌，需要验证码
	"52":  providers.KindAuth,         // 验证码不正确
	"54":  providers.KindAuth,         // 域名所有者开启了D令牌
	"83":  providers.KindAuth,         // 该帐户已经被锁定
	"85":  providers.KindAuth,         // 帐号异地登录 / 登录区域保护
}

// actionKinds classifies the codes whose meaning depends on the action.
var actionKinds = map[string]map[string]providers.Kind{
	actionDomainList: {
		"6": providers.KindInvalid, // 记录开始的偏移无效
		"7": providers.KindInvalid, // 共要获取的记录的数量无效
	},
	actionRecordList: {
		"6": providers.KindZoneNotFound, // 域名ID错误
		"7": providers.KindInvalid,      // 记录开始的偏移无效
		"8": providers.KindInvalid,      // 共要获取的记录的数量无效
		"9": providers.KindZoneNotFound, // 不是域名所有者
	},
	actionRecordCreate: {
		"6": providers.KindInvalid,      // 缺少参数或者参数错误
		"7": providers.KindZoneNotFound, // 不是域名所有者或者没有权限
	},
	actionRecordModify: {
		"6": providers.KindZoneNotFound, // 域名ID错误
		"7": providers.KindZoneNotFound, // 不是域名所有者或没有权限
		"8": providers.KindNotFound,     // 记录ID错误
	},
	actionRecordRemove: {
		"6": providers.KindZoneNotFound, // 域名ID错误
		"7": providers.KindZoneNotFound, // 不是域名所有者或没有权限
		"8": providers.KindNotFound,     // 记录ID错误
	},
	actionRecordRemark: {
		"6": providers.KindZoneNotFound, // 域名ID错误
		"8": providers.KindNotFound,     // 记录 ID 错误
	},
}

// ttlCodes are the answers to a TTL outside the plan's range: Record.Create
// "32 记录的TTL值超出了限制", Record.Modify "29 TTL 值太小".
var ttlCodes = map[string]bool{"29": true, "32": true}

// kindOf classifies a status code of action. Codes the reference lists as
// refusals of the request's content (locked domain 21, sub domain 22-24,
// round-robin limit 25, line 26, type 27, MX 30, conflicts 31, TTL 29/32,
// value 33-36, blacklisted IP 82, load-balancing limits 500025/500026) and
// codes it does not list are KindInvalid: the API understood the request
// and refused it, and a retry would send the same.
func kindOf(action, code string) providers.Kind {
	if k, ok := actionKinds[action][code]; ok {
		return k
	}
	if k, ok := commonKinds[code]; ok {
		return k
	}
	return providers.KindInvalid
}

// statusError builds the error for a failed status. The message is the
// API's own (the lang=en text) with secret scrubbed out, prefixed by the
// action; it never holds the request, whose body carries the token.
func statusError(action, code, message, secret string) *providers.Error {
	msg := strings.TrimSpace(message)
	if secret != "" {
		msg = strings.ReplaceAll(msg, secret, "[redacted]")
	}
	if msg == "" {
		msg = "request refused"
	}
	kind := kindOf(action, code)
	if ttlCodes[code] && !strings.ContainsAny(msg, "0123456789") {
		msg += fmt.Sprintf(" (the smallest TTL depends on the domain's plan: %d on the free plan)", freePlanMinTTL)
	}
	full := "dnspod " + action + ": " + msg
	if kind == providers.KindRateLimited {
		// The API sends no wait time with -2; the reconciler backs off.
		return providers.RateLimited(code, full, 0)
	}
	return providers.Errorf(kind, code, "%s", full)
}

// httpError classifies an answer whose HTTP status is not 200 and whose
// body is not the API's envelope: the front end's 429 and 5xx pages.
func httpError(action string, statusCode int, retryAfter time.Duration) *providers.Error {
	code := fmt.Sprint(statusCode)
	switch {
	case statusCode == 429:
		return providers.RateLimited(code, "dnspod "+action+": too many requests (HTTP 429)", retryAfter)
	case statusCode >= 500:
		return providers.Errorf(providers.KindTransient, code, "dnspod %s: server error (HTTP %d)", action, statusCode)
	case statusCode == 401 || statusCode == 403:
		return providers.Errorf(providers.KindAuth, code, "dnspod %s: request refused (HTTP %d)", action, statusCode)
	}
	return providers.Errorf(providers.KindTransient, code, "dnspod %s: unexpected HTTP status %d", action, statusCode)
}

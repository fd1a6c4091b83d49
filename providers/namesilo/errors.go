package namesilo

import (
	"fmt"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Reply codes (API reference, "Response Codes").
const (
	codeOK = "300"
)

// codeKinds classifies the reply codes the provider may meet.
var codeKinds = map[string]providers.Kind{
	"101": providers.KindInvalid,      // HTTPS not used
	"102": providers.KindInvalid,      // No version specified
	"103": providers.KindInvalid,      // Invalid API version
	"104": providers.KindInvalid,      // No type specified
	"105": providers.KindInvalid,      // Invalid API type
	"106": providers.KindInvalid,      // No operation specified
	"107": providers.KindInvalid,      // Invalid API operation
	"108": providers.KindInvalid,      // Missing parameters
	"109": providers.KindAuth,         // No API key specified
	"110": providers.KindAuth,         // Invalid API key (also: a read-only key writing)
	"111": providers.KindAuth,         // Invalid user
	"112": providers.KindAuth,         // API not available to sub-accounts
	"113": providers.KindAuth,         // This API account cannot be accessed from your IP
	"114": providers.KindInvalid,      // Invalid domain syntax
	"115": providers.KindTransient,    // Central registry not responding
	"200": providers.KindZoneNotFound, // Domain is not active, or does not belong to this user
	"201": providers.KindTransient,    // Internal system error
	"210": providers.KindInvalid,      // General error (details in the response)
	"280": providers.KindInvalid,      // DNS modification error
}

// authHints say what a refused key means, by code.
var authHints = map[string]string{
	"110": "the key is wrong, deleted, or read-only (a read-only key cannot change records)",
	"113": "the key is restricted to IP addresses and the cluster's egress is not one of them",
}

// replyError builds the error for a reply whose code is not 300. The
// message is NameSilo's detail with the key scrubbed out; it never holds
// the request URL.
func replyError(op, operation, domain string, r reply, key string) error {
	detail := strings.TrimSpace(r.Detail)
	if key != "" {
		detail = strings.ReplaceAll(detail, key, "[redacted]")
	}
	if detail == "" {
		detail = "request refused"
	}
	kind, ok := codeKinds[r.Code]
	if !ok {
		kind = providers.KindInvalid
	}
	lower := strings.ToLower(detail)
	switch {
	case kind == providers.KindAuth && authHints[r.Code] != "":
		detail += " (" + authHints[r.Code] + ")"
	case kind == providers.KindZoneNotFound:
		detail += fmt.Sprintf(" (%s)", domain)
	case r.Code == "280" && (operation == "dnsUpdateRecord" || operation == "dnsDeleteRecord") && strings.Contains(lower, "record") && (strings.Contains(lower, "invalid") || strings.Contains(lower, "not found") || strings.Contains(lower, "does not exist")):
		kind = providers.KindNotFound
	case strings.Contains(lower, "ttl") && !strings.Contains(detail, fmt.Sprint(MinTTL)):
		detail += fmt.Sprintf(" (NameSilo's smallest TTL is %d seconds)", MinTTL)
	}
	return providers.Errorf(kind, r.Code, "%s: %s", op, detail)
}

// ttlError refuses a TTL below NameSilo's minimum before anything is sent.
func ttlError(ttl int32) error {
	return providers.Errorf(providers.KindInvalid, "", "namesilo: TTL %d is below NameSilo's minimum TTL of %d seconds", ttl, MinTTL)
}

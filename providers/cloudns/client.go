// Package cloudns is the DNS provider for ClouDNS, over its HTTP API
// (https://www.cloudns.net/wiki/article/41/, "API Help") at
// https://api.cloudns.net: form POSTs to /dns/<method>.json carrying an
// API user's auth-id (or an API sub-user's sub-auth-id or sub-auth-user)
// and auth-password. ClouDNS publishes no Go SDK; the provider speaks the
// API with net/http:
//
//	/dns/get-pages-count.json  rows-per-page          how many pages of zones
//	/dns/list-zones.json       page, rows-per-page    the account's zones
//	/dns/records.json          domain-name[, host, type]  a zone's records
//	/dns/add-record.json       domain-name, record-type, host, record, ttl
//	/dns/mod-record.json       domain-name, record-id, host, record, ttl
//	/dns/delete-record.json    domain-name, record-id
//	/dns/get-available-ttl.json domain-name           the TTLs the zone takes
//
// A refusal comes with HTTP 200 as {"status": "Failed",
// "statusDescription": "..."}. ClouDNS takes only a fixed list of TTLs
// (60, 300, 900, 1800, 3600, 21600, 43200, 86400, ...); another TTL is
// reported with that list rather than silently rounded, which would make
// every check see a TTL other than the spec's. A record has no comment
// field: the ownership marker lives in a companion TXT record (package
// companion).
package cloudns

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

// DefaultEndpoint is the API's base URL.
const DefaultEndpoint = "https://api.cloudns.net"

// Secret keys the provider reads: one of the three IDs, and the password.
const (
	AuthIDKey      = "authId"
	SubAuthIDKey   = "subAuthId"
	SubAuthUserKey = "subAuthUser"
	PasswordKey    = "authPassword"
)

// DefaultTTL is the TTL a record gets when the spec sets none, as ddns-go
// creates them (and one of the TTLs ClouDNS takes).
const DefaultTTL = 3600

// Descriptor declares the ClouDNS provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  "cloudns",
	Title: "ClouDNS",
	Keys: []providers.SecretKey{
		{Name: AuthIDKey, Optional: true, Help: "the API user's ID (auth-id)"},
		{Name: SubAuthIDKey, Optional: true, Help: "or an API sub-user's ID (sub-auth-id)"},
		{Name: SubAuthUserKey, Optional: true, Help: "or an API sub-user's name (sub-auth-user)"},
		{Name: PasswordKey, Secret: true, Help: "the API user's or sub-user's password (auth-password)"},
	},
	KeysNote: "`authId`, `subAuthId` or `subAuthUser`, and `authPassword`",
	// "API Help", Rate Limiting: 20 requests a second, 600 a minute and
	// 36,000 an hour per IP address. The minute's count sizes the gate;
	// its burst of 20 keeps to the second's, and its rate to the hour's.
	Limits:     providers.Limits{Requests: 600, Per: time.Minute, Concurrency: 4},
	ZoneList:   true,
	Marker:     "companion TXT record",
	DefaultTTL: "3600",
	New:        newProvider,
}

// newProvider builds the provider for one API user or sub-user.
func newProvider(env providers.Env, secret map[string][]byte, _ *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
	auth, err := FromSecretData(secret)
	if err != nil {
		return nil, err
	}
	return companion.New(&api{base: env.EndpointOr(DefaultEndpoint), auth: auth, ua: env.UserAgent, hc: env.HTTP()}, DefaultTTL), nil
}

// api is one API user's records without markers (companion.Records).
type api struct {
	base, ua string
	auth     url.Values
	hc       *http.Client
}

// status is the envelope of an answer that is not data.
type status struct {
	Status            string `json:"status"`
	StatusDescription string `json:"statusDescription"`
}

// call POSTs method with form and the credentials, and decodes the answer
// into out (nil: a status envelope that must say Success). A Failed
// status is a *providers.Error built from its description.
func (a *api) call(ctx context.Context, method string, form url.Values, out any) error {
	op := "cloudns " + method
	body := url.Values{}
	for k, v := range form {
		body[k] = v
	}
	for k, v := range a.auth {
		body[k] = v
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.base+"/dns/"+method+".json", strings.NewReader(body.Encode()))
	if err != nil {
		return providers.Transient(op, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if a.ua != "" {
		req.Header.Set("User-Agent", a.ua)
	}
	resp, err := jsonapi.Do(a.hc, req, op)
	if err != nil {
		return err
	}
	if resp.Status != http.StatusOK {
		return jsonapi.StatusError(resp, op, "", "")
	}
	// A listing answers its data directly; an object with a status is
	// the envelope (a failure, or a write's success).
	var st status
	if json.Unmarshal(resp.Body, &st) == nil && st.Status != "" {
		if !strings.EqualFold(st.Status, "Success") {
			return refusal(op, st.StatusDescription, a.auth.Get("auth-password"))
		}
		if out == nil {
			return nil
		}
	} else if out == nil {
		return &providers.Error{Kind: providers.KindTransient, Message: op + ": the answer holds no status"}
	}
	return jsonapi.Decode(resp, out, op)
}

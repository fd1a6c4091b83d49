// Package namecom is the DNS provider for Name.com, over its core REST API
// (https://docs.name.com, "core/v1", the successor of the v4 API with the
// same resources; https://www.name.com/api-docs) at https://api.name.com,
// authenticated with HTTP Basic auth (the account's user name and an API
// token). Name.com publishes no Go SDK of its own; the provider speaks the
// API with net/http:
//
//	GET    /core/v1/domains?page=&perPage=                  the account's domains
//	GET    /core/v1/domains/{domain}/records?page=&perPage=  a domain's records
//	GET    /core/v1/domains/{domain}/records/{id}            one record
//	POST   /core/v1/domains/{domain}/records                 create a record
//	PUT    /core/v1/domains/{domain}/records/{id}            change a record
//	DELETE /core/v1/domains/{domain}/records/{id}            delete a record
//
// Lists page with page and perPage and answer nextPage while there is
// another page; errors are {"message", "details"}. A record has no comment
// field, so the ownership marker lives in a companion TXT record (package
// companion).
package namecom

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
	"github.com/ddns-operator/ddns-operator/providers/internal/secretdata"
)

// DefaultEndpoint is the API's production server; Name.com's test
// environment is https://api.dev.name.com (with the user name's "-test"
// account and its own token).
const DefaultEndpoint = "https://api.name.com"

// Secret keys the provider reads.
const (
	UsernameKey = "username"
	TokenKey    = "apiToken"
)

// MinTTL is the smallest TTL Name.com takes ("TTL ... Name.com's minimum
// is 300", API documentation, Record); it is also the default.
const MinTTL = 300

// pageSize is the page asked of both lists (the API's default and most).
const pageSize = 1000

// Descriptor declares the Name.com provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  "namecom",
	Title: "Name.com",
	Keys: []providers.SecretKey{
		{Name: UsernameKey, Help: "the Name.com account's user name"},
		{Name: TokenKey, Secret: true, Help: "an API token of that account (Account Settings → API Management)"},
	},
	// Name.com's API documentation: 20 requests a second and 3,000 an
	// hour per account. The hourly count sizes the gate; its burst of
	// 20 keeps to the per-second limit.
	Limits:     providers.Limits{Requests: 3000, Per: time.Hour, Concurrency: 2},
	ZoneList:   true,
	Marker:     "companion TXT record",
	DefaultTTL: strconv.Itoa(MinTTL),
	New: func(env providers.Env, secret map[string][]byte, _ *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
		user, err := secretdata.Value(secret, UsernameKey)
		if err != nil {
			return nil, err
		}
		token, err := secretdata.Token(secret, TokenKey, "Basic")
		if err != nil {
			return nil, err
		}
		return companion.New(&api{c: &jsonapi.Client{
			Base: env.EndpointOr(DefaultEndpoint) + "/core/v1", Name: "namecom", HTTP: env.HTTP(), UserAgent: env.UserAgent,
			Auth: func(h http.Header) {
				h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(user+":"+token)))
			},
			Refusal: func(resp *jsonapi.Response, op string) error { return answerError(resp, op, token) },
		}}, MinTTL), nil
	},
}

// api is one account's records without markers (companion.Records).
type api struct {
	c *jsonapi.Client
}

// recordsPath is the path of a domain's records, or of the record id.
func recordsPath(domain, id string) string {
	p := "/domains/" + url.PathEscape(domain) + "/records"
	if id != "" {
		p += "/" + url.PathEscape(id)
	}
	return p
}

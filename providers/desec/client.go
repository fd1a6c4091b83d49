// Package desec is the DNS provider for deSEC (https://desec.io), over its
// REST API (https://desec.readthedocs.io, API v1) at
// https://desec.io/api/v1 with the header "Authorization: Token TOKEN".
// deSEC publishes no Go SDK; the provider speaks the API with net/http:
//
//	GET    /domains/?owns_qname={name}                the domain responsible for a name
//	GET    /domains/{domain}/                         one domain (404 when not the account's)
//	GET    /domains/{domain}/rrsets/?cursor=          the domain's RRsets, pages in a Link header
//	GET    /domains/{domain}/rrsets/{subname}/{type}/ one RRset ("@" for the apex)
//	POST   /domains/{domain}/rrsets/                  create an RRset
//	PATCH  /domains/{domain}/rrsets/{subname}/{type}/ change its records or TTL
//	DELETE /domains/{domain}/rrsets/{subname}/{type}/ delete it
//
// deSEC keeps a name's values of one type as an RRset: one TTL, a list of
// records. The provider maps each value to a providers.Record with an ID
// from package rrset and writes the set whole, keeping the values it does
// not touch. An RRset has no comment field, so the ownership marker lives
// in a companion TXT record (package companion). deSEC's rate limits are
// strict and several at once; see pace.go.
package desec

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
	"github.com/ddns-operator/ddns-operator/providers/internal/secretdata"
)

// DefaultEndpoint is the API's base URL; paths start with /api/v1.
const DefaultEndpoint = "https://desec.io"

// TokenKey is the Secret key holding the API token.
const TokenKey = "apiToken"

// DefaultTTL is the TTL a record gets when the spec sets none: deSEC's
// default minimum TTL of a domain (a domain's minimum_ttl can be higher,
// or lower by exception, and is then used).
const DefaultTTL = 3600

// Descriptor declares the deSEC provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  "desec",
	Title: "deSEC",
	Keys: []providers.SecretKey{
		{Name: TokenKey, Secret: true, Help: "an API token, ideally restricted by a token policy to the record's RRsets"},
	},
	// dns_api_cheap: 10 reads a second and 50 a minute per account. The
	// minute's count sizes the gate (its burst of 5 keeps to the
	// second's); the per-domain write rates and the daily 2000 requests
	// are counted by the provider itself (pace.go).
	Limits:     providers.Limits{Requests: 50, Per: time.Minute, Concurrency: 1},
	ZoneList:   true,
	Marker:     "companion TXT record",
	DefaultTTL: "3600 (the domain's minimum TTL)",
	New:        newProvider,
}

// newProvider builds the provider for one token.
func newProvider(env providers.Env, secret map[string][]byte, _ *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
	token, err := secretdata.Token(secret, TokenKey, "Token")
	if err != nil {
		return nil, err
	}
	return companion.New(newAPI(env, token, time.Now), 0), nil
}

// api is one token's RRsets without markers (companion.Records).
type api struct {
	c    *jsonapi.Client
	pace *pacer
	mu   sync.Mutex
	// minTTL holds each domain's minimum_ttl, as FindZone read it.
	minTTL map[string]int32
}

func newAPI(env providers.Env, token string, now func() time.Time) *api {
	a := &api{pace: newPacer(now), minTTL: map[string]int32{}}
	a.c = &jsonapi.Client{
		Base: env.EndpointOr(DefaultEndpoint) + "/api/v1", Name: "desec", HTTP: env.HTTP(), UserAgent: env.UserAgent,
		Auth:    func(h http.Header) { h.Set("Authorization", "Token "+token) },
		Refusal: func(resp *jsonapi.Response, op string) error { return answerError(resp, op, token) },
	}
	return a
}

// send paces and sends one request (an RRset write of domain when write
// is set), returning a 2xx answer whole.
func (a *api) send(ctx context.Context, op, method, path string, query url.Values, body any, domain string, write bool) (*jsonapi.Response, error) {
	if err := a.pace.take(ctx, domain, write); err != nil {
		return nil, err
	}
	return a.c.Send(ctx, op, method, path, query, body)
}

// call is send, decoding the answer into out when it is set.
func (a *api) call(ctx context.Context, op, method, path string, query url.Values, body, out any, domain string, write bool) error {
	resp, err := a.send(ctx, op, method, path, query, body, domain, write)
	if err != nil || out == nil {
		return err
	}
	return jsonapi.Decode(resp, out, "desec "+op)
}

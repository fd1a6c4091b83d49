// Package namesilo is the DNS provider for NameSilo
// (https://www.namesilo.com/api-reference): GET requests to
// https://www.namesilo.com/api/OPERATION with version=1, type=xml and the
// account's API key in the query string, answered by an XML envelope
// whose reply code 300 means success. NameSilo publishes no Go SDK; the
// provider speaks the API with net/http.
//
// The key travels in every URL, so nothing the provider reports may
// carry a URL: transport failures are reported by their innermost cause
// (providers.Transient), answers by NameSilo's code and detail with the
// key scrubbed out, and the operator's access layer scrubs the Secret's
// values from every message as a second line of defence.
//
// NameSilo's records have no comment field: the provider keeps no
// ownership marker (docs/providers/namesilo.md says how adoption and
// deletion stay safe without one).
package namesilo

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
	"github.com/ddns-operator/ddns-operator/providers/internal/secretdata"
)

// DefaultEndpoint is the API's base URL; operations are paths below it.
const DefaultEndpoint = "https://www.namesilo.com/api"

// MinTTL is NameSilo's smallest TTL, one hour.
const MinTTL = 3600

// DefaultTTL is the TTL NameSilo gives a record created without one.
const DefaultTTL = 7207

// pageSize is the page of listDomains the provider asks for.
const pageSize = 500

// KeyKey is the Secret key holding the API key.
const KeyKey = "apiKey"

// Provider manages the records of one API key at NameSilo.
type Provider struct {
	api *api
}

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// Descriptor declares the NameSilo provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  "namesilo",
	Title: "NameSilo",
	Keys: []providers.SecretKey{
		{Name: KeyKey, Secret: true, Help: "the API key (API Manager)"},
	},
	// NameSilo publishes no request rate; one request a second, one at
	// a time, is a pace no DDNS client has reported trouble with.
	// (Written as 60 a minute: the gate sizes its burst from the count,
	// and one request per second leaves it no rate to refill at.)
	Limits:     providers.Limits{Requests: 60, Per: time.Minute, Concurrency: 1},
	ZoneList:   true,
	Marker:     "",
	DefaultTTL: "7207",
	New:        newProvider,
}

// newProvider builds the provider for one API key.
func newProvider(env providers.Env, secret map[string][]byte, _ *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
	key, err := secretdata.Value(secret, KeyKey)
	if err != nil {
		return nil, err
	}
	endpoint := env.EndpointOr(DefaultEndpoint)
	return &Provider{api: &api{endpoint: endpoint, client: env.HTTP(), userAgent: env.UserAgent, key: key}}, nil
}

// api is NameSilo's API for one key.
type api struct {
	endpoint, userAgent, key string
	client                   *http.Client
}

// noReplay keeps Go's transport from sending req again by itself.
// NameSilo changes records with GET requests, and the transport resends a
// GET whose reused connection broke before an answer (it takes GETs to
// be idempotent): a dnsAddRecord whose first copy took effect would add
// the record twice. A body without GetBody makes the request
// non-replayable; an empty one adds nothing to the wire.
func noReplay(req *http.Request) {
	req.Body, req.GetBody, req.ContentLength = io.NopCloser(strings.NewReader("")), nil, 0
}

// reply is the part of every answer the provider reads:
// <namesilo><request>...</request><reply><code/><detail/>...</reply>.
type reply struct {
	Code   string `xml:"reply>code"`
	Detail string `xml:"reply>detail"`
}

// call GETs operation with params and the common parameters, and decodes
// a reply with code 300 into out (which embeds the reply). domain names
// the domain the call is about, for messages.
func (a *api) call(ctx context.Context, operation, domain string, params url.Values, out any) error {
	op := "namesilo " + operation
	q := url.Values{"version": {"1"}, "type": {"xml"}, "key": {a.key}}
	for k, v := range params {
		q[k] = v
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.endpoint+"/"+operation+"?"+q.Encode(), nil)
	if err != nil {
		// The URL may hold the key: say what failed without it.
		return providers.Errorf(providers.KindTransient, "", "%s: cannot build the request", op)
	}
	req.Header.Set("Accept", "application/xml")
	if strings.HasPrefix(operation, "dnsAdd") || strings.HasPrefix(operation, "dnsUpdate") || strings.HasPrefix(operation, "dnsDelete") {
		noReplay(req)
	}
	if a.userAgent != "" {
		req.Header.Set("User-Agent", a.userAgent)
	}
	resp, err := jsonapi.Do(a.client, req, op)
	if err != nil {
		return err
	}
	var r reply
	decodeErr := xml.Unmarshal(resp.Body, &r)
	if resp.Status != http.StatusOK || decodeErr != nil || r.Code == "" {
		if resp.Status == http.StatusOK {
			return &providers.Error{Kind: providers.KindTransient, Message: op + ": undecodable answer (HTTP 200)", Err: decodeErr}
		}
		return jsonapi.StatusError(resp, op, "", "")
	}
	if r.Code != codeOK {
		return replyError(op, operation, domain, r, a.key)
	}
	if out != nil {
		if err := xml.Unmarshal(resp.Body, out); err != nil {
			return &providers.Error{Kind: providers.KindTransient, Message: op + ": undecodable answer", Err: err}
		}
	}
	return nil
}

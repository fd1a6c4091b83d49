// Package webhook is a client of the external-dns webhook provider
// protocol (https://kubernetes-sigs.github.io/external-dns/latest/docs/tutorials/webhook-provider/,
// the server side in sigs.k8s.io/external-dns/provider/webhook/api), so
// that any of the community webhook providers (Hetzner, Netcup, IONOS,
// Porkbun, UniFi, Mikrotik, OPNsense, AdGuard Home, Pi-hole, ...) serves
// the operator as a sidecar or a Service:
//
//   - GET / negotiates: the answer's Content-Type must be exactly
//     application/external.dns.webhook+json;version=1, and its body is the
//     webhook's domain filter;
//   - GET /records lists every endpoint the webhook manages;
//   - POST /adjustendpoints lets the webhook adjust endpoints before they
//     are written (its provider's TTL rules, for example);
//   - POST /records applies changes (create, updateOld/updateNew,
//     delete), answered 204.
//
// Answers are classified as external-dns classifies them: 5xx is
// retried (here with the reconciler's backoff), 4xx is permanent (401/403
// refused credentials, 429 a throttle with its Retry-After).
//
// Ownership markers live in a companion TXT record, as external-dns keeps
// its registry in TXT records: "_ddns-owner-a.<name>" (-aaaa for AAAA)
// holding the quoted marker, written in the same POST as the address.
// spec.webhook.ownershipRecords: None writes none, for webhooks that
// cannot store TXT records.
package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// Name is the provider's spec.provider value.
const Name = "webhook"

// MediaType is the protocol's media type and version; the negotiation
// answer must carry exactly this Content-Type.
const MediaType = "application/external.dns.webhook+json;version=1"

// DefaultURL is where a webhook sidecar in the operator's pod listens, as
// external-dns's --webhook-provider-url defaults it.
const DefaultURL = "http://localhost:8888"

// filterMaxAge is how long a negotiated domain filter is used before the
// webhook is asked again (external-dns asks once, at start-up).
const filterMaxAge = 10 * time.Minute

// Descriptor declares the webhook provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  Name,
	Title: "external-dns webhook provider",
	// The webhook holds its DNS provider's credentials itself; the
	// operator sends none. The record's Secret may be empty.
	Keys:     nil,
	KeysNote: "none: the webhook holds its provider's credentials (`spec.secretRef` may name an empty Secret)",
	Options: func(spec *v1alpha1.DynamicDNSRecordSpec) any {
		if spec == nil {
			return nil
		}
		return spec.Webhook
	},
	// A sidecar publishes no limit; its DNS provider's limits apply behind
	// it. Two requests at a time.
	Limits:     providers.Limits{Concurrency: 2},
	ZoneList:   true,
	Marker:     "companion TXT record",
	DefaultTTL: "the webhook provider's default",
	New:        newProvider,
}

// Provider talks to one webhook.
type Provider struct {
	base      string
	client    *http.Client
	userAgent string
	// txt says whether markers go to companion TXT records; without,
	// they are kept in memory (markers).
	txt bool

	mu       sync.Mutex
	filter   *domainFilter
	filterAt time.Time
	markers  map[string]string   // name/type -> marker, without TXT
	ttls     map[string]adjusted // name/type -> a TTL the webhook adjusted
}

// adjusted is a TTL the webhook's adjustendpoints changed: asked for, and
// stored instead.
type adjusted struct{ asked, stored int32 }

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// newProvider builds the provider for one webhook: the Env's endpoint
// (tests, a gateway), or spec.webhook.url, or DefaultURL.
func newProvider(env providers.Env, _ map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
	base := DefaultURL
	txt := true
	if spec != nil && spec.Webhook != nil {
		if u := strings.TrimSpace(spec.Webhook.URL); u != "" {
			base = u
		}
		txt = spec.Webhook.OwnershipRecords != "None"
	}
	if env.Endpoint != "" {
		base = env.Endpoint
	}
	ua := env.UserAgentOr("ddns-operator")
	return &Provider{
		base: strings.TrimSuffix(base, "/"), client: env.HTTP(), userAgent: ua, txt: txt,
		markers: map[string]string{}, ttls: map[string]adjusted{},
	}, nil
}

// negotiate returns the webhook's domain filter, asking GET / when the
// last answer is older than filterMaxAge.
func (p *Provider) negotiate(ctx context.Context) (*domainFilter, error) {
	p.mu.Lock()
	f, at := p.filter, p.filterAt
	p.mu.Unlock()
	if f != nil && time.Since(at) < filterMaxAge {
		return f, nil
	}
	const op = "negotiate with the webhook"
	resp, body, err := p.do(ctx, op, http.MethodGet, "/", nil)
	if err != nil {
		return nil, err
	}
	if ct := resp.Header.Get("Content-Type"); ct != MediaType {
		return nil, providers.Errorf(providers.KindTransient, "", "%s: it answered Content-Type %q, not %q: is %s an external-dns webhook provider of protocol version 1?", op, ct, MediaType, p.base)
	}
	f, err = parseFilter(body)
	if err != nil {
		return nil, providers.Errorf(providers.KindTransient, "", "%s: %s", op, err)
	}
	p.mu.Lock()
	p.filter, p.filterAt = f, time.Now()
	p.mu.Unlock()
	return f, nil
}

// endpoint is external-dns's endpoint.Endpoint as the protocol carries it.
type endpoint struct {
	DNSName          string            `json:"dnsName,omitempty"`
	Targets          []string          `json:"targets,omitempty"`
	RecordType       string            `json:"recordType,omitempty"`
	SetIdentifier    string            `json:"setIdentifier,omitempty"`
	RecordTTL        int64             `json:"recordTTL,omitempty"`
	Labels           map[string]string `json:"labels,omitempty"`
	ProviderSpecific []providerProp    `json:"providerSpecific,omitempty"`
}

// providerProp is one provider-specific property of an endpoint.
type providerProp struct {
	Name  string `json:"name,omitempty"`
	Value string `json:"value,omitempty"`
}

// changes is external-dns's plan.Changes as POST /records takes it.
type changes struct {
	Create    []*endpoint `json:"create,omitempty"`
	UpdateOld []*endpoint `json:"updateOld,omitempty"`
	UpdateNew []*endpoint `json:"updateNew,omitempty"`
	Delete    []*endpoint `json:"delete,omitempty"`
}

// records lists every endpoint: GET /records.
func (p *Provider) records(ctx context.Context) ([]*endpoint, error) {
	const op = "list the webhook's records"
	_, body, err := p.do(ctx, op, http.MethodGet, "/records", nil)
	if err != nil {
		return nil, err
	}
	var eps []*endpoint
	if err := json.Unmarshal(body, &eps); err != nil {
		return nil, providers.Transient(op, fmt.Errorf("the answer does not decode as endpoints: %w", err))
	}
	return eps, nil
}

// adjust asks the webhook to adjust eps: POST /adjustendpoints.
func (p *Provider) adjust(ctx context.Context, eps []*endpoint) ([]*endpoint, error) {
	const op = "adjust endpoints at the webhook"
	_, body, err := p.do(ctx, op, http.MethodPost, "/adjustendpoints", eps)
	if err != nil {
		return nil, err
	}
	var out []*endpoint
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, providers.Transient(op, fmt.Errorf("the answer does not decode as endpoints: %w", err))
	}
	return out, nil
}

// apply sends c: POST /records, answered 204.
func (p *Provider) apply(ctx context.Context, op string, c changes) error {
	resp, _, err := p.do(ctx, op, http.MethodPost, "/records", c)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusNoContent {
		return providers.Errorf(providers.KindTransient, strconv.Itoa(resp.StatusCode), "%s: the webhook answered HTTP %d, not 204", op, resp.StatusCode)
	}
	return nil
}

// do sends one request with the protocol's headers and reads the answer,
// classifying failures: transport errors and 5xx are transient, 401 and
// 403 refused credentials, 429 a throttle, other 4xx permanent.
func (p *Provider) do(ctx context.Context, op, method, path string, in any) (*http.Response, []byte, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, nil, providers.Transient(op, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.base+path, body)
	if err != nil {
		return nil, nil, providers.Errorf(providers.KindInvalid, "", "%s: the webhook URL does not make a request: %s", op, err)
	}
	req.Header.Set("Accept", MediaType)
	if in != nil {
		req.Header.Set("Content-Type", MediaType)
	}
	req.Header.Set("User-Agent", p.userAgent)
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, nil, providers.Transient(op, err)
	}
	defer func() { _ = resp.Body.Close() }()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, providers.Transient(op, err)
	}
	code := resp.StatusCode
	status := strconv.Itoa(code)
	switch {
	case code >= 500:
		return nil, nil, providers.Errorf(providers.KindTransient, status, "%s: the webhook answered HTTP %d (its DNS provider failed; see the webhook's log)", op, code)
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return nil, nil, providers.Errorf(providers.KindAuth, status, "%s: the webhook refused the request (HTTP %d)", op, code)
	case code == http.StatusTooManyRequests:
		return nil, nil, providers.RateLimited(status, op+": the webhook asks to slow down (HTTP 429)", providers.ParseRetryAfter(resp.Header.Get("Retry-After")))
	case code >= 400:
		return nil, nil, providers.Errorf(providers.KindInvalid, status, "%s: the webhook refused the request (HTTP %d %s)", op, code, strings.ToLower(http.StatusText(code)))
	case code >= 300:
		return nil, nil, providers.Errorf(providers.KindTransient, status, "%s: the webhook answered HTTP %d", op, code)
	}
	return resp, out, nil
}

package providers

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
)

// Descriptor is everything the operator knows about a provider besides its
// calls. Each provider package declares one; the registry, the CRD's
// provider enum (checked by a test), the account key, the scrubbing of
// credentials from messages, the docs' provider table and the conformance
// checks all derive from it, so adding a provider touches its own package,
// one registry line, its doc page and its sample (see CONTRIBUTING.md).
type Descriptor struct {
	// Name is the spec.provider value: lowercase, and the name of the
	// provider's package under providers/ and of its options block in
	// the spec, if it has one.
	Name string
	// Title is the provider's name as its users know it ("Cloudflare").
	Title string
	// Keys are the Secret keys the provider reads.
	Keys []SecretKey
	// KeysNote says in a few words which keys go together when Keys
	// alone cannot ("`apiToken`, or `apiKey` + `email`"), for the docs'
	// provider table.
	KeysNote string
	// Options returns the record's options block for this provider (nil
	// when the record has none or the provider takes none). Records whose
	// blocks differ get separate accounts (clients), so a block that
	// shapes the client (an endpoint, a region, a server) never leaks
	// from one record to another. Nil for a provider without a block.
	Options func(spec *v1alpha1.DynamicDNSRecordSpec) any
	// Limits are the documented request limits of one credential; the
	// zero value documents none (calls in flight are still bounded).
	Limits Limits
	// ZoneList says the provider lists a whole zone in one paginated read
	// (it implements ZoneReader); Batch that it writes many records in one
	// request (BatchWriter). A test checks both against the provider.
	ZoneList, Batch bool
	// Marker says where the ownership marker is kept ("comment", "remark",
	// "companion TXT record"); empty when the provider has no place for
	// it, and docs say how adoption and deletion stay safe without.
	Marker string
	// DefaultTTL is the TTL a record gets when spec.ttl is unset, as the
	// docs say it ("600", "automatic (300)").
	DefaultTTL string
	// Deprecated, when set, says why the provider should no longer be
	// used and what to use instead; records that use it are told so.
	Deprecated string
	// Ambient, when set, names the credentials the provider uses when the
	// Secret holds none of its keys ("the pod's web identity (IRSA) or the
	// instance role"): the credentials the cluster gives the operator's
	// pod. Every key is then optional, and an empty Secret selects them.
	Ambient string
	// New builds the provider for one account: the data of the Secret
	// spec.secretRef names, and the spec of one of the account's records.
	// It returns a KindCredentials Error naming the key when the Secret is
	// unusable.
	New func(env Env, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (Provider, error)
}

// SecretKey is one key of a provider's Secret.
type SecretKey struct {
	// Name is the key in the Secret's data.
	Name string
	// Secret says the value is a credential: it is scrubbed from every
	// message the operator writes. Keys that only name things (a TSIG key
	// name, an account ID, an e-mail) are not, so messages keep the most
	// useful fact readable.
	Secret bool
	// Optional keys may be absent.
	Optional bool
	// Help says what the key holds, for docs and error messages.
	Help string
}

// SecretValues returns the values of the Secret's keys that d declares
// secret, trimmed, longest first (so a value that contains another is
// replaced whole), without values too short to scrub safely.
func (d Descriptor) SecretValues(data map[string][]byte) []string {
	var out []string
	for _, k := range d.Keys {
		if !k.Secret {
			continue
		}
		if v := strings.TrimSpace(string(data[k.Name])); len(v) >= MinSecretLen {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// KeysPresent lists the keys d reads that the Secret holds, in d's order:
// what to name when the provider refuses the credentials.
func (d Descriptor) KeysPresent(data map[string][]byte) []string {
	var out []string
	for _, k := range d.Keys {
		if _, ok := data[k.Name]; ok {
			out = append(out, k.Name)
		}
	}
	return out
}

// MinSecretLen is the shortest credential value scrubbed from messages;
// shorter values ("1", "true") would blank out ordinary words, and no
// provider issues credentials that short.
const MinSecretLen = 6

// Env is how a provider reaches its API. Every constructor gets one.
type Env struct {
	// Endpoint overrides the API's base URL or host (a fake server in
	// tests, an API gateway); empty means the provider's real API.
	Endpoint string
	// HTTPClient carries the requests; nil means a client with
	// DefaultHTTPTimeout. Providers take it through HTTP, never directly.
	HTTPClient *http.Client
	// UserAgent identifies the operator and its version to the API
	// ("ddns-operator/1.2.3 (+https://...)"); empty leaves the SDK's own.
	UserAgent string
	// Gate paces the credential's requests to the provider's documented
	// limit: every request waits for it first (HTTP does it for clients
	// it builds; other transports call Wait). Nil paces nothing.
	Gate Gate
	// Nameserver is the DNS server ("host:port") that providers which
	// read records from DNS ask instead of the system's resolver and the
	// zones' authoritative servers: update-only services (dyndns2,
	// DuckDNS) have no read call, so the name's DNS answer is the record.
	// Empty, the real servers are asked; tests point it at a server they
	// start on 127.0.0.1.
	Nameserver string
}

// DefaultHTTPTimeout bounds one HTTP exchange with a provider.
const DefaultHTTPTimeout = 30 * time.Second

// HTTP returns the client a provider sends its requests with: e's client
// (or one with DefaultHTTPTimeout), each request waiting for e's Gate first
// and each response body cut at MaxResponseBody.
func (e Env) HTTP() *http.Client {
	hc := &http.Client{Timeout: DefaultHTTPTimeout}
	if e.HTTPClient != nil {
		c := *e.HTTPClient
		hc = &c
	}
	hc.Transport = e.Transport(hc.Transport)
	return hc
}

// Transport wraps rt (http.DefaultTransport when nil) as HTTP does, for
// SDKs that take a transport rather than a client.
func (e Env) Transport(rt http.RoundTripper) http.RoundTripper {
	if rt == nil {
		rt = http.DefaultTransport
	}
	return &limitTransport{rt: rt, max: MaxResponseBody, gate: e.Gate}
}

// EndpointOr is e's Endpoint without a trailing slash, or def when e
// names none: the base URL a provider joins its paths to.
func (e Env) EndpointOr(def string) string {
	if base := strings.TrimSuffix(e.Endpoint, "/"); base != "" {
		return base
	}
	return def
}

// UserAgentOr is e's UserAgent, or def when e names none.
func (e Env) UserAgentOr(def string) string {
	if e.UserAgent != "" {
		return e.UserAgent
	}
	return def
}

// Wait waits for e's Gate, if any, or returns ctx's error.
func (e Env) Wait(ctx context.Context) error {
	if e.Gate == nil {
		return ctx.Err()
	}
	return e.Gate.Wait(ctx)
}

// Package googleclouddns is the DNS provider for Google Cloud DNS, over its
// documented REST API v1 (https://cloud.google.com/dns/docs/reference/rest/v1):
// managed zones, resource record sets and changes. The official client,
// google.golang.org/api/dns/v1, links gRPC, OpenTelemetry and S2A through
// its transport for these three REST calls and adds 4.5 MB to the manager
// (see BENCHMARKS.md); the provider makes the calls with net/http and takes
// its credentials from golang.org/x/oauth2/google (0.25 MB): a service
// account's JSON key from the Secret, or, when the Secret holds no key, the
// pod's own Google identity (GKE workload identity, through the metadata
// server).
//
// Cloud DNS keeps records as record sets, one per name and type
// (providers.RecordSet maps sets to the operator's records), and every
// write is a change: the sets to delete, exactly as they are, and the sets
// to add, applied together. Record sets carry no comment, so the ownership
// marker lives in a companion TXT set, written in the same change.
package googleclouddns

import (
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// KeyServiceAccount is the Secret key holding a service account's JSON key.
const KeyServiceAccount = "serviceAccountKey"

// DefaultEndpoint is the API's root; the provider adds /dns/v1/projects/....
const DefaultEndpoint = "https://dns.googleapis.com"

// DefaultUserAgent identifies the operator when the Env names no agent.
const DefaultUserAgent = "ddns-operator (+https://github.com/ddns-operator/ddns-operator)"

// Scope is the OAuth scope the provider asks for: read and write Cloud
// DNS, nothing else.
const Scope = "https://www.googleapis.com/auth/ndev.clouddns.readwrite"

// pageSize is the maxResults of every list.
const pageSize = 1000

// Descriptor declares the Google Cloud DNS provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  "googleclouddns",
	Title: "Google Cloud DNS",
	Keys: []providers.SecretKey{
		{Name: KeyServiceAccount, Secret: true, Optional: true, Help: "a service account's JSON key; without it, the pod's workload identity"},
	},
	KeysNote: "`serviceAccountKey`, or none for GKE workload identity",
	Options:  func(spec *v1alpha1.DynamicDNSRecordSpec) any { return optionsOf(spec) },
	// Cloud DNS sets per-project API quotas (the Quotas page of the
	// console, https://cloud.google.com/dns/quotas) rather than one
	// documented number; ten requests a second stays far below the
	// defaults.
	Limits:     providers.Limits{Requests: 600, Per: time.Minute, Concurrency: 4},
	ZoneList:   true,
	Marker:     "companion TXT record set",
	DefaultTTL: "300",
	Ambient:    "GKE workload identity (the pod's Kubernetes service account bound to a Google service account) or the node's service account, through the metadata server",
	New: func(env providers.Env, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
		key, err := FromSecretData(secret)
		if err != nil {
			return nil, err
		}
		return New(env, key, optionsOf(spec))
	},
}

// optionsOf returns spec.googleclouddns, nil when there is no spec or
// block.
func optionsOf(spec *v1alpha1.DynamicDNSRecordSpec) *v1alpha1.GoogleCloudDNSOptions {
	if spec == nil {
		return nil
	}
	return spec.GoogleCloudDNS
}

// Provider implements providers.Provider for Google Cloud DNS.
type Provider struct {
	api     providers.REST
	auth    *auth
	private bool
	// project is spec.googleclouddns.project; "" takes the credentials'.
	project string
}

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// New builds the provider for a service-account key (nil: the pod's
// ambient credentials, looked up at the first request).
func New(env providers.Env, key *ServiceAccountKey, opts *v1alpha1.GoogleCloudDNSOptions) (*Provider, error) {
	base := env.EndpointOr(DefaultEndpoint)
	ua := env.UserAgentOr(DefaultUserAgent)
	a, err := newAuth(env, key)
	if err != nil {
		return nil, err
	}
	p := &Provider{auth: a}
	if opts != nil {
		p.project, p.private = opts.Project, opts.PrivateZone
	}
	p.api = providers.REST{Base: base + "/dns/v1", Client: env.HTTP(), UserAgent: ua, Authorize: a.authorize, Refusal: refusal}
	return p, nil
}

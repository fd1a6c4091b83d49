// Package hetzner is the DNS provider for Hetzner DNS in the Hetzner Cloud
// API (zones and RRsets, https://docs.hetzner.cloud/reference/cloud#zones),
// through the official SDK's hcloud package
// (github.com/hetznercloud/hcloud-go/v2), with a Cloud project's API token.
// Zones still in the old DNS Console (dns.hetzner.com) are not in the Cloud
// API; docs/providers/hetzner.md says how to move them.
//
// The Cloud API keeps records as RRsets, one per name and type, whose
// records each carry a comment: providers.RecordSet maps sets to the
// operator's records, and the ownership marker is the comment of the
// record.
package hetzner

import (
	"context"
	"sync"
	"time"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// KeyToken is the Secret key holding the Cloud project's API token.
const KeyToken = "token"

// DefaultEndpoint is the Cloud API's base URL.
const DefaultEndpoint = hcloud.Endpoint

// MinTTL is the smallest RRset TTL the Cloud API accepts.
const MinTTL = 60

// perPage is the per_page of every list: the most the Cloud API returns.
const perPage = 50

// zoneAPI is the part of the SDK's hcloud.ZoneClient the provider uses.
type zoneAPI interface {
	List(ctx context.Context, opts hcloud.ZoneListOpts) ([]*hcloud.Zone, *hcloud.Response, error)
	GetByName(ctx context.Context, name string) (*hcloud.Zone, *hcloud.Response, error)
	ListRRSets(ctx context.Context, zone *hcloud.Zone, opts hcloud.ZoneRRSetListOpts) ([]*hcloud.ZoneRRSet, *hcloud.Response, error)
	GetRRSetByNameAndType(ctx context.Context, zone *hcloud.Zone, name string, typ hcloud.ZoneRRSetType) (*hcloud.ZoneRRSet, *hcloud.Response, error)
	CreateRRSet(ctx context.Context, zone *hcloud.Zone, opts hcloud.ZoneRRSetCreateOpts) (hcloud.ZoneRRSetCreateResult, *hcloud.Response, error)
	SetRRSetRecords(ctx context.Context, rrset *hcloud.ZoneRRSet, opts hcloud.ZoneRRSetSetRecordsOpts) (*hcloud.Action, *hcloud.Response, error)
	ChangeRRSetTTL(ctx context.Context, rrset *hcloud.ZoneRRSet, opts hcloud.ZoneRRSetChangeTTLOpts) (*hcloud.Action, *hcloud.Response, error)
	DeleteRRSet(ctx context.Context, rrset *hcloud.ZoneRRSet) (hcloud.ZoneRRSetDeleteResult, *hcloud.Response, error)
}

// Descriptor declares the Hetzner provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  "hetzner",
	Title: "Hetzner DNS (Cloud API)",
	Keys: []providers.SecretKey{
		{Name: KeyToken, Secret: true, Help: "an API token of the Hetzner Cloud project that holds the zone, with Read & Write permission"},
	},
	// The Cloud API allows 3,600 requests an hour per project, refilled
	// at one a second (https://docs.hetzner.cloud/reference/cloud#rate-limiting).
	Limits:     providers.Limits{Requests: 3600, Per: time.Hour, Concurrency: 2},
	ZoneList:   true,
	Marker:     "record comment",
	DefaultTTL: "the zone's TTL (3600)",
	New: func(env providers.Env, secret map[string][]byte, _ *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
		raw, ok := secret[KeyToken]
		if !ok {
			return nil, providers.MissingKey(KeyToken)
		}
		token, err := providers.HeaderToken(KeyToken, raw)
		if err != nil {
			return nil, err
		}
		return New(env, token), nil
	},
}

// Provider implements providers.Provider for Hetzner DNS.
type Provider struct {
	zones zoneAPI
	// zoneTTL holds each zone's default TTL as FindZone read it, by zone
	// name: the TTL of an RRset that sets none (the API shows null).
	zoneTTL sync.Map
}

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// New builds the provider for one API token. The SDK's retries are off:
// its default (five retries, up to a minute apart, on 429 among others)
// would hold a reconcile and hide throttling from the workqueue, which
// retries with backoff and honours the wait.
func New(env providers.Env, token string) *Provider {
	endpoint := env.EndpointOr(DefaultEndpoint)
	opts := []hcloud.ClientOption{
		hcloud.WithEndpoint(endpoint),
		hcloud.WithToken(token),
		hcloud.WithHTTPClient(env.HTTP()),
		hcloud.WithRetryOpts(hcloud.RetryOpts{MaxRetries: 0}),
	}
	if env.UserAgent != "" {
		opts = append(opts, hcloud.WithApplication(env.UserAgent, ""))
	}
	c := hcloud.NewClient(opts...)
	z := &c.Zone
	return &Provider{zones: sdk{z.List, z.GetByName, z.ListRRSets, z.GetRRSetByNameAndType, z.CreateRRSet, z.SetRRSetRecords, z.ChangeRRSetTTL, z.DeleteRRSet}}
}

// sdk is the SDK's zone client behind the zoneAPI interface, as method
// values. No SDK type is reachable from an interface, not even as a struct
// field: where a binary calls methods by name through reflection (the
// manager's dependencies do), the linker keeps every exported method of
// every type an interface may hold, and hcloud.ZoneClient leads to the
// client of every Cloud API resource (servers, load balancers, ...),
// 0.7 MB of the manager.
type sdk struct {
	list                  func(context.Context, hcloud.ZoneListOpts) ([]*hcloud.Zone, *hcloud.Response, error)
	getByName             func(context.Context, string) (*hcloud.Zone, *hcloud.Response, error)
	listRRSets            func(context.Context, *hcloud.Zone, hcloud.ZoneRRSetListOpts) ([]*hcloud.ZoneRRSet, *hcloud.Response, error)
	getRRSetByNameAndType func(context.Context, *hcloud.Zone, string, hcloud.ZoneRRSetType) (*hcloud.ZoneRRSet, *hcloud.Response, error)
	createRRSet           func(context.Context, *hcloud.Zone, hcloud.ZoneRRSetCreateOpts) (hcloud.ZoneRRSetCreateResult, *hcloud.Response, error)
	setRRSetRecords       func(context.Context, *hcloud.ZoneRRSet, hcloud.ZoneRRSetSetRecordsOpts) (*hcloud.Action, *hcloud.Response, error)
	changeRRSetTTL        func(context.Context, *hcloud.ZoneRRSet, hcloud.ZoneRRSetChangeTTLOpts) (*hcloud.Action, *hcloud.Response, error)
	deleteRRSet           func(context.Context, *hcloud.ZoneRRSet) (hcloud.ZoneRRSetDeleteResult, *hcloud.Response, error)
}

func (s sdk) List(ctx context.Context, opts hcloud.ZoneListOpts) ([]*hcloud.Zone, *hcloud.Response, error) {
	return s.list(ctx, opts)
}

func (s sdk) GetByName(ctx context.Context, name string) (*hcloud.Zone, *hcloud.Response, error) {
	return s.getByName(ctx, name)
}

func (s sdk) ListRRSets(ctx context.Context, zone *hcloud.Zone, opts hcloud.ZoneRRSetListOpts) ([]*hcloud.ZoneRRSet, *hcloud.Response, error) {
	return s.listRRSets(ctx, zone, opts)
}

func (s sdk) GetRRSetByNameAndType(ctx context.Context, zone *hcloud.Zone, name string, typ hcloud.ZoneRRSetType) (*hcloud.ZoneRRSet, *hcloud.Response, error) {
	return s.getRRSetByNameAndType(ctx, zone, name, typ)
}

func (s sdk) CreateRRSet(ctx context.Context, zone *hcloud.Zone, opts hcloud.ZoneRRSetCreateOpts) (hcloud.ZoneRRSetCreateResult, *hcloud.Response, error) {
	return s.createRRSet(ctx, zone, opts)
}

func (s sdk) SetRRSetRecords(ctx context.Context, rrset *hcloud.ZoneRRSet, opts hcloud.ZoneRRSetSetRecordsOpts) (*hcloud.Action, *hcloud.Response, error) {
	return s.setRRSetRecords(ctx, rrset, opts)
}

func (s sdk) ChangeRRSetTTL(ctx context.Context, rrset *hcloud.ZoneRRSet, opts hcloud.ZoneRRSetChangeTTLOpts) (*hcloud.Action, *hcloud.Response, error) {
	return s.changeRRSetTTL(ctx, rrset, opts)
}

func (s sdk) DeleteRRSet(ctx context.Context, rrset *hcloud.ZoneRRSet) (hcloud.ZoneRRSetDeleteResult, *hcloud.Response, error) {
	return s.deleteRRSet(ctx, rrset)
}

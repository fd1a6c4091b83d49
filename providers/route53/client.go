// Package route53 is the DNS provider for Amazon Route 53, through the
// official SDK's service package (github.com/aws/aws-sdk-go-v2/service/route53)
// and the SDK's credential providers: an access key from the Secret, or,
// when the Secret holds none, the pod's own AWS identity (IRSA web
// identity, EKS Pod Identity, AWS_* variables, or the node's instance role).
// It does not load the SDK's config package, which would also link the SSO
// clients and read shared config files for no use here.
//
// Route 53 keeps records as record sets, one per name and type
// (providers.RecordSet maps sets to the operator's records), and writes
// them with ChangeResourceRecordSets, a transactional batch of changes: the
// provider is a providers.BatchWriter, so an address change of many
// records of a zone takes one request per MaxBatch records, and stays
// within the account's five requests a second. Record sets carry no
// comment, so the ownership marker lives in a companion TXT set, written in
// the same batch.
package route53

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// DefaultRegion signs requests when the spec names no region: Route 53 is
// a global service of the standard partition, signed for us-east-1.
const DefaultRegion = "us-east-1"

// DefaultTTL is a new record set's TTL when the spec sets none (Route 53
// requires one).
const DefaultTTL = 300

// api is the part of the SDK's route53.Client the provider uses.
type api interface {
	ListHostedZones(ctx context.Context, in *r53.ListHostedZonesInput, optFns ...func(*r53.Options)) (*r53.ListHostedZonesOutput, error)
	GetHostedZone(ctx context.Context, in *r53.GetHostedZoneInput, optFns ...func(*r53.Options)) (*r53.GetHostedZoneOutput, error)
	ListResourceRecordSets(ctx context.Context, in *r53.ListResourceRecordSetsInput, optFns ...func(*r53.Options)) (*r53.ListResourceRecordSetsOutput, error)
	ChangeResourceRecordSets(ctx context.Context, in *r53.ChangeResourceRecordSetsInput, optFns ...func(*r53.Options)) (*r53.ChangeResourceRecordSetsOutput, error)
}

// Descriptor declares the Route 53 provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  "route53",
	Title: "Amazon Route 53",
	Keys: []providers.SecretKey{
		{Name: KeyAccessKeyID, Optional: true, Help: "an IAM access key ID (without it, the pod's AWS identity)"},
		{Name: KeySecretAccessKey, Secret: true, Optional: true, Help: "the access key's secret"},
		{Name: KeySessionToken, Secret: true, Optional: true, Help: "a session token, for temporary credentials"},
	},
	KeysNote: "`accessKeyId` + `secretAccessKey` [+ `sessionToken`], or none for IRSA / EKS Pod Identity / the instance role",
	Options:  func(spec *v1alpha1.DynamicDNSRecordSpec) any { return optionsOf(spec) },
	// Route 53 allows five API requests a second per AWS account
	// (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-requests),
	// answering more with Throttling; a ChangeResourceRecordSets while the
	// zone's previous one is still applied is refused with
	// PriorRequestNotComplete, so one call at a time.
	Limits:     providers.Limits{Requests: 5, Per: time.Second, Concurrency: 1},
	ZoneList:   true,
	Batch:      true,
	Marker:     "companion TXT record set",
	DefaultTTL: "300",
	Ambient:    "the pod's AWS identity: IRSA web identity, EKS Pod Identity, AWS_* environment variables, or the node's instance role",
	New: func(env providers.Env, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
		creds, err := FromSecretData(secret)
		if err != nil {
			return nil, err
		}
		return New(env, creds, optionsOf(spec))
	},
}

// optionsOf returns spec.route53, nil when there is no spec or block.
func optionsOf(spec *v1alpha1.DynamicDNSRecordSpec) *v1alpha1.Route53Options {
	if spec == nil {
		return nil
	}
	return spec.Route53
}

// Provider implements providers.Provider for Route 53.
type Provider struct {
	api api
	// hostedZoneID is spec.route53.hostedZoneID ("" to look zones up).
	hostedZoneID string
	// private looks up private hosted zones instead of public ones.
	private bool
	// source names the credentials for messages ("the Secret's access
	// key", "the pod's web identity (IRSA role arn:...)").
	source string
}

var (
	_ providers.Provider    = (*Provider)(nil)
	_ providers.ZoneReader  = (*Provider)(nil)
	_ providers.BatchWriter = (*Provider)(nil)
)

// New builds the provider for creds (nil: the pod's AWS identity). The
// SDK's retries stay off: the operator's workqueue retries with backoff,
// and a retry of a change would hide throttling and hold a reconcile.
func New(env providers.Env, creds *Credentials, opts *v1alpha1.Route53Options) (*Provider, error) {
	region := DefaultRegion
	p := &Provider{}
	if opts != nil {
		if opts.Region != "" {
			region = opts.Region
		}
		p.hostedZoneID, p.private = strings.TrimPrefix(opts.HostedZoneID, "/hostedzone/"), opts.PrivateZone
	}
	provider, source, err := credentialsFor(env, creds, region)
	if err != nil {
		return nil, err
	}
	p.source = source
	o := r53.Options{
		Region:      region,
		Credentials: aws.NewCredentialsCache(provider),
		HTTPClient:  env.HTTP(),
		Retryer:     aws.NopRetryer{},
		AppID:       "ddns-operator",
	}
	if env.Endpoint != "" {
		o.BaseEndpoint = aws.String(strings.TrimSuffix(env.Endpoint, "/"))
	}
	c := r53.New(o)
	p.api = sdk{c.ListHostedZones, c.GetHostedZone, c.ListResourceRecordSets, c.ChangeResourceRecordSets}
	return p, nil
}

// sdk is the SDK's client behind the api interface, as four method values.
// The client itself is never reachable from an interface, not even as a
// struct field: where a binary calls methods by name through reflection
// (the manager's dependencies do), the linker keeps every exported method
// of every type an interface may hold, which for route53.Client is each of
// Route 53's seventy operations with its serializers: 2.3 MB of the manager.
type sdk struct {
	listHostedZones          func(context.Context, *r53.ListHostedZonesInput, ...func(*r53.Options)) (*r53.ListHostedZonesOutput, error)
	getHostedZone            func(context.Context, *r53.GetHostedZoneInput, ...func(*r53.Options)) (*r53.GetHostedZoneOutput, error)
	listResourceRecordSets   func(context.Context, *r53.ListResourceRecordSetsInput, ...func(*r53.Options)) (*r53.ListResourceRecordSetsOutput, error)
	changeResourceRecordSets func(context.Context, *r53.ChangeResourceRecordSetsInput, ...func(*r53.Options)) (*r53.ChangeResourceRecordSetsOutput, error)
}

func (s sdk) ListHostedZones(ctx context.Context, in *r53.ListHostedZonesInput, optFns ...func(*r53.Options)) (*r53.ListHostedZonesOutput, error) {
	return s.listHostedZones(ctx, in, optFns...)
}

func (s sdk) GetHostedZone(ctx context.Context, in *r53.GetHostedZoneInput, optFns ...func(*r53.Options)) (*r53.GetHostedZoneOutput, error) {
	return s.getHostedZone(ctx, in, optFns...)
}

func (s sdk) ListResourceRecordSets(ctx context.Context, in *r53.ListResourceRecordSetsInput, optFns ...func(*r53.Options)) (*r53.ListResourceRecordSetsOutput, error) {
	return s.listResourceRecordSets(ctx, in, optFns...)
}

func (s sdk) ChangeResourceRecordSets(ctx context.Context, in *r53.ChangeResourceRecordSetsInput, optFns ...func(*r53.Options)) (*r53.ChangeResourceRecordSetsOutput, error) {
	return s.changeResourceRecordSets(ctx, in, optFns...)
}

package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// RecordType is the DNS record type a DynamicDNSRecord manages.
// +kubebuilder:validation:Enum=A;AAAA
type RecordType string

const (
	// RecordTypeA publishes an IPv4 address.
	RecordTypeA RecordType = "A"
	// RecordTypeAAAA publishes an IPv6 address.
	RecordTypeAAAA RecordType = "AAAA"
)

// DeletionPolicy says what happens to the provider's record when the
// DynamicDNSRecord is deleted.
// +kubebuilder:validation:Enum=Retain;Delete
type DeletionPolicy string

const (
	// DeletionPolicyRetain leaves the record at the provider.
	DeletionPolicyRetain DeletionPolicy = "Retain"
	// DeletionPolicyDelete removes the records this resource manages from the provider.
	DeletionPolicyDelete DeletionPolicy = "Delete"
)

// Provider names. The CRD's enum lists exactly the providers the operator
// ships; a unit test keeps it equal to the provider registry.
const (
	ProviderCloudflare   = "cloudflare"
	ProviderAlidns       = "alidns"
	ProviderTencentCloud = "tencentcloud"
	ProviderDNSPod       = "dnspod"
	ProviderRFC2136      = "rfc2136"
)

// SecretReference names a Secret in the record's own namespace.
type SecretReference struct {
	// Name of the Secret holding the provider's credentials. Each
	// provider's guide (docs/providers/NAME.md) and the README's provider
	// table name the keys it reads.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",message="must be the name of a Secret: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"
	Name string `json:"name"`
}

// CloudflareOptions are the record settings only Cloudflare has.
type CloudflareOptions struct {
	// Proxied routes traffic through Cloudflare's proxy. Left unset, the
	// operator keeps whatever the record has at Cloudflare (false on create).
	// +optional
	Proxied *bool `json:"proxied,omitempty"`

	// Comment stored on the record at Cloudflare.
	// +kubebuilder:validation:MaxLength=100
	// +optional
	Comment string `json:"comment,omitempty"`
}

// AlidnsOptions are the record settings only Alibaba Cloud DNS has.
type AlidnsOptions struct {
	// Line is the resolution line of the record.
	// +kubebuilder:default=default
	// +kubebuilder:validation:MaxLength=64
	// +optional
	Line string `json:"line,omitempty"`

	// RegionID of the API endpoint, e.g. cn-hangzhou.
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z0-9-]+$')",message="must be an Alibaba Cloud region ID such as cn-hangzhou: lowercase letters, digits and '-'"
	// +optional
	RegionID string `json:"regionId,omitempty"`

	// Endpoint overrides the API host, e.g. alidns.ap-southeast-1.aliyuncs.com.
	// +kubebuilder:validation:MaxLength=253
	// +optional
	Endpoint string `json:"endpoint,omitempty"`
}

// TencentCloudOptions are the record settings only Tencent Cloud DNSPod (API 3.0) has.
type TencentCloudOptions struct {
	// RecordLine is the line name of the record.
	// +kubebuilder:default=默认
	// +kubebuilder:validation:MaxLength=64
	// +optional
	RecordLine string `json:"recordLine,omitempty"`

	// RecordLineID is the line ID; it wins over RecordLine when both are set.
	// +kubebuilder:validation:MaxLength=32
	// +optional
	RecordLineID string `json:"recordLineId,omitempty"`
}

// RFC2136Options say where a provider rfc2136 record's DNS server is. The
// TSIG key (name, secret and algorithm) lives in the Secret: an algorithm
// belongs to its key, so rotating to a key of another algorithm is one
// Secret change.
type RFC2136Options struct {
	// Server is the primary DNS server that takes dynamic updates:
	// host:port, an IPv4 address, or [IPv6]:port; port 53 when omitted.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=261
	// +kubebuilder:validation:XValidation:rule="self.matches('^([[][0-9a-fA-F:.]+[]]|[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?)(:[0-9]{1,5})?$')",message="must be host, host:port, an IPv4 address with an optional :port, or [IPv6]:port, e.g. ns1.example.com:53 or [2001:db8::53]:53"
	Server string `json:"server"`
}

// DNSPodOptions are the record settings of the legacy DNSPod token API.
type DNSPodOptions struct {
	// RecordLine is the line name of the record.
	// +kubebuilder:default=默认
	// +kubebuilder:validation:MaxLength=64
	// +optional
	RecordLine string `json:"recordLine,omitempty"`
}

// IPSource overrides where a record's address comes from. Left empty, the
// record follows the cluster-wide egress detector. At most one of static,
// service, node, interface and sources may be set; ipv6Suffix combines
// with any of them but static.
// +kubebuilder:validation:XValidation:rule="[has(self.static), has(self.service), has(self.node), has(self.interface), has(self.sources)].filter(x, x).size() <= 1",message="set at most one of static, service, node, interface and sources"
// +kubebuilder:validation:XValidation:rule="!has(self.ipv6Suffix) || !has(self.static)",message="ipv6Suffix cannot be combined with static; write the whole address",fieldPath=".ipv6Suffix"
// +kubebuilder:validation:XValidation:rule="!has(self.allowPrivate) || !self.allowPrivate || has(self.service) || has(self.node) || has(self.interface)",message="allowPrivate applies only to service, node and interface sources",fieldPath=".allowPrivate"
type IPSource struct {
	// Static publishes this address and follows nothing. Its family must
	// match spec.type.
	// +kubebuilder:validation:MaxLength=45
	// +kubebuilder:validation:XValidation:rule="isIP(self)",message="must be an IPv4 or IPv6 address"
	// +optional
	Static string `json:"static,omitempty"`

	// Service publishes the LoadBalancer ingress address (status.loadBalancer)
	// of a Service in the record's namespace, as k3s ServiceLB, MetalLB or a
	// cloud load balancer sets it. The first ingress IP of the record's
	// family is used; the record follows changes at once.
	// +optional
	Service *ServiceAddressSource `json:"service,omitempty"`

	// Node publishes an address of a Node chosen by label selector: among
	// the matching nodes, Ready nodes first, then by name, the first with
	// an address of the record's family and type.
	// +optional
	Node *NodeAddressSource `json:"node,omitempty"`

	// Interface publishes the address of this network interface of the
	// host the operator runs on. Only meaningful when the operator runs
	// with hostNetwork (see docs/egress.md). IPv6 picks a stable global
	// address: never a temporary (privacy) or deprecated one.
	// +kubebuilder:validation:MaxLength=15
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-zA-Z0-9][a-zA-Z0-9._-]{0,14}$')",message="must be a network interface name such as eth0: up to 15 letters, digits, '.', '_' or '-'"
	// +optional
	Interface string `json:"interface,omitempty"`

	// Sources names a source list configured on the operator
	// (--source-list NAME=...), detected once per interval for every record
	// that names it.
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",message="must name a source list given to the operator with --source-list: lowercase letters, digits and '-'"
	// +optional
	Sources string `json:"sources,omitempty"`

	// IPv6Suffix publishes the detected IPv6 prefix joined with this host
	// part, for a device behind the cluster: "::1:2:3:4/64" takes the first
	// 64 bits from the detected address and the rest from ::1:2:3:4; a MAC
	// address such as "02:11:32:aa:bb:cc" stands for its EUI-64 interface
	// ID under a /64. Only for type AAAA.
	// +kubebuilder:validation:MaxLength=49
	// +kubebuilder:validation:XValidation:rule="isCIDR(self) || self.matches('^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$')",message="must be an IPv6 suffix like ::1:2:3:4/64 or a MAC address like 02:11:32:aa:bb:cc"
	// +kubebuilder:validation:XValidation:rule="!isCIDR(self) || (cidr(self).ip().family() == 6 && cidr(self).prefixLength() >= 1 && cidr(self).prefixLength() <= 127)",message="must be an IPv6 suffix with a prefix length of 1 to 127"
	// +kubebuilder:validation:XValidation:rule="!isCIDR(self) || cidr(self).ip().family() != 6 || cidr(self).masked().ip() == ip('::')",message="bits inside the prefix length must be zero, e.g. ::1:2:3:4/64"
	// +optional
	IPv6Suffix string `json:"ipv6Suffix,omitempty"`

	// AllowPrivate lets a service, node or interface source publish a
	// non-global address (RFC 1918, unique-local IPv6, CGNAT), for zones
	// served inside a network. Loopback, link-local and multicast
	// addresses are refused regardless.
	// +optional
	AllowPrivate bool `json:"allowPrivate,omitempty"`
}

// ServiceAddressSource names a Service whose LoadBalancer address a record
// publishes.
type ServiceAddressSource struct {
	// Name of the Service, in the record's namespace.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z]([-a-z0-9]*[a-z0-9])?$`
	Name string `json:"name"`
}

// NodeAddressType is the kind of Node address to publish.
// +kubebuilder:validation:Enum=ExternalIP;InternalIP
type NodeAddressType string

const (
	// NodeExternalIP is status.addresses type ExternalIP.
	NodeExternalIP NodeAddressType = "ExternalIP"
	// NodeInternalIP is status.addresses type InternalIP.
	NodeInternalIP NodeAddressType = "InternalIP"
)

// NodeAddressSource chooses a Node whose address a record publishes.
type NodeAddressSource struct {
	// Selector chooses the nodes by label. An empty selector matches
	// every node (fine for a single-node cluster).
	Selector metav1.LabelSelector `json:"selector"`

	// AddressType is the node address type to publish.
	// +kubebuilder:default=ExternalIP
	// +optional
	AddressType NodeAddressType `json:"addressType,omitempty"`
}

// DynamicDNSRecordSpec is the record a user wants at a DNS provider.
// +kubebuilder:validation:XValidation:rule="!has(self.zone) || self.domain == self.zone || self.domain.endsWith('.' + self.zone)",message="spec.zone must be spec.domain or a suffix of it",fieldPath=".zone"
// +kubebuilder:validation:XValidation:rule="!has(self.zone) || !self.zone.startsWith('*')",message="spec.zone must not be a wildcard",fieldPath=".zone"
// +kubebuilder:validation:XValidation:rule="!has(self.cloudflare) || self.provider == 'cloudflare'",message="spec.cloudflare is only allowed with provider cloudflare",fieldPath=".cloudflare"
// +kubebuilder:validation:XValidation:rule="!has(self.alidns) || self.provider == 'alidns'",message="spec.alidns is only allowed with provider alidns",fieldPath=".alidns"
// +kubebuilder:validation:XValidation:rule="!has(self.tencentcloud) || self.provider == 'tencentcloud'",message="spec.tencentcloud is only allowed with provider tencentcloud",fieldPath=".tencentcloud"
// +kubebuilder:validation:XValidation:rule="!has(self.dnspod) || self.provider == 'dnspod'",message="spec.dnspod is only allowed with provider dnspod",fieldPath=".dnspod"
// +kubebuilder:validation:XValidation:rule="!has(self.rfc2136) || self.provider == 'rfc2136'",message="spec.rfc2136 is only allowed with provider rfc2136",fieldPath=".rfc2136"
// +kubebuilder:validation:XValidation:rule="!has(self.huaweicloud) || self.provider == 'huaweicloud'",message="spec.huaweicloud is only allowed with provider huaweicloud",fieldPath=".huaweicloud"
// +kubebuilder:validation:XValidation:rule="!has(self.volcengine) || self.provider == 'volcengine'",message="spec.volcengine is only allowed with provider volcengine",fieldPath=".volcengine"
// +kubebuilder:validation:XValidation:rule="!has(self.baiducloud) || self.provider == 'baiducloud'",message="spec.baiducloud is only allowed with provider baiducloud",fieldPath=".baiducloud"
// +kubebuilder:validation:XValidation:rule="!has(self.edgeone) || self.provider == 'edgeone'",message="spec.edgeone is only allowed with provider edgeone",fieldPath=".edgeone"
// +kubebuilder:validation:XValidation:rule="!has(self.aliesa) || self.provider == 'aliesa'",message="spec.aliesa is only allowed with provider aliesa",fieldPath=".aliesa"
// +kubebuilder:validation:XValidation:rule="!has(self.dnsla) || self.provider == 'dnsla'",message="spec.dnsla is only allowed with provider dnsla",fieldPath=".dnsla"
// +kubebuilder:validation:XValidation:rule="!has(self.rainyun) || self.provider == 'rainyun'",message="spec.rainyun is only allowed with provider rainyun",fieldPath=".rainyun"
// +kubebuilder:validation:XValidation:rule="self.provider != 'rfc2136' || has(self.rfc2136)",message="provider rfc2136 needs spec.rfc2136.server",fieldPath=".rfc2136"
// +kubebuilder:validation:XValidation:rule="!has(self.dyndns2) || self.provider == 'dyndns2'",message="spec.dyndns2 is only allowed with provider dyndns2",fieldPath=".dyndns2"
// +kubebuilder:validation:XValidation:rule="self.provider != 'dyndns2' || has(self.dyndns2)",message="provider dyndns2 needs spec.dyndns2 with a service (noip, dynu, dyndns, ovh, strato, changeip) or a server URL",fieldPath=".dyndns2"
// +kubebuilder:validation:XValidation:rule="self.provider != 'dyndns2' || !has(self.deletionPolicy) || self.deletionPolicy != 'Delete'",message="provider dyndns2 cannot delete a host (the protocol only sets addresses); use deletionPolicy Retain and remove the host in the service's console",fieldPath=".deletionPolicy"
// +kubebuilder:validation:XValidation:rule="self.provider != 'callback' || !has(self.deletionPolicy) || self.deletionPolicy != 'Delete'",message="provider callback cannot delete a record (a callback only sends addresses); use deletionPolicy Retain",fieldPath=".deletionPolicy"
// +kubebuilder:validation:XValidation:rule="!has(self.webhook) || self.provider == 'webhook'",message="spec.webhook is only allowed with provider webhook",fieldPath=".webhook"
// +kubebuilder:validation:XValidation:rule="!has(self.vercel) || self.provider == 'vercel'",message="spec.vercel is only allowed with provider vercel",fieldPath=".vercel"
// +kubebuilder:validation:XValidation:rule="!has(self.dnsmgr) || self.provider == 'dnsmgr'",message="spec.dnsmgr is only allowed with provider dnsmgr",fieldPath=".dnsmgr"
// +kubebuilder:validation:XValidation:rule="self.provider != 'dnsmgr' || has(self.dnsmgr)",message="provider dnsmgr needs spec.dnsmgr.url, the address of the DNSMgr instance",fieldPath=".dnsmgr"
// +kubebuilder:validation:XValidation:rule="self.provider != 'namecheap' || !has(self.type) || self.type == 'A'",message="provider namecheap updates IPv4 addresses only: Namecheap's Dynamic DNS takes no IPv6, so spec.type must be A",fieldPath=".type"
// +kubebuilder:validation:XValidation:rule="!(self.provider in ['namecheap', 'dynadot']) || !has(self.deletionPolicy) || self.deletionPolicy != 'Delete'",message="deletionPolicy Delete is not possible with providers namecheap and dynadot: their Dynamic DNS endpoints cannot delete records (delete them in the provider's DNS page)",fieldPath=".deletionPolicy"
// +kubebuilder:validation:XValidation:rule="!has(self.route53) || self.provider == 'route53'",message="spec.route53 is only allowed with provider route53",fieldPath=".route53"
// +kubebuilder:validation:XValidation:rule="!has(self.googleclouddns) || self.provider == 'googleclouddns'",message="spec.googleclouddns is only allowed with provider googleclouddns",fieldPath=".googleclouddns"
// +kubebuilder:validation:XValidation:rule="!has(self.ovh) || self.provider == 'ovh'",message="spec.ovh is only allowed with provider ovh",fieldPath=".ovh"
// +kubebuilder:validation:XValidation:rule="!has(self.ipSource) || !has(self.ipSource.ipv6Suffix) || self.type == 'AAAA'",message="spec.ipSource.ipv6Suffix is only allowed with type AAAA",fieldPath=".ipSource.ipv6Suffix"
// +kubebuilder:validation:XValidation:rule="!has(self.ipSource) || !has(self.ipSource.static) || !isIP(self.ipSource.static) || (self.type == 'AAAA') == (ip(self.ipSource.static).family() == 6)",message="spec.ipSource.static must be an IPv4 address for type A and an IPv6 address for type AAAA",fieldPath=".ipSource.static"
type DynamicDNSRecordSpec struct {
	// Domain is the record's full name, e.g. home.example.com, or the zone
	// itself for the apex. Lowercase; a leading "*." makes a wildcard record.
	// +kubebuilder:validation:MinLength=3
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:XValidation:rule="self.matches('^([*][.])?([a-z0-9_]([-a-z0-9_]{0,61}[a-z0-9])?[.])+[a-z]([-a-z0-9]{0,61}[a-z0-9])?$')",message="must be a lowercase DNS name of two or more labels such as home.example.com, without a trailing dot, scheme or port; labels hold letters, digits, '-' and '_', at most 63 characters each and not starting or ending with '-'; the last label starts with a letter; a leading '*.' makes a wildcard"
	Domain string `json:"domain"`

	// Zone is the provider's zone that holds Domain. Left empty, the operator
	// finds it at the provider: the longest suffix of Domain among the
	// account's zones.
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:XValidation:rule="self.matches('^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?[.])+[a-z]([-a-z0-9]{0,61}[a-z0-9])?$')",message="must be a lowercase DNS zone name such as example.com, without a trailing dot or wildcard"
	// +optional
	Zone string `json:"zone,omitempty"`

	// Type is the record type: A for IPv4, AAAA for IPv6.
	// +kubebuilder:default=A
	// +optional
	Type RecordType `json:"type,omitempty"`

	// +optional
	TTL *TTLSeconds `json:"ttl,omitempty"`

	// Provider is the DNS provider that hosts the zone; `kubectl explain`
	// lists the providers this build ships.
	Provider ProviderName `json:"provider"`

	// SecretRef names the Secret, in this namespace, that holds the
	// provider's credentials.
	SecretRef SecretReference `json:"secretRef"`

	// Cloudflare holds options for provider cloudflare.
	// +optional
	Cloudflare *CloudflareOptions `json:"cloudflare,omitempty"`

	// Alidns holds options for provider alidns.
	// +optional
	Alidns *AlidnsOptions `json:"alidns,omitempty"`

	// TencentCloud holds options for provider tencentcloud.
	// +optional
	TencentCloud *TencentCloudOptions `json:"tencentcloud,omitempty"`

	// DNSPod holds options for provider dnspod.
	// +optional
	DNSPod *DNSPodOptions `json:"dnspod,omitempty"`

	// RFC2136 holds options for provider rfc2136 (required with it).
	// +optional
	RFC2136 *RFC2136Options `json:"rfc2136,omitempty"`

	// HuaweiCloud holds options for provider huaweicloud.
	// +optional
	HuaweiCloud *HuaweiCloudOptions `json:"huaweicloud,omitempty"`

	// Volcengine holds options for provider volcengine.
	// +optional
	Volcengine *VolcengineOptions `json:"volcengine,omitempty"`

	// BaiduCloud holds options for provider baiducloud.
	// +optional
	BaiduCloud *BaiduCloudOptions `json:"baiducloud,omitempty"`

	// EdgeOne holds options for provider edgeone.
	// +optional
	EdgeOne *EdgeOneOptions `json:"edgeone,omitempty"`

	// AliESA holds options for provider aliesa.
	// +optional
	AliESA *AliESAOptions `json:"aliesa,omitempty"`

	// DNSLA holds options for provider dnsla.
	// +optional
	DNSLA *DNSLAOptions `json:"dnsla,omitempty"`

	// Rainyun holds options for provider rainyun.
	// +optional
	Rainyun *RainyunOptions `json:"rainyun,omitempty"`
	// DynDNS2 holds options for provider dyndns2 (required with it).
	DynDNS2 *DynDNS2Options `json:"dyndns2,omitempty"`

	// Webhook holds options for provider webhook.
	Webhook *WebhookOptions `json:"webhook,omitempty"`
	// Vercel holds options for provider vercel.
	Vercel *VercelOptions `json:"vercel,omitempty"`
	// Route53 holds options for provider route53.
	Route53 *Route53Options `json:"route53,omitempty"`

	// GoogleCloudDNS holds options for provider googleclouddns.
	GoogleCloudDNS *GoogleCloudDNSOptions `json:"googleclouddns,omitempty"`

	// OVH holds options for provider ovh.
	OVH *OVHOptions `json:"ovh,omitempty"`

	// DNSMgr holds options for provider dnsmgr (required with it).
	// +optional
	DNSMgr *DNSMgrOptions `json:"dnsmgr,omitempty"`

	// IPSource overrides the cluster-wide egress detector for this record.
	// +optional
	IPSource *IPSource `json:"ipSource,omitempty"`

	// Interval is how often the record is checked against the provider to
	// correct drift: a duration such as 90s, 5m or 1h30m, from 30s to 24h;
	// 5m when unset. Address changes are applied at once, not on this timer.
	// +kubebuilder:default="5m"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="self.matches('^([0-9]+([.][0-9]+)?(ms|s|m|h))+$')",message="must be a duration such as 90s, 5m or 1h30m (units ms, s, m and h)"
	// +kubebuilder:validation:XValidation:rule="!self.matches('^([0-9]+([.][0-9]+)?(ms|s|m|h))+$') || duration(self) >= duration('30s')",message="spec.interval must be at least 30s"
	// +kubebuilder:validation:XValidation:rule="!self.matches('^([0-9]+([.][0-9]+)?(ms|s|m|h))+$') || duration(self) <= duration('24h')",message="spec.interval must be at most 24h"
	// +optional
	Interval *metav1.Duration `json:"interval,omitempty"`

	// DeletionPolicy says whether deleting this resource removes the record
	// at the provider (Delete) or leaves it there (Retain, the default).
	// +kubebuilder:default=Retain
	// +optional
	DeletionPolicy DeletionPolicy `json:"deletionPolicy,omitempty"`

	// TakeOwnership lets this resource take over a provider record that
	// another ddns-operator installation (another cluster, or this one
	// under a different --owner-id) marked as its own. Off, such a record
	// is left alone and this resource reports Conflict naming the owner.
	// Records without a marker are adopted either way.
	// +optional
	TakeOwnership bool `json:"takeOwnership,omitempty"`
}

// DynamicDNSRecordStatus is what the operator last did and saw.
type DynamicDNSRecordStatus struct {
	// ObservedGeneration is the generation the status describes. It is -1
	// until the operator has handled the record once, so health checks
	// (kstatus, Flux, Argo CD) read a new record as in progress, also while
	// no operator runs.
	// +kubebuilder:default=-1
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// FQDN is the record's name as written at the provider.
	// +optional
	FQDN string `json:"fqdn,omitempty"`

	// Zone is the provider zone that holds the record.
	// +optional
	Zone string `json:"zone,omitempty"`

	// Addresses the record points at, as last written or confirmed.
	// +optional
	Addresses []string `json:"addresses,omitempty"`

	// RecordIDs are the provider's IDs of the records this resource manages.
	// +optional
	RecordIDs []string `json:"recordIds,omitempty"`

	// LegacyRecordIDs is where operators before v0.2 kept RecordIDs
	// (status.recordIDs). It is read when recordIds is empty, so records
	// keep their IDs across the upgrade, and cleared at the next status
	// write. Deprecated: read recordIds.
	// +optional
	LegacyRecordIDs []string `json:"recordIDs,omitempty"`

	// LastSyncTime is when the provider was checked by the last reconcile
	// that changed this status. Periodic checks that find the provider as
	// desired write no status (the API server is spared a write per record
	// and interval); the metric ddns_record_last_check_timestamp_seconds
	// gives the time of every check.
	// +optional
	LastSyncTime *metav1.Time `json:"lastSyncTime,omitempty"`

	// LastUpdateTime is when the provider was last written.
	// +optional
	LastUpdateTime *metav1.Time `json:"lastUpdateTime,omitempty"`

	// Conditions: Ready, Reconciling and Stalled, following kstatus.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// DynamicDNSRecord keeps a DNS record at a provider pointing at the
// cluster's egress address (or another chosen source).
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=ddns,categories=ddns
// +kubebuilder:printcolumn:name="Domain",type=string,JSONPath=`.spec.domain`
// +kubebuilder:printcolumn:name="Type",type=string,JSONPath=`.spec.type`
// +kubebuilder:printcolumn:name="Address",type=string,JSONPath=`.status.addresses[0]`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type DynamicDNSRecord struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec DynamicDNSRecordSpec `json:"spec,omitempty"`
	// +kubebuilder:default:={"observedGeneration":-1}
	Status DynamicDNSRecordStatus `json:"status,omitempty"`
}

// GetConditions returns the record's status conditions.
func (r *DynamicDNSRecord) GetConditions() []metav1.Condition {
	return r.Status.Conditions
}

// SetConditions replaces the record's status conditions.
func (r *DynamicDNSRecord) SetConditions(conditions []metav1.Condition) {
	r.Status.Conditions = conditions
}

// RecordType returns spec.type with its default applied, for objects that
// did not pass through the API server's defaulting.
func (r *DynamicDNSRecord) RecordType() RecordType {
	if r.Spec.Type == "" {
		return RecordTypeA
	}
	return r.Spec.Type
}

// DynamicDNSRecordList is a list of DynamicDNSRecords.
// +kubebuilder:object:root=true
type DynamicDNSRecordList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []DynamicDNSRecord `json:"items"`
}

// ManagedRecordIDs returns the provider IDs of the records this resource
// manages: status.recordIds, or the pre-v0.2 status.recordIDs of a record
// not written since the upgrade.
func (r *DynamicDNSRecord) ManagedRecordIDs() []string {
	if len(r.Status.RecordIDs) > 0 {
		return r.Status.RecordIDs
	}
	return r.Status.LegacyRecordIDs
}

// SetManagedRecordIDs records ids in status.recordIds and drops the
// pre-v0.2 field.
func (r *DynamicDNSRecord) SetManagedRecordIDs(ids []string) {
	r.Status.RecordIDs = ids
	r.Status.LegacyRecordIDs = nil
}

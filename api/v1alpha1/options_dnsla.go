package v1alpha1

// ProviderDNSLA names DNS.LA.
const ProviderDNSLA = "dnsla"

// DNSLAOptions are the record settings only DNS.LA has.
type DNSLAOptions struct {
	// LineID is the ID of the resolution line the record serves; unset,
	// the default line.
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="self.matches('^[0-9A-Za-z_-]+$')",message="must be a DNS.LA line ID: letters, digits, '_' and '-'"
	// +optional
	LineID string `json:"lineId,omitempty"`

	// InsecurePlainHTTP sends requests, API ID and secret included, over
	// plain http://api.dns.la instead of HTTPS, as ddns-go does. Anyone on
	// the path can read and reuse the credentials: set it only where
	// HTTPS to api.dns.la cannot work. Unset, the operator uses HTTPS.
	// +optional
	InsecurePlainHTTP bool `json:"insecurePlainHTTP,omitempty"`
}

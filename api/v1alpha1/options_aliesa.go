package v1alpha1

// ProviderAliESA names Alibaba Cloud ESA (Edge Security Acceleration) DNS
// records.
const ProviderAliESA = "aliesa"

// AliESAOptions are the record settings only Alibaba Cloud ESA has.
type AliESAOptions struct {
	// Region selects the API endpoint esa.<region>.aliyuncs.com:
	// cn-hangzhou (the Chinese mainland site) when unset, ap-southeast-1
	// for the international site.
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z0-9-]+$')",message="must be an Alibaba Cloud region ID such as cn-hangzhou: lowercase letters, digits and '-'"
	// +optional
	Region string `json:"region,omitempty"`
}

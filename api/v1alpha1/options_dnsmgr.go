package v1alpha1

// ProviderDNSMgr names HiPM DNSMgr, a self-hosted DNS management panel.
const ProviderDNSMgr = "dnsmgr"

// DNSMgrOptions say where the DNSMgr instance of a provider dnsmgr record
// runs.
type DNSMgrOptions struct {
	// URL is the DNSMgr instance's address, e.g. https://dnsmgr.example.com
	// or http://dnsmgr.dnsmgr.svc:3001 (the API is under /api, which may
	// be given or left out). Prefer https: the API token travels in every
	// request.
	// +kubebuilder:validation:MinLength=8
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="self.matches('^https?://[^/?#@ ]+(/[^?# ]*)?$')",message="must be an http:// or https:// URL such as https://dnsmgr.example.com, without credentials, query or fragment; put the API token in the Secret"
	URL string `json:"url"`
}

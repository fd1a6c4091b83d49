package v1alpha1

// ProviderEdgeOne names Tencent EdgeOne (TEO) DNS records.
const ProviderEdgeOne = "edgeone"

// EdgeOneOptions are the record settings only Tencent EdgeOne has.
type EdgeOneOptions struct {
	// Location is the resolution line of the record: Default when
	// unset.
	// +kubebuilder:default=Default
	// +kubebuilder:validation:MaxLength=64
	// +optional
	Location string `json:"location,omitempty"`

	// Site is the Tencent Cloud site of the account: china
	// (teo.tencentcloudapi.com) when unset, or international
	// (teo.intl.tencentcloudapi.com).
	// +kubebuilder:validation:Enum=china;international
	// +optional
	Site string `json:"site,omitempty"`
}

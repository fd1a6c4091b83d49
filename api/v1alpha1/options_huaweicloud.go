package v1alpha1

// ProviderHuaweiCloud names Huawei Cloud DNS (云解析服务).
const ProviderHuaweiCloud = "huaweicloud"

// HuaweiCloudOptions are the record settings only Huawei Cloud DNS has.
type HuaweiCloudOptions struct {
	// Line is the ID of the resolution line the record set serves:
	// default_view (全网默认, every resolver) when unset; Dianxin,
	// Liantong, Yidong, Abroad and others for the carrier and region
	// lines, or the ID of a custom line.
	// +kubebuilder:default=default_view
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule="self.matches('^[A-Za-z0-9_.-]+$')",message="must be a resolution line ID such as default_view or Dianxin: letters, digits, '_', '.' and '-'"
	// +optional
	Line string `json:"line,omitempty"`

	// Region selects the API endpoint dns.<region>.myhuaweicloud.com.
	// Unset, the operator uses dns.myhuaweicloud.com, the endpoint of the
	// Chinese mainland site; accounts of the international site set
	// ap-southeast-1.
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z0-9-]+$')",message="must be a Huawei Cloud region ID such as ap-southeast-1: lowercase letters, digits and '-'"
	// +optional
	Region string `json:"region,omitempty"`
}

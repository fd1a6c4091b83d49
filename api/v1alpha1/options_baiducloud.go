package v1alpha1

// ProviderBaiduCloud names Baidu AI Cloud's domain service (BCD, 百度智能云
// 域名服务) resolve API, for domains registered at Baidu.
const ProviderBaiduCloud = "baiducloud"

// BaiduCloudOptions are the record settings only Baidu BCD has.
type BaiduCloudOptions struct {
	// View is the resolution line (view) of the record: DEFAULT when
	// unset.
	// +kubebuilder:default=DEFAULT
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="self.matches('^[A-Za-z0-9_-]+$')",message="must be a BCD view such as DEFAULT: letters, digits, '_' and '-'"
	// +optional
	View string `json:"view,omitempty"`
}

package v1alpha1

// ProviderVolcengine names Volcengine DNS (火山引擎云解析, which ddns-go
// calls TrafficRoute).
const ProviderVolcengine = "volcengine"

// VolcengineOptions are the record settings only Volcengine DNS has.
type VolcengineOptions struct {
	// Line is the resolution line of the record: default (默认) when
	// unset; telecom, unicom, mobile and others on plans that have them.
	// +kubebuilder:default=default
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule="self.matches('^[A-Za-z0-9_.-]+$')",message="must be a Volcengine line value such as default or telecom: letters, digits, '_', '.' and '-'"
	// +optional
	Line string `json:"line,omitempty"`
}

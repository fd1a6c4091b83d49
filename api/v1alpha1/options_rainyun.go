package v1alpha1

// ProviderRainyun names Rainyun (雨云) DNS.
const ProviderRainyun = "rainyun"

// RainyunOptions are the record settings only Rainyun has.
type RainyunOptions struct {
	// Line is the resolution line of the record: DEFAULT when unset;
	// LTEL, LCNC, LMOB, LEDU, LSEO and LFOR for the carrier, education,
	// search-engine and overseas lines.
	// +kubebuilder:default=DEFAULT
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="self.matches('^[A-Za-z0-9_-]+$')",message="must be a Rainyun line such as DEFAULT or LTEL: letters, digits, '_' and '-'"
	// +optional
	Line string `json:"line,omitempty"`
}

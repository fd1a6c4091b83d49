package v1alpha1

// OVHOptions say which OVHcloud API a provider ovh record's account lives
// at.
type OVHOptions struct {
	// Endpoint is the OVHcloud API of the account: ovh-eu (Europe, the
	// default), ovh-ca (Canada and Asia-Pacific) or ovh-us (United
	// States). The application key must have been created at the same one.
	// +kubebuilder:validation:Enum=ovh-eu;ovh-ca;ovh-us
	// +kubebuilder:default=ovh-eu
	// +optional
	Endpoint string `json:"endpoint,omitempty"`
}

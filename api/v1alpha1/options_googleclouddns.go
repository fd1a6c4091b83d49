package v1alpha1

// GoogleCloudDNSOptions are the settings only Google Cloud DNS has.
type GoogleCloudDNSOptions struct {
	// Project is the ID of the Google Cloud project that holds the
	// managed zone. Left unset: the project of the service-account key in
	// the Secret, or, with workload identity, the project the metadata
	// server names.
	// +kubebuilder:validation:MaxLength=30
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z][-a-z0-9.:]{4,29}$')",message="must be a Google Cloud project ID such as my-project-123456"
	// +optional
	Project string `json:"project,omitempty"`

	// PrivateZone looks the name up among the project's private managed
	// zones (visible only to their VPC networks) instead of its public
	// ones. Default false.
	// +optional
	PrivateZone bool `json:"privateZone,omitempty"`
}

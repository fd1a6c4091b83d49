package v1alpha1

// Route53Options are the settings only Amazon Route 53 has.
type Route53Options struct {
	// HostedZoneID names the hosted zone the record lives in, such as
	// Z0123456789ABCDEFGHIJ, for a name that several hosted zones of the
	// account could hold (a public and a private zone of one name); the
	// zone is then not looked up by name. Left unset, the zone is the
	// longest suffix of spec.domain among the account's public hosted
	// zones (or private ones, with privateZone).
	// +kubebuilder:validation:MaxLength=44
	// +kubebuilder:validation:XValidation:rule="self.matches('^(/hostedzone/)?[A-Z0-9]{1,32}$')",message="must be a hosted zone ID such as Z0123456789ABCDEFGHIJ"
	// +optional
	HostedZoneID string `json:"hostedZoneID,omitempty"`

	// PrivateZone looks the name up among the account's private hosted
	// zones (answered only inside their VPCs) instead of its public ones.
	// Default false.
	// +optional
	PrivateZone bool `json:"privateZone,omitempty"`

	// Region is the AWS region requests are signed for and credentials
	// are fetched in: us-east-1 (the default) for Route 53 in the standard
	// partition, cn-northwest-1 in the China partition, us-gov-west-1 in
	// GovCloud. The region the pod's environment names (AWS_REGION) wins
	// for the web-identity token exchange.
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z]{2}(-[a-z]+)+-[0-9]+$')",message="must be an AWS region such as us-east-1"
	// +optional
	Region string `json:"region,omitempty"`
}

package v1alpha1

// WebhookOptions say where a provider webhook record's external-dns
// webhook provider listens, and how its records carry ownership.
type WebhookOptions struct {
	// URL of the webhook provider: http://localhost:8888 (the default) for
	// a sidecar in the operator's pod, or a Service's URL.
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="self.matches('^https?://[^/?#@ ]+(/[^?# ]*)?$')",message="must be an http:// or https:// URL such as http://localhost:8888, without credentials, query or fragment"
	// +optional
	URL string `json:"url,omitempty"`

	// OwnershipRecords says where the ownership marker is kept: TXT (the
	// default) writes a companion TXT record _ddns-owner-a.<name> (or
	// -aaaa) beside each record, as external-dns keeps its registry; None
	// writes no TXT, for webhook providers that cannot store TXT records
	// (Pi-hole, AdGuard Home): records are then adopted without a check
	// for another owner.
	// +kubebuilder:validation:Enum=TXT;None
	// +kubebuilder:default=TXT
	// +optional
	OwnershipRecords string `json:"ownershipRecords,omitempty"`
}

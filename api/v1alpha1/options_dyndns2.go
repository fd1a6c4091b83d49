package v1alpha1

// DynDNS2Options choose the service a provider dyndns2 record updates:
// one of the presets, or the update URL of another service that speaks
// the dyndns2 protocol. Exactly one of service and server is set.
// +kubebuilder:validation:XValidation:rule="has(self.service) != has(self.server)",message="set exactly one of service (a preset) and server (an update URL)"
// +kubebuilder:validation:XValidation:rule="!has(self.ipv6Parameter) || has(self.server)",message="ipv6Parameter applies only to a custom server; presets know their own",fieldPath=".ipv6Parameter"
type DynDNS2Options struct {
	// Service is a preset: noip (No-IP), dynu (Dynu), dyndns (Dyn, Oracle),
	// ovh (OVHcloud DynHost), strato (STRATO DynDNS) or changeip (ChangeIP).
	// +kubebuilder:validation:Enum=noip;dynu;dyndns;ovh;strato;changeip
	// +optional
	Service string `json:"service,omitempty"`

	// Server is the update URL of another dyndns2 service, e.g.
	// https://dyndns.example.net/nic/update; the operator adds hostname and
	// myip to its query.
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="self.matches('^https?://[^/?#@ ]+(/[^?# ]*)?([?][^# ]*)?$')",message="must be an http:// or https:// URL such as https://dyndns.example.net/nic/update, without credentials or a fragment; put the credentials in the Secret"
	// +optional
	Server string `json:"server,omitempty"`

	// IPv6Parameter is the query parameter that carries an AAAA record's
	// address at a custom server: myip (the default, as most servers take
	// either family there) or myipv6.
	// +kubebuilder:validation:Enum=myip;myipv6
	// +optional
	IPv6Parameter string `json:"ipv6Parameter,omitempty"`
}

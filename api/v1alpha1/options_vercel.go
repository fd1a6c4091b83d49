package v1alpha1

// VercelOptions are the record settings of provider vercel.
type VercelOptions struct {
	// TeamID is the Vercel team that owns the domain (team_..., from the
	// team's Settings → General), sent as the API's teamId parameter.
	// Leave it unset for a domain of a personal account.
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule="self.matches('^[A-Za-z0-9_-]+$')",message="must be a Vercel team ID such as team_a1B2c3D4e5F6g7H8i9J0k1L2: letters, digits, '_' and '-'"
	// +optional
	TeamID string `json:"teamId,omitempty"`
}

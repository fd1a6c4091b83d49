package registry

import (
	"os"
	"slices"
	"testing"

	"sigs.k8s.io/yaml"
)

// TestCRDEnumListsExactlyTheRegisteredProviders keeps spec.provider's enum
// in the CRD equal to the providers this build ships: a name in the enum
// without a provider would stall every record that uses it, and a provider
// missing from the enum could never be chosen.
func TestCRDEnumListsExactlyTheRegisteredProviders(t *testing.T) {
	raw, err := os.ReadFile("../../config/crd/bases/ddns.dev_dynamicdnsrecords.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var crd struct {
		Spec struct {
			Versions []struct {
				Schema struct {
					OpenAPIV3Schema struct {
						Properties struct {
							Spec struct {
								Properties struct {
									Provider struct {
										Enum []string `json:"enum"`
									} `json:"provider"`
								} `json:"properties"`
							} `json:"spec"`
						} `json:"properties"`
					} `json:"openAPIV3Schema"`
				} `json:"schema"`
			} `json:"versions"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(raw, &crd); err != nil {
		t.Fatal(err)
	}
	enum := crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties.Spec.Properties.Provider.Enum
	slices.Sort(enum)
	if names := Default().Names(); !slices.Equal(enum, names) {
		t.Fatalf("CRD enum %v, registry %v", enum, names)
	}
}

func TestUnknownProviderIsAnError(t *testing.T) {
	if _, err := Default().New("route53", nil, nil); err == nil {
		t.Fatal("an unknown provider name built a provider")
	}
}

package registry

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/yaml"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/registry/registrytest"
)

const repoRoot = "../.."

// crdSpec is the part of the generated CRD these tests read.
type crdSpec struct {
	Properties struct {
		Provider struct {
			Enum []string `json:"enum"`
		} `json:"provider"`
		TTL struct {
			Description string `json:"description"`
		} `json:"ttl"`
	} `json:"properties"`
	Validations []validation `json:"x-kubernetes-validations"`
}

type validation struct {
	Rule string `json:"rule"`
}

func readCRDSpec(t *testing.T) (crdSpec, map[string]any) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot, "config/crd/bases/ddns.dev_dynamicdnsrecords.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var crd struct {
		Spec struct {
			Versions []struct {
				Schema struct {
					OpenAPIV3Schema struct {
						Properties struct {
							Spec json.RawMessage `json:"spec"`
						} `json:"properties"`
					} `json:"openAPIV3Schema"`
				} `json:"schema"`
			} `json:"versions"`
		} `json:"spec"`
	}
	if err := sigsyaml.Unmarshal(raw, &crd); err != nil {
		t.Fatal(err)
	}
	specRaw := crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties.Spec
	var spec crdSpec
	var props struct {
		Properties map[string]any `json:"properties"`
	}
	if err := json.Unmarshal(specRaw, &spec); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(specRaw, &props); err != nil {
		t.Fatal(err)
	}
	return spec, props.Properties
}

// TestCRDFollowsTheRegistry keeps the CRD equal to the providers this
// build ships: spec.provider's enum lists exactly the registered names (a
// name without a provider would stall every record that uses it, a
// provider missing from it could never be chosen), every options block in
// the spec belongs to a provider of that name and is refused with any
// other provider, and spec.ttl's description (kubectl explain) gives each
// provider's default.
func TestCRDFollowsTheRegistry(t *testing.T) {
	spec, props := readCRDSpec(t)
	enum := slices.Sorted(slices.Values(spec.Properties.Provider.Enum))
	if names := Default().Names(); !slices.Equal(enum, names) {
		t.Fatalf("CRD enum %v, registry %v", enum, names)
	}
	// The description is a wrapped doc comment: a provider's default may
	// span two lines.
	ttlDoc := strings.Join(strings.Fields(spec.Properties.TTL.Description), " ")
	for _, d := range Default().Descriptors() {
		if !strings.Contains(ttlDoc, d.Name+" "+d.DefaultTTL) {
			t.Errorf("spec.ttl's description does not give %s's default TTL as %q", d.Name, d.Name+" "+d.DefaultTTL)
		}
		_, hasBlock := props[d.Name]
		if hasBlock != (d.Options != nil) {
			t.Errorf("%s: the spec has an options block %t, the descriptor reads one %t", d.Name, hasBlock, d.Options != nil)
		}
		if !hasBlock {
			continue
		}
		rule := "!has(self." + d.Name + ") || self.provider == '" + d.Name + "'"
		if !slices.Contains(spec.Validations, validation{Rule: rule}) {
			t.Errorf("%s: no validation rule %q on the spec", d.Name, rule)
		}
	}
	names := Default().Names()
	for name := range props {
		if _, isObject := props[name].(map[string]any)["properties"]; isObject && !slices.Contains(names, name) &&
			!slices.Contains([]string{"secretRef", "ipSource"}, name) {
			t.Errorf("spec.%s is an options block of no registered provider", name)
		}
	}
}

// TestEveryProviderIsComplete fails when a registered provider lacks what
// a user and a maintainer need: its own package with a conformance run,
// a guide naming every Secret key, a sample whose Secret holds the
// required keys, and a row in the README's provider table.
func TestEveryProviderIsComplete(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	backends := map[string]bool{}
	for _, b := range registrytest.Backends() {
		backends[b.Descriptor.Name] = true
	}
	for _, d := range Default().Descriptors() {
		t.Run(d.Name, func(t *testing.T) {
			if d.Title == "" || d.DefaultTTL == "" || len(d.Keys) == 0 && d.Name != "webhook" {
				t.Errorf("the descriptor lacks a title, a default TTL or Secret keys")
			}
			if !conformanceRun(t, filepath.Join(repoRoot, "providers", d.Name)) {
				t.Errorf("providers/%s has no test calling providertest.Run", d.Name)
			}
			guide, err := os.ReadFile(filepath.Join(repoRoot, "docs", "providers", d.Name+".md"))
			if err != nil {
				t.Errorf("no guide: %v", err)
			}
			for _, k := range d.Keys {
				if !bytes.Contains(guide, []byte("`"+k.Name+"`")) {
					t.Errorf("docs/providers/%s.md does not name the Secret key `%s`", d.Name, k.Name)
				}
			}
			if !regexp.MustCompile("(?m)^\\| `" + regexp.QuoteMeta(d.Name) + "` \\|").Match(readme) {
				t.Errorf("README.md's provider table has no row for `%s`", d.Name)
			}
			checkSample(t, d)
			_, hasBackend := backends[d.Name]
			if why, without := registrytest.Without[d.Name]; hasBackend == without || (without && why == "") {
				t.Errorf("providers/registry/registrytest lists no Backend for %s (or lists one and a reason it has none)", d.Name)
			}
		})
	}
}

// conformanceRun reports whether a test file in dir runs the suite.
func conformanceRun(t *testing.T, dir string) bool {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("providertest.Run(")) {
			return true
		}
	}
	return false
}

// checkSample reads config/samples/<name>.yaml: a Secret with every
// required key and a record of the provider that names it.
func checkSample(t *testing.T, d providers.Descriptor) {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, "config", "samples", d.Name+".yaml"))
	if err != nil {
		t.Errorf("no sample: %v", err)
		return
	}
	defer func() { _ = f.Close() }()
	dec := yaml.NewYAMLOrJSONDecoder(f, 4096)
	secrets := map[string]map[string]any{}
	var secretRefs []string
	for {
		var obj map[string]any
		if err := dec.Decode(&obj); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("sample: %v", err)
		}
		meta, _ := obj["metadata"].(map[string]any)
		switch obj["kind"] {
		case "Secret":
			data, _ := obj["stringData"].(map[string]any)
			secrets[meta["name"].(string)] = data
		case "DynamicDNSRecord":
			spec, _ := obj["spec"].(map[string]any)
			if spec["provider"] != d.Name {
				continue
			}
			ref, _ := spec["secretRef"].(map[string]any)
			name, _ := ref["name"].(string)
			secretRefs = append(secretRefs, name)
		}
	}
	if len(secretRefs) == 0 {
		t.Errorf("config/samples/%s.yaml holds no DynamicDNSRecord of provider %s", d.Name, d.Name)
	}
	for _, ref := range secretRefs {
		data, ok := secrets[ref]
		if !ok {
			t.Errorf("config/samples/%s.yaml: the record's Secret %q is not in the sample", d.Name, ref)
			continue
		}
		for _, k := range d.Keys {
			if _, ok := data[k.Name]; !ok && !k.Optional {
				t.Errorf("config/samples/%s.yaml: Secret %q lacks the required key %q", d.Name, ref, k.Name)
			}
		}
	}
}

func TestUnknownProviderIsNotRegistered(t *testing.T) {
	if _, _, ok := Default().Lookup("no-such-provider"); ok {
		t.Fatal("an unknown provider name was found")
	}
	if _, err := Default().WithEndpoints(map[string]string{"no-such-provider": "http://127.0.0.1:1"}); err == nil {
		t.Fatal("an endpoint for an unknown provider was accepted")
	}
}

func TestWithEndpointsAndUserAgent(t *testing.T) {
	r, err := Default().WithEndpoints(map[string]string{"cloudflare": "http://127.0.0.1:1/client/v4/"})
	if err != nil {
		t.Fatal(err)
	}
	r = r.WithUserAgent("ddns-operator/test")
	_, env, _ := r.Lookup("cloudflare")
	if env.Endpoint != "http://127.0.0.1:1/client/v4/" || env.UserAgent != "ddns-operator/test" {
		t.Fatalf("cloudflare env %+v", env)
	}
	if _, env, _ := Default().Lookup("cloudflare"); env.Endpoint != "" {
		t.Fatal("WithEndpoints changed the registry it was called on")
	}
}

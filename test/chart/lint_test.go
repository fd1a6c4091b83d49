package chart_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/lint"
	"helm.sh/helm/v3/pkg/lint/support"
)

// TestLint runs `helm lint` on the chart with the default values and with
// each non-default values file under ci/: no warning and no error.
func TestLint(t *testing.T) {
	for _, file := range append([]string{""}, ciValues...) {
		name := file
		if name == "" {
			name = "default"
		}
		t.Run(name, func(t *testing.T) {
			var files []string
			if file != "" {
				files = []string{file}
			}
			vals, err := valuesFrom(files...)
			if err != nil {
				t.Fatal(err)
			}
			res := lint.AllWithKubeVersion(chartDir, vals, releaseNamespace, &chartutil.KubeVersion{Version: "v1.33.0", Major: "1", Minor: "33"})
			for _, m := range res.Messages {
				if m.Severity >= support.WarningSev {
					t.Errorf("helm lint: %s", m.Error())
				} else {
					t.Logf("helm lint: %s", m.Error())
				}
			}
		})
	}
}

// TestLintCatchesSchemaViolation checks lint is not blind: a values file
// with a wrong value makes it report an error naming the field.
func TestLintCatchesSchemaViolation(t *testing.T) {
	res := lint.AllWithKubeVersion(chartDir, map[string]any{"replicaCount": "two"}, releaseNamespace, nil)
	if res.HighestSeverity < support.ErrorSev {
		t.Fatalf("helm lint accepted replicaCount: two; messages: %v", res.Messages)
	}
	found := false
	for _, m := range res.Messages {
		found = found || strings.Contains(m.Error(), "replicaCount")
	}
	if !found {
		t.Errorf("no lint message names replicaCount: %v", res.Messages)
	}
}

// TestChartCRDMatchesConfig checks the chart ships the very CRD that
// controller-gen generates (make manifests copies it; make verify fails
// when they differ).
func TestChartCRDMatchesConfig(t *testing.T) {
	const name = "ddns.dev_dynamicdnsrecords.yaml"
	want, err := os.ReadFile(filepath.Join(configDir, "crd", "bases", name))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(chartDir, "crds", name))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("charts/ddns-operator/crds/%s differs from config/crd/bases/%s: run `make manifests`", name, name)
	}
	entries, err := os.ReadDir(filepath.Join(chartDir, "crds"))
	if err != nil {
		t.Fatal(err)
	}
	bases, err := os.ReadDir(filepath.Join(configDir, "crd", "bases"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(bases) {
		t.Errorf("the chart has %d CRD files, config/crd/bases has %d", len(entries), len(bases))
	}
}

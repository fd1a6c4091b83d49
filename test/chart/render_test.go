package chart_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

// releaseNamespace is where the tests install the chart.
const releaseNamespace = "ddns-system"

// ciValues are the non-default values files shipped under the chart's ci/
// folder (the chart-testing convention).
var ciValues = []string{"namespaced-values.yaml", "ha-values.yaml", "hostnetwork-values.yaml", "custom-values.yaml"}

var loadChart = sync.OnceValues(func() (*chart.Chart, error) { return loader.Load(chartDir) })

// rendered is one `helm template` of the chart.
type rendered struct {
	objs  []*unstructured.Unstructured
	notes string
}

// find returns the rendered object of that kind and name, or nil.
func (r rendered) find(kind, name string) *unstructured.Unstructured {
	for _, o := range r.objs {
		if o.GetKind() == kind && (name == "" || o.GetName() == name) {
			return o
		}
	}
	return nil
}

// all returns the rendered objects of that kind.
func (r rendered) all(kind string) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for _, o := range r.objs {
		if o.GetKind() == kind {
			out = append(out, o)
		}
	}
	return out
}

// valuesFrom reads values files (relative to the chart's ci/ folder unless
// absolute) and merges them, later files winning, as `helm -f a -f b` does.
func valuesFrom(files ...string) (map[string]any, error) {
	vals := map[string]any{}
	for _, f := range files {
		if !filepath.IsAbs(f) {
			f = filepath.Join(chartDir, "ci", f)
		}
		v, err := chartutil.ReadValuesFile(f)
		if err != nil {
			return nil, err
		}
		vals = mergeValues(vals, v)
	}
	return vals, nil
}

func mergeValues(dst, src map[string]any) map[string]any {
	for k, v := range src {
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				dst[k] = mergeValues(dm, sm)
				continue
			}
		}
		dst[k] = v
	}
	return dst
}

// renderValues renders the chart as `helm template --namespace ddns-system
// RELEASE <chart>` does, with the given user values.
func renderValues(release string, vals map[string]any) (rendered, error) {
	return renderValuesIn(release, releaseNamespace, vals)
}

// renderValuesIn renders the chart for a release in namespace.
func renderValuesIn(release, namespace string, vals map[string]any) (rendered, error) {
	chrt, err := loadChart()
	if err != nil {
		return rendered{}, err
	}
	install := action.NewInstall(&action.Configuration{Log: func(string, ...any) {}})
	install.DryRun = true
	install.ClientOnly = true
	install.Replace = true
	install.ReleaseName = release
	install.Namespace = namespace
	install.KubeVersion = &chartutil.KubeVersion{Version: "v1.33.0", Major: "1", Minor: "33"}
	rel, err := install.Run(chrt, vals)
	if err != nil {
		return rendered{}, err
	}
	objs, err := decodeManifests(rel.Manifest)
	if err != nil {
		return rendered{}, err
	}
	return rendered{objs: objs, notes: rel.Info.Notes}, nil
}

// renderFiles renders with the named values files merged.
func renderFiles(t *testing.T, files ...string) rendered {
	t.Helper()
	vals, err := valuesFrom(files...)
	if err != nil {
		t.Fatal(err)
	}
	r, err := renderValues("ddns", vals)
	if err != nil {
		t.Fatalf("render with %v: %v", files, err)
	}
	return r
}

// decodeManifests splits a multi-document YAML stream into objects.
func decodeManifests(manifest string) ([]*unstructured.Unstructured, error) {
	dec := utilyaml.NewYAMLOrJSONDecoder(strings.NewReader(manifest), 4096)
	var out []*unstructured.Unstructured
	for {
		obj := map[string]any{}
		if err := dec.Decode(&obj); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, fmt.Errorf("decode rendered manifest: %w", err)
		}
		if len(obj) == 0 {
			continue
		}
		out = append(out, &unstructured.Unstructured{Object: obj})
	}
}

// readObjects decodes a YAML file of one or more objects.
func readObjects(t *testing.T, path string) []*unstructured.Unstructured {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := decodeManifests(string(bytes.TrimSpace(b)))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return objs
}

package chart_test

import (
	"bytes"
	"context"
	"path/filepath"
	"sync"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// syncBuffer collects the managers' logs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// ensureNamespace creates a namespace for real (dry-run objects in it need
// it to exist).
func ensureNamespace(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if err := admin.Create(ctx, ns); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
}

// applyObjects server-side applies objs, as `kubectl apply --server-side`
// (and Argo CD with ServerSideApply) do, with strict field validation, so
// an unknown or misplaced field fails. With dryRun nothing is stored.
func applyObjects(t *testing.T, ctx context.Context, c client.Client, objs []*unstructured.Unstructured, dryRun bool) {
	t.Helper()
	for _, o := range objs {
		opts := []client.ApplyOption{client.ForceOwnership, client.FieldOwner("chart-test")}
		if dryRun {
			opts = append(opts, client.DryRunAll)
		}
		if err := c.Apply(ctx, client.ApplyConfigurationFromUnstructured(o.DeepCopy()), opts...); err != nil {
			t.Errorf("apply %s %s/%s: %v", o.GetKind(), o.GetNamespace(), o.GetName(), err)
		}
	}
}

// TestServerSideDryRun applies the rendered chart, for the default values
// and each non-default values file, with server-side dry-run on a real
// kube-apiserver: every object must pass its validation (schemas, field
// names, Pod Security fields, RBAC rule shapes).
func TestServerSideDryRun(t *testing.T) {
	requireAPIServer(t)
	ctx := ctxFor(t)
	for _, ns := range []string{releaseNamespace, "home", "lab"} {
		ensureNamespace(t, ctx, ns)
	}
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
			r := renderFiles(t, files...)
			if len(r.objs) < 6 {
				t.Fatalf("only %d objects rendered", len(r.objs))
			}
			applyObjects(t, ctx, admin, r.objs, true)
		})
	}
}

// TestKustomizeDryRun builds the kustomize trees under config/ as
// `kubectl apply -k` does and applies them with server-side dry-run: the
// whole operator (default), the samples, and the Prometheus monitor.
func TestKustomizeDryRun(t *testing.T) {
	requireAPIServer(t)
	ctx := ctxFor(t)
	ensureNamespace(t, ctx, releaseNamespace)
	for _, dir := range []string{"default", "samples", "prometheus"} {
		t.Run(dir, func(t *testing.T) {
			objs := kustomizeBuild(t, filepath.Join(configDir, dir))
			kinds := map[string]int{}
			for _, o := range objs {
				kinds[o.GetKind()]++
				if dir == "samples" {
					ensureNamespace(t, ctx, o.GetNamespace())
				}
			}
			t.Logf("%s: %v", dir, kinds)
			switch dir {
			case "samples":
				if kinds["DynamicDNSRecord"] < 3 || kinds["Secret"] != kinds["DynamicDNSRecord"] {
					t.Errorf("samples: want a record and a Secret per provider (at least 3 each), got %v", kinds)
				}
			case "prometheus":
				if kinds["ServiceMonitor"] != 1 || kinds["Service"] != 1 {
					t.Errorf("prometheus: want a ServiceMonitor and a metrics Service, got %v", kinds)
				}
			}
			applyObjects(t, ctx, admin, objs, true)
		})
	}
}

func kustomizeBuild(t *testing.T, dir string) []*unstructured.Unstructured {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	resMap, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), abs)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	out, err := resMap.AsYaml()
	if err != nil {
		t.Fatal(err)
	}
	objs, err := decodeManifests(string(out))
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

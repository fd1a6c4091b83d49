package chart_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"
)

var argoDir = filepath.Join(repoRoot, "examples", "argocd")

// argoHealthScript reads the health check documented in
// examples/argocd/argocd-cm-health.yaml.
func argoHealthScript(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(argoDir, "argocd-cm-health.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cm corev1.ConfigMap
	if err := yaml.UnmarshalStrict(b, &cm); err != nil {
		t.Fatal(err)
	}
	script := cm.Data["resource.customizations.health.ddns.dev_DynamicDNSRecord"]
	if script == "" {
		t.Fatal("argocd-cm-health.yaml has no health check for ddns.dev_DynamicDNSRecord")
	}
	return script
}

// argoHealth runs the health script as Argo CD does (gopher-lua, the
// object as the global obj, a table {status, message} returned).
func argoHealth(t *testing.T, script string, obj map[string]any) (status, message string) {
	t.Helper()
	L := lua.NewState(lua.Options{SkipOpenLibs: false})
	defer L.Close()
	L.SetGlobal("obj", toLua(L, obj))
	if err := L.DoString(script); err != nil {
		t.Fatalf("health script: %v", err)
	}
	ret, ok := L.Get(-1).(*lua.LTable)
	if !ok {
		t.Fatalf("health script returned %v", L.Get(-1))
	}
	return ret.RawGetString("status").String(), ret.RawGetString("message").String()
}

func toLua(L *lua.LState, v any) lua.LValue {
	switch x := v.(type) {
	case map[string]any:
		t := L.NewTable()
		for k, e := range x {
			t.RawSetString(k, toLua(L, e))
		}
		return t
	case []any:
		t := L.NewTable()
		for _, e := range x {
			t.Append(toLua(L, e))
		}
		return t
	case string:
		return lua.LString(x)
	case bool:
		return lua.LBool(x)
	case int64:
		return lua.LNumber(x)
	case float64:
		return lua.LNumber(x)
	case nil:
		return lua.LNil
	default:
		return lua.LString(fmt.Sprint(x))
	}
}

func cond(typ, status, reason string) map[string]any {
	return map[string]any{"type": typ, "status": status, "reason": reason, "message": reason + " message"}
}

// TestArgoCDHealth checks the documented Argo CD health check maps the
// operator's kstatus conditions as docs/install.md says.
func TestArgoCDHealth(t *testing.T) {
	script := argoHealthScript(t)
	record := func(gen, seen int64, conds ...map[string]any) map[string]any {
		o := map[string]any{"metadata": map[string]any{"name": "home", "generation": gen}}
		if conds != nil {
			cs := make([]any, len(conds))
			for i, c := range conds {
				cs[i] = c
			}
			o["status"] = map[string]any{"observedGeneration": seen, "conditions": cs}
		}
		return o
	}
	cases := []struct {
		name, want, msg string
		obj             map[string]any
	}{
		{"no status yet", "Progressing", "Waiting", record(1, 0)},
		{"first reconcile", "Progressing", "Progressing", record(1, 0, cond("Ready", "Unknown", "Progressing"), cond("Reconciling", "True", "Progressing"))},
		{"synced", "Healthy", "Synced", record(2, 2, cond("Ready", "True", "Synced"))},
		{"stalled on a missing Secret", "Degraded", "SecretNotFound", record(1, 1, cond("Ready", "False", "SecretNotFound"), cond("Stalled", "True", "SecretNotFound"))},
		{"retrying after a provider error", "Progressing", "ProviderUnavailable", record(1, 0, cond("Ready", "False", "ProviderUnavailable"), cond("Reconciling", "True", "ProviderUnavailable"))},
		{"rate limited on a handled generation", "Progressing", "RateLimited", record(3, 3, cond("Ready", "False", "RateLimited"), cond("Reconciling", "True", "RateLimited"))},
		{"spec edited, old Ready status", "Progressing", "generation 4", record(4, 3, cond("Ready", "True", "Synced"))},
		{"not ready, not retrying", "Degraded", "Conflict", record(1, 1, cond("Ready", "False", "Conflict"))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, msg := argoHealth(t, script, tc.obj)
			if status != tc.want || !strings.Contains(msg, tc.msg) {
				t.Errorf("health = %s %q, want %s with %q", status, msg, tc.want, tc.msg)
			}
		})
	}
}

// TestArgoCDExamples decodes the example Applications and applies the
// example records folder with server-side dry-run.
func TestArgoCDExamples(t *testing.T) {
	for _, f := range []string{"ddns-operator.yaml", "records.yaml"} {
		app := readObjects(t, filepath.Join(argoDir, f))
		if len(app) != 1 || app[0].GetKind() != "Application" || app[0].GetAPIVersion() != "argoproj.io/v1alpha1" {
			t.Errorf("%s: want one argoproj.io/v1alpha1 Application", f)
		}
	}
	app := readObjects(t, filepath.Join(argoDir, "ddns-operator.yaml"))[0]
	path, _, _ := unstructured.NestedString(app.Object, "spec", "source", "path")
	if _, err := os.Stat(filepath.Join(repoRoot, path, "Chart.yaml")); err != nil {
		t.Errorf("the chart Application points at %q, which holds no chart", path)
	}
	requireAPIServer(t)
	ctx := ctxFor(t)
	ensureNamespace(t, ctx, "dns")
	entries, err := os.ReadDir(filepath.Join(argoDir, "records"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		objs := readObjects(t, filepath.Join(argoDir, "records", e.Name()))
		for _, o := range objs {
			o.SetNamespace("dns") // as the Application's destination sets it
		}
		applyObjects(t, ctx, admin, objs, true)
	}
}

// healthOf runs the Argo CD health check on a live object.
func healthOf(t *testing.T, obj runtime.Object) (string, string) {
	t.Helper()
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		t.Fatal(err)
	}
	return argoHealth(t, argoHealthScript(t), u)
}

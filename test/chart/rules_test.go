package chart_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"helm.sh/helm/v3/pkg/chartutil"
)

// clusterScoped are the resources in the generated role that have no
// namespace, so namespaced mode grants them through a ClusterRole.
var clusterScoped = map[string]bool{"nodes": true, "namespaces": true}

func rulesOf(t *testing.T, u *unstructured.Unstructured) []rbacv1.PolicyRule {
	t.Helper()
	var role rbacv1.ClusterRole // Role has the same rules field
	convert(t, u, &role)
	return role.Rules
}

// grants flattens rules into "group/resource:verb" strings.
func grants(rules []rbacv1.PolicyRule) []string {
	var out []string
	for _, r := range rules {
		for _, g := range r.APIGroups {
			for _, res := range r.Resources {
				for _, v := range r.Verbs {
					out = append(out, fmt.Sprintf("%s/%s:%s", g, res, v))
				}
			}
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// generatedRole reads config/rbac/role.yaml, which controller-gen writes
// from the controllers' RBAC markers.
func generatedRole(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(configDir, "rbac", "role.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var role rbacv1.ClusterRole
	if err := yaml.UnmarshalStrict(b, &role); err != nil {
		t.Fatal(err)
	}
	g := grants(role.Rules)
	if len(g) == 0 {
		t.Fatal("config/rbac/role.yaml grants nothing")
	}
	return g
}

// TestChartRBACMatchesGeneratedRole checks the chart grants exactly what
// the controllers' RBAC markers ask for: a new marker without a chart
// update fails here, and so does a chart rule no marker asks for.
func TestChartRBACMatchesGeneratedRole(t *testing.T) {
	want := generatedRole(t)
	t.Run("whole cluster", func(t *testing.T) {
		r := renderFiles(t)
		got := grants(rulesOf(t, r.find("ClusterRole", "ddns-ddns-operator")))
		diffGrants(t, "ClusterRole", got, want)
	})
	t.Run("namespaced", func(t *testing.T) {
		r := renderFiles(t, "namespaced-values.yaml")
		var wantNS, wantCluster []string
		for _, g := range want {
			res := strings.SplitN(strings.SplitN(g, "/", 2)[1], ":", 2)[0]
			if clusterScoped[res] {
				wantCluster = append(wantCluster, g)
			} else {
				wantNS = append(wantNS, g)
			}
		}
		for _, role := range r.all("Role") {
			if role.GetName() == "ddns-ddns-operator" {
				diffGrants(t, "Role in "+role.GetNamespace(), grants(rulesOf(t, role)), wantNS)
			}
		}
		diffGrants(t, "ClusterRole", grants(rulesOf(t, r.find("ClusterRole", "ddns-ddns-operator-nodes"))), wantCluster)
	})
}

func diffGrants(t *testing.T, what string, got, want []string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("the chart's %s lacks %s, which config/rbac/role.yaml grants (update charts/ddns-operator/templates/_helpers.tpl)", what, w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			t.Errorf("the chart's %s grants %s, which no RBAC marker asks for", what, g)
		}
	}
}

// TestChartGrantsNoWildcardOrSecretWrite checks least privilege across
// every values file: no wildcard, and Secrets, Services and Nodes are
// never written.
func TestChartGrantsNoWildcardOrSecretWrite(t *testing.T) {
	for _, file := range append([]string{""}, ciValues...) {
		var files []string
		if file != "" {
			files = []string{file}
		}
		r := renderFiles(t, files...)
		for _, kind := range []string{"ClusterRole", "Role"} {
			for _, role := range r.all(kind) {
				for _, g := range grants(rulesOf(t, role)) {
					if strings.Contains(g, "*") {
						t.Errorf("%s: %s %s grants a wildcard: %s", file, kind, role.GetName(), g)
					}
					for _, res := range []string{"/secrets:", "/services:", "/nodes:"} {
						v := g[strings.LastIndex(g, ":")+1:]
						if strings.Contains(g, res) && !slices.Contains([]string{"get", "list", "watch"}, v) {
							t.Errorf("%s: %s %s writes: %s", file, kind, role.GetName(), g)
						}
					}
				}
			}
		}
	}
}

// managerFlags lists the flags the main package (main.go and its sibling
// files, such as main_notify.go) defines, read from its source.
func managerFlags(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	flags := map[string]bool{}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		inspectFlags(f, flags)
	}
	if len(flags) < 10 {
		t.Fatalf("found only %d flags in the main package: %v", len(flags), flags)
	}
	return flags
}

// inspectFlags adds the names of the fs.XxxVar and fs.Func calls in f.
func inspectFlags(f *ast.File, flags map[string]bool) {
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || len(call.Args) < 2 {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "fs" {
			return true
		}
		arg := call.Args[1]
		if sel.Sel.Name == "Func" {
			arg = call.Args[0]
		}
		if lit, ok := arg.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			name, _ := strconv.Unquote(lit.Value)
			flags[name] = true
		}
		return true
	})
}

// TestRenderedFlagsExist checks every flag the chart passes exists in
// the main package, for every values file: an unknown flag would crash the pod.
func TestRenderedFlagsExist(t *testing.T) {
	flags := managerFlags(t)
	for _, file := range append([]string{""}, ciValues...) {
		var files []string
		if file != "" {
			files = []string{file}
		}
		_, args := manager(t, deployment(t, renderFiles(t, files...)))
		for _, a := range args {
			name := strings.TrimPrefix(strings.SplitN(a, "=", 2)[0], "--")
			if !flags[name] {
				t.Errorf("%s: the chart passes --%s, which the main package does not define", file, name)
			}
		}
	}
}

// chartAppVersion reads appVersion from Chart.yaml.
func chartAppVersion(t *testing.T) string {
	t.Helper()
	md, err := chartutil.LoadChartfile(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if md.AppVersion == "" || md.KubeVersion == "" || md.Type != "application" {
		t.Fatalf("Chart.yaml: appVersion %q, kubeVersion %q, type %q", md.AppVersion, md.KubeVersion, md.Type)
	}
	return md.AppVersion
}

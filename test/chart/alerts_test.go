package chart_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// promtool returns Prometheus's promtool: $PROMTOOL (make test sets it),
// else hack/setup-promtool.sh builds it once from the Go module proxy
// (minutes on a cold cache; then cached under ~/.cache/ddns-operator).
func promtool(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("PROMTOOL"); p != "" {
		return p
	}
	cmd := exec.Command(filepath.Join(repoRoot, "hack", "setup-promtool.sh"))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("hack/setup-promtool.sh: %v", err)
	}
	return strings.TrimSpace(string(out))
}

func runPromtool(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(promtool(t), args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// renderedRuleGroups renders the chart's PrometheusRule and returns its
// spec.groups.
func renderedRuleGroups(t *testing.T) []any {
	t.Helper()
	r, err := renderValues("ddns", map[string]any{"prometheusRule": map[string]any{"enabled": true}})
	if err != nil {
		t.Fatal(err)
	}
	pr := r.find("PrometheusRule", "")
	if pr == nil {
		t.Fatal("no PrometheusRule rendered")
	}
	groups, _, _ := unstructured.NestedSlice(pr.Object, "spec", "groups")
	return groups
}

func writeYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := yaml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestAlertRules checks the rules the chart renders with `promtool check
// rules` (expressions, durations, annotation templates) and runs the unit
// tests in testdata/alerts-test.yaml with `promtool test rules`; every
// alert must have a case where it fires and one where it stays quiet.
func TestAlertRules(t *testing.T) {
	groups := renderedRuleGroups(t)
	dir := t.TempDir()
	writeYAML(t, filepath.Join(dir, "full-rules.yaml"), map[string]any{"groups": groups})
	t.Log(strings.TrimSpace(runPromtool(t, dir, "check", "rules", "full-rules.yaml")))

	// The unit tests compare annotations whole: keep the summary, which
	// names the labels, and leave the long runbooks to check rules above.
	alerts := map[string]bool{}
	for _, g := range groups {
		for _, r := range g.(map[string]any)["rules"].([]any) {
			rule := r.(map[string]any)
			alerts[rule["alert"].(string)] = true
			ann := rule["annotations"].(map[string]any)
			rule["annotations"] = map[string]any{"summary": ann["summary"]}
		}
	}
	writeYAML(t, filepath.Join(dir, "rules.yaml"), map[string]any{"groups": groups})
	tests, err := os.ReadFile(filepath.Join("testdata", "alerts-test.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "alerts-test.yaml"), tests, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Log(strings.TrimSpace(runPromtool(t, dir, "test", "rules", "alerts-test.yaml")))

	var suite struct {
		Tests []struct {
			Name  string `json:"name"`
			Cases []struct {
				Alert string `json:"alertname"`
				Exp   []any  `json:"exp_alerts"`
			} `json:"alert_rule_test"`
		} `json:"tests"`
	}
	if err := yaml.Unmarshal(tests, &suite); err != nil {
		t.Fatal(err)
	}
	fires, quiet := map[string]bool{}, map[string]bool{}
	for _, tc := range suite.Tests {
		for _, c := range tc.Cases {
			if len(c.Exp) > 0 {
				fires[c.Alert] = true
			} else {
				quiet[c.Alert] = true
			}
		}
	}
	for a := range alerts {
		if !fires[a] || !quiet[a] {
			t.Errorf("alert %s lacks a firing (%v) or a non-firing (%v) test case", a, fires[a], quiet[a])
		}
	}
	if len(alerts) < 6 {
		t.Errorf("only %d alerts: %v", len(alerts), alerts)
	}
}

// grafanaVar matches the dashboard's template variables.
var grafanaVar = regexp.MustCompile(`\$__rate_interval|\$__interval|\$\{[a-z_]+\}|\$[a-z_]+`)

// TestDashboardQueriesParse runs every query of the dashboard through
// Prometheus's own parser (as recording rules given to `promtool check
// rules`), with Grafana's interval variables filled in.
func TestDashboardQueriesParse(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(chartDir, "dashboards", "ddns-operator.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatal(err)
	}
	var rules []map[string]any
	for i, p := range dash.Panels {
		for j, q := range p.Targets {
			expr := grafanaVar.ReplaceAllString(q.Expr, "5m")
			rules = append(rules, map[string]any{"record": fmt.Sprintf("dashboard:panel%d_%d", i, j), "expr": expr})
		}
	}
	if len(rules) < 15 {
		t.Fatalf("only %d queries", len(rules))
	}
	dir := t.TempDir()
	writeYAML(t, filepath.Join(dir, "dashboard.yaml"), map[string]any{"groups": []any{map[string]any{"name": "dashboard", "rules": rules}}})
	t.Log(strings.TrimSpace(runPromtool(t, dir, "check", "rules", "--lint=none", "dashboard.yaml")))
}

package chart_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/ddns-operator/ddns-operator/internal/notify"
)

// TestMonitoringIsOffByDefault: with no values the chart renders no
// dashboard, no PrometheusRule, no notification ConfigMap and mounts
// nothing.
func TestMonitoringIsOffByDefault(t *testing.T) {
	r := renderFiles(t)
	for _, kind := range []string{"PrometheusRule"} {
		if r.find(kind, "") != nil {
			t.Errorf("default values render a %s", kind)
		}
	}
	if len(r.all("ConfigMap")) != 0 {
		t.Errorf("default values render ConfigMaps: %v", r.all("ConfigMap"))
	}
	d := deployment(t, r)
	c, args := manager(t, d)
	noArgPrefix(t, args, "--notify-")
	if len(c.VolumeMounts) != 0 || len(d.Spec.Template.Spec.Volumes) != 0 {
		t.Errorf("default values mount %v", c.VolumeMounts)
	}
}

// TestNotificationValues: the targets and heartbeat become a ConfigMap the
// manager parses as it would at start-up, mounted beside the Secret, with
// a checksum that rolls the pods when it changes.
func TestNotificationValues(t *testing.T) {
	r := renderFiles(t, "ha-values.yaml")
	cm := r.find("ConfigMap", "ddns-ddns-operator-notify")
	if cm == nil {
		t.Fatal("no notification ConfigMap")
	}
	text, _, _ := unstructured.NestedString(cm.Object, "data", "config.yaml")
	cfg, err := notify.ParseConfig([]byte(text))
	if err != nil {
		t.Fatalf("the manager would refuse the rendered config: %v\n%s", err, text)
	}
	if cfg.Cluster != "home-lab" || cfg.FailingAfter.Duration.String() != "15m0s" || cfg.Coalesce.Quiet.Duration.String() != "5s" ||
		len(cfg.Targets) != 2 || cfg.Targets[1].Format != notify.FormatDDNSGo || cfg.Targets[1].BodyKey != "legacy.body" ||
		cfg.Heartbeat == nil || cfg.Heartbeat.URLKey != "heartbeat" {
		t.Errorf("rendered config %+v from:\n%s", cfg, text)
	}
	for _, secret := range []string{"telegram://", "https://"} {
		if strings.Contains(text, secret) {
			t.Errorf("the ConfigMap holds a URL: %s", text)
		}
	}
	d := deployment(t, r)
	c, args := manager(t, d)
	wantArgs(t, args, "--notify-config=/etc/ddns-operator/notify/config.yaml", "--notify-secret-dir=/etc/ddns-operator/notify-secret")
	vols := map[string]corev1.Volume{}
	for _, v := range d.Spec.Template.Spec.Volumes {
		vols[v.Name] = v
	}
	if v := vols["notify-secret"]; v.Secret == nil || v.Secret.SecretName != "ddns-notify" {
		t.Errorf("the notification Secret is not mounted: %+v", vols)
	}
	if v := vols["notify-config"]; v.ConfigMap == nil || v.ConfigMap.Name != cm.GetName() {
		t.Errorf("the notification ConfigMap is not mounted: %+v", vols)
	}
	mounts := map[string]string{}
	for _, m := range c.VolumeMounts {
		if !m.ReadOnly {
			t.Errorf("mount %s is writable", m.Name)
		}
		mounts[m.Name] = m.MountPath
	}
	if mounts["notify-config"] != "/etc/ddns-operator/notify" || mounts["notify-secret"] != "/etc/ddns-operator/notify-secret" {
		t.Errorf("mounts %v", mounts)
	}
	sum := d.Spec.Template.Annotations["checksum/notify-config"]
	vals, _ := valuesFrom("ha-values.yaml")
	vals["notifications"].(map[string]any)["failingAfter"] = "20m"
	r2, err := renderValues("ddns", vals)
	if err != nil {
		t.Fatal(err)
	}
	if sum == "" || deployment(t, r2).Spec.Template.Annotations["checksum/notify-config"] == sum {
		t.Error("a changed notification config does not change the pod template")
	}
}

// TestGrafanaDashboardValues: the dashboard ConfigMap carries the sidecar's
// label and the dashboard JSON as shipped.
func TestGrafanaDashboardValues(t *testing.T) {
	r := renderFiles(t, "ha-values.yaml")
	cm := r.find("ConfigMap", "ddns-ddns-operator-dashboard")
	if cm == nil {
		t.Fatal("no dashboard ConfigMap")
	}
	if cm.GetLabels()["grafana_dashboard"] != "1" || cm.GetAnnotations()["grafana_folder"] != "DNS" {
		t.Errorf("labels %v annotations %v", cm.GetLabels(), cm.GetAnnotations())
	}
	text, _, _ := unstructured.NestedString(cm.Object, "data", "ddns-operator.json")
	want, err := os.ReadFile(filepath.Join(chartDir, "dashboards", "ddns-operator.json"))
	if err != nil {
		t.Fatal(err)
	}
	if text != strings.TrimRight(string(want), "\n") {
		t.Error("the ConfigMap's dashboard differs from dashboards/ddns-operator.json")
	}
	var dash struct {
		UID    string `json:"uid"`
		Panels []struct {
			Title   string `json:"title"`
			Type    string `json:"type"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal([]byte(text), &dash); err != nil {
		t.Fatal(err)
	}
	titles := map[string]bool{}
	for _, p := range dash.Panels {
		titles[p.Title] = true
		if p.Type != "row" && len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
	}
	// What the issue asks the dashboard to show.
	for _, want := range []string{"IPv4 address", "IPv6 address", "Address last changed", "Records by Ready state and reason",
		"Provider requests by provider, operation and result", "Rate-limit waits", "Detection latency (p50, p95)",
		"Source failures by source and reason", "Notifications by target and result"} {
		if !titles[want] {
			t.Errorf("the dashboard lacks the panel %q", want)
		}
	}
	if dash.UID != "ddns-operator" {
		t.Errorf("uid %q", dash.UID)
	}
}

// TestPrometheusRuleValues: the PrometheusRule holds the shipped rules,
// with the extra alert labels merged into each alert's own.
func TestPrometheusRuleValues(t *testing.T) {
	r := renderFiles(t, "ha-values.yaml")
	pr := r.find("PrometheusRule", "ddns-ddns-operator")
	if pr == nil {
		t.Fatal("no PrometheusRule")
	}
	if pr.GetLabels()["release"] != "kube-prometheus-stack" {
		t.Errorf("labels %v", pr.GetLabels())
	}
	var file struct {
		Groups []struct {
			Name  string           `json:"name"`
			Rules []map[string]any `json:"rules"`
		} `json:"groups"`
	}
	b, err := os.ReadFile(filepath.Join(chartDir, "rules", "ddns-operator.rules.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	groups, _, _ := unstructured.NestedSlice(pr.Object, "spec", "groups")
	if len(groups) != len(file.Groups) {
		t.Fatalf("%d groups rendered, %d in the file", len(groups), len(file.Groups))
	}
	rules, _, _ := unstructured.NestedSlice(groups[0].(map[string]any), "rules")
	if len(rules) != len(file.Groups[0].Rules) || len(rules) < 6 {
		t.Fatalf("%d rules rendered, %d in the file", len(rules), len(file.Groups[0].Rules))
	}
	for i, raw := range rules {
		rule := raw.(map[string]any)
		want := file.Groups[0].Rules[i]
		labels := rule["labels"].(map[string]any)
		if labels["team"] != "home" || labels["severity"] != want["labels"].(map[string]any)["severity"] {
			t.Errorf("%v: labels %v", rule["alert"], labels)
		}
		for _, k := range []string{"alert", "expr", "for", "annotations"} {
			if !reflect.DeepEqual(rule[k], want[k]) {
				t.Errorf("%v: %s differs from the rules file", rule["alert"], k)
			}
		}
		ann := rule["annotations"].(map[string]any)
		if rb, _ := ann["runbook"].(string); len(rb) < 100 || ann["summary"] == nil || ann["description"] == nil {
			t.Errorf("%v lacks a summary, description or runbook: %v", rule["alert"], ann)
		}
	}
	// Without extra labels the rules render exactly as in the file.
	vals, _ := valuesFrom("ha-values.yaml")
	delete(vals["prometheusRule"].(map[string]any), "additionalAlertLabels")
	r2, err := renderValues("ddns", vals)
	if err != nil {
		t.Fatal(err)
	}
	g2, _, _ := unstructured.NestedSlice(r2.find("PrometheusRule", "").Object, "spec", "groups")
	r2rules, _, _ := unstructured.NestedSlice(g2[0].(map[string]any), "rules")
	for i, raw := range r2rules {
		if !reflect.DeepEqual(raw, file.Groups[0].Rules[i]) {
			t.Errorf("rule %d differs from the file: %v", i, raw)
		}
	}
}

// TestSchemaRejectsWrongMonitoringValues: values.schema.json refuses
// mistakes in the new values, naming the field.
func TestSchemaRejectsWrongMonitoringValues(t *testing.T) {
	target := func(m map[string]any) map[string]any {
		return map[string]any{"notifications": map[string]any{"secretName": "n", "targets": []any{m}}}
	}
	cases := []struct {
		name string
		vals map[string]any
		want []string
	}{
		{"targets without a Secret", map[string]any{"notifications": map[string]any{"targets": []any{map[string]any{"name": "a"}}}}, []string{"notifications/secretName"}},
		{"heartbeat without a Secret", map[string]any{"notifications": map[string]any{"heartbeat": map[string]any{"secretKey": "hb"}}}, []string{"notifications/secretName"}},
		{"unknown event", target(map[string]any{"name": "a", "events": []any{"AddressMoved"}}), []string{"notifications/targets/0/events/0"}},
		{"target without a name", target(map[string]any{"urlKey": "a"}), []string{"notifications/targets/0", "name"}},
		{"name with capitals", target(map[string]any{"name": "Telegram"}), []string{"notifications/targets/0/name"}},
		{"body on a shoutrrr target", target(map[string]any{"name": "a", "bodyKey": "b"}), []string{"notifications/targets/0"}},
		{"unknown format", target(map[string]any{"name": "a", "format": "slack"}), []string{"notifications/targets/0/format"}},
		{"URL in the values", target(map[string]any{"name": "a", "url": "telegram://x"}), []string{"url", "not allowed"}},
		{"duration in words", map[string]any{"notifications": map[string]any{"failingAfter": "ten minutes"}}, []string{"notifications/failingAfter"}},
		{"dashboard label not a string", map[string]any{"grafanaDashboard": map[string]any{"labels": map[string]any{"grafana_dashboard": 1}}}, []string{"grafanaDashboard/labels/grafana_dashboard"}},
		{"misspelt rule key", map[string]any{"prometheusRule": map[string]any{"enable": true}}, []string{"enable", "not allowed"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := renderValues("ddns", tc.vals)
			if err == nil {
				t.Fatalf("values %v were accepted", tc.vals)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not name %q:\n%s", w, err)
				}
			}
		})
	}
}

package chart_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

// deployment converts the rendered Deployment to its typed form.
func deployment(t *testing.T, r rendered) *appsv1.Deployment {
	t.Helper()
	u := r.find("Deployment", "")
	if u == nil {
		t.Fatal("no Deployment rendered")
	}
	var d appsv1.Deployment
	convert(t, u, &d)
	return &d
}

func convert(t *testing.T, u *unstructured.Unstructured, into any) {
	t.Helper()
	if err := runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation(u.Object, into, true); err != nil {
		t.Fatalf("%s %s: %v", u.GetKind(), u.GetName(), err)
	}
}

// manager returns the manager container and its args.
func manager(t *testing.T, d *appsv1.Deployment) (corev1.Container, []string) {
	t.Helper()
	if len(d.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("want one container, got %d", len(d.Spec.Template.Spec.Containers))
	}
	c := d.Spec.Template.Spec.Containers[0]
	return c, c.Args
}

func wantArgs(t *testing.T, args []string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(args, w) {
			t.Errorf("manager args lack %q: %q", w, args)
		}
	}
}

func noArgPrefix(t *testing.T, args []string, prefix string) {
	t.Helper()
	for _, a := range args {
		if strings.HasPrefix(a, prefix) {
			t.Errorf("manager args hold %q", a)
		}
	}
}

// TestDefaultValues checks what `helm install` with no values gives: one
// replica under the restricted pod security standard, leader election,
// metrics Service, probes, the appVersion image, whole-cluster RBAC, and
// nothing optional.
func TestDefaultValues(t *testing.T) {
	r := renderFiles(t)
	d := deployment(t, r)
	c, args := manager(t, d)
	if *d.Spec.Replicas != 1 {
		t.Errorf("replicas = %d", *d.Spec.Replicas)
	}
	if c.Image != "ghcr.io/ddns-operator/ddns-operator:"+chartAppVersion(t) {
		t.Errorf("image = %s", c.Image)
	}
	pod := d.Spec.Template.Spec
	if pod.HostNetwork || pod.SecurityContext == nil || pod.SecurityContext.RunAsNonRoot == nil || !*pod.SecurityContext.RunAsNonRoot ||
		pod.SecurityContext.SeccompProfile == nil || pod.SecurityContext.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("pod security context is not restricted: hostNetwork=%v %+v", pod.HostNetwork, pod.SecurityContext)
	}
	sc := c.SecurityContext
	if sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
		sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(sc.Capabilities.Add) != 0 {
		t.Errorf("container security context is not restricted: %+v", sc)
	}
	if pod.ServiceAccountName != "ddns-ddns-operator" || r.find("ServiceAccount", pod.ServiceAccountName) == nil {
		t.Errorf("pod runs as %q, which the chart does not create", pod.ServiceAccountName)
	}
	wantArgs(t, args, "--leader-elect=true", "--metrics-bind-address=:8080", "--health-probe-bind-address=:8081", "--log-format=json", "--log-level=info")
	noArgPrefix(t, args, "--watch-namespaces")
	noArgPrefix(t, args, "--ipv4-sources")
	if c.LivenessProbe == nil || c.LivenessProbe.HTTPGet.Path != "/healthz" || c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet.Path != "/readyz" {
		t.Errorf("probes: %+v %+v", c.LivenessProbe, c.ReadinessProbe)
	}
	if c.Resources.Limits.Memory().IsZero() || c.Resources.Requests.Cpu().IsZero() {
		t.Errorf("resources: %+v", c.Resources)
	}
	wantGoMemLimit(t, c, args, "0.9")
	var svc corev1.Service
	convert(t, r.find("Service", "ddns-ddns-operator-metrics"), &svc)
	for k, v := range svc.Spec.Selector {
		if d.Spec.Template.Labels[k] != v {
			t.Errorf("metrics Service selects %s=%s, which the pods lack", k, v)
		}
	}
	if svc.Spec.Ports[0].TargetPort.StrVal != "metrics" {
		t.Errorf("metrics Service targets %v", svc.Spec.Ports[0].TargetPort)
	}
	for _, kind := range []string{"ServiceMonitor", "PodDisruptionBudget", "Role"} {
		if r.find(kind, "ddns-ddns-operator") != nil {
			t.Errorf("default values render a %s", kind)
		}
	}
	if r.find("ClusterRole", "ddns-ddns-operator") == nil || r.find("Role", "ddns-ddns-operator-leader-election") == nil {
		t.Error("default values lack the ClusterRole or the leader election Role")
	}
	for _, w := range []string{"rollout status deployment/ddns-ddns-operator", "kubectl get ddns -A", "hostNetwork=true"} {
		if !strings.Contains(r.notes, w) {
			t.Errorf("NOTES.txt lacks %q:\n%s", w, r.notes)
		}
	}
}

// TestHAValues: two replicas elect a leader, a budget keeps one up, and a
// ServiceMonitor carries the label Prometheus selects on.
func TestHAValues(t *testing.T) {
	r := renderFiles(t, "ha-values.yaml")
	d := deployment(t, r)
	_, args := manager(t, d)
	if *d.Spec.Replicas != 2 {
		t.Errorf("replicas = %d", *d.Spec.Replicas)
	}
	wantArgs(t, args, "--leader-elect=true")
	var pdb policyv1.PodDisruptionBudget
	convert(t, r.find("PodDisruptionBudget", ""), &pdb)
	if pdb.Spec.MinAvailable == nil || pdb.Spec.MinAvailable.IntValue() != 1 || pdb.Spec.MaxUnavailable != nil {
		t.Errorf("budget: %+v", pdb.Spec)
	}
	sm := r.find("ServiceMonitor", "")
	if sm == nil || sm.GetLabels()["release"] != "kube-prometheus-stack" {
		t.Fatalf("ServiceMonitor: %v", sm)
	}
	sel, _, _ := unstructured.NestedStringMap(sm.Object, "spec", "selector", "matchLabels")
	svc := r.find("Service", "ddns-ddns-operator-metrics")
	for k, v := range sel {
		if svc.GetLabels()[k] != v {
			t.Errorf("ServiceMonitor selects %s=%s, which the metrics Service lacks", k, v)
		}
	}
}

// TestHostNetworkValues: the pod joins the node's network with cluster
// DNS kept, on the chosen ports, and the detector flags follow the values.
func TestHostNetworkValues(t *testing.T) {
	r := renderFiles(t, "hostnetwork-values.yaml")
	d := deployment(t, r)
	c, args := manager(t, d)
	pod := d.Spec.Template.Spec
	if !pod.HostNetwork || pod.DNSPolicy != corev1.DNSClusterFirstWithHostNet {
		t.Errorf("hostNetwork=%v dnsPolicy=%s", pod.HostNetwork, pod.DNSPolicy)
	}
	if pod.NodeSelector["kubernetes.io/arch"] != "arm64" || len(pod.Tolerations) != 1 {
		t.Errorf("scheduling: %v %v", pod.NodeSelector, pod.Tolerations)
	}
	wantArgs(t, args, "--metrics-bind-address=:9443", "--health-probe-bind-address=:9444",
		"--detect-interval=2m", "--detect-policy=quorum:2", "--ipv4-sources=",
		"--ipv6-sources=https://api6.ipify.org,dns:opendns,https://ifconfig.co/ip")
	ports := map[string]int32{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	if ports["metrics"] != 9443 || ports["probes"] != 9444 {
		t.Errorf("container ports: %v", ports)
	}
}

// TestCustomValues: image, names, static address, metrics off, extra
// flags and environment all reach the Deployment.
func TestCustomValues(t *testing.T) {
	r := renderFiles(t, "custom-values.yaml")
	d := deployment(t, r)
	c, args := manager(t, d)
	if c.Image != "registry.example.com/mirror/ddns-operator:v0.1.0" || c.ImagePullPolicy != corev1.PullAlways {
		t.Errorf("image %s %s", c.Image, c.ImagePullPolicy)
	}
	sa := r.find("ServiceAccount", "ddns-manager")
	if d.Name != "ddns" || d.Spec.Template.Spec.ServiceAccountName != "ddns-manager" || sa == nil {
		t.Fatalf("names: deployment %s, service account %s", d.Name, d.Spec.Template.Spec.ServiceAccountName)
	}
	// The pod's cloud identity (IRSA here) comes from the ServiceAccount's
	// annotations, for route53 and googleclouddns records without keys.
	if got := sa.GetAnnotations()["eks.amazonaws.com/role-arn"]; got != "arn:aws:iam::123456789012:role/ddns-operator" {
		t.Errorf("service account annotations %v lack the IRSA role", sa.GetAnnotations())
	}
	wantArgs(t, args, "--static-ipv4=198.51.100.7", "--ipv6-sources=", "--metrics-bind-address=0", "--detect-policy=first",
		"--source-list=lan/ipv4=interface:eth0", "--source-list=lan/ipv6=interface:eth0",
		"--log-format=console", "--log-level=debug", "--max-concurrent-reconciles=2", "--source-max-bytes=8192", "--owner-id=home-lab-1")
	if r.find("Service", "") != nil {
		t.Error("metrics disabled, yet a Service is rendered")
	}
	env, _ := json.Marshal(c.Env)
	if !strings.Contains(string(env), "GOMEMLIMIT") {
		t.Errorf("env: %s", env)
	}
	// The user's GOMEMLIMIT wins in the manager; the limit is still given.
	wantGoMemLimit(t, c, args, "0.9")
}

// wantGoMemLimit checks the manager gets its container's memory limit from
// the downward API and takes ratio of it as GOMEMLIMIT.
func wantGoMemLimit(t *testing.T, c corev1.Container, args []string, ratio string) {
	t.Helper()
	wantArgs(t, args, "--gomemlimit-ratio="+ratio)
	for _, e := range c.Env {
		if e.Name != "DDNS_MEMORY_LIMIT" {
			continue
		}
		if f := e.ValueFrom; f == nil || f.ResourceFieldRef == nil || f.ResourceFieldRef.Resource != "limits.memory" ||
			f.ResourceFieldRef.ContainerName != c.Name || !f.ResourceFieldRef.Divisor.IsZero() && f.ResourceFieldRef.Divisor.Value() != 1 {
			t.Errorf("DDNS_MEMORY_LIMIT is not the container's limits.memory in bytes: %+v", e)
		}
		return
	}
	t.Errorf("no DDNS_MEMORY_LIMIT in the manager's env: %+v", c.Env)
}

// TestGoMemLimitValues: the memory limit share reaches the manager beside
// the user's own environment; 0 turns the limit off and drops the
// variable.
func TestGoMemLimitValues(t *testing.T) {
	r, err := renderValues("ddns", map[string]any{"gomemlimitRatio": 0.75, "extraEnv": []any{map[string]any{"name": "TZ", "value": "UTC"}}})
	if err != nil {
		t.Fatal(err)
	}
	c, args := manager(t, deployment(t, r))
	wantGoMemLimit(t, c, args, "0.75")
	if len(c.Env) != 2 || c.Env[1].Name != "TZ" {
		t.Errorf("env: %+v", c.Env)
	}
	if r, err = renderValues("ddns", map[string]any{"gomemlimitRatio": 0}); err != nil {
		t.Fatal(err)
	}
	c, args = manager(t, deployment(t, r))
	wantArgs(t, args, "--gomemlimit-ratio=0")
	if len(c.Env) != 0 {
		t.Errorf("ratio 0, yet env %+v", c.Env)
	}
}

// TestNamespacedValues: Roles only in the watched namespaces, the cache
// confined by --watch-namespaces, and no cluster-wide access to Secrets:
// cluster-wide, only Nodes are read and Namespaces got.
func TestNamespacedValues(t *testing.T) {
	r := renderFiles(t, "namespaced-values.yaml")
	_, args := manager(t, deployment(t, r))
	wantArgs(t, args, "--watch-namespaces=home,lab")
	var nss []string
	for _, role := range r.all("Role") {
		if role.GetName() == "ddns-ddns-operator" {
			nss = append(nss, role.GetNamespace())
		}
	}
	if !slices.Equal(nss, []string{"home", "lab"}) {
		t.Errorf("record Roles in %v, want [home lab]", nss)
	}
	for _, cr := range r.all("ClusterRole") {
		for _, rule := range rulesOf(t, cr) {
			// Nodes for spec.ipSource.node; Namespaces only to get
			// kube-system's UID, the default owner ID.
			ok := slices.Equal(rule.Resources, []string{"nodes"}) ||
				(slices.Equal(rule.Resources, []string{"namespaces"}) && slices.Equal(rule.Verbs, []string{"get"}))
			if !ok {
				t.Errorf("ClusterRole %s grants %v %v cluster-wide in namespaced mode", cr.GetName(), rule.Verbs, rule.Resources)
			}
		}
	}
}

// TestWebhookProviderValues: the webhook provider runs as a second
// container on the port records reach by default, its environment from
// the named Secret, restricted like the manager; the manager is
// unchanged.
func TestWebhookProviderValues(t *testing.T) {
	d := deployment(t, renderFiles(t, "webhook-values.yaml"))
	pod := d.Spec.Template.Spec
	if len(pod.Containers) != 2 || pod.Containers[0].Name != "manager" {
		t.Fatalf("containers %d, first %q; want the manager and the webhook", len(pod.Containers), pod.Containers[0].Name)
	}
	w := pod.Containers[1]
	if w.Name != "webhook" || w.Image != "ghcr.io/mconfalonieri/external-dns-hetzner-webhook:v0.11.0" {
		t.Errorf("webhook container %s image %s", w.Name, w.Image)
	}
	if len(w.EnvFrom) != 1 || w.EnvFrom[0].SecretRef == nil || w.EnvFrom[0].SecretRef.Name != "hetzner-webhook" {
		t.Errorf("envFrom %+v, want the Secret hetzner-webhook", w.EnvFrom)
	}
	if len(w.Env) != 1 || w.Env[0].Name != "DOMAIN_FILTER" || len(w.Ports) != 1 || w.Ports[0].ContainerPort != 8888 {
		t.Errorf("env %+v, ports %+v", w.Env, w.Ports)
	}
	if w.ReadinessProbe == nil || w.ReadinessProbe.HTTPGet.Path != "/ready" || w.LivenessProbe != nil {
		t.Errorf("probes %+v %+v", w.ReadinessProbe, w.LivenessProbe)
	}
	sc := w.SecurityContext
	if sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot ||
		sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Errorf("webhook security context is not restricted: %+v", sc)
	}
	for _, vals := range []map[string]any{
		{"webhookProvider": map[string]any{"enabled": true}},
		{"webhookProvider": map[string]any{"enabled": true, "image": map[string]any{"repository": "example.com/webhook"}}},
		{"webhookProvider": map[string]any{"enabled": true, "image": map[string]any{"tag": "v1"}}},
	} {
		if _, err := renderValues("ddns", vals); err == nil || !strings.Contains(err.Error(), "webhookProvider/image") {
			t.Errorf("values %v: %v, want a refusal naming webhookProvider/image", vals, err)
		}
	}
}

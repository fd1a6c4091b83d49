package chart_test

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/rest"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/controllers"
	"github.com/ddns-operator/ddns-operator/internal/egress"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/registry"
)

// egressIPv4 is the address the static egress source reports.
var egressIPv4 = netip.MustParseAddr("81.2.69.160")

// install renders the chart for a release in namespace and creates every
// object for real (the CRD is already installed from the chart's crds/),
// after letting edit change the rendered objects. It returns the client
// of the chart's ServiceAccount (impersonated) and its rest config.
func install(t *testing.T, ctx context.Context, release, namespace string, vals map[string]any, edit func([]*unstructured.Unstructured)) (*rest.Config, client.Client) {
	t.Helper()
	ensureNamespace(t, ctx, namespace)
	r, err := renderValuesIn(release, namespace, vals)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(r.objs)
	}
	for _, o := range r.objs {
		if ns := o.GetNamespace(); ns != "" {
			ensureNamespace(t, ctx, ns)
		}
	}
	applyObjects(t, ctx, admin, r.objs, false)
	if t.Failed() {
		t.FailNow()
	}
	d := deployment(t, r)
	sa := d.Spec.Template.Spec.ServiceAccountName
	cfg := rest.CopyConfig(adminCfg)
	cfg.Impersonate = rest.ImpersonationConfig{UserName: fmt.Sprintf("system:serviceaccount:%s:%s", namespace, sa)}
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	return cfg, c
}

// startManager runs the operator's controller as main.go wires it, with
// cfg's identity, an in-memory "cloudflare" provider and a static egress
// source, until t ends.
func startManager(t *testing.T, cfg *rest.Config, leaseNamespace string, watch []string, mem *providertest.Memory) {
	t.Helper()
	var nss map[string]cache.Config
	for _, ns := range watch {
		if nss == nil {
			nss = map[string]cache.Config{}
		}
		nss[ns] = cache.Config{}
	}
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                        scheme,
		Metrics:                       metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress:        "0",
		LeaderElection:                true,
		LeaderElectionID:              "ddns-operator.ddns.dev",
		LeaderElectionNamespace:       leaseNamespace,
		LeaderElectionReleaseOnCancel: true,
		Cache:                         cache.Options{DefaultTransform: controllers.TrimForCache, DefaultNamespaces: nss},
		Client:                        client.Options{Cache: &client.CacheOptions{DisableFor: []client.Object{&corev1.Secret{}}}},
		Controller:                    config.Controller{SkipNameValidation: ptr.To(true)},
	})
	if err != nil {
		t.Fatal(err)
	}
	det := egress.NewDetector(egress.Config{
		Sources:  map[egress.Family][]egress.Source{egress.IPv4: {egress.StaticSource{V4: egressIPv4}}},
		Policy:   egress.Policy{Mode: egress.PolicyFirst},
		Interval: time.Minute,
		Logger:   ctrl.Log.WithName("egress"),
	})
	if err := mgr.Add(det); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	// The default owner ID, kube-system's UID, must be readable under the
	// chart's rules, whole-cluster and namespaced.
	ownerID, err := controllers.InstallationID(ctx, mgr.GetAPIReader(), "")
	if err != nil {
		cancel()
		t.Fatalf("the manager cannot read its owner ID under the chart's RBAC: %v", err)
	}
	rec := &controllers.DynamicDNSRecordReconciler{
		OwnerID:   ownerID,
		Client:    mgr.GetClient(),
		APIReader: mgr.GetAPIReader(),
		Recorder:  mgr.GetEventRecorder("ddns-operator"),
		Providers: registry.New(mem.Descriptor(ddnsv1.ProviderCloudflare)),
		Addresses: egress.NewGroup(det, nil),
	}
	if err := rec.SetupWithManager(ctx, mgr, controllers.Options{Namespaces: watch}); err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := mgr.Start(ctx); err != nil {
			t.Logf("manager stopped: %v", err)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
}

// createRecord makes a Secret holding token and a cloudflare record using
// it in ns, as cluster admin (the user).
func createRecord(t *testing.T, ctx context.Context, ns, name, token string) *ddnsv1.DynamicDNSRecord {
	t.Helper()
	ensureNamespace(t, ctx, ns)
	sec := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: name + "-creds", Namespace: ns}, StringData: map[string]string{providertest.MemoryTokenKey: token}}
	rec := &ddnsv1.DynamicDNSRecord{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: ddnsv1.DynamicDNSRecordSpec{
			Domain:         name + ".example.com",
			Provider:       ddnsv1.ProviderCloudflare,
			SecretRef:      ddnsv1.SecretReference{Name: sec.Name},
			DeletionPolicy: ddnsv1.DeletionPolicyDelete,
		},
	}
	if err := admin.Create(ctx, sec); err != nil {
		t.Fatal(err)
	}
	if err := admin.Create(ctx, rec); err != nil {
		t.Fatal(err)
	}
	return rec
}

func readyStatus(ctx context.Context, rec *ddnsv1.DynamicDNSRecord) (string, error) {
	var got ddnsv1.DynamicDNSRecord
	if err := admin.Get(ctx, client.ObjectKeyFromObject(rec), &got); err != nil {
		return "", err
	}
	c := meta.FindStatusCondition(got.Status.Conditions, ddnsv1.ConditionReady)
	if c == nil {
		return "no Ready condition", nil
	}
	return fmt.Sprintf("%s %s: %s", c.Status, c.Reason, c.Message), nil
}

// expectForbidden checks the API server refuses err's request as
// forbidden (not missing, not invalid).
func expectForbidden(t *testing.T, what string, err error) {
	t.Helper()
	if !apierrors.IsForbidden(err) {
		t.Errorf("%s as the chart's ServiceAccount: want Forbidden, got %v", what, err)
	}
}

// TestManagerUnderChartRBAC installs the chart's RBAC for real and runs the
// controller as the chart's ServiceAccount: a record reaches Ready (with
// its finalizer, its event and the leader Lease), while requests outside
// the chart's grants are refused.
func TestManagerUnderChartRBAC(t *testing.T) {
	requireAPIServer(t)
	t.Run("whole cluster", func(t *testing.T) {
		g := NewWithT(t)
		ctx := ctxFor(t)
		cfg, sa := install(t, ctx, "cluster", "rbac-cluster", map[string]any{}, nil)
		mem := providertest.NewMemory("token-cluster", "example.com")
		startManager(t, cfg, "rbac-cluster", nil, mem)
		rec := createRecord(t, ctx, "rec-cluster", "home", "token-cluster")
		g.Eventually(func() (string, error) { return readyStatus(ctx, rec) }, 30*time.Second, 200*time.Millisecond).
			Should(HavePrefix("True " + ddnsv1.ReasonSynced))
		checkSideEffects(t, ctx, rec, "rbac-cluster", mem)

		expectForbidden(t, "create a Secret", sa.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "stolen", Namespace: "rec-cluster"}}))
		var sec corev1.Secret
		_ = admin.Get(ctx, client.ObjectKey{Namespace: "rec-cluster", Name: "home-creds"}, &sec)
		sec.StringData = map[string]string{"token": "overwritten"}
		expectForbidden(t, "update a Secret", sa.Update(ctx, &sec))
		expectForbidden(t, "create a Service", sa.Create(ctx, &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "x", Namespace: "rec-cluster"}, Spec: corev1.ServiceSpec{Ports: []corev1.ServicePort{{Port: 80}}}}))
		expectForbidden(t, "list ConfigMaps", sa.List(ctx, &corev1.ConfigMapList{}))
		expectForbidden(t, "delete a Namespace", sa.Delete(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "rec-cluster"}}))
		expectForbidden(t, "list Leases", sa.List(ctx, &coordinationv1.LeaseList{}, client.InNamespace("rbac-cluster")))
		expectForbidden(t, "get another Lease", sa.Get(ctx, client.ObjectKey{Namespace: "rbac-cluster", Name: "someone-else"}, &coordinationv1.Lease{}))
	})

	t.Run("namespaced", func(t *testing.T) {
		g := NewWithT(t)
		ctx := ctxFor(t)
		cfg, sa := install(t, ctx, "scoped", "rbac-scoped", map[string]any{"watchNamespaces": []any{"rec-scoped"}}, nil)
		mem := providertest.NewMemory("token-scoped", "example.com")
		startManager(t, cfg, "rbac-scoped", []string{"rec-scoped"}, mem)
		rec := createRecord(t, ctx, "rec-scoped", "office", "token-scoped")
		outside := createRecord(t, ctx, "rec-outside", "elsewhere", "token-scoped")
		g.Eventually(func() (string, error) { return readyStatus(ctx, rec) }, 30*time.Second, 200*time.Millisecond).
			Should(HavePrefix("True " + ddnsv1.ReasonSynced))
		checkSideEffects(t, ctx, rec, "rbac-scoped", mem)

		// A record outside the watched namespaces is left alone.
		g.Consistently(func() (string, error) { return readyStatus(ctx, outside) }, 2*time.Second, 200*time.Millisecond).
			Should(Equal("no Ready condition"))
		expectForbidden(t, "list Secrets in every namespace", sa.List(ctx, &corev1.SecretList{}))
		expectForbidden(t, "list Secrets in an unwatched namespace", sa.List(ctx, &corev1.SecretList{}, client.InNamespace("rec-outside")))
		expectForbidden(t, "read a Secret in an unwatched namespace", sa.Get(ctx, client.ObjectKey{Namespace: "rec-outside", Name: "elsewhere-creds"}, &corev1.Secret{}))
		expectForbidden(t, "list records in every namespace", sa.List(ctx, &ddnsv1.DynamicDNSRecordList{}))
		expectForbidden(t, "create a Secret in a watched namespace", sa.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "stolen", Namespace: "rec-scoped"}}))
		if err := sa.List(ctx, &corev1.NodeList{}); err != nil {
			t.Errorf("list Nodes (spec.ipSource.node) in namespaced mode: %v", err)
		}
	})
}

// checkSideEffects checks what only the chart's full RBAC allows: the
// provider record written, the finalizer set, an event emitted by the
// ServiceAccount, and the leader Lease held in the release namespace.
func checkSideEffects(t *testing.T, ctx context.Context, rec *ddnsv1.DynamicDNSRecord, releaseNS string, mem *providertest.Memory) {
	t.Helper()
	if mem.Calls("CreateRecord") != 1 {
		t.Errorf("provider creates = %d, want 1", mem.Calls("CreateRecord"))
	}
	var got ddnsv1.DynamicDNSRecord
	if err := admin.Get(ctx, client.ObjectKeyFromObject(rec), &got); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(got.Finalizers, controllers.Finalizer) || !slices.Contains(got.Status.Addresses, egressIPv4.String()) {
		t.Errorf("finalizers %v, addresses %v", got.Finalizers, got.Status.Addresses)
	}
	if status, msg := healthOf(t, &got); status != "Healthy" {
		t.Errorf("Argo CD health of the Ready record: %s %q", status, msg)
	}
	NewWithT(t).Eventually(func() ([]string, error) {
		var evs eventsv1.EventList
		err := admin.List(ctx, &evs, client.InNamespace(rec.Namespace))
		var reasons []string
		for _, e := range evs.Items {
			if e.Regarding.Name == rec.Name {
				reasons = append(reasons, e.Reason)
			}
		}
		return reasons, err
	}, 10*time.Second, 200*time.Millisecond).Should(ContainElement("Created"))
	user := fmt.Sprintf("system:serviceaccount:%s:", releaseNS)
	for _, line := range strings.Split(logSink.String(), "\n") {
		if strings.Contains(line, user) && strings.Contains(strings.ToLower(line), "forbidden") {
			t.Errorf("the manager was refused a request under the chart's RBAC: %s", line)
		}
	}
	var lease coordinationv1.Lease
	if err := admin.Get(ctx, client.ObjectKey{Namespace: releaseNS, Name: "ddns-operator.ddns.dev"}, &lease); err != nil {
		t.Errorf("leader Lease: %v", err)
	} else if lease.Spec.HolderIdentity == nil || *lease.Spec.HolderIdentity == "" {
		t.Errorf("leader Lease has no holder")
	}
}

// TestRBACGapKeepsRecordFromReady is the control for the test above: the
// same install with one rule taken out of the chart's ClusterRole (writing
// record status) never gets the record to Ready, so the test above would
// catch a chart that grants too little.
func TestRBACGapKeepsRecordFromReady(t *testing.T) {
	requireAPIServer(t)
	g := NewWithT(t)
	ctx := ctxFor(t)
	dropped := false
	cfg, _ := install(t, ctx, "gap", "rbac-gap", map[string]any{}, func(objs []*unstructured.Unstructured) {
		for _, o := range objs {
			if o.GetKind() != "ClusterRole" {
				continue
			}
			rules, _, _ := unstructured.NestedSlice(o.Object, "rules")
			var kept []any
			for _, r := range rules {
				res, _, _ := unstructured.NestedStringSlice(r.(map[string]any), "resources")
				if slices.Contains(res, "dynamicdnsrecords/status") {
					dropped = true
					continue
				}
				kept = append(kept, r)
			}
			_ = unstructured.SetNestedSlice(o.Object, kept, "rules")
		}
	})
	if !dropped {
		t.Fatal("the chart's ClusterRole has no rule for dynamicdnsrecords/status to drop")
	}
	mem := providertest.NewMemory("token-gap", "example.com")
	startManager(t, cfg, "rbac-gap", []string{"rec-gap"}, mem)
	rec := createRecord(t, ctx, "rec-gap", "gap", "token-gap")
	g.Consistently(func() (string, error) { return readyStatus(ctx, rec) }, 6*time.Second, 250*time.Millisecond).
		Should(Equal("no Ready condition"))
	// The manager says why: the API server refused the status write.
	g.Eventually(logSink.String, 5*time.Second).Should(MatchRegexp(`system:serviceaccount:rbac-gap:gap-ddns-operator.*cannot patch resource.*dynamicdnsrecords/status`))
}

package controllers

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/prometheus/client_golang/prometheus/testutil"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// logSink keeps every log line the manager writes, for the test that
// checks no credential is ever logged.
var logSink = &syncBuffer{}

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

const (
	waitTimeout = 20 * time.Second
	pollEvery   = 100 * time.Millisecond
)

// fixture is one test's namespace, token and in-memory provider.
type fixture struct {
	n     int
	t     *testing.T
	g     Gomega
	ns    string
	token string
	mem   *providertest.Memory
}

var nsSafe = regexp.MustCompile(`[^a-z0-9-]+`)

var nsCounter struct {
	sync.Mutex
	n int
}

// newFixture makes a namespace, a provider and a Secret named "creds"
// holding its token.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	requireAPIServer(t)
	nsCounter.Lock()
	nsCounter.n++
	n := nsCounter.n
	nsCounter.Unlock()
	f := &fixture{n: n, t: t, g: NewWithT(t), ns: fmt.Sprintf("t%d-%s", n, nsSafe.ReplaceAllString(strings.ToLower(t.Name()), "-"))}
	if len(f.ns) > 63 {
		f.ns = strings.TrimRight(f.ns[:63], "-")
	}
	f.token = "tok-" + f.ns + "-s3cr3t"
	f.mem = hub.newProvider(f.token)
	f.g.Expect(k8s.Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: f.ns}})).To(Succeed())
	f.secret("creds", map[string]string{providertest.MemoryTokenKey: f.token})
	return f
}

// d returns a DNS name in zone that is unique to this test, since two
// records for one name conflict across namespaces.
func (f *fixture) d(label, zone string) string {
	return fmt.Sprintf("%s-t%d.%s", label, f.n, zone)
}

func (f *fixture) secret(name string, data map[string]string) *corev1.Secret {
	for _, v := range data {
		secretValues.add(v)
	}
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: f.ns}, StringData: data}
	f.g.Expect(k8s.Create(context.Background(), s)).To(Succeed())
	return s
}

// record creates a DynamicDNSRecord for domain with the Secret "creds";
// mutate adjusts the spec first.
func (f *fixture) record(name, domain string, mutate func(*ddnsv1.DynamicDNSRecordSpec)) *ddnsv1.DynamicDNSRecord {
	obj := &ddnsv1.DynamicDNSRecord{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: f.ns},
		Spec: ddnsv1.DynamicDNSRecordSpec{
			Domain:    domain,
			Provider:  ddnsv1.ProviderCloudflare,
			SecretRef: ddnsv1.SecretReference{Name: "creds"},
		},
	}
	if mutate != nil {
		mutate(&obj.Spec)
	}
	f.g.Expect(k8s.Create(context.Background(), obj)).To(Succeed())
	return obj
}

func (f *fixture) get(name string) *ddnsv1.DynamicDNSRecord {
	obj := &ddnsv1.DynamicDNSRecord{}
	f.g.Expect(k8s.Get(context.Background(), types.NamespacedName{Namespace: f.ns, Name: name}, obj)).To(Succeed())
	return obj
}

// waitFor polls the record until cond holds, and returns it.
func (f *fixture) waitFor(name string, desc string, cond func(*ddnsv1.DynamicDNSRecord) bool) *ddnsv1.DynamicDNSRecord {
	f.t.Helper()
	var obj *ddnsv1.DynamicDNSRecord
	f.g.Eventually(func() bool {
		obj = f.get(name)
		return cond(obj)
	}, waitTimeout, pollEvery).Should(BeTrue(), func() string {
		return fmt.Sprintf("record %s/%s never became %s; status: %+v", f.ns, name, desc, obj.Status)
	})
	return obj
}

// waitReady waits for Ready=True on the current generation.
func (f *fixture) waitReady(name string) *ddnsv1.DynamicDNSRecord {
	f.t.Helper()
	return f.waitFor(name, "Ready", func(o *ddnsv1.DynamicDNSRecord) bool {
		return o.Status.ObservedGeneration == o.Generation && meta.IsStatusConditionTrue(o.Status.Conditions, ddnsv1.ConditionReady)
	})
}

// waitReason waits for the Ready condition to carry reason.
func (f *fixture) waitReason(name, reason string) *ddnsv1.DynamicDNSRecord {
	f.t.Helper()
	return f.waitFor(name, "Ready reason "+reason, func(o *ddnsv1.DynamicDNSRecord) bool {
		c := meta.FindStatusCondition(o.Status.Conditions, ddnsv1.ConditionReady)
		return c != nil && c.Reason == reason
	})
}

// events returns the reasons of the events regarding the named record.
func (f *fixture) events(name string) []string {
	var list eventsv1.EventList
	f.g.Expect(k8s.List(context.Background(), &list, client.InNamespace(f.ns))).To(Succeed())
	var reasons []string
	for _, e := range list.Items {
		if e.Regarding.Name == name {
			reasons = append(reasons, e.Reason)
		}
	}
	return reasons
}

func cond(o *ddnsv1.DynamicDNSRecord, typ string) *metav1.Condition {
	return meta.FindStatusCondition(o.Status.Conditions, typ)
}

// strictFieldValidation makes the API server reject unknown fields, as
// `kubectl apply` does by default.
var strictFieldValidation = client.FieldValidation("Strict")

// secretValues holds every credential value a test put in a Secret; the
// suite checks after all tests that none appears in logs, events or status.
var secretValues = &valueSet{m: map[string]bool{}}

type valueSet struct {
	mu sync.Mutex
	m  map[string]bool
}

// minScanned is the shortest value the scan looks for. Fakes note what
// reaches them, a fragment included; a value of a few characters turns
// up by chance (four hex digits in a reconcile ID's UUID failed a run),
// and every credential the fakes accept is longer.
const minScanned = 8

func (s *valueSet) add(v string) {
	if len(v) < minScanned {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[v] = true
}

func (s *valueSet) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.m))
	for v := range s.m {
		out = append(out, v)
	}
	return out
}

// requireAPIServer fails a test that needs the suite's API server when the
// suite runs without one; `go test -short` (make test-unit) skips it.
func requireAPIServer(t *testing.T) {
	t.Helper()
	if k8s == nil && testing.Short() {
		t.Skip("needs a real API server: run make test")
	}
	if k8s == nil {
		t.Fatal("KUBEBUILDER_ASSETS is not set: run the suite with `make test`, which provides kube-apiserver and etcd (hack/setup-envtest.sh)")
	}
}

func ptrTo[T any](v T) *T { return &v }

// lastCheck is when the record was last checked at its provider, as the
// ddns_record_last_check_timestamp_seconds metric says (0 before any).
func (f *fixture) lastCheck(name string) float64 {
	return testutil.ToFloat64(recordLastCheck.WithLabelValues(f.ns, name))
}

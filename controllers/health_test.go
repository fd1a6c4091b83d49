package controllers

import (
	"context"
	"errors"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/controller-runtime/pkg/client"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// kstatusOf is the health a GitOps tool built on kstatus (Flux's wait,
// cli-utils, kpt) reads from the record as the API server holds it.
func (f *fixture) kstatusOf(name string) status.Status {
	f.t.Helper()
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(f.get(name))
	f.g.Expect(err).NotTo(HaveOccurred())
	res, err := status.Compute(&unstructured.Unstructured{Object: u})
	f.g.Expect(err).NotTo(HaveOccurred())
	return res.Status
}

// A record reads as in progress from its creation until the operator has
// handled its generation, also while no operator runs, and then as
// Current, Failed (a user must act) or InProgress (the operator retries).
func TestHealthAsKstatusReadsIt(t *testing.T) {
	t.Parallel()
	f := newFixture(t)

	t.Run("created, no operator running", func(t *testing.T) {
		obj := &ddnsv1.DynamicDNSRecord{}
		obj.Name, obj.Namespace = "unwatched", f.ns
		obj.Labels = map[string]string{noManagerLabel: "true"}
		obj.Spec = ddnsv1.DynamicDNSRecordSpec{Domain: f.d("unwatched", "example.com"), Provider: ddnsv1.ProviderCloudflare, SecretRef: ddnsv1.SecretReference{Name: "missing"}}
		f.g.Expect(k8s.Create(context.Background(), obj)).To(Succeed())
		f.g.Expect(f.kstatusOf("unwatched")).To(Equal(status.InProgressStatus))
		// It stays so: nothing reports it healthy while nobody looks.
		f.g.Consistently(func() status.Status { return f.kstatusOf("unwatched") }, 2*time.Second, 200*time.Millisecond).Should(Equal(status.InProgressStatus))
	})

	t.Run("reconciled", func(t *testing.T) {
		f.record("home", f.d("home", "example.com"), nil)
		f.waitReady("home")
		f.g.Expect(f.kstatusOf("home")).To(Equal(status.CurrentStatus))
	})

	t.Run("spec changed, until observed", func(t *testing.T) {
		release := make(chan struct{})
		f.mem.SetFault(func(string) error { <-release; return nil })
		obj := f.get("home")
		obj.Spec.TTL = ptrTo[ddnsv1.TTLSeconds](600)
		f.g.Expect(k8s.Update(context.Background(), obj)).To(Succeed())
		f.g.Expect(f.kstatusOf("home")).To(Equal(status.InProgressStatus))
		// The operator shows the work under way before the provider
		// answers.
		f.waitFor("home", "Reconciling on generation 2", func(o *ddnsv1.DynamicDNSRecord) bool {
			c := cond(o, ddnsv1.ConditionReconciling)
			return c != nil && c.ObservedGeneration == o.Generation
		})
		f.g.Expect(f.kstatusOf("home")).To(Equal(status.InProgressStatus))
		close(release)
		f.mem.SetFault(nil)
		f.waitReady("home")
		f.g.Expect(f.kstatusOf("home")).To(Equal(status.CurrentStatus))
	})

	t.Run("authentication failure", func(t *testing.T) {
		f.secret("wrong", map[string]string{"token": "wrong-token-" + f.ns})
		f.record("denied", f.d("denied", "example.com"), func(s *ddnsv1.DynamicDNSRecordSpec) { s.SecretRef.Name = "wrong" })
		f.waitReason("denied", ddnsv1.ReasonAuthenticationFailed)
		f.g.Expect(f.kstatusOf("denied")).To(Equal(status.FailedStatus))
	})
}

// A transient failure reads as in progress, and repeating on every retry
// it makes one Warning event, not one per retry.
func TestTransientFailureWarnsOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.mem.SetFault(func(op string) error {
		if op == "ListZoneRecords" {
			return providers.Transient("list records", errors.New("dial tcp 127.0.0.1:443: connect: connection refused"))
		}
		return nil
	})
	f.record("home", f.d("home", "example.com"), nil)
	f.waitReason("home", ddnsv1.ReasonProviderUnavailable)
	f.g.Expect(f.kstatusOf("home")).To(Equal(status.InProgressStatus))
	// Backoff 0.5s doubling to 4s: five retries within about 12s.
	before := f.mem.Calls("ListZoneRecords")
	f.g.Eventually(func() int { return f.mem.Calls("ListZoneRecords") - before }, 30*time.Second, pollEvery).Should(BeNumerically(">=", 5))
	f.g.Expect(f.warnings("home")).To(HaveLen(1), "one Warning event for one failure, however often it is retried")
	f.mem.SetFault(nil)
	f.waitReady("home")
	f.g.Expect(f.kstatusOf("home")).To(Equal(status.CurrentStatus))
}

// warnings returns the notes of the Warning events regarding the record,
// one per occurrence: an event repeated as a series counts each time.
func (f *fixture) warnings(name string) []string {
	var list eventsv1.EventList
	f.g.Expect(k8s.List(context.Background(), &list, client.InNamespace(f.ns))).To(Succeed())
	var notes []string
	for _, e := range list.Items {
		if e.Regarding.Name != name || e.Type != "Warning" {
			continue
		}
		n := 1
		if e.Series != nil {
			n = int(e.Series.Count)
		}
		for range n {
			notes = append(notes, e.Reason+": "+e.Note)
		}
	}
	return notes
}

package controllers

import (
	"context"
	"net/netip"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/internal/egress"
	"github.com/ddns-operator/ddns-operator/providers"
)

func TestCreateBecomesReadyWithAddressInStatus(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.record("home", f.d("home", "example.com"), func(s *ddnsv1.DynamicDNSRecordSpec) { s.TTL = ptr.To[ddnsv1.TTLSeconds](120) })
	obj := f.waitReady("home")

	want := addresses.get(egress.IPv4).String()
	f.g.Expect(obj.Status.Addresses).To(Equal([]string{want}))
	f.g.Expect(obj.Status.FQDN).To(Equal(f.d("home", "example.com")))
	f.g.Expect(obj.Status.Zone).To(Equal("example.com"))
	f.g.Expect(obj.Status.LastSyncTime).NotTo(BeNil())
	f.g.Expect(obj.Status.LastUpdateTime).NotTo(BeNil())
	f.g.Expect(cond(obj, ddnsv1.ConditionReconciling)).To(BeNil())
	f.g.Expect(cond(obj, ddnsv1.ConditionStalled)).To(BeNil())
	f.g.Expect(cond(obj, ddnsv1.ConditionReady).Message).To(ContainSubstring(want))

	recs := f.mem.Records("example.com", f.d("home", "example.com"), "A")
	f.g.Expect(recs).To(HaveLen(1))
	f.g.Expect(recs[0].Value).To(Equal(want))
	f.g.Expect(recs[0].TTL).To(Equal(int32(120)))
	f.g.Expect(obj.Status.RecordIDs).To(Equal([]string{recs[0].ID}))
	f.g.Eventually(func() []string { return f.events("home") }, waitTimeout, pollEvery).Should(ContainElement("Created"))
}

func TestEqualStateMakesNoProviderWrites(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.record("home", f.d("home", "example.com"), nil)
	first := f.waitReady("home")
	writes := f.mem.Writes()
	f.g.Expect(writes).To(Equal(1), "the first reconcile creates exactly one record")

	// A change to the Secret forces a fresh check against the provider.
	// The check's time has second resolution: let a second pass first.
	checked := f.lastCheck("home")
	time.Sleep(1100 * time.Millisecond)
	lists := f.mem.Reads()
	var s corev1.Secret
	f.g.Expect(k8s.Get(context.Background(), types.NamespacedName{Namespace: f.ns, Name: "creds"}, &s)).To(Succeed())
	s.Labels = map[string]string{"touched": "yes"}
	f.g.Expect(k8s.Update(context.Background(), &s)).To(Succeed())

	f.g.Eventually(func() float64 { return f.lastCheck("home") }, waitTimeout, pollEvery).Should(BeNumerically(">", checked), "checked again")
	f.g.Expect(f.mem.Reads()).To(BeNumerically(">", lists))
	f.g.Expect(f.mem.Writes()).To(Equal(writes), "an equal state must not write to the provider")
	obj := f.get("home")
	f.g.Expect(obj.Status.LastUpdateTime.Time).To(Equal(first.Status.LastUpdateTime.Time))
	f.g.Expect(obj.ResourceVersion).To(Equal(first.ResourceVersion), "a check that changes nothing writes nothing to the API server")
}

func TestDriftAtProviderIsCorrectedAtTheNextCheck(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.record("home", f.d("drift", "example.com"), func(s *ddnsv1.DynamicDNSRecordSpec) {
		s.Interval = &metav1.Duration{Duration: 30 * time.Second}
	})
	obj := f.waitReady("home")
	want := obj.Status.Addresses[0]
	f.mem.Set("example.com", obj.Status.RecordIDs[0], "81.2.69.99")

	// Nothing triggers a reconcile but the periodic drift check.
	f.g.Eventually(func() string {
		return f.mem.Records("example.com", f.d("drift", "example.com"), "A")[0].Value
	}, 45*time.Second, 250*time.Millisecond).Should(Equal(want))
	f.g.Expect(f.mem.Records("example.com", f.d("drift", "example.com"), "A")).To(HaveLen(1))
}

func TestDuplicatesAtProviderAreRemoved(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	want := addresses.get(egress.IPv4).String()
	f.mem.Seed("example.com", providers.Record{Name: f.d("dup", "example.com"), Type: "A", Value: "81.2.69.1", TTL: 300})
	f.mem.Seed("example.com", providers.Record{Name: f.d("dup", "example.com"), Type: "A", Value: want, TTL: 300})
	f.mem.Seed("example.com", providers.Record{Name: f.d("dup", "example.com"), Type: "A", Value: "81.2.69.2", TTL: 300})
	f.record("dup", f.d("dup", "example.com"), nil)
	obj := f.waitReady("dup")

	recs := f.mem.Records("example.com", f.d("dup", "example.com"), "A")
	f.g.Expect(recs).To(HaveLen(1))
	f.g.Expect(recs[0].Value).To(Equal(want))
	f.g.Expect(obj.Status.RecordIDs).To(Equal([]string{recs[0].ID}))
	f.g.Expect(f.mem.Calls("CreateRecord")).To(Equal(0), "the record already holding the address is kept")
	f.g.Expect(f.mem.Calls("UpdateRecord")).To(Equal(1), "and adopted: one write adds the ownership marker")
	f.g.Expect(recs[0].Marker).To(HavePrefix("ddns-operator:" + testOwnerID))
	f.g.Expect(f.mem.Calls("DeleteRecord")).To(Equal(2))
}

// Not parallel: it changes the suite-wide IPv6 address.
func TestAddressChangeUpdatesProviderWithoutWaitingForInterval(t *testing.T) {
	f := newFixture(t)
	f.record("v6", f.d("v6", "example.com"), func(s *ddnsv1.DynamicDNSRecordSpec) { s.Type = ddnsv1.RecordTypeAAAA })
	f.record("v4", f.d("v4", "example.com"), nil)
	f.waitReady("v6")
	v4 := f.waitReady("v4")
	v4Writes := len(f.mem.Records("example.com", f.d("v4", "example.com"), "A"))

	builds := hub.buildsFor(f.token)
	next := netip.MustParseAddr("2a02:2e0:3fe:1001:302::beef")
	start := time.Now()
	addresses.set(egress.IPv6, next)
	obj := f.waitFor("v6", "pointing at the new address", func(o *ddnsv1.DynamicDNSRecord) bool {
		return len(o.Status.Addresses) == 1 && o.Status.Addresses[0] == next.String() && cond(o, ddnsv1.ConditionReady).Status == metav1.ConditionTrue
	})
	t.Logf("address change reached status in %s (interval is %s)", time.Since(start).Round(time.Millisecond), interval(obj))
	f.g.Expect(time.Since(start)).To(BeNumerically("<", time.Minute), "the change must not wait for spec.interval (5m)")
	recs := f.mem.Records("example.com", f.d("v6", "example.com"), "AAAA")
	f.g.Expect(recs).To(HaveLen(1))
	f.g.Expect(recs[0].Value).To(Equal(next.String()))
	f.g.Expect(f.mem.Calls("UpdateRecord")).To(Equal(1))
	f.g.Expect(hub.buildsFor(f.token)).To(Equal(builds), "an address change reuses the record's provider: no Secret read, no new client")
	f.g.Eventually(func() []string { return f.events("v6") }, waitTimeout, pollEvery).Should(ContainElement("Updated"))

	// The A record is of the other family: untouched.
	f.g.Expect(f.get("v4").Status.Addresses).To(Equal(v4.Status.Addresses))
	f.g.Expect(f.mem.Records("example.com", f.d("v4", "example.com"), "A")).To(HaveLen(v4Writes))
}

func TestStaticIPSourceIsPublished(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.record("nas", f.d("nas", "example.com"), func(s *ddnsv1.DynamicDNSRecordSpec) {
		s.IPSource = &ddnsv1.IPSource{Static: "192.168.1.20"}
	})
	obj := f.waitReady("nas")
	f.g.Expect(obj.Status.Addresses).To(Equal([]string{"192.168.1.20"}))
}

func TestMissingSecretStallsUntilItIsCreated(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.record("home", f.d("home", "example.com"), func(s *ddnsv1.DynamicDNSRecordSpec) { s.SecretRef.Name = "later" })
	obj := f.waitReason("home", ddnsv1.ReasonSecretNotFound)
	stalled := cond(obj, ddnsv1.ConditionStalled)
	f.g.Expect(stalled).NotTo(BeNil())
	f.g.Expect(stalled.Status).To(Equal(metav1.ConditionTrue))
	f.g.Expect(stalled.Message).To(ContainSubstring(f.ns + "/later"))
	f.g.Expect(cond(obj, ddnsv1.ConditionReconciling)).To(BeNil(), "Stalled and Reconciling are never both set")
	f.g.Expect(obj.Status.ObservedGeneration).To(Equal(obj.Generation))
	f.g.Expect(f.mem.Calls("FindZone")).To(Equal(0))

	// Creating the Secret re-reconciles the record at once.
	f.secret("later", map[string]string{"token": f.token})
	obj = f.waitReady("home")
	f.g.Expect(cond(obj, ddnsv1.ConditionStalled)).To(BeNil())
}

func TestMissingKeyStallsNamingTheKey(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.secret("nokey", map[string]string{"password": "not-the-key-we-want"})
	f.record("home", f.d("home", "example.com"), func(s *ddnsv1.DynamicDNSRecordSpec) { s.SecretRef.Name = "nokey" })
	obj := f.waitReason("home", ddnsv1.ReasonInvalidCredentials)
	f.g.Expect(cond(obj, ddnsv1.ConditionStalled).Status).To(Equal(metav1.ConditionTrue))
	f.g.Expect(cond(obj, ddnsv1.ConditionReady).Message).To(ContainSubstring(`"apiToken"`))
	f.g.Expect(cond(obj, ddnsv1.ConditionReady).Message).NotTo(ContainSubstring("not-the-key-we-want"))
}

func TestAuthenticationFailureStallsWithoutHotLoop(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.secret("wrong", map[string]string{"token": "wrong-token-value"})
	f.record("home", f.d("home", "example.com"), func(s *ddnsv1.DynamicDNSRecordSpec) { s.SecretRef.Name = "wrong" })
	obj := f.waitReason("home", ddnsv1.ReasonAuthenticationFailed)
	f.g.Expect(cond(obj, ddnsv1.ConditionStalled).Status).To(Equal(metav1.ConditionTrue))
	f.g.Expect(cond(obj, ddnsv1.ConditionReady).Status).To(Equal(metav1.ConditionFalse))
	f.g.Expect(cond(obj, ddnsv1.ConditionReady).Message).NotTo(ContainSubstring("wrong-token-value"))
	f.g.Eventually(func() []string { return f.events("home") }, waitTimeout, pollEvery).Should(ContainElement(ddnsv1.ReasonAuthenticationFailed))

	// Fixing the Secret recovers.
	var s corev1.Secret
	f.g.Expect(k8s.Get(context.Background(), types.NamespacedName{Namespace: f.ns, Name: "wrong"}, &s)).To(Succeed())
	s.Data = map[string][]byte{"token": []byte(f.token)}
	f.g.Expect(k8s.Update(context.Background(), &s)).To(Succeed())
	f.waitReady("home")
}

func TestTransientErrorRetriesWithBackoffThenRecovers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.mem.SetFault(func(op string) error {
		if op == "ListZoneRecords" {
			return providers.Errorf(providers.KindTransient, "503", "service unavailable")
		}
		return nil
	})
	f.record("home", f.d("home", "example.com"), nil)
	obj := f.waitReason("home", ddnsv1.ReasonProviderUnavailable)
	f.g.Expect(cond(obj, ddnsv1.ConditionReady).Status).To(Equal(metav1.ConditionFalse))
	f.g.Expect(cond(obj, ddnsv1.ConditionReconciling).Status).To(Equal(metav1.ConditionTrue))
	f.g.Expect(cond(obj, ddnsv1.ConditionStalled)).To(BeNil())

	// Backoff: base 0.5s doubling to a 4s cap. Over 6s a hot loop would
	// make hundreds of calls; backoff makes at most a handful.
	before := f.mem.Calls("ListZoneRecords")
	time.Sleep(6 * time.Second)
	retries := f.mem.Calls("ListZoneRecords") - before
	t.Logf("%d retries in 6s", retries)
	f.g.Expect(retries).To(BeNumerically(">=", 1), "transient errors are retried")
	f.g.Expect(retries).To(BeNumerically("<=", 6), "retries back off")

	f.mem.SetFault(nil)
	obj = f.waitReady("home")
	f.g.Expect(cond(obj, ddnsv1.ConditionReconciling)).To(BeNil())
}

func TestRateLimitHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.mem.SetFault(func(op string) error {
		return providers.RateLimited("429", "too many requests", 3*time.Second)
	})
	f.record("home", f.d("home", "example.com"), nil)
	obj := f.waitReason("home", ddnsv1.ReasonRateLimited)
	f.g.Expect(cond(obj, ddnsv1.ConditionReady).Message).To(ContainSubstring("retrying in 3s"))
	before := f.mem.Calls("FindZone")
	time.Sleep(2 * time.Second)
	f.g.Expect(f.mem.Calls("FindZone")).To(Equal(before), "no retry before the provider's Retry-After")
	f.mem.SetFault(nil)
	f.waitReady("home")
}

func TestDeletionPolicyDeleteRemovesTheRecord(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// A record of the same name the resource never managed: left alone.
	other := f.mem.Seed("example.org", providers.Record{Name: f.d("gone", "example.org"), Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::9", TTL: 300})
	f.record("gone", f.d("gone", "example.org"), func(s *ddnsv1.DynamicDNSRecordSpec) { s.DeletionPolicy = ddnsv1.DeletionPolicyDelete })
	obj := f.waitReady("gone")
	f.g.Expect(obj.Finalizers).To(ContainElement(Finalizer))
	f.g.Expect(f.mem.Records("example.org", f.d("gone", "example.org"), "A")).To(HaveLen(1))

	f.g.Expect(k8s.Delete(context.Background(), obj)).To(Succeed())
	f.g.Eventually(func() bool {
		err := k8s.Get(context.Background(), client.ObjectKeyFromObject(obj), &ddnsv1.DynamicDNSRecord{})
		return apierrors.IsNotFound(err)
	}, waitTimeout, pollEvery).Should(BeTrue())
	f.g.Expect(f.mem.Records("example.org", f.d("gone", "example.org"), "A")).To(BeEmpty())
	f.g.Expect(f.mem.Records("example.org", f.d("gone", "example.org"), "AAAA")).To(Equal([]providers.Record{other}))
}

func TestDeletionPolicyRetainLeavesTheRecord(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.record("kept", f.d("kept", "example.org"), nil)
	obj := f.waitReady("kept")
	f.g.Expect(obj.Spec.DeletionPolicy).To(Equal(ddnsv1.DeletionPolicyRetain))
	f.g.Expect(obj.Finalizers).To(BeEmpty(), "a retained record never blocks deletion")

	f.g.Expect(k8s.Delete(context.Background(), obj)).To(Succeed())
	f.g.Eventually(func() bool {
		return apierrors.IsNotFound(k8s.Get(context.Background(), client.ObjectKeyFromObject(obj), &ddnsv1.DynamicDNSRecord{}))
	}, waitTimeout, pollEvery).Should(BeTrue())
	f.g.Expect(f.mem.Records("example.org", f.d("kept", "example.org"), "A")).To(HaveLen(1))
	f.g.Expect(f.mem.Calls("DeleteRecord")).To(Equal(0))
}

func TestTwoResourcesForOneNameConflict(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.record("first", f.d("shared", "example.com"), nil)
	f.waitReady("first")
	f.record("second", f.d("shared", "example.com"), nil)
	obj := f.waitReason("second", ddnsv1.ReasonConflict)
	f.g.Expect(cond(obj, ddnsv1.ConditionStalled).Status).To(Equal(metav1.ConditionTrue))
	f.g.Expect(cond(obj, ddnsv1.ConditionReady).Message).To(ContainSubstring(f.ns + "/first"))
	f.g.Expect(f.mem.Records("example.com", f.d("shared", "example.com"), "A")).To(HaveLen(1))
	f.g.Expect(readyReason(f.get("first"))).To(Equal(ddnsv1.ReasonSynced), "the older resource keeps the name")

	// When the winner goes, the other takes over.
	f.g.Expect(k8s.Delete(context.Background(), f.get("first"))).To(Succeed())
	f.waitReady("second")
}

func readyReason(o *ddnsv1.DynamicDNSRecord) string {
	if c := cond(o, ddnsv1.ConditionReady); c != nil {
		return c.Reason
	}
	return ""
}

func TestSpecChangeIsApplied(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.record("home", f.d("ttl", "example.com"), func(s *ddnsv1.DynamicDNSRecordSpec) { s.TTL = ptr.To[ddnsv1.TTLSeconds](300) })
	obj := f.waitReady("home")
	obj.Spec.TTL = ptr.To[ddnsv1.TTLSeconds](900)
	f.g.Expect(k8s.Update(context.Background(), obj)).To(Succeed())
	f.g.Eventually(func() int32 {
		return f.mem.Records("example.com", f.d("ttl", "example.com"), "A")[0].TTL
	}, waitTimeout, pollEvery).Should(Equal(int32(900)))
	obj = f.waitReady("home")
	f.g.Expect(obj.Status.ObservedGeneration).To(Equal(int64(2)))
}

func TestProviderRejectionStallsWithProviderMessage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.mem.MinTTL = 600
	f.record("home", f.d("home", "example.com"), func(s *ddnsv1.DynamicDNSRecordSpec) { s.TTL = ptr.To[ddnsv1.TTLSeconds](60) })
	obj := f.waitReason("home", ddnsv1.ReasonInvalidRecord)
	f.g.Expect(cond(obj, ddnsv1.ConditionStalled).Status).To(Equal(metav1.ConditionTrue))
	f.g.Expect(cond(obj, ddnsv1.ConditionReady).Message).To(ContainSubstring("minimum of 600"))
}

func TestZoneNotFoundStalls(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.record("home", f.d("home", "example.net"), nil)
	obj := f.waitReason("home", ddnsv1.ReasonZoneNotFound)
	f.g.Expect(cond(obj, ddnsv1.ConditionStalled).Status).To(Equal(metav1.ConditionTrue))
}

package controllers

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/registry/registrytest"
)

// faultFake is one provider's fake server as the fault matrix drives it.
type faultFake struct {
	url      string
	creds    map[string]string
	setFault func(providertest.Fault)
	// requests counts every request the fake received, faults included.
	requests func() int
	// records counts the A records named fqdn the fake holds.
	records func(fqdn string) int
	// seen is the credential material (Authorization headers, signatures,
	// tokens) the fake received.
	seen func() []string
	// options sets the provider's options block (nil: none); skip names
	// the faults the protocol cannot meet (providertest.CheckFault).
	options func(*ddnsv1.DynamicDNSRecordSpec)
	skip    map[string]string
	// minTTL is the smallest TTL the provider takes.
	minTTL int32
}

// faultBackend starts a provider's fake and holds its valid credentials.
type faultBackend struct {
	provider string
	start    func(t *testing.T) faultFake
}

// faultBackends are the registered providers with fakes (registrytest),
// except those whose fake opts out of the matrix with a reason.
var faultBackends = func() []faultBackend {
	var out []faultBackend
	for _, b := range registrytest.Backends() {
		out = append(out, faultBackend{provider: b.Descriptor.Name, start: func(t *testing.T) faultFake {
			srv := b.Start(t, "example.com")
			if why, ok := srv.Skip["fault matrix"]; ok {
				t.Skip(why)
			}
			return faultFake{srv.Endpoint, srv.Secret, srv.SetFault, srv.Requests, func(fqdn string) int {
				return len(srv.Records("example.com", fqdn, "A"))
			}, srv.CredentialsSeen, srv.Options, srv.Skip, srv.MinTTL}
		}})
	}
	return out
}()

// faultClass is what the operator must do about a fault.
type faultClass int

const (
	classRetry   faultClass = iota // transient: ProviderUnavailable, backoff
	classWait                      // rate limited: wait the provider's time
	classStalled                   // a user must act: Stalled, no retry loop
	classLost                      // a write's answer lost: retry, no duplicate
)

// expect returns the Ready reason and class a fault must produce.
func expect(f providertest.Fault) (string, faultClass) {
	switch f {
	case providertest.FaultAuthRejected:
		return ddnsv1.ReasonAuthenticationFailed, classStalled
	case providertest.FaultZoneNotFound:
		return ddnsv1.ReasonZoneNotFound, classStalled
	case providertest.FaultRateLimited, providertest.FaultRateLimitedNoRetryAfter:
		return ddnsv1.ReasonRateLimited, classWait
	case providertest.FaultLostResponse:
		return ddnsv1.ReasonSynced, classLost
	}
	return ddnsv1.ReasonProviderUnavailable, classRetry
}

// Requests allowed at a fake during faultWindow, by class. Without
// backoff a failing record is reconciled in a loop of thousands of
// requests a second; with the suite's backoff (0.5s doubling to 4s) a
// transient fault costs a few reconciles of at most three requests each.
var maxRequestsInWindow = map[faultClass]int{classRetry: 30, classWait: 6, classStalled: 3, classLost: 3}

const faultWindow = 8 * time.Second

// faultCase is one provider under one fault.
type faultCase struct {
	backend faultBackend
	fault   providertest.Fault
	reason  string
	class   faultClass
	fake    faultFake
	f       *fixture
	fqdn    string

	inWindow  int
	recovered bool
	records   int
	message   string
}

func (c *faultCase) String() string { return c.backend.provider + "/" + c.fault.String() }

// TestFaultMatrix drives every real provider package, through the
// reconciler, against its fake answering with every fault: the record must
// show the right reason, back off instead of looping, recover when the
// fault clears, and never hold a duplicate after a lost answer. All cases
// run at once, phase by phase, so the matrix costs the time of its slowest
// case (a throttle without Retry-After: the operator's 30s default wait).
//
// The providers go through it in groups of faultGroup, one group after
// another: every case of a group runs at once, and all providers at once
// (some 370 records and fake servers) would leave a 2-core machine too
// busy to meet the phases' limits.
func TestFaultMatrix(t *testing.T) {
	requireAPIServer(t)
	var all []*faultCase
	for i := 0; i < len(faultBackends); i += faultGroup {
		group := faultBackends[i:min(i+faultGroup, len(faultBackends))]
		t.Run(group[0].provider+"-to-"+group[len(group)-1].provider, func(t *testing.T) {
			all = append(all, runFaultMatrix(t, group)...)
		})
	}
	reportMatrix(t, all)
}

// faultGroup is how many providers' cases run at once.
const faultGroup = 6

// runFaultMatrix runs every fault against each of backends at once, phase
// by phase, and returns the cases.
func runFaultMatrix(t *testing.T, backends []faultBackend) []*faultCase {
	ctx := context.Background()
	start := time.Now()
	phase := func(name string) { t.Logf("%s done after %s", name, time.Since(start).Round(100*time.Millisecond)) }
	var cases []*faultCase
	for _, b := range backends {
		for _, fault := range providertest.Faults {
			fake := b.start(t)
			if why, ok := fake.skip[providertest.CheckFault(fault)]; ok {
				t.Logf("%s/%s skipped: %s", b.provider, fault, why)
				continue
			}
			c := &faultCase{backend: b, fault: fault, fake: fake, f: newFixture(t)}
			c.reason, c.class = expect(fault)
			c.fqdn = c.f.d("fault", "example.com")
			c.f.endpointSecret("real", c.fake.creds, c.fake.url)
			c.fake.setFault(fault)
			c.f.record("r", c.fqdn, func(s *ddnsv1.DynamicDNSRecordSpec) {
				s.Provider = ddnsv1.ProviderName(b.provider)
				s.SecretRef.Name = "real"
				s.TTL = ptrTo(ddnsv1.TTLSeconds(max(600, c.fake.minTTL)))
				s.IPSource = &ddnsv1.IPSource{Static: "81.2.69.170"}
				if fake.options != nil {
					fake.options(s)
				}
			})
			cases = append(cases, c)
		}
	}

	// 1. Every record reports its fault, with the right conditions.
	waitAll(t, cases, "the fault's reason", 40*time.Second, func(c *faultCase, o *ddnsv1.DynamicDNSRecord) bool {
		ready := cond(o, ddnsv1.ConditionReady)
		if ready == nil || ready.Reason != c.reason {
			return false
		}
		c.message = ready.Message
		stalled := meta.IsStatusConditionTrue(o.Status.Conditions, ddnsv1.ConditionStalled)
		reconciling := meta.IsStatusConditionTrue(o.Status.Conditions, ddnsv1.ConditionReconciling)
		switch c.class {
		case classLost:
			return ready.Status == metav1.ConditionTrue && c.fake.records(c.fqdn) == 1
		case classStalled:
			return ready.Status == metav1.ConditionFalse && stalled && !reconciling
		default:
			return ready.Status == metav1.ConditionFalse && reconciling && !stalled
		}
	})
	phase("faults reported")
	for _, c := range cases {
		if strings.Contains(c.message, "panic") {
			t.Errorf("%s: the reconciler panicked: %s", c, c.message)
		}
	}

	// 2. No hot loop: the requests of a fixed window stay few.
	before := make([]int, len(cases))
	for i, c := range cases {
		before[i] = c.fake.requests()
	}
	time.Sleep(faultWindow)
	for i, c := range cases {
		c.inWindow = c.fake.requests() - before[i]
		if c.inWindow > maxRequestsInWindow[c.class] {
			t.Errorf("%s: %d requests in %s, want at most %d (a retry loop without backoff?)", c, c.inWindow, faultWindow, maxRequestsInWindow[c.class])
		}
	}

	// 3. A lost answer to an update must not duplicate either: change the
	// TTL while answers are still lost.
	for _, c := range cases {
		if c.class == classLost {
			obj := c.f.get("r")
			obj.Spec.TTL = ptrTo(ddnsv1.TTLSeconds(max(900, c.fake.minTTL+300)))
			c.f.g.Expect(k8s.Update(ctx, obj)).To(Succeed())
		}
	}
	waitAll(t, onlyClass(cases, classLost), "Ready after a lost update", 30*time.Second, func(c *faultCase, o *ddnsv1.DynamicDNSRecord) bool {
		return o.Status.ObservedGeneration == o.Generation && meta.IsStatusConditionTrue(o.Status.Conditions, ddnsv1.ConditionReady)
	})

	phase("lost update")
	// 4. Clear every fault; where a user had to act, they fix the Secret
	// (its change reaches the record at once). Everything recovers.
	for _, c := range cases {
		c.fake.setFault(providertest.FaultNone)
		if c.class == classStalled {
			c.f.touchSecret("real")
		}
	}
	waitAll(t, cases, "Ready after the fault cleared", 45*time.Second, func(c *faultCase, o *ddnsv1.DynamicDNSRecord) bool {
		c.recovered = o.Status.ObservedGeneration == o.Generation && meta.IsStatusConditionTrue(o.Status.Conditions, ddnsv1.ConditionReady)
		return c.recovered
	})

	phase("recovery")
	// 5. Exactly one record each: no retry duplicated a write.
	for _, c := range cases {
		c.records = c.fake.records(c.fqdn)
		if c.records != 1 {
			t.Errorf("%s: the fake holds %d records for %s, want exactly 1", c, c.records, c.fqdn)
		}
		for _, v := range c.fake.seen() {
			secretValues.add(v)
		}
	}
	return cases
}

// waitAll polls every case's record until done holds for each, and fails
// the test for those that never get there.
func waitAll(t *testing.T, cases []*faultCase, desc string, timeout time.Duration, done func(*faultCase, *ddnsv1.DynamicDNSRecord) bool) {
	t.Helper()
	pending := map[*faultCase]bool{}
	for _, c := range cases {
		pending[c] = true
	}
	deadline := time.Now().Add(timeout)
	for len(pending) > 0 && time.Now().Before(deadline) {
		for c := range pending {
			if done(c, c.f.get("r")) {
				delete(pending, c)
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	for c := range pending {
		t.Errorf("%s: never reached %s within %s; conditions: %+v", c, desc, timeout, c.f.get("r").Status.Conditions)
	}
}

func onlyClass(cases []*faultCase, class faultClass) []*faultCase {
	var out []*faultCase
	for _, c := range cases {
		if c.class == class {
			out = append(out, c)
		}
	}
	return out
}

// reportMatrix prints the matrix RELIABILITY.md quotes.
func reportMatrix(t *testing.T, cases []*faultCase) {
	sort.SliceStable(cases, func(i, j int) bool { return cases[i].backend.provider < cases[j].backend.provider })
	var b strings.Builder
	fmt.Fprintf(&b, "fault matrix: %d cases\n| provider | fault | reason | requests in %s | recovered | records after |\n|---|---|---|---|---|---|\n", len(cases), faultWindow)
	survived := 0
	for _, c := range cases {
		if c.recovered && c.records == 1 {
			survived++
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %d | %t | %d |\n", c.backend.provider, c.fault, c.reason, c.inWindow, c.recovered, c.records)
	}
	fmt.Fprintf(&b, "survived: %d of %d\n", survived, len(cases))
	t.Log(b.String())
}

// endpointSecret creates a Secret with creds and the test-only key naming
// the fake server. Only the credentials join the suite's scan list.
func (f *fixture) endpointSecret(name string, creds map[string]string, endpoint string) {
	data := map[string]string{testEndpointKey: endpoint}
	for k, v := range creds {
		secretValues.add(v)
		data[k] = v
	}
	f.g.Expect(k8s.Create(context.Background(), &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: f.ns}, StringData: data,
	})).To(Succeed())
}

// touchSecret changes a Secret's annotations, as a user fixing it does.
func (f *fixture) touchSecret(name string) {
	var s corev1.Secret
	f.g.Expect(k8s.Get(context.Background(), clientKey(f.ns, name), &s)).To(Succeed())
	if s.Annotations == nil {
		s.Annotations = map[string]string{}
	}
	s.Annotations["ddns.dev/test-fixed-at"] = time.Now().Format(time.RFC3339Nano)
	f.g.Expect(k8s.Update(context.Background(), &s)).To(Succeed())
}

func clientKey(ns, name string) types.NamespacedName {
	return types.NamespacedName{Namespace: ns, Name: name}
}

package controllers

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-logr/logr/testr"
	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/internal/egress"
)

// echo starts an echo service on host that answers *body.
func echo(t *testing.T, host string, body *atomic.Value) string {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Skipf("cannot listen on %s: %v", host, err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(body.Load().(string)))
	}))
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

func answer(s string) *atomic.Value {
	v := &atomic.Value{}
	v.Store(s)
	return v
}

// TestOneDetectorServesAAndAAAAWithoutLeak resolves an A and an AAAA record
// through the reconciler's address step from one real Detector whose
// sources run on 127.0.0.1 and ::1.
func TestOneDetectorServesAAndAAAAWithoutLeak(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	v4, v6 := answer("81.2.69.160\n"), answer("2a02:2e0:3fe:1001:302::7\n")
	srcs := func(fam egress.Family, urls ...string) []egress.Source {
		var out []egress.Source
		for _, u := range urls {
			s, err := egress.ParseSource(u+"#operator="+u, fam, egress.SpecDefaults{Timeout: time.Second})
			g.Expect(err).NotTo(HaveOccurred())
			out = append(out, s)
		}
		return out
	}
	det := egress.NewDetector(egress.Config{Interval: time.Hour, Logger: testr.New(t), Sources: map[egress.Family][]egress.Source{
		egress.IPv4: srcs(egress.IPv4, echo(t, "127.0.0.1", v4), echo(t, "127.0.0.1", v4)),
		egress.IPv6: srcs(egress.IPv6, echo(t, "::1", v6), echo(t, "::1", v6)),
	}})
	r := &DynamicDNSRecordReconciler{Addresses: det}
	resolve := func(typ ddnsv1.RecordType) (string, error) {
		obj := &ddnsv1.DynamicDNSRecord{Spec: ddnsv1.DynamicDNSRecordSpec{Type: typ}}
		st := &syncState{}
		err := r.resolveAddress(context.Background(), obj, st)
		return st.address, err
	}
	a, err := resolve(ddnsv1.RecordTypeA)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(a).To(Equal("81.2.69.160"))
	aaaa, err := resolve(ddnsv1.RecordTypeAAAA)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(aaaa).To(Equal("2a02:2e0:3fe:1001:302::7"))

	// Every IPv6 echo now (wrongly) answers an IPv4 address: the AAAA
	// record keeps the last agreed IPv6 address and gets nothing of IPv4.
	v6.Store("81.2.69.160")
	st := &syncState{}
	err = r.resolveAddress(context.Background(), &ddnsv1.DynamicDNSRecord{Spec: ddnsv1.DynamicDNSRecordSpec{Type: ddnsv1.RecordTypeAAAA}}, st)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(st.address).To(Equal("2a02:2e0:3fe:1001:302::7"))
}

// TestDisagreementIsReportedOnTheRecord shows the condition a record gets
// when the sources disagree after an address was agreed.
func TestDisagreementIsReportedOnTheRecord(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	a, b := answer("81.2.69.160"), answer("81.2.69.160")
	var srcs []egress.Source
	for _, u := range []string{echo(t, "127.0.0.1", a), echo(t, "127.0.0.1", b)} {
		s, err := egress.ParseSource(u+"#operator="+u, egress.IPv4, egress.SpecDefaults{Timeout: time.Second})
		g.Expect(err).NotTo(HaveOccurred())
		srcs = append(srcs, s)
	}
	det := egress.NewDetector(egress.Config{Interval: 200 * time.Millisecond, Logger: testr.New(t), Sources: map[egress.Family][]egress.Source{egress.IPv4: srcs}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = det.Start(ctx) }()
	r := &DynamicDNSRecordReconciler{Addresses: det}
	obj := &ddnsv1.DynamicDNSRecord{ObjectMeta: metav1.ObjectMeta{Generation: 1}}
	g.Expect(r.resolveAddress(ctx, obj, &syncState{})).To(Succeed())

	b.Store("81.2.69.199")
	g.Eventually(func() string {
		err := r.resolveAddress(ctx, obj, &syncState{})
		if err == nil {
			return ""
		}
		we, ok := isWait(err)
		if !ok {
			return "not a wait: " + err.Error()
		}
		markRetrying(obj, we.reason, we.msg)
		return meta.FindStatusCondition(obj.Status.Conditions, ddnsv1.ConditionReady).Message
	}, 5*time.Second, 50*time.Millisecond).Should(And(ContainSubstring("sources disagree"), ContainSubstring("keeping the last agreed address 81.2.69.160")))
	c := meta.FindStatusCondition(obj.Status.Conditions, ddnsv1.ConditionReady)
	g.Expect(c.Reason).To(Equal(ddnsv1.ReasonSourcesDisagree))
	g.Expect(strings.Contains(c.Message, "81.2.69.199")).To(BeTrue(), "the message names the disputed answer")
}

package controllers

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-logr/logr/testr"
	. "github.com/onsi/gomega"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/internal/egress"
	"github.com/ddns-operator/ddns-operator/internal/notify"
)

// hook is a local webhook receiver: it records every request and answers
// with status, or holds the request until the test ends when hold is set.
type hook struct {
	srv    *httptest.Server
	status atomic.Int32
	hold   chan struct{}

	mu       sync.Mutex
	requests []string // "METHOD PATH BODY"
	answered int
}

func newHook(t *testing.T, hold bool) *hook {
	h := &hook{}
	h.status.Store(http.StatusOK)
	if hold {
		h.hold = make(chan struct{})
	}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.requests = append(h.requests, r.Method+" "+r.URL.Path+" "+string(b))
		h.mu.Unlock()
		if h.hold != nil {
			<-h.hold
		}
		w.WriteHeader(int(h.status.Load()))
		h.mu.Lock()
		h.answered++
		h.mu.Unlock()
	}))
	t.Cleanup(func() {
		if h.hold != nil {
			close(h.hold)
		}
		h.srv.Close()
	})
	return h
}

func (h *hook) got() (requests []string, answered int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.requests...), h.answered
}

// observerRig is a second manager, confined to a test's namespace, running
// the notification side (RecordObserver, Tracker, Notifier, Heartbeat)
// beside the suite's reconciler, as main.go wires them.
type observerRig struct {
	secretDir string
	tracker   *notify.Tracker
}

// startObserver starts the rig for f with the given targets (URLs written
// to a Secret directory under their names) and, when hb is set, a
// heartbeat over det.
func startObserver(t *testing.T, f *fixture, targets map[string]string, hb *hook, det *egress.Detector) *observerRig {
	t.Helper()
	scheme, err := NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	mgr, err := ctrl.NewManager(testEnv.Config, ctrl.Options{
		Scheme:  scheme,
		Metrics: metricsserver.Options{BindAddress: "0"},
		Cache:   cache.Options{DefaultNamespaces: map[string]cache.Config{f.ns: {}}, DefaultTransform: TrimForCache},
		Logger:  testr.New(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	rig := &observerRig{secretDir: t.TempDir(), tracker: &notify.Tracker{FailingAfter: 2 * time.Second}}
	var ts []notify.Target
	names := make([]string, 0, len(targets))
	for n := range targets {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(rig.secretDir, n), []byte(targets[n]), 0o600); err != nil {
			t.Fatal(err)
		}
		ts = append(ts, notify.Target{Name: f.ns + "-" + n, Channel: &notify.Shoutrrr{URL: notify.SecretValue{Dir: rig.secretDir, Key: n}.Read}})
	}
	obs := &RecordObserver{Client: mgr.GetClient(), Recorder: mgr.GetEventRecorder("ddns-operator"), Tracker: rig.tracker}
	if len(ts) > 0 {
		n := notify.New(notify.Options{Quiet: 2 * time.Second, Retry: notify.Retry{Initial: 50 * time.Millisecond, Max: time.Second, AttemptTimeout: time.Hour}, Logger: testr.New(t)}, ts)
		rig.tracker.Sink, obs.Notifier = n, n
		if err := mgr.Add(n); err != nil {
			t.Fatal(err)
		}
	}
	if err := mgr.Add(rig.tracker); err != nil {
		t.Fatal(err)
	}
	if hb != nil {
		if err := mgr.Add(det); err != nil {
			t.Fatal(err)
		}
		if err := mgr.Add(&notify.Heartbeat{
			URL:       func() (string, error) { return hb.srv.URL + "/ping/" + f.ns, nil },
			Detectors: map[string]notify.StatusSource{"": det},
			Failing:   rig.tracker.Failing,
			Logger:    testr.New(t),
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := obs.SetupWithManager(mgr, true); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = mgr.Start(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	// Records that exist before the observer watches are first seen as
	// they are (no news); tests change them only once it watches.
	select {
	case <-mgr.Elected():
	case <-time.After(waitTimeout):
		t.Fatal("the observer's manager did not start")
	}
	if !mgr.GetCache().WaitForCacheSync(ctx) {
		t.Fatal("the observer's cache did not sync")
	}
	return rig
}

// TestNotificationsNeverSlowReconciles: twenty records follow one
// LoadBalancer Service whose address changes. One target's receiver takes
// the request and never answers; another answers. Every record reaches
// the new address at the provider while the hung receiver still holds its
// first request, and the working receiver gets one message for the whole
// burst.
func TestNotificationsNeverSlowReconciles(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	hung, ok := newHook(t, true), newHook(t, false)
	rig := startObserver(t, f, map[string]string{
		"hung": "generic+" + hung.srv.URL + "/hung",
		"ok":   "generic+" + ok.srv.URL + "/ok",
	}, nil, nil)
	svc := f.loadBalancer("edge", "81.2.69.160")
	const n = 20
	for i := range n {
		f.record(fmt.Sprintf("r%02d", i), f.d(fmt.Sprintf("r%02d", i), "example.com"), func(s *ddnsv1.DynamicDNSRecordSpec) {
			s.IPSource = &ddnsv1.IPSource{Service: &ddnsv1.ServiceAddressSource{Name: svc.Name}}
		})
	}
	for i := range n {
		f.waitReady(fmt.Sprintf("r%02d", i))
	}
	// Whether the records' creation is news depends on whether the
	// observer's informer saw them before they were Ready; either way
	// it has seen them all by now. Let that first burst, if any, go out
	// (the digest's quiet period is 2s) before the address changes.
	f.g.Eventually(rig.tracker.Len, waitTimeout, pollEvery).Should(Equal(n))
	time.Sleep(5 * time.Second)
	before, _ := ok.got()

	began := time.Now()
	f.setIngress(svc, "81.2.69.170")
	for i := range n {
		f.waitFor(fmt.Sprintf("r%02d", i), "at the new address", func(o *ddnsv1.DynamicDNSRecord) bool {
			return len(o.Status.Addresses) == 1 && o.Status.Addresses[0] == "81.2.69.170"
		})
	}
	took := time.Since(began)
	reqs, answered := hung.got()
	if len(reqs) > 1 || answered != 0 {
		t.Fatalf("the hung receiver saw %d requests and answered %d; want its first request still held", len(reqs), answered)
	}
	f.g.Eventually(func() int { r, _ := ok.got(); return len(r) }, waitTimeout, pollEvery).Should(Equal(len(before) + 1))
	time.Sleep(3 * time.Second)
	msgs, _ := ok.got()
	if len(msgs) != len(before)+1 {
		t.Fatalf("the working receiver got %d messages for the address change, want 1:\n%s", len(msgs)-len(before), strings.Join(msgs[len(before):], "\n---\n"))
	}
	second := msgs[len(msgs)-1]
	for _, want := range []string{"POST /ok [ddns-operator] 20 records updated", "Updated 20 records:", "81.2.69.160 -> 81.2.69.170"} {
		if !strings.Contains(second, want) {
			t.Errorf("second message lacks %q:\n%s", want, second)
		}
	}
	t.Logf("%d records moved to the new address in %s while a receiver held the notifier's request; the other receiver got one message per burst", n, took.Round(time.Millisecond))
}

// TestTestAnnotationAnswersWithEvents: annotating a record sends a test
// message to every target; the record gets one event per target saying
// whether it arrived.
func TestTestAnnotationAnswersWithEvents(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ok, broken := newHook(t, false), newHook(t, false)
	broken.status.Store(http.StatusInternalServerError)
	rig := startObserver(t, f, map[string]string{
		"chat":   "generic+" + ok.srv.URL + "/chat",
		"broken": "generic+" + broken.srv.URL + "/broken",
	}, nil, nil)
	f.record("home", f.d("home", "example.com"), nil)
	f.waitReady("home")
	// A test is asked for by a change of the annotation, so the observer
	// must have seen the record before it.
	f.g.Eventually(rig.tracker.Len, waitTimeout, pollEvery).Should(Equal(1))
	obj := f.get("home")
	obj.Annotations = map[string]string{TestNotificationAnnotation: "2026-11-30T12:00:00Z"}
	f.g.Expect(k8s.Update(context.Background(), obj)).To(Succeed())
	f.g.Eventually(func() []string { return f.events("home") }, waitTimeout, pollEvery).Should(ContainElements("NotificationSent", "NotificationFailed"))
	// The record's creation may also be news (a digest), depending on
	// when the observer first saw it: count the test messages only.
	tests := func(h *hook) []string {
		reqs, _ := h.got()
		var out []string
		for _, r := range reqs {
			if strings.Contains(r, "Test notification") {
				out = append(out, r)
			}
		}
		return out
	}
	if reqs := tests(ok); len(reqs) != 1 || !strings.Contains(reqs[0], TestNotificationAnnotation+" on "+f.ns+"/home") {
		t.Errorf("the working target got %q", reqs)
	}
	if reqs := tests(broken); len(reqs) != 3 {
		t.Errorf("the broken target was tried %d times with the test, want 3", len(reqs))
	}
	// The same value again is not a new request.
	obj = f.get("home")
	obj.Labels = map[string]string{"touched": "yes"}
	f.g.Expect(k8s.Update(context.Background(), obj)).To(Succeed())
	time.Sleep(time.Second)
	if reqs := tests(ok); len(reqs) != 1 {
		t.Errorf("an unchanged annotation sent another test: %d", len(reqs))
	}
}

// TestHeartbeatPingsSuccessAndFailure runs a real detector over two local
// echo sources and a heartbeat: it pings the URL while detection agrees
// and no record fails, URL/fail when the sources stop answering and when a
// record stalls, and the URL again once both are fixed.
func TestHeartbeatPingsSuccessAndFailure(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	hb := newHook(t, false)
	v4 := answer("81.2.69.160\n")
	var srcs []egress.Source
	for i := range 2 {
		u := echo(t, "127.0.0.1", v4)
		s, err := egress.ParseSource(fmt.Sprintf("%s#operator=echo%d", u, i), egress.IPv4, egress.SpecDefaults{Timeout: time.Second})
		f.g.Expect(err).NotTo(HaveOccurred())
		srcs = append(srcs, s)
	}
	det := egress.NewDetector(egress.Config{Interval: time.Second, Logger: testr.New(t), Sources: map[egress.Family][]egress.Source{egress.IPv4: srcs}})
	startObserver(t, f, nil, hb, det)
	path := "/ping/" + f.ns
	pings := func() []string {
		reqs, _ := hb.got()
		var out []string
		for _, r := range reqs {
			out = append(out, strings.SplitN(r, " ", 3)[1])
		}
		return out
	}
	last := func() string {
		p := pings()
		if len(p) == 0 {
			return ""
		}
		return p[len(p)-1]
	}
	f.g.Eventually(last, waitTimeout, pollEvery).Should(Equal(path))

	v4.Store("not an address")
	f.g.Eventually(last, waitTimeout, pollEvery).Should(Equal(path + "/fail"))
	reqs, _ := hb.got()
	f.g.Expect(reqs[len(reqs)-1]).To(ContainSubstring("detection of ipv4 failed"))
	v4.Store("81.2.69.160\n")
	f.g.Eventually(last, waitTimeout, pollEvery).Should(Equal(path))

	f.record("orphan", f.d("orphan", "example.com"), func(s *ddnsv1.DynamicDNSRecordSpec) { s.SecretRef.Name = "missing" })
	f.waitReason("orphan", ddnsv1.ReasonSecretNotFound)
	f.g.Eventually(last, waitTimeout, pollEvery).Should(Equal(path + "/fail"))
	reqs, _ = hb.got()
	f.g.Expect(reqs[len(reqs)-1]).To(ContainSubstring("record " + f.d("orphan", "example.com") + " A (" + f.ns + "/orphan) is failing: SecretNotFound"))
	f.secret("missing", map[string]string{"token": f.token})
	f.waitReady("orphan")
	f.g.Eventually(last, waitTimeout, pollEvery).Should(Equal(path))
	t.Logf("heartbeat pings: %v", pings())
}

package controllers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/selection"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/internal/access"
	"github.com/ddns-operator/ddns-operator/internal/egress"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The suite shares one real API server and one manager. Each test gets its
// own namespace and its own in-memory provider, chosen by the token in its
// Secret, so tests can run in parallel and count their own requests.
var (
	k8s       client.Client
	testEnv   *envtest.Environment
	addresses = newManualAddresses()
	hub       = &memoryHub{byToken: map[string]*providertest.Memory{}}
)

// noManagerLabel marks records the suite's manager does not see.
const noManagerLabel = "test.ddns.dev/no-manager"

var noManager = func() labels.Requirement {
	r, err := labels.NewRequirement(noManagerLabel, selection.DoesNotExist, nil)
	if err != nil {
		panic(err)
	}
	return *r
}()

// testZones are the zones every in-memory provider holds.
var testZones = []string{"example.com", "example.org"}

// testOwnerID is the suite's installation identity in ownership markers.
const testOwnerID = "3f2c6a4e-0d6b-4c55-9a3e-2b7f1f0c9d11"

func TestMain(m *testing.M) {
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	if os.Getenv("KUBEBUILDER_ASSETS") == "" {
		// Pure tests and fuzz targets run; every API-server test fails
		// with the reason (see requireAPIServer).
		return m.Run()
	}
	ctrl.SetLogger(zap.New(zap.WriteTo(logSink), zap.UseDevMode(true)))
	env := &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join("..", "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
	}
	testEnv = env
	cfg, err := env.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "start envtest:", err)
		return 1
	}
	defer func() { _ = env.Stop() }()

	// The manager runs on the manager binary's own scheme, so the suite
	// shows it holds every kind the controller reads; the suite's client
	// (k8s) reads and writes more (Events, ConfigMaps) on the full one.
	mgrScheme, err := NewScheme()
	if err != nil {
		fmt.Fprintln(os.Stderr, "scheme:", err)
		return 1
	}
	scheme := runtime.NewScheme()
	_ = clientgoscheme.AddToScheme(scheme)
	_ = ddnsv1.AddToScheme(scheme)
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:  mgrScheme,
		Metrics: metricsserver.Options{BindAddress: "0"},
		Cache: cache.Options{DefaultTransform: TrimForCache, ByObject: map[client.Object]cache.ByObject{
			// Records labelled noManagerLabel stay invisible to the
			// suite's manager: they show what a user sees while no
			// operator runs.
			&ddnsv1.DynamicDNSRecord{}: {Label: labels.NewSelector().Add(noManager)},
		}},
		Client: client.Options{Cache: &client.CacheOptions{DisableFor: []client.Object{&corev1.Secret{}}}},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "new manager:", err)
		return 1
	}
	reg := testRegistry()
	rec := &DynamicDNSRecordReconciler{
		Client:    mgr.GetClient(),
		APIReader: mgr.GetAPIReader(),
		Recorder:  mgr.GetEventRecorder("ddns-operator"),
		Providers: reg,
		Addresses: addresses,
		OwnerID:   testOwnerID,
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := rec.SetupWithManager(ctx, mgr, Options{RetryBaseDelay: 500 * time.Millisecond, RetryMaxDelay: 4 * time.Second}); err != nil {
		fmt.Fprintln(os.Stderr, "setup:", err)
		return 1
	}
	access.RegisterMetrics()
	RegisterMetrics()
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	k8s, err = client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		fmt.Fprintln(os.Stderr, "client:", err)
		return 1
	}
	code := m.Run()
	if code == 0 {
		if err := scanForCredentials(context.Background()); err != nil {
			fmt.Fprintln(os.Stderr, "credential scan:", err)
			code = 1
		}
	}
	cancel()
	if err := <-done; err != nil {
		fmt.Fprintln(os.Stderr, "manager:", err)
	}
	return code
}

// scanForCredentials checks that no credential value any test put in a
// Secret appears in the manager's logs, in any event, or in any record's
// status.
func scanForCredentials(ctx context.Context) error {
	var events eventsv1.EventList
	if err := k8s.List(ctx, &events); err != nil {
		return err
	}
	var records ddnsv1.DynamicDNSRecordList
	if err := k8s.List(ctx, &records); err != nil {
		return err
	}
	texts := map[string]string{"logs": logSink.String()}
	for _, e := range events.Items {
		texts["event "+e.Namespace+"/"+e.Name] = e.Note + " " + e.Reason
	}
	for _, r := range records.Items {
		st, _ := json.Marshal(r.Status)
		texts["status of "+r.Namespace+"/"+r.Name] = string(st)
	}
	values := secretValues.all()
	if len(values) == 0 {
		// A run filtered to tests that create no Secret (go test -run):
		// there is no credential that could have leaked.
		fmt.Println("credential scan: no test created a Secret; nothing to check")
		return nil
	}
	if len(events.Items) == 0 || len(texts["logs"]) == 0 {
		return fmt.Errorf("nothing to scan: %d secret values but %d events and %d bytes of logs", len(values), len(events.Items), len(texts["logs"]))
	}
	for where, text := range texts {
		for _, v := range values {
			if i := strings.Index(text, v); i >= 0 {
				// Say where, with the value masked, so the leak can be found
				// without printing the credential.
				lo, hi := max(0, i-160), min(len(text), i+len(v)+80)
				context := strings.ReplaceAll(text[lo:hi], v, fmt.Sprintf("[THE %d-CHARACTER CREDENTIAL]", len(v)))
				return fmt.Errorf("a credential value appears in %s: ...%s...", where, context)
			}
		}
	}
	fmt.Printf("credential scan: %d values checked against %d bytes of logs, %d events, %d record statuses: none found\n",
		len(values), len(texts["logs"]), len(events.Items), len(records.Items))
	return nil
}

// memoryHub hands each test its own in-memory provider, keyed by token.
type memoryHub struct {
	mu      sync.Mutex
	byToken map[string]*providertest.Memory
	builds  map[string]int
}

// buildsFor counts the providers built with token: a reconcile that finds
// neither the record's spec nor its Secret changed builds none.
func (h *memoryHub) buildsFor(token string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.builds[token]
}

// newProvider registers a fresh in-memory provider for token.
func (h *memoryHub) newProvider(token string) *providertest.Memory {
	m := providertest.NewMemory(token, testZones...)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.byToken[token] = m
	return m
}

func (h *memoryHub) factory(env providers.Env, secret map[string][]byte, _ *ddnsv1.DynamicDNSRecordSpec) (providers.Provider, error) {
	h.mu.Lock()
	m, ok := h.byToken[string(secret[providertest.MemoryTokenKey])]
	if h.builds == nil {
		h.builds = map[string]int{}
	}
	h.builds[string(secret[providertest.MemoryTokenKey])]++
	h.mu.Unlock()
	if !ok {
		// An unknown token: a provider whose every call is refused, as a
		// real API refuses a wrong token.
		m = providertest.NewMemory("a-token-nobody-has", testZones...)
	}
	return m.New(env, secret)
}

// manualAddresses is an AddressSource the tests set by hand: the default
// detector's addresses, and named source lists (spec.ipSource.sources) a
// test can change without touching other tests' records.
type manualAddresses struct {
	mu    sync.Mutex
	addr  map[egress.Family]netip.Addr
	lists map[string]map[egress.Family]netip.Addr
	subs  []chan egress.Change
}

func newManualAddresses() *manualAddresses {
	return &manualAddresses{addr: map[egress.Family]netip.Addr{
		egress.IPv4: netip.MustParseAddr("81.2.69.160"),
		egress.IPv6: netip.MustParseAddr("2a02:2e0:3fe:1001:302::1"),
	}, lists: map[string]map[egress.Family]netip.Addr{}}
}

func (a *manualAddresses) Address(_ context.Context, fam egress.Family) (netip.Addr, error) {
	return a.lookup("", fam)
}

func (a *manualAddresses) lookup(list string, fam egress.Family) (netip.Addr, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	addr, ok := a.addr[fam]
	if list != "" {
		addr, ok = a.lists[list][fam]
	}
	if !ok || !addr.IsValid() {
		return netip.Addr{}, fmt.Errorf("%s: %w", fam, egress.ErrUnavailable)
	}
	return addr, nil
}

// Named implements egress.NamedSources: every list name is known; a list
// no test set has no address.
func (a *manualAddresses) Named(name string) (egress.AddressSource, bool) {
	return namedAddresses{a: a, name: name}, true
}

func (a *manualAddresses) Subscribe() <-chan egress.Change {
	ch := make(chan egress.Change, 16)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.subs = append(a.subs, ch)
	return ch
}

// set changes a family's address of the default detector and notifies
// subscribers, as the detector does.
func (a *manualAddresses) set(fam egress.Family, addr netip.Addr) {
	a.setList("", fam, addr)
}

// setList changes a family's address of the named list ("" the default).
func (a *manualAddresses) setList(list string, fam egress.Family, addr netip.Addr) {
	a.mu.Lock()
	var old netip.Addr
	if list == "" {
		old = a.addr[fam]
		a.addr[fam] = addr
	} else {
		if a.lists[list] == nil {
			a.lists[list] = map[egress.Family]netip.Addr{}
		}
		old = a.lists[list][fam]
		a.lists[list][fam] = addr
	}
	subs := append([]chan egress.Change(nil), a.subs...)
	a.mu.Unlock()
	for _, ch := range subs {
		ch <- egress.Change{List: list, Family: fam, Old: old, New: addr}
	}
}

func (a *manualAddresses) get(fam egress.Family) netip.Addr {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.addr[fam]
}

// namedAddresses is one named list of manualAddresses.
type namedAddresses struct {
	a    *manualAddresses
	name string
}

func (n namedAddresses) Address(_ context.Context, fam egress.Family) (netip.Addr, error) {
	return n.a.lookup(n.name, fam)
}

func (n namedAddresses) Subscribe() <-chan egress.Change { return n.a.Subscribe() }

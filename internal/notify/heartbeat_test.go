package notify

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/internal/egress"
)

// fakeDetector is a StatusSource the test sets by hand.
type fakeDetector struct {
	mu sync.Mutex
	st map[egress.Family]egress.Status
}

func (f *fakeDetector) Status(fam egress.Family) egress.Status {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.st[fam]
}

func (f *fakeDetector) set(fam egress.Family, st egress.Status) {
	f.mu.Lock()
	f.st[fam] = st
	f.mu.Unlock()
}

// TestHeartbeatCycles pings once per detection cycle: success when all is
// well, /fail when detection fails or a record is failing; a family with
// no route that never had an address does not count.
func TestHeartbeatCycles(t *testing.T) {
	var mu sync.Mutex
	var pings []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		pings = append(pings, r.Method+" "+r.URL.Path+" "+strings.ReplaceAll(string(b), "\n", "|"))
		mu.Unlock()
	}))
	defer srv.Close()
	det := &fakeDetector{st: map[egress.Family]egress.Status{}}
	var failing []RecordFailure
	h := &Heartbeat{
		URL:       func() (string, error) { return srv.URL + "/ping/5f3c2e9a", nil },
		Detectors: map[string]StatusSource{"": det},
		Failing:   func() []RecordFailure { return failing },
		Client:    srv.Client(),
	}
	initHeartbeatMetrics()
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	addr := netip.MustParseAddr("81.2.69.160")
	noRoute := fmt.Errorf("%w: every ipv6 source is unreachable", egress.ErrNoRoute)
	step := func(at time.Time, v4err error) {
		det.set(egress.IPv4, egress.Status{Address: addr, CheckedAt: at, Err: v4err})
		det.set(egress.IPv6, egress.Status{CheckedAt: at.Add(time.Second), Err: noRoute})
		if ok, problems := h.cycle(); ok {
			h.ping(t.Context(), problems)
		}
	}
	step(t0, nil)
	// Only IPv4 was detected again: the cycle is not over.
	det.set(egress.IPv4, egress.Status{Address: addr, CheckedAt: t0.Add(time.Minute)})
	if ok, _ := h.cycle(); ok {
		t.Fatal("a cycle ended before every family was detected again")
	}
	step(t0.Add(time.Minute), errors.New("every source failed"))
	failing = []RecordFailure{{RecordRef: home, Reason: "SecretNotFound", Stalled: true}}
	step(t0.Add(2*time.Minute), nil)
	failing = nil
	step(t0.Add(3*time.Minute), nil)
	want := []string{
		"POST /ping/5f3c2e9a ok",
		"POST /ping/5f3c2e9a/fail detection of ipv4 failed",
		"POST /ping/5f3c2e9a/fail record home.example.com A (default/home) is failing: SecretNotFound",
		"POST /ping/5f3c2e9a ok",
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(pings, "\n") != strings.Join(want, "\n") {
		t.Errorf("pings:\n%s\nwant:\n%s", strings.Join(pings, "\n"), strings.Join(want, "\n"))
	}
}

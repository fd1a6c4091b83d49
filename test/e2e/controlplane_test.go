package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/test/e2e/system"
)

// addrOutage is the address published while the API server is down.
const addrOutage = "81.2.69.170"

// apiServerOutage stops kube-apiserver while the public address changes and
// starts it again: the running manager must survive, the record must end
// Ready on the new address, and the zone must hold exactly one A record.
func apiServerOutage(ctx context.Context, t *testing.T, s *system.System, mgr *system.Manager) {
	t.Helper()
	say("step 3b: kube-apiserver is stopped while the address changes %s -> %s, then started again", addr3, addrOutage)
	stopping := time.Now()
	killed, err := s.StopAPIServer()
	if err != nil {
		t.Fatal(err)
	}
	down := time.Now()
	how := "stopped gracefully"
	if killed {
		how = "did not drain its watches in time and was killed"
	}
	say("  kube-apiserver %s after %s", how, secs(down.Sub(stopping)))
	s.Echo.Set(addrOutage)
	// One detection interval and a little more with the API server down.
	duringOutage := false
	for time.Since(down) < 12*time.Second {
		if ok, _ := answers(ctx, s, home, addrOutage)(); ok {
			duringOutage = true
		}
		time.Sleep(500 * time.Millisecond)
	}
	if mgr.Exited() {
		t.Fatalf("the manager exited while the API server was down:\n%s", tail(mgr.Log()))
	}
	if err := s.StartAPIServer(); err != nil {
		t.Fatal(err)
	}
	up := time.Now()
	say("  API server down for %s; DNS followed during the outage: %v", secs(up.Sub(down)), duringOutage)
	eventually(t, 60*time.Second, "the record is Ready on the new address after the restart", func() (bool, string) {
		out, err := s.Kubectl(ctx, "", "get", "ddns", "home", "-n", "default", "-o",
			`jsonpath={.status.addresses[0]} {.status.conditions[?(@.type=="Ready")].status}`)
		if err != nil {
			return false, err.Error()
		}
		return strings.TrimSpace(out) == addrOutage+" True", out
	})
	exactlyOne(t, s, home, addrOutage)
	if mgr.Exited() {
		t.Fatal("the manager exited after the API server came back")
	}
	say("  after the restart the record was Ready on %s in %s; one A record in the zone; the manager kept running", addrOutage, secs(time.Since(up)))
}

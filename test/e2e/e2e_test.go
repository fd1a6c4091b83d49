// Package e2e tests the whole system on real parts: the manager binary
// built from this checkout as its own process, a real kube-apiserver and
// etcd, BIND 9 taking RFC 2136 updates, and an HTTP echo server standing in
// for the public-IP service. Resources go through kubectl; results are read
// with dig and zone transfers.
package e2e

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/ddns-operator/ddns-operator/test/e2e/system"
)

const (
	zone  = "example.test"
	home  = "home.example.test"
	kept  = "kept.example.test"
	addr1 = "81.2.69.160"
	addr2 = "81.2.69.161"
	addr3 = "81.2.69.162"
	addr4 = "81.2.69.163"
	addr5 = "81.2.69.164"
	// changeLimit bounds an address change reaching DNS: one detection
	// interval (10s) plus a reconcile.
	changeLimit = 25 * time.Second
)

func TestWholeSystem(t *testing.T) {
	ctx := context.Background()
	began := time.Now()
	say("starting BIND 9, the echo server, kube-apiserver and etcd; building the manager")
	s, err := system.Start(system.Options{Root: "../..", Zone: zone, Address: addr1, Manager: os.Getenv("E2E_MANAGER")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	say("up in %s: BIND on %s, echo at %s", secs(time.Since(began)), s.DNS.Addr, s.Echo.URL)
	t.Cleanup(func() {
		if t.Failed() {
			for _, f := range []string{"a", "a2", "b", "c"} {
				if b, err := os.ReadFile(s.Dir + "/manager-" + f + ".log"); err == nil {
					t.Logf("manager %s log:\n%s", f, tail(string(b)))
				}
			}
		}
	})

	mgr, err := s.StartManager("a", "--leader-elect=false")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(mgr.Stop)

	say("step 1: kubectl apply a Secret with the TSIG key and a record for %s", home)
	start := time.Now()
	if _, err := s.Kubectl(ctx, s.SecretYAML("bind-tsig", "default", "hmac-sha512")+"---\n"+s.RecordYAML("home", "default", home, "bind-tsig", "Delete"), "apply", "-f", "-"); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "DNS answers the echo address", answers(ctx, s, home, addr1))
	eventually(t, 10*time.Second, "the record is Ready", ready(ctx, s, "home"))
	say("  dig answers %s and the record is Ready after %s", addr1, secs(time.Since(start)))

	say("step 2: the public address changes %s -> %s", addr1, addr2)
	s.Echo.Set(addr2)
	took := eventually(t, changeLimit, "DNS follows the address change", answers(ctx, s, home, addr2))
	say("  address change -> DNS answer in %s (detection interval 10s)", secs(took))
	exactlyOne(t, s, home, addr2)

	say("step 3: the manager is killed mid-way through a change, a stale duplicate is left in the zone, and it restarts")
	seen := s.Echo.Set(addr3)
	select {
	case <-seen:
	case <-time.After(changeLimit):
		t.Fatal("the manager did not ask the echo server again")
	}
	mgr.Kill()
	stale, _ := dns.NewRR(home + ". 60 IN A " + addr1)
	if err := s.DNS.Add(zone, stale); err != nil {
		t.Fatal(err)
	}
	say("  killed right after it fetched %s; the zone then held %v", addr3, zoneValues(t, s, home))
	start = time.Now()
	if mgr, err = s.StartManager("a2", "--leader-elect=false"); err != nil {
		t.Fatal(err)
	}
	eventually(t, changeLimit, "the restarted manager converges", answers(ctx, s, home, addr3))
	exactlyOne(t, s, home, addr3)
	say("  restarted manager converged in %s; the zone holds exactly one A record: %s", secs(time.Since(start)), addr3)

	apiServerOutage(ctx, t, s, mgr)
	mgr.Stop()

	leaderElection(ctx, t, s)

	say("step 5: kubectl delete the record with deletionPolicy Delete")
	if _, err := s.Kubectl(ctx, "", "delete", "ddns", "home", "-n", "default", "--timeout=30s"); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the name is gone from DNS", answers(ctx, s, home))
	if got := zoneValues(t, s, home); len(got) != 0 {
		t.Fatalf("zone still holds %v for %s", got, home)
	}
	say("  %s is gone from DNS", home)

	say("step 6: a record with deletionPolicy Retain is created, then deleted")
	if _, err := s.Kubectl(ctx, s.RecordYAML("kept", "default", kept, "bind-tsig", "Retain"), "apply", "-f", "-"); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "DNS answers the retained record", answers(ctx, s, kept, addr5))
	if _, err := s.Kubectl(ctx, "", "delete", "ddns", "kept", "-n", "default", "--timeout=30s"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second) // give a wrong deletion the time to happen
	eventually(t, time.Second, "the retained record stays in DNS", answers(ctx, s, kept, addr5))
	exactlyOne(t, s, kept, addr5)
	say("  %s still answers %s after its resource is gone", kept, addr5)
	say("passed in %s", secs(time.Since(began)))
}

func tail(s string) string {
	const n = 6000
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

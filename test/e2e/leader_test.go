package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/test/e2e/system"
)

const acquired = "successfully acquired lease"

// leaderElection runs two managers with leader election: only the leader
// writes, and when it is killed the other takes over and keeps DNS right.
func leaderElection(ctx context.Context, t *testing.T, s *system.System) {
	t.Helper()
	say("step 4: two managers with leader election")
	le := []string{"--leader-elect", "--leader-election-namespace=default"}
	b, err := s.StartManager("b", le...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Stop)
	c, err := s.StartManager("c", le...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	var leader, follower *system.Manager
	eventually(t, 30*time.Second, "one manager becomes leader", func() (bool, string) {
		switch {
		case b.Logged(acquired) > 0:
			leader, follower = b, c
		case c.Logged(acquired) > 0:
			leader, follower = c, b
		default:
			return false, "no manager logged " + acquired
		}
		return true, ""
	})
	say("  manager %s leads", leader.Name)

	s.Echo.Set(addr4)
	took := eventually(t, changeLimit, "DNS follows under the leader", answers(ctx, s, home, addr4))
	say("  address change -> DNS answer in %s under the leader", secs(took))
	if n := writes(follower); n != 0 {
		t.Fatalf("follower %s wrote to the provider %d times", follower.Name, n)
	}
	if writes(leader) == 0 {
		t.Fatalf("leader %s logged no write, yet DNS changed", leader.Name)
	}

	say("  killing leader %s (SIGKILL: the lease is not released) while the address changes to %s", leader.Name, addr5)
	leader.Kill()
	killed := time.Now()
	s.Echo.Set(addr5)
	takeover := eventually(t, 40*time.Second, "the follower takes over", func() (bool, string) {
		return follower.Logged(acquired) > 0, "follower has not acquired the lease"
	})
	eventually(t, changeLimit, "DNS follows under the new leader", answers(ctx, s, home, addr5))
	exactlyOne(t, s, home, addr5)
	say("  manager %s took over %s after the kill; DNS answered %s %s after the kill; one A record in the zone",
		follower.Name, secs(takeover), addr5, secs(time.Since(killed)))
}

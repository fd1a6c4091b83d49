package e2e

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/ddns-operator/ddns-operator/test/e2e/system"
)

// say prints a step or a figure. `make test` runs this package with -v
// (through `make test-e2e`) so a person sees them.
func say(format string, args ...any) {
	fmt.Printf("e2e: "+format+"\n", args...)
}

// eventually polls cond every 200ms until it holds or limit passes, and
// returns how long it took.
func eventually(t *testing.T, limit time.Duration, what string, cond func() (bool, string)) time.Duration {
	t.Helper()
	start := time.Now()
	last := ""
	for time.Since(start) < limit {
		ok, state := cond()
		if ok {
			return time.Since(start)
		}
		last = state
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s: not within %s; last seen: %s", what, limit, last)
	return 0
}

// answers is a condition: dig answers exactly want for name.
func answers(ctx context.Context, s *system.System, name string, want ...string) func() (bool, string) {
	return func() (bool, string) {
		got, err := s.Lookup(ctx, name, "A")
		if err != nil {
			return false, err.Error()
		}
		slices.Sort(got)
		return slices.Equal(got, want), fmt.Sprintf("dig answered %v, want %v", got, want)
	}
}

// ready is a condition: the record's Ready condition is True.
func ready(ctx context.Context, s *system.System, name string) func() (bool, string) {
	return func() (bool, string) {
		out, err := s.Kubectl(ctx, "", "get", "ddns", name, "-n", "default", "-o", `jsonpath={.status.conditions[?(@.type=="Ready")].status}/{.status.conditions[?(@.type=="Ready")].message}`)
		return err == nil && len(out) >= 4 && out[:4] == "True", "Ready: " + out
	}
}

// zoneValues reads name's A records by zone transfer, the server's own
// view, independent of the operator and of caching.
func zoneValues(t *testing.T, s *system.System, name string) []string {
	t.Helper()
	rrs, err := s.DNS.Records(s.Zone, name, dns.TypeA)
	if err != nil {
		t.Fatalf("zone transfer: %v", err)
	}
	var out []string
	for _, rr := range rrs {
		out = append(out, rr.(*dns.A).A.String())
	}
	slices.Sort(out)
	return out
}

// exactlyOne fails unless the zone holds one A record for name, of value.
func exactlyOne(t *testing.T, s *system.System, name, value string) {
	t.Helper()
	if got := zoneValues(t, s, name); len(got) != 1 || got[0] != value {
		t.Fatalf("zone holds A %v for %s, want exactly [%s]", got, name, value)
	}
}

// writes counts a manager's provider writes, by its log.
func writes(m *system.Manager) int {
	return m.Logged("Created record") + m.Logged("Updated record") + m.Logged("Deleted duplicate record") + m.Logged("Deleted record")
}

func secs(d time.Duration) string { return fmt.Sprintf("%.1fs", d.Seconds()) }

package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"sigs.k8s.io/yaml"

	"github.com/ddns-operator/ddns-operator/test/e2e/system"
)

// TestMetricsTheDashboardAndAlertsQuery runs the manager binary with
// notifications and a heartbeat configured (as the chart configures them),
// takes it through a record, an address change, a failing source and a
// test notification, then scrapes its /metrics: every metric the Grafana
// dashboard and the alert rules query must be served.
func TestMetricsTheDashboardAndAlertsQuery(t *testing.T) {
	ctx := context.Background()
	s, err := system.Start(system.Options{Root: "../..", Zone: zone, Address: addr1, Manager: os.Getenv("E2E_MANAGER")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	rcv, err := system.StartReceiver(filepath.Join(s.Dir, "notifications.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rcv.Close)
	args, err := s.NotifyArgs(rcv)
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr, err := system.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	mgr, err := s.StartManager("metrics", append(args, "--leader-elect=false", "--metrics-bind-address="+metricsAddr)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(mgr.Stop)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("manager log:\n%s", tail(mgr.Log()))
		}
	})

	say("metrics: a record, then a source answering garbage, then an address change")
	if _, err := s.Kubectl(ctx, s.SecretYAML("bind-tsig", "default", "hmac-sha256")+"---\n"+s.RecordYAML("home", "default", home, "bind-tsig", "Delete"), "apply", "-f", "-"); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "the record is Ready", ready(ctx, s, "home"))
	eventually(t, 30*time.Second, "a heartbeat ping", func() (bool, string) {
		return len(rcv.Received(system.HeartbeatPath)) > 0, "no ping yet"
	})
	s.Echo.Set("not an address")
	eventually(t, 30*time.Second, "a failing heartbeat", func() (bool, string) {
		return len(rcv.Received(system.HeartbeatPath+"/fail")) > 0, "no /fail ping yet"
	})
	s.Echo.Set(addr2)
	eventually(t, changeLimit, "DNS follows the address change", answers(ctx, s, home, addr2))
	eventually(t, 20*time.Second, "a notification of the change", func() (bool, string) {
		for _, m := range rcv.Received(system.NotifyPath) {
			if strings.Contains(m.Body, addr1+" -> "+addr2) {
				return true, ""
			}
		}
		return false, "no notification names the change"
	})
	eventually(t, 20*time.Second, "the ddns-go-style webhook", func() (bool, string) {
		got := rcv.Received(system.DDNSGoPath)
		return len(got) > 0 && strings.Contains(got[len(got)-1].Path, "ip="+addr2+"&result=success"), "no ddns-go call for the change"
	})
	if _, err := s.Kubectl(ctx, "", "annotate", "ddns", "home", "-n", "default", "ddns.dev/test-notification=now"); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "the test notification's event", func() (bool, string) {
		out, _ := s.Kubectl(ctx, "", "get", "events.events.k8s.io", "-n", "default", "-o", "jsonpath={range .items[*]}{.reason}: {.note}{\"\\n\"}{end}")
		return strings.Contains(out, "NotificationSent: Test notification delivered to webhook, ddns-go") ||
			strings.Contains(out, "NotificationSent: Test notification delivered to ddns-go, webhook"), "events: " + out
	})

	served := scrape(t, "http://"+metricsAddr+"/metrics")
	queried := map[string][]string{} // metric -> where
	for where, expr := range queries(t) {
		for _, m := range metricNames(expr) {
			queried[m] = append(queried[m], where)
		}
	}
	if len(queried) < 15 {
		t.Fatalf("found only %d metrics in the queries: %v", len(queried), queried)
	}
	var names []string
	for m, where := range queried {
		names = append(names, m)
		if !served[m] {
			t.Errorf("%s, queried by %s, is not served on /metrics", m, strings.Join(where, ", "))
		}
	}
	slices.Sort(names)
	say("metrics: the %d metrics the dashboard and alerts query are all served: %s", len(names), strings.Join(names, " "))
}

// scrape reads /metrics and returns the names it serves with at least one
// sample, including a histogram's _bucket, _sum and _count series.
func scrape(t *testing.T, url string) map[string]bool {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	served := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name := line[:strings.IndexAny(line, "{ ")]
		served[name] = true
	}
	if len(served) < 20 {
		t.Fatalf("/metrics served only %d names:\n%s", len(served), b)
	}
	return served
}

// queries returns every PromQL expression of the shipped dashboard and
// alert rules, keyed by where it is.
func queries(t *testing.T) map[string]string {
	t.Helper()
	chart := filepath.Join("..", "..", "charts", "ddns-operator")
	out := map[string]string{}
	b, err := os.ReadFile(filepath.Join(chart, "dashboards", "ddns-operator.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatal(err)
	}
	for _, p := range dash.Panels {
		for i, q := range p.Targets {
			out["panel "+p.Title+" #"+string(rune('A'+i))] = q.Expr
		}
	}
	b, err = os.ReadFile(filepath.Join(chart, "rules", "ddns-operator.rules.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var rules struct {
		Groups []struct {
			Rules []struct {
				Alert string `json:"alert"`
				Expr  string `json:"expr"`
			} `json:"rules"`
		} `json:"groups"`
	}
	if err := yaml.Unmarshal(b, &rules); err != nil {
		t.Fatal(err)
	}
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			out["alert "+r.Alert] = r.Expr
		}
	}
	return out
}

// promqlWords are PromQL keywords that are not metric names.
var promqlWords = map[string]bool{
	"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true,
	"and": true, "or": true, "unless": true, "offset": true, "bool": true, "atan2": true, "inf": true, "nan": true,
}

// labelLists are the keywords followed by a parenthesised list of labels.
var labelLists = map[string]bool{"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true}

// metricNames lexes a PromQL expression and returns the metric names it
// selects: identifiers that are not functions or aggregations (followed
// by "(", or by "by"/"without" and a list), not keywords, not label names (inside {...}, or in the list
// after by, without, on, ignoring, group_left, group_right), and not inside
// strings, ranges ([5m]) or Grafana variables ($__rate_interval).
func metricNames(expr string) []string {
	var out []string
	rs := []rune(expr)
	next := func(i int) rune { // the next non-space rune at or after i
		for ; i < len(rs); i++ {
			if !unicode.IsSpace(rs[i]) {
				return rs[i]
			}
		}
		return 0
	}
	skipTo := func(i int, open, close rune) int { // index after the matching close
		depth := 0
		for ; i < len(rs); i++ {
			switch rs[i] {
			case '"', '\'', '`':
				q := rs[i]
				for i++; i < len(rs) && rs[i] != q; i++ {
					if rs[i] == '\\' {
						i++
					}
				}
			case open:
				depth++
			case close:
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return i
	}
	isStart := func(r rune) bool { return r == '_' || r == ':' || unicode.IsLetter(r) }
	isPart := func(r rune) bool { return isStart(r) || unicode.IsDigit(r) }
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r == '"' || r == '\'' || r == '`':
			j := i + 1
			for j < len(rs) && rs[j] != r {
				if rs[j] == '\\' {
					j++
				}
				j++
			}
			i = j + 1
		case r == '{':
			i = skipTo(i, '{', '}')
		case r == '[':
			i = skipTo(i, '[', ']')
		case r == '$':
			i++
			for i < len(rs) && (isPart(rs[i]) || rs[i] == '{' || rs[i] == '}') {
				i++
			}
		case unicode.IsDigit(r) || r == '.':
			for i < len(rs) && (isPart(rs[i]) || rs[i] == '.') {
				i++
			}
		case isStart(r):
			j := i
			for j < len(rs) && isPart(rs[j]) {
				j++
			}
			word := string(rs[i:j])
			switch {
			case labelLists[strings.ToLower(word)] && next(j) == '(':
				j = skipTo(j, '(', ')')
			case promqlWords[strings.ToLower(word)] || next(j) == '(' || aggregationModifier(rs[j:]):
			default:
				if !slices.Contains(out, word) {
					out = append(out, word)
				}
			}
			i = j
		default:
			i++
		}
	}
	return out
}

// aggregationModifier reports whether rest starts with "by (" or
// "without (": the word before it is an aggregation, as in max by (x) (...).
func aggregationModifier(rest []rune) bool {
	f := strings.Fields(string(rest))
	if len(f) == 0 {
		return false
	}
	w := strings.ToLower(f[0])
	return w == "by" || w == "without" || strings.HasPrefix(w, "by(") || strings.HasPrefix(w, "without(")
}

// TestMetricNames checks the lexer on the shapes the queries use.
func TestMetricNames(t *testing.T) {
	cases := map[string][]string{
		`max by (address) (ddns_egress_address_info{list="default",family="ipv4"})`:                                               {"ddns_egress_address_info"},
		`histogram_quantile(0.95, sum by (provider, le) (rate(ddns_provider_request_duration_seconds_bucket[$__rate_interval])))`: {"ddns_provider_request_duration_seconds_bucket"},
		`sum(max by (ready, reason) (ddns_records{ready!="True"})) or vector(0)`:                                                  {"ddns_records"},
		`time() - max by (list, family) (ddns_egress_last_success_timestamp_seconds) > 600`:                                       {"ddns_egress_last_success_timestamp_seconds"},
		"(sum by (target) (increase(a_total{result=\"error\"}[15m])) > 0\n unless sum by (target) (increase(b_total[15m])) > 0)":  {"a_total", "b_total"},
		`x * on (instance) group_left (version) build_info offset 5m`:                                                             {"x", "build_info"},
	}
	for expr, want := range cases {
		if got := metricNames(expr); !slices.Equal(got, want) {
			t.Errorf("metricNames(%q) = %v, want %v", expr, got, want)
		}
	}
}

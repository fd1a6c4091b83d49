package egress

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr/testr"
	"github.com/miekg/dns"
)

func newTestDetector(t *testing.T, policy Policy, v4, v6 []Source) *Detector {
	t.Helper()
	return NewDetector(Config{Sources: map[Family][]Source{IPv4: v4, IPv6: v6}, Policy: policy, Interval: time.Hour, Logger: testr.New(t)})
}

func TestQuorumIgnoresOneLyingSourceOfThree(t *testing.T) {
	liar := startEcho(t, "127.0.0.1", echoReply{body: otherV4.String() + "\n"})
	honest1 := startEcho(t, "127.0.0.1", echoReply{body: goodV4.String() + "\n"})
	honest2 := startEcho(t, "127.0.0.1", echoReply{body: goodV4.String()})
	// The liar is asked first: with policy "first" it would win.
	srcs := []Source{httpSource(t, liar.URL), httpSource(t, honest1.URL), httpSource(t, honest2.URL)}

	d := newTestDetector(t, DefaultPolicy, srcs, nil)
	addr, err := d.Address(context.Background(), IPv4)
	if err != nil || addr != goodV4 {
		t.Fatalf("quorum published %v, %v; want %s", addr, err, goodV4)
	}
	for i, s := range []*echoServer{liar, honest1, honest2} {
		if n := s.requests.Load(); n != 1 {
			t.Errorf("source %d asked %d times; want 1", i, n)
		}
	}

	first := newTestDetector(t, Policy{Mode: PolicyFirst}, srcs, nil)
	if addr, _ := first.Address(context.Background(), IPv4); addr != otherV4 {
		t.Fatalf("policy first published %s; the test's liar should have won there", addr)
	}
}

func TestQuorumCountsOperatorsNotSources(t *testing.T) {
	a := &fakeSource{name: "a", operator: "cloudflare", answer: func(Family) (netip.Addr, error) { return otherV4, nil }}
	b := &fakeSource{name: "b", operator: "cloudflare", answer: func(Family) (netip.Addr, error) { return otherV4, nil }}
	c := &fakeSource{name: "c", operator: "opendns", answer: func(Family) (netip.Addr, error) { return goodV4, nil }}
	d := newTestDetector(t, DefaultPolicy, []Source{a, b, c}, nil)
	_, err := d.Address(context.Background(), IPv4)
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, ErrNoAgreement) {
		t.Fatalf("two sources of one operator formed a quorum: %v", err)
	}
}

func TestDisagreementKeepsTheLastAgreedAddress(t *testing.T) {
	var a, b settable
	a.set(goodV4)
	b.set(goodV4)
	srcA := &fakeSource{name: "a", answer: func(Family) (netip.Addr, error) { return a.get(), nil }}
	srcB := &fakeSource{name: "b", answer: func(Family) (netip.Addr, error) { return b.get(), nil }}
	d := newTestDetector(t, DefaultPolicy, []Source{srcA, srcB}, nil)
	changes := d.Subscribe()
	if addr, err := d.Address(context.Background(), IPv4); err != nil || addr != goodV4 {
		t.Fatalf("first detection: %v, %v", addr, err)
	}
	<-changes

	b.set(otherV4) // one source now says something else
	d.detect(context.Background(), IPv4)
	addr, err := d.Address(context.Background(), IPv4)
	var agree *AgreementError
	if addr != goodV4 || !errors.As(err, &agree) || !agree.Disagree() {
		t.Fatalf("got %v, %v; want the kept %s with a disagreement", addr, err, goodV4)
	}
	if errors.Is(err, ErrUnavailable) {
		t.Fatalf("a kept address is not unavailable: %v", err)
	}
	if st := d.Status(IPv4); st.Unconfirmed == nil || st.Address != goodV4 {
		t.Fatalf("status %+v", st)
	}
	select {
	case ch := <-changes:
		t.Fatalf("a disagreement published a change: %+v", ch)
	default:
	}

	a.set(otherV4) // now both agree on the new address
	d.detect(context.Background(), IPv4)
	if addr, err := d.Address(context.Background(), IPv4); err != nil || addr != otherV4 {
		t.Fatalf("after agreement: %v, %v", addr, err)
	}
	if ch := <-changes; ch.New != otherV4 || ch.Old != goodV4 {
		t.Fatalf("change %+v", ch)
	}
}

func TestNeverAgreedIsUnavailable(t *testing.T) {
	d := newTestDetector(t, DefaultPolicy, []Source{fixed("a", goodV4), fixed("b", otherV4)}, nil)
	addr, err := d.Address(context.Background(), IPv4)
	if addr.IsValid() || !errors.Is(err, ErrUnavailable) || !errors.Is(err, ErrNoAgreement) {
		t.Fatalf("got %v, %v; want unavailable, no agreement", addr, err)
	}
	if !strings.Contains(err.Error(), "sources disagree") {
		t.Fatalf("message does not say the sources disagree: %v", err)
	}
}

func TestPolicyAllNeedsEverySource(t *testing.T) {
	fail := &fakeSource{name: "down", answer: func(Family) (netip.Addr, error) { return netip.Addr{}, errors.New("boom") }}
	d := newTestDetector(t, Policy{Mode: PolicyAll}, []Source{fixed("a", goodV4), fail, fixed("c", goodV4)}, nil)
	if _, err := d.Address(context.Background(), IPv4); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("all with a failing source agreed: %v", err)
	}
	d = newTestDetector(t, Policy{Mode: PolicyAll}, []Source{fixed("a", goodV4), fixed("b", goodV4)}, nil)
	if addr, err := d.Address(context.Background(), IPv4); err != nil || addr != goodV4 {
		t.Fatalf("all alike: %v, %v", addr, err)
	}
}

func TestNoRouteMakesTheFamilyUnavailable(t *testing.T) {
	noRoute := func(name string) *fakeSource {
		return &fakeSource{name: name, answer: func(Family) (netip.Addr, error) {
			return netip.Addr{}, classifyDialError(&net.OpError{Op: "dial", Net: "tcp6", Err: &net.AddrError{Err: "no suitable address found", Addr: "x"}})
		}}
	}
	d := newTestDetector(t, DefaultPolicy, []Source{fixed("a", goodV4), fixed("b", goodV4)}, []Source{noRoute("x"), noRoute("y")})
	if addr, err := d.Address(context.Background(), IPv4); err != nil || addr != goodV4 {
		t.Fatalf("IPv4: %v, %v", addr, err)
	}
	_, err := d.Address(context.Background(), IPv6)
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, ErrNoRoute) {
		t.Fatalf("IPv6 without route: %v", err)
	}
}

func TestConfigValidateRejectsUnreachableQuorum(t *testing.T) {
	cfg := Config{Sources: map[Family][]Source{IPv4: {fixed("a", goodV4)}}}
	err := cfg.Validate()
	if err == nil {
		t.Fatal("quorum 2 over one source validated")
	}
	// The refusal names the operators it counted and both ways out.
	for _, want := range []string{"ipv4: policy quorum:2", "run by 1 (a)", "add sources run by other operators", "policy first"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q does not say %q", err, want)
		}
	}
	cfg.Sources[IPv4] = []Source{StaticSource{V4: goodV4}}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("a static source needs no quorum: %v", err)
	}
}

// TestFamiliesNeverLeak runs one detector for both families against echo
// services that answer with an address of the family they were reached
// over, plus a liar that answers IPv4 over IPv6 and IPv6 over IPv4. The
// IPv4 check must dial only IPv4 and the IPv6 check only IPv6.
func TestFamiliesNeverLeak(t *testing.T) {
	requireIPv6Loopback(t)
	byFamily := func(r *http.Request) echoReply {
		if strings.HasPrefix(r.Context().Value(http.LocalAddrContextKey).(net.Addr).String(), "[") {
			return echoReply{body: goodV6.String()}
		}
		return echoReply{body: goodV4.String()}
	}
	crossed := func(r *http.Request) echoReply {
		if strings.HasPrefix(r.Context().Value(http.LocalAddrContextKey).(net.Addr).String(), "[") {
			return echoReply{body: goodV4.String()}
		}
		return echoReply{body: goodV6.String()}
	}
	// One port on both loopbacks, reached as "localhost": only the dialer's
	// network decides which listener answers.
	v4ln, v6ln := listenBoth(t)
	honest4 := serveEcho(t, v4ln, byFamily)
	honest6 := serveEcho(t, v6ln, byFamily)
	port := v4ln.Addr().(*net.TCPAddr).Port
	liar4ln, liar6ln := listenBoth(t)
	liar4 := serveEcho(t, liar4ln, crossed)
	liar6 := serveEcho(t, liar6ln, crossed)
	liarPort := liar4ln.Addr().(*net.TCPAddr).Port

	// DNS sources for each family on their own loopback.
	dns4 := startDNS(t, "127.0.0.1", func(q dns.Question) []dns.RR { return []dns.RR{rrTXT(q, goodV4.String())} })
	dns6 := startDNS(t, "::1", func(q dns.Question) []dns.RR { return []dns.RR{rrTXT(q, goodV6.String())} })

	dualStack := func(context.Context, string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("::1"), netip.MustParseAddr("127.0.0.1")}, nil
	}
	specs := func(fam Family, dnsAddr string) []Source {
		var out []Source
		for _, o := range []HTTPOptions{
			{URL: fmt.Sprintf("http://localhost:%d/", liarPort), Name: "liar", Operator: "liar"},
			{URL: fmt.Sprintf("http://localhost:%d/", port), Name: "echo", Operator: "echo"},
		} {
			o.Resolve, o.Timeout = dualStack, time.Second
			src, err := NewHTTPSourceWith(o)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, src)
		}
		src, err := ParseSource(fmt.Sprintf("dns://%s/o-o.myaddr.l.google.com?type=TXT", dnsAddr), fam, SpecDefaults{Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return append(out, src)
	}
	d := newTestDetector(t, DefaultPolicy, specs(IPv4, dns4.Addr), specs(IPv6, dns6.Addr))
	v4, err4 := d.Address(context.Background(), IPv4)
	v6, err6 := d.Address(context.Background(), IPv6)
	if err4 != nil || v4 != goodV4 {
		t.Fatalf("A: %v, %v", v4, err4)
	}
	if err6 != nil || v6 != goodV6 {
		t.Fatalf("AAAA: %v, %v", v6, err6)
	}
	if got := [4]int64{honest4.requests.Load(), honest6.requests.Load(), liar4.requests.Load(), liar6.requests.Load()}; got != [4]int64{1, 1, 1, 1} {
		t.Fatalf("requests (echo v4, echo v6, liar v4, liar v6) = %v; each listener must be reached once, by its own family", got)
	}
	if dns4.queries.Load() != 1 || dns6.queries.Load() != 1 {
		t.Fatalf("dns queries v4=%d v6=%d", dns4.queries.Load(), dns6.queries.Load())
	}
}

// listenBoth listens on one free port on both 127.0.0.1 and ::1.
func listenBoth(t *testing.T) (net.Listener, net.Listener) {
	t.Helper()
	for range 20 {
		v4, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		v6, err := net.Listen("tcp6", fmt.Sprintf("[::1]:%d", v4.Addr().(*net.TCPAddr).Port))
		if err == nil {
			return v4, v6
		}
		_ = v4.Close()
	}
	t.Fatal("no port free on both loopbacks")
	return nil, nil
}

// TestOneLookupPerIntervalForAThousandRecords has 1,000 records per family
// ask for the address at once, then again after a full interval, and
// counts requests at the servers: one per source asked per detection.
func TestOneLookupPerIntervalForAThousandRecords(t *testing.T) {
	requireIPv6Loopback(t)
	slow := 150 * time.Millisecond // keeps the first detection in flight while callers pile up
	v4a := startEcho(t, "127.0.0.1", echoReply{body: goodV4.String(), delay: slow})
	v4b := startDNS(t, "127.0.0.1", func(q dns.Question) []dns.RR { return []dns.RR{rrA(q, goodV4.String())} })
	v4c := startEcho(t, "127.0.0.1", echoReply{body: goodV4.String()}) // never needed: quorum after two
	v6a := startEcho(t, "::1", echoReply{body: goodV6.String(), delay: slow})
	v6b := startDNS(t, "::1", func(q dns.Question) []dns.RR { return []dns.RR{rrAAAA(q, goodV6.String())} })

	parse := func(fam Family, specs ...string) []Source {
		out, err := ParseSources(strings.Join(specs, ","), fam, SpecDefaults{Timeout: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	interval := 700 * time.Millisecond
	d := NewDetector(Config{
		Sources: map[Family][]Source{
			IPv4: parse(IPv4, v4a.URL, "dns://"+v4b.Addr+"/myip.opendns.com", v4c.URL),
			IPv6: parse(IPv6, v6a.URL, "dns://"+v6b.Addr+"/myip.opendns.com"),
		},
		Interval: interval, Logger: testr.New(t),
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { _ = d.Start(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	ask := func() {
		var wg sync.WaitGroup
		for i := range 2000 {
			fam := []Family{IPv4, IPv6}[i%2]
			wg.Go(func() {
				addr, err := d.Address(context.Background(), fam)
				if err != nil || !fam.Matches(addr) {
					t.Errorf("record %d: %v, %v", i, addr, err)
				}
			})
		}
		wg.Wait()
	}
	counts := func() [5]int64 {
		return [5]int64{v4a.requests.Load(), v4b.queries.Load(), v4c.requests.Load(), v6a.requests.Load(), v6b.queries.Load()}
	}
	ask()
	if got := counts(); got != [5]int64{1, 1, 0, 1, 1} {
		t.Fatalf("after 1,000 records per family: requests = %v; want one per source asked", got)
	}
	time.Sleep(interval + interval/2)
	ask()
	if got := counts(); got != [5]int64{2, 2, 0, 2, 2} {
		t.Fatalf("after one more interval: requests = %v; want two per source asked", got)
	}
}

func TestSlowSourceTimesOutAndTheNextIsAsked(t *testing.T) {
	slow := startEcho(t, "127.0.0.1", echoReply{body: goodV4.String(), delay: 2 * time.Second})
	ok1 := startEcho(t, "127.0.0.1", echoReply{body: goodV4.String()})
	ok2 := startDNS(t, "127.0.0.1", func(q dns.Question) []dns.RR { return []dns.RR{rrA(q, goodV4.String())} })
	srcs, err := ParseSources(slow.URL+"#timeout=200ms,"+ok1.URL+",dns://"+ok2.Addr+"/myip.opendns.com?timeout=1s", IPv4, SpecDefaults{})
	if err != nil {
		t.Fatal(err)
	}
	d := newTestDetector(t, DefaultPolicy, srcs, nil)
	start := time.Now()
	addr, err := d.Address(context.Background(), IPv4)
	if err != nil || addr != goodV4 {
		t.Fatalf("%v, %v", addr, err)
	}
	if took := time.Since(start); took > 1500*time.Millisecond {
		t.Fatalf("the slow source's 200ms timeout was not applied: took %s", took)
	}
	if reason := failureReason(fmt.Errorf("x: %w", context.DeadlineExceeded)); reason != "timeout" {
		t.Fatalf("reason %q", reason)
	}
}

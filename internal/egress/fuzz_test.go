package egress

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
)

// accepted checks the invariant of every parser: an accepted address is
// valid, global and of the family asked.
func accepted(t *testing.T, addr netip.Addr, err error, fam Family) {
	t.Helper()
	if err != nil {
		if addr.IsValid() {
			t.Fatalf("error %v came with address %s", err, addr)
		}
		return
	}
	if cerr := CheckGlobal(addr, fam); cerr != nil {
		t.Fatalf("accepted %s: %v", addr, cerr)
	}
}

func FuzzParseAnswer(f *testing.F) {
	for _, s := range []string{"81.2.69.160\n", "2a02:2e0:3fe:1001:302::1", "<html>", "10.0.0.1", "1.2.3.4 5.6.7.8", "::ffff:81.2.69.160", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, fam := range []Family{IPv4, IPv6} {
			addr, err := ParseAnswer(body, fam)
			accepted(t, addr, err, fam)
		}
	})
}

func FuzzParseTrace(f *testing.F) {
	f.Add("fl=1\nip=81.2.69.160\nts=1\n")
	f.Add("ip=2a02:2e0:3fe:1001:302::1\n")
	f.Add("ip=\nip=1.1.1.1")
	f.Fuzz(func(t *testing.T, body string) {
		for _, fam := range []Family{IPv4, IPv6} {
			addr, err := ParseTrace(body, fam)
			accepted(t, addr, err, fam)
		}
	})
}

func FuzzParseJSONField(f *testing.F) {
	f.Add([]byte(`{"ip":"81.2.69.160"}`), "ip")
	f.Add([]byte(`{"data":{"ip":"2a02:2e0:3fe:1001:302::1"}}`), "data.ip")
	f.Add([]byte(`[1,2]`), "ip")
	f.Fuzz(func(t *testing.T, body []byte, field string) {
		for _, fam := range []Family{IPv4, IPv6} {
			addr, err := ParseJSONField(body, field, fam)
			accepted(t, addr, err, fam)
		}
	})
}

func FuzzParseRegex(f *testing.F) {
	re := regexp.MustCompile(`addr: (\S+)`)
	f.Add("addr: 81.2.69.160")
	f.Add("addr: 1 addr: 2")
	f.Fuzz(func(t *testing.T, body string) {
		addr, err := ParseRegex(body, re, IPv4)
		accepted(t, addr, err, IPv4)
	})
}

func FuzzParseDNSWire(f *testing.F) {
	q := dns.Question{Name: "myip.opendns.com.", Qtype: dns.TypeA, Qclass: dns.ClassINET}
	m := new(dns.Msg)
	m.SetQuestion(q.Name, q.Qtype)
	m.Response, m.Answer = true, []dns.RR{rrA(q, "81.2.69.160")}
	wire, _ := m.Pack()
	f.Add(wire, dns.TypeA)
	m.Answer = []dns.RR{rrTXT(q, "2a02:2e0:3fe:1001:302::1")}
	wire, _ = m.Pack()
	f.Add(wire, dns.TypeTXT)
	f.Add([]byte{0, 1, 2}, dns.TypeAAAA)
	f.Fuzz(func(t *testing.T, wire []byte, qtype uint16) {
		for _, fam := range []Family{IPv4, IPv6} {
			addr, err := ParseDNSWire(wire, qtype, fam)
			accepted(t, addr, err, fam)
		}
	})
}

func FuzzParseIfInet6(f *testing.F) {
	f.Add(ifInet6)
	f.Add("2a0202e003fe1001 02 40 00 00 eth0\n")
	f.Fuzz(func(t *testing.T, text string) {
		addrs, err := ParseIfInet6(strings.NewReader(text))
		if err != nil {
			return
		}
		addr, err := PickStable6(addrs, "eth0")
		if err == nil {
			accepted(t, addr, nil, IPv6)
			for _, a := range addrs {
				if a.Addr == addr && a.Interface == "eth0" && a.Temporary() {
					t.Fatalf("picked temporary %s", addr)
				}
			}
		}
	})
}

func FuzzParseSuffix(f *testing.F) {
	f.Add("::1:2:3:4/64")
	f.Add("02:11:32:aa:bb:cc")
	f.Fuzz(func(t *testing.T, s string) {
		suf, err := ParseSuffix(s)
		if err != nil {
			return
		}
		out, err := suf.Apply(goodV6)
		if err != nil || !out.Is6() {
			t.Fatalf("%s: %v, %v", s, out, err)
		}
	})
}

// TestMetricsAreServed runs detections and reads /metrics as the
// manager serves it (controller-runtime's registry).
func TestMetricsAreServed(t *testing.T) {
	RegisterMetrics()
	bad := startEcho(t, "127.0.0.1", echoReply{body: "<html>oops</html>", contentType: "text/html"})
	good1 := startEcho(t, "127.0.0.1", echoReply{body: goodV4.String()})
	good2 := startEcho(t, "127.0.0.1", echoReply{body: goodV4.String()})
	d := NewDetector(Config{Name: "metrics-test", Sources: map[Family][]Source{IPv4: {httpSource(t, bad.URL), httpSource(t, good1.URL), httpSource(t, good2.URL)}}})
	if _, err := d.Address(context.Background(), IPv4); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(promhttp.HandlerFor(metrics.Registry, promhttp.HandlerOpts{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	for _, want := range []string{
		`ddns_egress_detection_duration_seconds_count{family="ipv4",list="metrics-test"} 1`,
		`ddns_egress_source_failures_total{family="ipv4",reason="html",source="` + bad.URL + `"} 1`,
		`ddns_egress_address_info{address="81.2.69.160",family="ipv4",list="metrics-test"} 1`,
		`ddns_egress_source_requests_total{family="ipv4",source="` + good2.URL + `"} 1`,
		`ddns_egress_source_duration_seconds_count{family="ipv4",source="` + bad.URL + `"} 1`,
		`ddns_egress_family_available{family="ipv4",list="metrics-test"} 1`,
		`ddns_egress_sources_disagree{family="ipv4",list="metrics-test"} 0`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

package notify

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// goldenCase is one call ddns-go made (testdata/ddnsgo_golden.json).
type goldenCase struct {
	Name     string `json:"name"`
	Lang     string `json:"lang"`
	URL      string `json:"url"`
	Body     string `json:"body"`
	Headers  string `json:"headers"`
	IPv4Addr string `json:"ipv4Addr"`
	IPv4     []struct {
		FQDN   string `json:"fqdn"`
		Status string `json:"status"`
	} `json:"ipv4Domains"`
	IPv6Addr string `json:"ipv6Addr"`
	IPv6     []struct {
		FQDN   string `json:"fqdn"`
		Status string `json:"status"`
	} `json:"ipv6Domains"`
	Timestamp  int64               `json:"timestamp"`
	Sent       bool                `json:"sent"`
	Method     string              `json:"method"`
	RequestURI string              `json:"requestURI"`
	Header     map[string][]string `json:"header"`
	SentBody   string              `json:"sentBody"`
}

// captured is a request as a receiver saw it.
type captured struct {
	method, uri, body string
	header            http.Header
}

// TestDDNSGoWebhookMatchesDDNSGo renders each case ddns-go rendered, sends
// it to a receiver, and compares what arrived with what arrived from
// ddns-go itself: method, path and query, headers and body, byte for byte.
func TestDDNSGoWebhookMatchesDDNSGo(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/ddnsgo_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Cases []goldenCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &golden); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got *captured
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = &captured{method: r.Method, uri: r.RequestURI, body: string(body), header: r.Header.Clone()}
		mu.Unlock()
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	if len(golden.Cases) < 8 {
		t.Fatalf("only %d golden cases", len(golden.Cases))
	}
	for _, gc := range golden.Cases {
		t.Run(gc.Name, func(t *testing.T) {
			result := func(ds []struct {
				FQDN   string `json:"fqdn"`
				Status string `json:"status"`
			}) (DDNSGoResult, string) {
				res := Unchanged
				var names []string
				for _, d := range ds {
					names = append(names, d.FQDN)
					switch {
					case d.Status == "failed":
						res = Failed
					case d.Status == "success" && res == Unchanged:
						res = Success
					}
				}
				return res, strings.Join(names, ",")
			}
			v := DDNSGoValues{IPv4Addr: gc.IPv4Addr, IPv6Addr: gc.IPv6Addr, Time: time.Unix(gc.Timestamp, 0)}
			v.IPv4Result, v.IPv4Domains = result(gc.IPv4)
			v.IPv6Result, v.IPv6Domains = result(gc.IPv6)
			if v.IPv4Result == Unchanged && v.IPv6Result == Unchanged {
				if gc.Sent {
					t.Fatal("ddns-go sent a webhook with nothing changed; the notifier would not")
				}
				return
			}
			hook := DDNSGoWebhook{URL: strings.ReplaceAll(gc.URL, "{{base}}", srv.URL), Body: gc.Body, Headers: gc.Headers, Lang: gc.Lang}
			req, err := hook.Request(v)
			if err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			got = nil
			mu.Unlock()
			if err := (&DDNSGo{}).Send(context.Background(), Message{Request: &req}); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			c := got
			mu.Unlock()
			if c.method != gc.Method || c.uri != gc.RequestURI || c.body != gc.SentBody {
				t.Errorf("sent %s %s %q\nddns-go sent %s %s %q", c.method, c.uri, c.body, gc.Method, gc.RequestURI, gc.SentBody)
			}
			for _, skip := range []string{"User-Agent", "Accept-Encoding", "Content-Length"} {
				c.header.Del(skip)
			}
			if !reflect.DeepEqual(map[string][]string(c.header), gc.Header) {
				t.Errorf("headers %v, ddns-go sent %v", c.header, gc.Header)
			}
		})
	}
}

// TestDDNSGoValuesFromADigest: results, names and addresses per family.
func TestDDNSGoValuesFromADigest(t *testing.T) {
	at := time.Unix(1796051967, 0)
	d := &Digest{At: at}
	d.addChange(AddressChange{Family: "ipv4", Old: "81.2.69.160", New: "81.2.69.170", Records: 2})
	d.addUpdate(RecordUpdate{RecordRef: home, Old: "81.2.69.160", New: "81.2.69.170"})
	d.addUpdate(RecordUpdate{RecordRef: RecordRef{Namespace: "default", Name: "apex", FQDN: "example.com", Type: "A"}, New: "81.2.69.170"})
	d.addFailure(RecordFailure{RecordRef: v6, Reason: "AuthenticationFailed", Stalled: true})
	all := func(EventKind) bool { return true }
	got := ddnsGoValues(d, all, map[string]string{"ipv4": "81.2.69.160", "ipv6": "2a02:2e0:3fe:1001:302::7"})
	want := DDNSGoValues{
		IPv4Addr: "81.2.69.170", IPv4Result: Success, IPv4Domains: "home.example.com,example.com",
		IPv6Addr: "2a02:2e0:3fe:1001:302::7", IPv6Result: Failed, IPv6Domains: "nas.example.org",
		Time: at,
	}
	if got != want {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	onlyFailures := func(k EventKind) bool { return k == RecordFailing }
	got = ddnsGoValues(d, onlyFailures, nil)
	if got.IPv4Result != Unchanged || got.IPv4Domains != "" || got.IPv6Result != Failed {
		t.Errorf("a failures-only target got %+v", got)
	}
}

// Command upstream serves external-dns's webhook provider protocol with
// external-dns's own code, for the tests of provider webhook: the HTTP
// handlers of sigs.k8s.io/external-dns/provider/webhook/api (v0.23.0)
// over its in-memory provider, behind a wrapper that injects faults, plus
// a control API the tests use to seed records, read them, count requests
// and set faults.
//
//	upstream -zones example.com,example.org [-filter example.com]
//
// It prints one line of JSON, {"webhook": URL, "control": URL}, and serves
// until killed. Both listen on 127.0.0.1 only.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"sigs.k8s.io/external-dns/endpoint"
	"sigs.k8s.io/external-dns/plan"
	"sigs.k8s.io/external-dns/provider/inmemory"
	"sigs.k8s.io/external-dns/provider/webhook/api"
)

func main() {
	zones := flag.String("zones", "example.com", "comma-separated zones of the in-memory provider")
	filter := flag.String("filter", "", "comma-separated domain filter the webhook announces; the zones when empty")
	minTTL := flag.Int64("min-ttl", 0, "raise TTLs below this in /adjustendpoints, as providers with a minimum TTL do")
	flag.Parse()
	if *filter == "" {
		*filter = *zones
	}
	df := endpoint.NewDomainFilter(split(*filter))
	p := inmemory.NewInMemoryProvider(inmemory.InMemoryInitZones(split(*zones)), inmemory.InMemoryWithDomain(df))
	s := &server{provider: p, upstream: &api.WebhookServer{Provider: announcing{p, df, *minTTL}}}

	hook := listen()
	control := listen()
	out, _ := json.Marshal(map[string]string{"webhook": "http://" + hook.Addr().String(), "control": "http://" + control.Addr().String()})
	fmt.Println(string(out))

	go serve(control, s.controlMux())
	serve(hook, s.webhookMux())
}

func split(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func listen() net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	return ln
}

func serve(ln net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.Serve(ln); err != nil {
		log.Fatal(err)
	}
}

// announcing is the in-memory provider announcing its domain filter in
// the negotiation, as webhook providers do (the in-memory provider leaves
// provider.BaseProvider's empty one), and optionally raising TTLs to a
// minimum.
type announcing struct {
	*inmemory.InMemoryProvider
	filter *endpoint.DomainFilter
	minTTL int64
}

// AdjustEndpoints raises TTLs below minTTL, as a provider with a minimum
// TTL adjusts them (the in-memory provider adjusts nothing).
func (a announcing) AdjustEndpoints(eps []*endpoint.Endpoint) ([]*endpoint.Endpoint, error) {
	for _, ep := range eps {
		if a.minTTL > 0 && int64(ep.RecordTTL) < a.minTTL {
			ep.RecordTTL = endpoint.TTL(a.minTTL)
		}
	}
	return eps, nil
}

// GetDomainFilter returns the filter the server was started with.
func (a announcing) GetDomainFilter() endpoint.DomainFilterInterface { return a.filter }

// server is the upstream webhook with its fault wrapper and counters.
type server struct {
	provider *inmemory.InMemoryProvider
	upstream *api.WebhookServer

	mu       sync.Mutex
	fault    string
	requests int
	writes   int
}

// webhookMux routes as api.StartHTTPApi does, every route behind the
// fault wrapper.
func (s *server) webhookMux() http.Handler {
	m := http.NewServeMux()
	m.HandleFunc("/", s.wrap(s.upstream.NegotiateHandler))
	m.HandleFunc(api.UrlRecords, s.wrap(s.upstream.RecordsHandler))
	m.HandleFunc(api.UrlAdjustEndpoints, s.wrap(s.upstream.AdjustEndpointsHandler))
	return m
}

// wrap counts a request and answers it as the fault set says, else hands
// it to the upstream handler.
func (s *server) wrap(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests++
		fault := s.fault
		s.mu.Unlock()
		write := r.Method == http.MethodPost && r.URL.Path == api.UrlRecords
		if s.injected(w, r, fault) {
			return
		}
		if write {
			rec := &statusRecorder{ResponseWriter: w}
			if fault == "lost-response" {
				h(&discard{header: http.Header{}}, r)
				s.count(true)
				reset(w)
				return
			}
			h(rec, r)
			s.count(rec.status == http.StatusNoContent)
			return
		}
		h(w, r)
	}
}

func (s *server) count(wrote bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if wrote {
		s.writes++
	}
}

// injected answers r as the fault says, as a webhook sidecar or the
// network in front of it fails; false leaves r to the upstream handler.
func (s *server) injected(w http.ResponseWriter, r *http.Request, fault string) bool {
	status := map[string]int{
		"rate-limited": 429, "rate-limited-no-retry-after": 429, "server-error": 500, "http-500": 500,
		"http-502": 502, "http-503": 503, "auth-rejected": 401,
	}[fault]
	switch {
	case status != 0:
		if fault == "rate-limited" {
			w.Header().Set("Retry-After", "2") // providertest.RetryAfter (this module cannot import it)
		}
		w.WriteHeader(status)
	case fault == "zone-not-found" && r.URL.Path == "/":
		// The webhook's domain filter no longer holds the zone.
		w.Header().Set(api.ContentTypeHeader, api.MediaTypeFormatAndVersion)
		_ = json.NewEncoder(w).Encode(endpoint.NewDomainFilter([]string{"zone-not-found.invalid"}))
	case fault == "connection-reset":
		reset(w)
	case fault == "timeout":
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Minute):
		}
		reset(w)
	case fault == "truncated-json":
		w.Header().Set(api.ContentTypeHeader, api.MediaTypeFormatAndVersion)
		_, _ = io.WriteString(w, `[{"dnsName":"`)
	case fault == "html-page":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, "<!DOCTYPE html><html><body><h1>Sign in to the network</h1></body></html>")
	case fault == "empty-200":
		w.WriteHeader(http.StatusOK)
	case fault == "endless-body", fault == "endless-pages" && r.URL.Path == api.UrlRecords && r.Method == http.MethodGet:
		// The protocol has no pages; a records list that never ends is
		// its nearest failure.
		w.Header().Set(api.ContentTypeHeader, api.MediaTypeFormatAndVersion)
		_, _ = io.WriteString(w, "[")
		chunk := strings.Repeat(`{"dnsName":"x.example.com","targets":["81.2.69.1"],"recordType":"A"},`, 64)
		for written := 0; written < 64<<20 && r.Context().Err() == nil; written += len(chunk) {
			if _, err := io.WriteString(w, chunk); err != nil {
				return true
			}
		}
	default:
		return false
	}
	return true
}

// controlMux is the tests' side door.
func (s *server) controlMux() http.Handler {
	m := http.NewServeMux()
	m.HandleFunc("POST /seed", func(w http.ResponseWriter, r *http.Request) {
		var ep endpoint.Endpoint
		if err := json.NewDecoder(r.Body).Decode(&ep); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := s.seed(r.Context(), &ep); err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	m.HandleFunc("GET /records", func(w http.ResponseWriter, r *http.Request) {
		eps, err := s.provider.Records(r.Context())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_ = json.NewEncoder(w).Encode(eps)
	})
	m.HandleFunc("GET /counts", func(w http.ResponseWriter, _ *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]int{"requests": s.requests, "writes": s.writes})
	})
	m.HandleFunc("POST /fault", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.fault = r.URL.Query().Get("name")
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	return m
}

// seed stores ep through the provider: created, or its targets added to
// the endpoint of the same name and type.
func (s *server) seed(ctx context.Context, ep *endpoint.Endpoint) error {
	eps, err := s.provider.Records(ctx)
	if err != nil {
		return err
	}
	for _, cur := range eps {
		if cur.Key() == ep.Key() {
			next := endpoint.NewEndpointWithTTL(cur.DNSName, cur.RecordType, cur.RecordTTL, append(cur.Targets, ep.Targets...)...)
			return s.provider.ApplyChanges(ctx, &plan.Changes{UpdateOld: []*endpoint.Endpoint{cur}, UpdateNew: []*endpoint.Endpoint{next}})
		}
	}
	return s.provider.ApplyChanges(ctx, &plan.Changes{Create: []*endpoint.Endpoint{ep}})
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// discard is a ResponseWriter that keeps nothing: the answer of a write
// whose response is lost.
type discard struct{ header http.Header }

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// reset closes the connection under w without an answer.
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

func init() {
	// The upstream handlers log through logrus to stderr; the tests keep
	// stderr for failures.
	log.SetOutput(os.Stderr)
}

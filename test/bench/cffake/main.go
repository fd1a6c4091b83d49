// Command cffake serves the Cloudflare API fake (cloudflarefake) as its own
// process for `make bench`, behind a front that behaves like the real API
// under load: a fixed latency per request and Cloudflare's documented rate
// limit per token, answered with HTTP 429, Retry-After and error 971. It
// counts the requests it served, split into reads and writes, and the ones
// it throttled, and reports them as JSON at GET /_bench/stats.
//
// POST /_bench/throttle?for=D&retry-after=R makes it answer every API
// request 429 (error 971, Retry-After R in seconds) for the next D, a
// persistent throttle; GET /_bench/throttle then reports when the first
// 429 went out and when every throttled request arrived, so the benchmark
// can count the requests a client sent before Retry-After elapsed.
//
// It prints "URL http://127.0.0.1:PORT" on stdout once it listens.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ddns-operator/ddns-operator/providers/cloudflare/cloudflarefake"
)

// Stats are the counters served at /_bench/stats.
type Stats struct {
	// Reads are GET requests served (not throttled).
	Reads int `json:"reads"`
	// Writes are POST, PUT, PATCH and DELETE requests served.
	Writes int `json:"writes"`
	// Throttled are requests answered 429.
	Throttled int `json:"throttled"`
	// Ops counts served requests by API operation (the fake's names).
	Ops map[string]int `json:"ops"`
	// Records is how many DNS records the fake holds, all zones together.
	Records int `json:"records"`
}

// front wraps the fake with latency, a rate limit and counters.
type front struct {
	fake    *cloudflarefake.Fake
	zones   []string
	proxy   *httputil.ReverseProxy
	latency time.Duration
	limit   *window
	pause   persistent

	mu                       sync.Mutex
	reads, writes, throttled int
}

// persistent is a throttle that answers every request 429 until a time,
// recording when each throttled request arrived.
type persistent struct {
	mu         sync.Mutex
	until      time.Time
	retryAfter time.Duration
	arrivals   []time.Time
}

// ThrottleReport is what GET /_bench/throttle answers.
type ThrottleReport struct {
	// RetryAfterSeconds is the Retry-After every throttled answer carried.
	RetryAfterSeconds int `json:"retryAfterSeconds"`
	// First is when the first throttled request arrived; zero if none did.
	First time.Time `json:"first"`
	// Offsets are the arrivals of every throttled request, in seconds
	// after First (the first is 0).
	Offsets []float64 `json:"offsets"`
}

// throttled reports whether a request at now is refused, recording it.
func (p *persistent) throttled(now time.Time) (bool, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now.After(p.until) {
		return false, 0
	}
	p.arrivals = append(p.arrivals, now)
	return true, p.retryAfter
}

func (p *persistent) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r.Method == http.MethodPost {
		d, err1 := time.ParseDuration(r.URL.Query().Get("for"))
		ra, err2 := time.ParseDuration(r.URL.Query().Get("retry-after"))
		if err1 != nil || err2 != nil || ra < time.Second {
			http.Error(w, "want for=DURATION and retry-after=DURATION (at least 1s)", http.StatusBadRequest)
			return
		}
		p.until, p.retryAfter, p.arrivals = time.Now().Add(d), ra, nil
		w.WriteHeader(http.StatusNoContent)
		return
	}
	rep := ThrottleReport{RetryAfterSeconds: int(p.retryAfter / time.Second), Offsets: []float64{}}
	if len(p.arrivals) > 0 {
		rep.First = p.arrivals[0]
		for _, a := range p.arrivals {
			rep.Offsets = append(rep.Offsets, a.Sub(rep.First).Seconds())
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(rep)
}

// window is a sliding-window rate limit: at most limit requests in any
// span of length per, as Cloudflare documents (1200 per 5 minutes per
// user or token).
type window struct {
	mu    sync.Mutex
	limit int
	per   time.Duration
	times []time.Time // admitted requests in the current span, oldest first
}

// admit reports whether a request at now fits, and if not how long until
// one would.
func (w *window) admit(now time.Time) (bool, time.Duration) {
	if w == nil || w.limit <= 0 {
		return true, 0
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	cut := 0
	for cut < len(w.times) && now.Sub(w.times[cut]) >= w.per {
		cut++
	}
	w.times = w.times[cut:]
	if len(w.times) >= w.limit {
		return false, w.times[0].Add(w.per).Sub(now)
	}
	w.times = append(w.times, now)
	return true, 0
}

func (f *front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/_bench/stats":
		f.serveStats(w)
		return
	case "/_bench/throttle":
		f.pause.serve(w, r)
		return
	}
	if refused, wait := f.pause.throttled(time.Now()); refused {
		time.Sleep(f.latency)
		f.tooMany(w, wait)
		return
	}
	time.Sleep(f.latency)
	if ok, wait := f.limit.admit(time.Now()); !ok {
		f.tooMany(w, wait)
		return
	}
	f.mu.Lock()
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		f.reads++
	} else {
		f.writes++
	}
	f.mu.Unlock()
	f.proxy.ServeHTTP(w, r)
}

// tooMany answers 429 as Cloudflare does, asking the client to wait.
func (f *front) tooMany(w http.ResponseWriter, wait time.Duration) {
	f.mu.Lock()
	f.throttled++
	f.mu.Unlock()
	secs := int((wait + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = fmt.Fprint(w, `{"success":false,"errors":[{"code":971,"message":"Please wait and consider throttling your request speed"}],"messages":[],"result":null}`)
}

func (f *front) serveStats(w http.ResponseWriter) {
	f.mu.Lock()
	s := Stats{Reads: f.reads, Writes: f.writes, Throttled: f.throttled, Ops: map[string]int{}}
	f.mu.Unlock()
	for _, op := range []string{"listZones", "getZone", "listRecords", "getRecord", "create", "update", "delete", "batch"} {
		s.Ops[op] = f.fake.Count(op)
	}
	for _, z := range f.zones {
		s.Records += len(f.fake.Records(z, "", ""))
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(s)
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "cffake:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("listen", "127.0.0.1:0", "Address to listen on.")
	zones := flag.String("zones", "example.com", "Comma-separated zones the fake holds.")
	latency := flag.Duration("latency", 50*time.Millisecond, "Added to every API request.")
	limit := flag.Int("rate-limit", 1200, "Requests admitted per --rate-window (Cloudflare: 1200 per 5 minutes per token); 0 disables the limit.")
	per := flag.Duration("rate-window", 5*time.Minute, "The rate limit's window.")
	flag.Parse()

	var names []string
	for _, z := range strings.Split(*zones, ",") {
		if z = strings.TrimSpace(z); z != "" {
			names = append(names, z)
		}
	}
	fake := cloudflarefake.New(nil, names...) // nil: no test owns it; closed below
	defer fake.Close()
	// The provider asks 100 records a page, the API's default; let that
	// decide rather than the fake's small test pages.
	fake.PageSize = 5000
	target, err := url.Parse(fake.URL)
	if err != nil {
		return err
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.Transport = &http.Transport{MaxIdleConnsPerHost: 64}
	f := &front{fake: fake, zones: names, proxy: proxy, latency: *latency, limit: &window{limit: *limit, per: *per}}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: f, ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("URL http://%s\n", ln.Addr())
	go func() { _ = srv.Serve(ln) }()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	return srv.Close()
}

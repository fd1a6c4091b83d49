package system

import (
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
)

// Echo is a local HTTP server standing in for a public-IP service such as
// api.ipify.org: GET answers the current address as plain text; PUT or
// POST with an address as the body changes it (for people trying the
// demo).
type Echo struct {
	// URL is "http://127.0.0.1:PORT/".
	URL string

	mu       sync.Mutex
	addr     string
	changed  chan struct{} // closed at the first GET after a change
	requests atomic.Int64
	srv      *http.Server
}

// StartEcho serves addr on a free port of 127.0.0.1.
func StartEcho(addr string) (*Echo, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	e := &Echo{URL: "http://" + ln.Addr().String() + "/", addr: addr, changed: make(chan struct{})}
	e.srv = &http.Server{Handler: e}
	go func() { _ = e.srv.Serve(ln) }()
	return e, nil
}

// Set changes the address answered from now on and returns a channel
// closed when the first GET after the change has been answered.
func (e *Echo) Set(addr string) <-chan struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.addr = addr
	e.changed = make(chan struct{})
	return e.changed
}

// Requests counts the GETs answered.
func (e *Echo) Requests() int { return int(e.requests.Load()) }

// Close stops the server.
func (e *Echo) Close() { _ = e.srv.Close() }

// ServeHTTP answers the address or takes a new one.
func (e *Echo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		e.mu.Lock()
		addr, ch := e.addr, e.changed
		e.mu.Unlock()
		e.requests.Add(1)
		_, _ = io.WriteString(w, addr+"\n")
		select {
		case <-ch:
		default:
			e.mu.Lock()
			if e.changed == ch {
				close(ch)
			}
			e.mu.Unlock()
		}
	case http.MethodPut, http.MethodPost:
		b, _ := io.ReadAll(io.LimitReader(r.Body, 64))
		a, err := netip.ParseAddr(strings.TrimSpace(string(b)))
		if err != nil {
			http.Error(w, "send an IP address as the body", http.StatusBadRequest)
			return
		}
		e.Set(a.String())
		_, _ = io.WriteString(w, "now answering "+a.String()+"\n")
	default:
		http.Error(w, "GET, PUT or POST", http.StatusMethodNotAllowed)
	}
}

package system

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Receiver stands in for a chat service, a ddns-go-style webhook and a
// heartbeat checker (healthchecks.io): it keeps every request it is sent
// and writes it to a log file a person can follow.
type Receiver struct {
	// URL is its base URL on 127.0.0.1.
	URL string
	// LogPath is where each request is written.
	LogPath string

	srv *http.Server
	mu  sync.Mutex
	got []Received
	log *os.File
}

// Received is one request a Receiver got.
type Received struct {
	At   time.Time
	Path string // path and query
	Body string
}

// StartReceiver listens on a free port of 127.0.0.1 and logs to logPath.
func StartReceiver(logPath string) (*Receiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f, err := os.Create(logPath)
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	r := &Receiver{URL: "http://" + ln.Addr().String(), LogPath: logPath, log: f}
	r.srv = &http.Server{Handler: r, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = r.srv.Serve(ln) }()
	return r, nil
}

// ServeHTTP keeps and logs the request and answers 200.
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	got := Received{At: time.Now(), Path: req.URL.RequestURI(), Body: string(b)}
	r.mu.Lock()
	r.got = append(r.got, got)
	fmt.Fprintf(r.log, "--- %s %s %s\n%s\n", got.At.Format(time.TimeOnly), req.Method, got.Path, strings.TrimSpace(got.Body))
	r.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// Received returns the requests whose path starts with prefix.
func (r *Receiver) Received(prefix string) []Received {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Received
	for _, g := range r.got {
		if strings.HasPrefix(g.Path, prefix) {
			out = append(out, g)
		}
	}
	return out
}

// Close stops the receiver.
func (r *Receiver) Close() {
	_ = r.srv.Close()
	_ = r.log.Close()
}

// Receiver paths of the notification targets and the heartbeat NotifyArgs
// configures.
const (
	NotifyPath    = "/notify"
	DDNSGoPath    = "/ddns-go"
	HeartbeatPath = "/ping/demo"
)

// NotifyArgs writes a notification configuration and a Secret directory
// (as the chart mounts them) with three targets at r: a shoutrrr generic
// webhook, a ddns-go-style webhook, and the heartbeat; it returns the
// manager flags that use them.
func (s *System) NotifyArgs(r *Receiver) ([]string, error) {
	cfgDir, secretDir := filepath.Join(s.Dir, "notify"), filepath.Join(s.Dir, "notify-secret")
	for _, d := range []string{cfgDir, secretDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, err
		}
	}
	files := map[string]string{
		filepath.Join(cfgDir, "config.yaml"): `cluster: demo
coalesce: {quiet: 2s, maxDelay: 30s}
failingAfter: 1m
targets:
- name: webhook
- name: ddns-go
  format: ddns-go
heartbeat: {urlKey: heartbeat}
`,
		filepath.Join(secretDir, "webhook"):   "generic+" + r.URL + NotifyPath,
		filepath.Join(secretDir, "ddns-go"):   r.URL + DDNSGoPath + "?ip=#{ipv4Addr}&result=#{ipv4Result}&domains=#{ipv4Domains}&ts=#{timestamp}",
		filepath.Join(secretDir, "heartbeat"): r.URL + HeartbeatPath,
	}
	for path, content := range files {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			return nil, err
		}
	}
	return []string{"--notify-config=" + filepath.Join(cfgDir, "config.yaml"), "--notify-secret-dir=" + secretDir}, nil
}

// FreeAddr returns a free 127.0.0.1:port, for the manager's metrics.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

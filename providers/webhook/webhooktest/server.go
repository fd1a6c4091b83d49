// Package webhooktest runs external-dns's own webhook server for the tests
// of provider webhook: providers/webhook/upstream, built by
// hack/setup-webhook-upstream.sh (external-dns v0.23.0's webhook HTTP
// handlers over its in-memory provider, behind a fault wrapper), started
// as a process per test on 127.0.0.1 and driven through its control API.
// There is no fake of ours: the wire format is upstream's.
package webhooktest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// BuildTimeout bounds building the server: a cold build compiles
// external-dns with another toolchain, several minutes on 2 cores.
const BuildTimeout = 20 * time.Minute

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// Binary returns the path of the built server, building it once per
// machine (hack/setup-webhook-upstream.sh caches it; WEBHOOK_UPSTREAM_SERVER
// names a prebuilt one).
func Binary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		if p := os.Getenv("WEBHOOK_UPSTREAM_SERVER"); p != "" {
			binPath = p
			return
		}
		_, file, _, _ := runtime.Caller(0)
		script := filepath.Join(filepath.Dir(file), "..", "..", "..", "hack", "setup-webhook-upstream.sh")
		cmd := exec.Command(script)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		timer := time.AfterFunc(BuildTimeout, func() { _ = cmd.Process.Kill() })
		defer timer.Stop()
		out, err := cmd.Output()
		if err != nil {
			binErr = fmt.Errorf("%s: %w\n%s", script, err, stderr.String())
			return
		}
		binPath = strings.TrimSpace(string(out))
	})
	if binErr != nil {
		t.Fatalf("build the external-dns webhook server: %v", binErr)
	}
	return binPath
}

// Server is a running upstream webhook server.
type Server struct {
	// URL is the webhook's base URL (providers.Env.Endpoint).
	URL string
	// Control is the base URL of the tests' side door.
	Control string

	cmd *exec.Cmd
}

// Start runs a server whose in-memory provider holds zones, announcing
// filter as its domain filter (the zones when empty). It stops when the
// test ends.
func Start(t testing.TB, zones []string, filter ...string) *Server {
	t.Helper()
	return StartWith(t, Config{Zones: zones, Filter: filter})
}

// Config says what a server holds and how it behaves.
type Config struct {
	// Zones are the in-memory provider's zones.
	Zones []string
	// Filter is the domain filter announced; Zones when empty.
	Filter []string
	// MinTTL makes /adjustendpoints raise smaller TTLs to it.
	MinTTL int
}

// StartWith runs a server as c says; it stops when the test ends.
func StartWith(t testing.TB, c Config) *Server {
	t.Helper()
	args := []string{"-zones", strings.Join(c.Zones, ",")}
	if len(c.Filter) > 0 {
		args = append(args, "-filter", strings.Join(c.Filter, ","))
	}
	if c.MinTTL > 0 {
		args = append(args, "-min-ttl", fmt.Sprint(c.MinTTL))
	}
	cmd := exec.Command(Binary(t), args...)
	setDeathSignal(cmd)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the webhook server: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(stdout)
		if s.Scan() {
			line <- s.Text()
		}
		close(line)
	}()
	var addrs struct{ Webhook, Control string }
	select {
	case l := <-line:
		if err := json.Unmarshal([]byte(l), &addrs); err != nil || addrs.Webhook == "" {
			t.Fatalf("the webhook server printed %q", l)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the webhook server did not start within 30s")
	}
	return &Server{URL: addrs.Webhook, Control: addrs.Control, cmd: cmd}
}

// Endpoint is external-dns's endpoint as the control API takes it.
type Endpoint struct {
	DNSName       string   `json:"dnsName"`
	Targets       []string `json:"targets"`
	RecordType    string   `json:"recordType"`
	SetIdentifier string   `json:"setIdentifier,omitempty"`
	RecordTTL     int64    `json:"recordTTL,omitempty"`
}

var control = &http.Client{Timeout: 10 * time.Second}

// SeedEndpoint stores ep directly in the in-memory provider (its targets
// added to an endpoint of the same name and type).
func (s *Server) SeedEndpoint(ep Endpoint) error {
	b, _ := json.Marshal(ep)
	resp, err := control.Post(s.Control+"/seed", "application/json", bytes.NewReader(b))
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("seed %+v: HTTP %d", ep, resp.StatusCode)
	}
	return nil
}

// Seed stores r directly, with its marker in the companion TXT record, and
// returns it with the ID the provider lists it by.
func (s *Server) Seed(zone string, r providers.Record) providers.Record {
	r.Name = providers.CanonicalName(r.Name)
	if err := s.SeedEndpoint(Endpoint{DNSName: r.Name, RecordType: r.Type, Targets: []string{r.Value}, RecordTTL: int64(r.TTL)}); err != nil {
		panic(err)
	}
	if r.Marker != "" {
		txt := "_ddns-owner-" + strings.ToLower(r.Type) + "." + r.Name
		if err := s.SeedEndpoint(Endpoint{DNSName: txt, RecordType: "TXT", Targets: []string{`"` + r.Marker + `"`}, RecordTTL: int64(r.TTL)}); err != nil {
			panic(err)
		}
	}
	n := 0
	for _, ep := range s.Endpoints() {
		if ep.DNSName == r.Name && ep.RecordType == r.Type && ep.SetIdentifier == "" {
			n = len(ep.Targets)
		}
	}
	r.ID = r.Name + "/" + r.Type
	if n > 1 {
		r.ID += "/" + r.Value
	}
	return r
}

// Endpoints returns every endpoint the in-memory provider holds.
func (s *Server) Endpoints() []Endpoint {
	resp, err := control.Get(s.Control + "/records")
	if err != nil {
		panic(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var eps []Endpoint
	if err := json.NewDecoder(resp.Body).Decode(&eps); err != nil {
		panic(err)
	}
	return eps
}

// Records returns the records named name (all when "") of type typ, one
// per target, with the marker of their companion TXT record.
func (s *Server) Records(zone, name, typ string) []providers.Record {
	eps := s.Endpoints()
	markers := map[string]string{}
	for _, ep := range eps {
		if ep.RecordType == "TXT" && len(ep.Targets) > 0 {
			markers[ep.DNSName] = strings.Trim(ep.Targets[0], `"`)
		}
	}
	var out []providers.Record
	for _, ep := range eps {
		if (name != "" && ep.DNSName != providers.CanonicalName(name)) || ep.RecordType != typ {
			continue
		}
		if ep.DNSName != zone && !strings.HasSuffix(ep.DNSName, "."+zone) {
			continue
		}
		for _, t := range ep.Targets {
			id := ep.DNSName + "/" + ep.RecordType
			if len(ep.Targets) > 1 {
				id += "/" + t
			}
			out = append(out, providers.Record{ID: id, Name: ep.DNSName, Type: ep.RecordType, Value: t, TTL: int32(ep.RecordTTL),
				Marker: markers["_ddns-owner-"+strings.ToLower(ep.RecordType)+"."+ep.DNSName]})
		}
	}
	slices.SortFunc(out, func(a, b providers.Record) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// counts reads the request counters.
func (s *Server) counts() (requests, writes int) {
	resp, err := control.Get(s.Control + "/counts")
	if err != nil {
		panic(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var c struct{ Requests, Writes int }
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		panic(err)
	}
	return c.Requests, c.Writes
}

// Requests counts every request to the webhook, faults included.
func (s *Server) Requests() int { r, _ := s.counts(); return r }

// Writes counts the POST /records the upstream server applied (204).
func (s *Server) Writes() int { _, w := s.counts(); return w }

// SetFault makes every following request fail as f says (by its name).
func (s *Server) SetFault(f providertest.Fault) {
	name := f.String()
	if f == providertest.FaultNone {
		name = ""
	}
	resp, err := control.Post(s.Control+"/fault?name="+url.QueryEscape(name), "text/plain", nil)
	if err != nil {
		panic(err)
	}
	_ = resp.Body.Close()
}

// Backend is provider d with the upstream server, for the operator's
// suites. The webhook takes no credentials: the wrong-secret check does
// not apply.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		s := Start(t, zones)
		return &providertest.Server{
			Endpoint:        s.URL,
			Secret:          map[string]string{},
			BadSecret:       map[string]string{},
			Seed:            s.Seed,
			Records:         s.Records,
			Writes:          s.Writes,
			Requests:        s.Requests,
			SetFault:        s.SetFault,
			CredentialsSeen: func() []string { return nil },
			Skip: map[string]string{
				providertest.CheckWrongSecret: "the webhook holds its DNS provider's credentials itself; the operator sends none",
			},
		}
	}}
}

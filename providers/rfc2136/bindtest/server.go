// Package bindtest runs a real BIND 9 (named) for tests and the demo: on
// 127.0.0.1 with a free port, in a temporary directory, serving dynamic
// zones that accept updates signed with TSIG keys of several algorithms.
package bindtest

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/miekg/dns"
)

// Algorithms are the TSIG algorithms the server has a key for.
var Algorithms = []string{"hmac-sha256", "hmac-sha512", "hmac-md5"}

// Key is a TSIG key the server accepts for updates and zone transfers.
type Key struct {
	// Name is the key's name, e.g. "ddns-hmac-sha256".
	Name string
	// Algorithm is the BIND name of its algorithm, e.g. "hmac-sha256".
	Algorithm string
	// Secret is the base64 secret.
	Secret string
}

// Config says what the server serves.
type Config struct {
	// Zones are created empty apart from SOA and NS, each updatable with
	// every key.
	Zones []string
	// Dir holds named.conf, the zone files and journals. A new temporary
	// directory, removed on Stop, when empty.
	Dir string
}

// Server is a running named.
type Server struct {
	// Addr is "127.0.0.1:PORT", answering over UDP and TCP.
	Addr string
	// Port is Addr's port.
	Port int
	// Dir is the working directory.
	Dir string
	// Keys holds one key per entry of Algorithms, by algorithm.
	Keys map[string]Key

	cmd     *exec.Cmd
	done    chan struct{}
	log     *lockedBuffer
	ownDir  bool
	stopped sync.Once
}

// Start writes the configuration and starts named, returning once it
// answers for every zone.
func Start(cfg Config) (*Server, error) {
	named, err := FindNamed()
	if err != nil {
		return nil, err
	}
	s := &Server{Dir: cfg.Dir, Keys: map[string]Key{}, done: make(chan struct{}), log: &lockedBuffer{}}
	if s.Dir == "" {
		if s.Dir, err = os.MkdirTemp("", "bindtest-"); err != nil {
			return nil, err
		}
		s.ownDir = true
	} else if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return nil, err
	}
	if s.Port, err = freePort(); err != nil {
		return nil, err
	}
	s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port))
	for _, alg := range Algorithms {
		s.Keys[alg] = Key{Name: "ddns-" + alg, Algorithm: alg, Secret: newSecret()}
	}
	if err := s.writeConfig(cfg.Zones); err != nil {
		return nil, err
	}
	// -g: foreground, log to stderr; -4: IPv4 only; -n 1: one worker, the
	// machine is shared. As root named keeps running as root: no -u, so it
	// can write its temporary directory.
	s.cmd = exec.Command(named, "-g", "-4", "-n", "1", "-c", filepath.Join(s.Dir, "named.conf"))
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start named: %w", err)
	}
	go func() { _ = s.cmd.Wait(); close(s.done) }()
	if err := s.waitReady(cfg.Zones, 30*time.Second); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// Stop stops named and removes the directory Start created.
func (s *Server) Stop() {
	s.stopped.Do(func() {
		if s.cmd != nil && s.cmd.Process != nil {
			_ = s.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-s.done:
			case <-time.After(10 * time.Second):
				_ = s.cmd.Process.Kill()
				<-s.done
			}
		}
		if s.ownDir {
			_ = os.RemoveAll(s.Dir)
		}
	})
}

// Log returns what named has written so far.
func (s *Server) Log() string { return s.log.String() }

// waitReady polls with SOA queries until every zone answers authoritatively.
func (s *Server) waitReady(zones []string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	c := &dns.Client{Net: "tcp", Timeout: time.Second}
	pending := append([]string(nil), zones...)
	for len(pending) > 0 {
		select {
		case <-s.done:
			return fmt.Errorf("named exited during start-up:\n%s", tail([]byte(s.Log())))
		default:
		}
		m := new(dns.Msg)
		m.SetQuestion(dns.Fqdn(pending[0]), dns.TypeSOA)
		if r, _, err := c.Exchange(m, s.Addr); err == nil && r.Rcode == dns.RcodeSuccess && r.Authoritative {
			pending = pending[1:]
			continue
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("named did not answer for zone %s within %s:\n%s", pending[0], limit, tail([]byte(s.Log())))
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

// freePort returns a port free on 127.0.0.1 for both TCP and UDP.
func freePort() (int, error) {
	for range 20 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		port := ln.Addr().(*net.TCPAddr).Port
		pc, err := net.ListenPacket("udp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		_ = ln.Close()
		if err == nil {
			_ = pc.Close()
			return port, nil
		}
	}
	return 0, errors.New("no port free for both TCP and UDP on 127.0.0.1")
}

func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// lockedBuffer collects named's output from its pipe goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

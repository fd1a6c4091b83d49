package system

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Manager is one running manager process, logging to a file.
type Manager struct {
	// Name tells managers apart in logs and file names.
	Name string
	// LogPath is where its output goes.
	LogPath string

	cmd  *exec.Cmd
	done chan struct{}
}

// ManagerArgs are the flags that point a manager at the echo server as
// its only IPv4 source, with no IPv6, no listening ports, and a 10s
// detection interval (the minimum).
func (s *System) ManagerArgs() []string {
	return []string{
		"--ipv4-sources=" + s.Echo.URL,
		"--ipv6-sources=",
		"--detect-policy=first",
		"--detect-interval=10s",
		"--metrics-bind-address=0",
		"--health-probe-bind-address=0",
		"--log-format=console",
	}
}

// StartManager starts the manager binary with ManagerArgs and extra flags.
func (s *System) StartManager(name string, extra ...string) (*Manager, error) {
	m := &Manager{Name: name, LogPath: filepath.Join(s.Dir, "manager-"+name+".log"), done: make(chan struct{})}
	f, err := os.Create(m.LogPath)
	if err != nil {
		return nil, err
	}
	m.cmd = exec.Command(s.Manager, append(s.ManagerArgs(), extra...)...)
	m.cmd.Env = append(os.Environ(), "KUBECONFIG="+s.Kubeconfig)
	m.cmd.Stdout, m.cmd.Stderr = f, f
	m.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := m.cmd.Start(); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("start manager %s: %w", name, err)
	}
	go func() {
		_ = m.cmd.Wait()
		_ = f.Close()
		close(m.done)
	}()
	return m, nil
}

// Kill ends the manager with SIGKILL, as a crash or an evicted pod does:
// no lease release, no clean-up.
func (m *Manager) Kill() {
	_ = m.cmd.Process.Kill()
	<-m.done
}

// Stop ends the manager with SIGTERM and waits for it.
func (m *Manager) Stop() {
	select {
	case <-m.done:
		return
	default:
	}
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-m.done:
	case <-time.After(20 * time.Second):
		m.Kill()
	}
}

// Done is closed when the process has ended.
func (m *Manager) Done() <-chan struct{} { return m.done }

// Exited reports whether the process has ended.
func (m *Manager) Exited() bool {
	select {
	case <-m.done:
		return true
	default:
		return false
	}
}

// Log returns what the manager has logged so far.
func (m *Manager) Log() string {
	b, _ := os.ReadFile(m.LogPath)
	return string(b)
}

// Logged counts the occurrences of s in the log, ignoring case (client-go
// and controller-runtime spell "successfully acquired lease" differently).
func (m *Manager) Logged(s string) int {
	return strings.Count(strings.ToLower(m.Log()), strings.ToLower(s))
}

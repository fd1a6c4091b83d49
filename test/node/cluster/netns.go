package cluster

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"sync"

	"golang.org/x/sys/unix"
)

// NetNS is the node's network namespace as seen from the test process: it
// opens sockets inside it, so servers of the test (the echo service, the
// DNS relay) sit on the node's address, and the test reaches the API
// server without any address of the machine's own network.
type NetNS struct {
	f *os.File
}

func openNetNS(pid int) (*NetNS, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/ns/net", pid))
	if err != nil {
		return nil, fmt.Errorf("open the node's network namespace: %w", err)
	}
	return &NetNS{f: f}, nil
}

// Close releases the handle (the namespace lives on while the node runs).
func (n *NetNS) Close() error { return n.f.Close() }

// do runs fn on an OS thread switched into the namespace. Sockets fn
// creates belong to the namespace for their whole life. The thread goes
// back to its own namespace afterwards; when that fails it is not
// unlocked, so the Go runtime retires it instead of reusing it.
func (n *NetNS) do(fn func() error) error {
	runtime.LockOSThread()
	own, err := os.Open("/proc/thread-self/ns/net")
	if err != nil {
		runtime.UnlockOSThread()
		return err
	}
	defer own.Close()
	if err := unix.Setns(int(n.f.Fd()), unix.CLONE_NEWNET); err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("enter the node's network namespace: %w", err)
	}
	ferr := fn()
	if err := unix.Setns(int(own.Fd()), unix.CLONE_NEWNET); err != nil {
		return fmt.Errorf("leave the node's network namespace: %w", err)
	}
	runtime.UnlockOSThread()
	return ferr
}

// Listen listens on addr inside the namespace.
func (n *NetNS) Listen(network, addr string) (ln net.Listener, err error) {
	err = n.do(func() error {
		ln, err = net.Listen(network, addr)
		return err
	})
	return ln, err
}

// DialContext connects to addr from inside the namespace.
func (n *NetNS) DialContext(ctx context.Context, network, addr string) (c net.Conn, err error) {
	err = n.do(func() error {
		var d net.Dialer
		c, err = d.DialContext(ctx, network, addr)
		return err
	})
	return c, err
}

// Forwarder relays TCP connections between a listener and a dial
// function: into the namespace (the API server for kubectl and helm) or
// out of it (pods to BIND on the test's loopback).
type Forwarder struct {
	ln    net.Listener
	wg    sync.WaitGroup
	once  sync.Once
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

// Addr is where the forwarder listens.
func (f *Forwarder) Addr() string { return f.ln.Addr().String() }

// Close stops accepting, ends open relays and waits for them.
func (f *Forwarder) Close() {
	f.once.Do(func() {
		_ = f.ln.Close()
		f.mu.Lock()
		for c := range f.conns {
			_ = c.Close()
		}
		f.mu.Unlock()
	})
	f.wg.Wait()
}

func (f *Forwarder) track(c net.Conn, add bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if add {
		f.conns[c] = struct{}{}
	} else {
		delete(f.conns, c)
	}
}

// Forward accepts on ln and relays each connection to what dial returns.
func Forward(ln net.Listener, dial func(ctx context.Context) (net.Conn, error)) *Forwarder {
	f := &Forwarder{ln: ln, conns: map[net.Conn]struct{}{}}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			f.wg.Add(1)
			f.track(c, true)
			go func() {
				defer f.wg.Done()
				defer f.track(c, false)
				relay(c, dial)
			}()
		}
	}()
	return f
}

func relay(c net.Conn, dial func(ctx context.Context) (net.Conn, error)) {
	defer c.Close()
	up, err := dial(context.Background())
	if err != nil {
		return
	}
	defer up.Close()
	// HTTP and DNS clients never half-close: when one side ends, the
	// exchange is over.
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, up); done <- struct{}{} }()
	<-done
	_ = c.Close()
	_ = up.Close()
	<-done
}

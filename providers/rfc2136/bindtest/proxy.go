package bindtest

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"

	"github.com/miekg/dns"
)

// Proxy is a DNS-over-TCP proxy in front of a server. It counts the UPDATE
// messages that pass through it and can answer every message itself with
// an error rcode, standing in for a failing server.
type Proxy struct {
	// Addr is the proxy's "127.0.0.1:PORT" (TCP only).
	Addr string

	upstream string
	ln       net.Listener
	updates  atomic.Int64
	fail     atomic.Int32 // rcode to answer with; 0 forwards
	wg       sync.WaitGroup
}

// NewProxy listens on a free port and forwards to upstream.
func NewProxy(upstream string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{Addr: ln.Addr().String(), upstream: upstream, ln: ln}
	p.wg.Add(1)
	go p.serve()
	return p, nil
}

// Updates returns how many UPDATE messages reached the upstream server.
func (p *Proxy) Updates() int { return int(p.updates.Load()) }

// FailWith makes the proxy answer every following message with rcode
// itself (e.g. dns.RcodeServerFailure); dns.RcodeSuccess forwards again.
func (p *Proxy) FailWith(rcode int) { p.fail.Store(int32(rcode)) }

// Close stops accepting and waits for open connections to end.
func (p *Proxy) Close() {
	_ = p.ln.Close()
	p.wg.Wait()
}

func (p *Proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer c.Close()
			p.handle(c)
		}()
	}
}

// handle relays length-prefixed messages one at a time, as the provider
// sends them: one request, one answer.
func (p *Proxy) handle(c net.Conn) {
	var up net.Conn
	defer func() {
		if up != nil {
			_ = up.Close()
		}
	}()
	for {
		req, err := readMsg(c)
		if err != nil {
			return
		}
		if rcode := int(p.fail.Load()); rcode != dns.RcodeSuccess {
			if err := writeMsg(c, errorAnswer(req, rcode)); err != nil {
				return
			}
			continue
		}
		if up == nil {
			if up, err = net.Dial("tcp", p.upstream); err != nil {
				return
			}
		}
		var h dns.Msg
		if h.Unpack(req) == nil && h.Opcode == dns.OpcodeUpdate {
			p.updates.Add(1)
		}
		if writeMsg(up, req) != nil {
			return
		}
		ans, err := readMsg(up)
		if err != nil || writeMsg(c, ans) != nil {
			return
		}
	}
}

// errorAnswer builds an unsigned answer to req with rcode, as a server
// that cannot process it does.
func errorAnswer(req []byte, rcode int) []byte {
	var m dns.Msg
	if err := m.Unpack(req); err != nil {
		return nil
	}
	r := new(dns.Msg)
	r.SetRcode(&m, rcode)
	r.Extra = nil
	out, _ := r.Pack()
	return out
}

func readMsg(r io.Reader) ([]byte, error) {
	var n uint16
	if err := binary.Read(r, binary.BigEndian, &n); err != nil {
		return nil, err
	}
	b := make([]byte, n)
	_, err := io.ReadFull(r, b)
	return b, err
}

func writeMsg(w io.Writer, b []byte) error {
	if b == nil {
		return errors.New("nothing to write")
	}
	buf := make([]byte, 2+len(b))
	binary.BigEndian.PutUint16(buf, uint16(len(b)))
	copy(buf[2:], b)
	_, err := w.Write(buf)
	return err
}

// Package dnsread reads a name's current records from the authoritative
// name servers of its zone, for providers whose API writes a record but
// cannot read it back: Dynamic DNS update endpoints (Namecheap, Dynadot,
// the dyndns2 family, DuckDNS). Such services refuse or ban clients that
// send an update which changes nothing, so the operator must know what
// the name holds before it writes; asking the zone's own servers, with
// recursion off, gives the value the provider publishes now, never a
// cached one.
//
// A Reader finds a zone's servers through the recursive resolvers of
// /etc/resolv.conf (in a pod, the cluster's DNS), once per zone and
// cache period, then asks them directly. Reader.Servers replaces the
// discovery with fixed servers: a test's server on 127.0.0.1, or the
// server that holds the zone in a split-horizon network.
//
// Errors are providers.Error values: a name in no zone is
// KindZoneNotFound, unreachable or failing servers are KindTransient.
package dnsread

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Answer is one record as an authoritative server gave it.
type Answer struct {
	// Value is an address in its canonical text form, or a TXT record's
	// text (its strings joined).
	Value string
	// TTL is the record's TTL at the server.
	TTL uint32
}

// Reader reads records from the authoritative servers of their zone. The
// zero value discovers the servers through /etc/resolv.conf; a Reader is
// safe for concurrent use.
type Reader struct {
	// Servers, when set, are asked every question (host:port, or a host
	// for port 53) instead of the zone's authoritative servers.
	Servers []string
	// Resolvers are the recursive resolvers that find zones and their
	// servers (host:port); empty means those of /etc/resolv.conf.
	Resolvers []string
	// NameServerPort is the port of the name servers found by
	// discovery; "53" when empty (another only in tests).
	NameServerPort string
	// Timeout bounds one exchange with one server; DefaultTimeout when 0.
	Timeout time.Duration
	// Wait, when set, runs before every query to a zone's name servers
	// (Servers, or those found): the credential's request gate
	// (providers.Env.Wait), so reads of the provider's servers are paced
	// with its API calls. Questions to the recursive resolvers are not.
	Wait func(context.Context) error

	mu    sync.Mutex
	cache map[string]cachedServers
}

// DefaultTimeout bounds one DNS exchange.
const DefaultTimeout = 5 * time.Second

// serverCacheTTL is how long a zone's discovered servers are kept: name
// server sets change rarely, and a stale one fails over to the others.
const serverCacheTTL = 30 * time.Minute

type cachedServers struct {
	addrs   []string
	expires time.Time
}

// Zone returns the zone that holds name: the owner of the SOA record the
// servers give for it, lowercase, without a trailing dot.
func (r *Reader) Zone(ctx context.Context, name string) (string, error) {
	name = providers.CanonicalName(name)
	servers, recursive, err := r.questionServers()
	if err != nil {
		return "", err
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), dns.TypeSOA)
	m.RecursionDesired = recursive
	resp, err := r.exchange(ctx, m, servers, "find the zone of "+name, !recursive)
	if err != nil {
		return "", err
	}
	notFound := func(why string) error {
		return providers.Errorf(providers.KindZoneNotFound, dns.RcodeToString[resp.Rcode], "no DNS zone holds %s (%s)", name, why)
	}
	switch resp.Rcode {
	case dns.RcodeSuccess, dns.RcodeNameError:
	case dns.RcodeRefused, dns.RcodeNotAuth, dns.RcodeNotZone:
		return "", notFound("the server answered " + dns.RcodeToString[resp.Rcode])
	default:
		return "", rcodeError("find the zone of "+name, resp.Rcode)
	}
	for _, rr := range append(slices.Clone(resp.Answer), resp.Ns...) {
		if soa, ok := rr.(*dns.SOA); ok && dns.IsSubDomain(soa.Hdr.Name, dns.Fqdn(name)) {
			return providers.CanonicalName(soa.Hdr.Name), nil
		}
	}
	return "", notFound("the answer holds no SOA record")
}

// Lookup returns the records of type typ ("A", "AAAA" or "TXT") named
// name, as an authoritative server of zone answers them; none when the
// name or type does not exist. zone is the name's zone (from Zone); it
// names the servers to ask.
func (r *Reader) Lookup(ctx context.Context, zone, name, typ string) ([]Answer, error) {
	qtype, ok := dns.StringToType[strings.ToUpper(typ)]
	if !ok || (qtype != dns.TypeA && qtype != dns.TypeAAAA && qtype != dns.TypeTXT) {
		return nil, providers.Errorf(providers.KindInvalid, "", "cannot read records of type %q from DNS", typ)
	}
	name = providers.CanonicalName(name)
	servers, err := r.authoritative(ctx, providers.CanonicalName(zone))
	if err != nil {
		return nil, err
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = false
	op := fmt.Sprintf("read %s %s from DNS", name, typ)
	resp, err := r.exchange(ctx, m, servers, op, true)
	if err != nil {
		return nil, err
	}
	if resp.Rcode == dns.RcodeNameError {
		return nil, nil
	}
	if resp.Rcode != dns.RcodeSuccess {
		return nil, rcodeError(op, resp.Rcode)
	}
	if !resp.Authoritative {
		return nil, providers.Errorf(providers.KindTransient, "", "%s: the server's answer is not authoritative", op)
	}
	var out []Answer
	for _, rr := range resp.Answer {
		h := rr.Header()
		if h.Rrtype != qtype || providers.CanonicalName(h.Name) != name {
			continue
		}
		out = append(out, Answer{Value: rrValue(rr), TTL: h.Ttl})
	}
	return out, nil
}

// rrValue is an answer's value in the operator's form.
func rrValue(rr dns.RR) string {
	var b []byte
	switch v := rr.(type) {
	case *dns.A:
		b = v.A
	case *dns.AAAA:
		b = v.AAAA
	case *dns.TXT:
		return strings.Join(v.Txt, "")
	}
	if a, ok := netip.AddrFromSlice(b); ok {
		return a.Unmap().String()
	}
	return ""
}

// questionServers returns where to ask which zone holds a name: Servers
// (authoritative: no recursion) or the recursive resolvers.
func (r *Reader) questionServers() ([]string, bool, error) {
	if len(r.Servers) > 0 {
		return withPort(r.Servers), false, nil
	}
	res, err := r.resolvers()
	return res, true, err
}

// authoritative returns the addresses of zone's name servers: Servers
// when set, else the zone's NS set resolved through the recursive
// resolvers (cached for serverCacheTTL).
func (r *Reader) authoritative(ctx context.Context, zone string) ([]string, error) {
	if len(r.Servers) > 0 {
		return withPort(r.Servers), nil
	}
	r.mu.Lock()
	c, ok := r.cache[zone]
	r.mu.Unlock()
	if ok && time.Now().Before(c.expires) {
		return c.addrs, nil
	}
	resolvers, err := r.resolvers()
	if err != nil {
		return nil, err
	}
	addrs, err := r.discover(ctx, zone, resolvers)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	if r.cache == nil {
		r.cache = map[string]cachedServers{}
	}
	r.cache[zone] = cachedServers{addrs: addrs, expires: time.Now().Add(serverCacheTTL)}
	r.mu.Unlock()
	return addrs, nil
}

// discover resolves zone's NS set and each server's addresses through the
// recursive resolvers.
func (r *Reader) discover(ctx context.Context, zone string, resolvers []string) ([]string, error) {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(zone), dns.TypeNS)
	resp, err := r.exchange(ctx, m, resolvers, "find the name servers of "+zone, false)
	if err != nil {
		return nil, err
	}
	if resp.Rcode != dns.RcodeSuccess {
		return nil, rcodeError("find the name servers of "+zone, resp.Rcode)
	}
	var addrs []string
	for _, rr := range resp.Answer {
		ns, ok := rr.(*dns.NS)
		if !ok {
			continue
		}
		for _, typ := range []uint16{dns.TypeA, dns.TypeAAAA} {
			q := new(dns.Msg)
			q.SetQuestion(ns.Ns, typ)
			a, err := r.exchange(ctx, q, resolvers, "resolve name server "+ns.Ns, false)
			if err != nil {
				continue // another server of the set may resolve
			}
			for _, rr := range a.Answer {
				if v := rrValue(rr); v != "" && (rr.Header().Rrtype == dns.TypeA || rr.Header().Rrtype == dns.TypeAAAA) {
					addrs = append(addrs, net.JoinHostPort(v, cmp.Or(r.NameServerPort, "53")))
				}
			}
		}
	}
	if len(addrs) == 0 {
		return nil, providers.Errorf(providers.KindTransient, "", "found no address of any name server of zone %s", zone)
	}
	return addrs, nil
}

// resolvers returns the recursive resolvers to use.
func (r *Reader) resolvers() ([]string, error) {
	if len(r.Resolvers) > 0 {
		return withPort(r.Resolvers), nil
	}
	conf, err := dns.ClientConfigFromFile("/etc/resolv.conf")
	if err != nil || len(conf.Servers) == 0 {
		return nil, providers.Errorf(providers.KindTransient, "", "no recursive DNS resolver to find the zone's name servers (/etc/resolv.conf: %v)", err)
	}
	out := make([]string, 0, len(conf.Servers))
	for _, s := range conf.Servers {
		out = append(out, net.JoinHostPort(s, conf.Port))
	}
	return out, nil
}

// exchange asks servers in turn until one answers, over UDP and over TCP
// when the answer is truncated. With gated set, each query waits for the
// gate first.
func (r *Reader) exchange(ctx context.Context, m *dns.Msg, servers []string, op string, gated bool) (*dns.Msg, error) {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	var last error
	for _, server := range servers {
		if gated && r.Wait != nil {
			if err := r.Wait(ctx); err != nil {
				return nil, providers.Transient(op, err)
			}
		} else if err := ctx.Err(); err != nil {
			return nil, providers.Transient(op, err)
		}
		c := &dns.Client{Timeout: timeout}
		resp, _, err := c.ExchangeContext(ctx, m, server)
		if err == nil && resp.Truncated {
			c.Net = "tcp"
			resp, _, err = c.ExchangeContext(ctx, m, server)
		}
		if err == nil && resp.Rcode != dns.RcodeServerFailure {
			return resp, nil
		}
		if err == nil {
			err = errors.New("the server answered SERVFAIL")
		}
		last = err
		if ctx.Err() != nil {
			break
		}
	}
	if last == nil {
		last = errors.New("no server to ask")
	}
	return nil, providers.Transient(op, last)
}

// rcodeError is a transient error for an answer that is neither data nor
// a clear "no such name": a server that fails now may answer later.
func rcodeError(op string, rcode int) error {
	return providers.Errorf(providers.KindTransient, dns.RcodeToString[rcode], "%s: the DNS server answered %s", op, dns.RcodeToString[rcode])
}

// withPort adds port 53 to servers given without one.
func withPort(servers []string) []string {
	out := make([]string, 0, len(servers))
	for _, s := range servers {
		if _, _, err := net.SplitHostPort(s); err != nil {
			s = net.JoinHostPort(strings.Trim(s, "[]"), "53")
		}
		out = append(out, s)
	}
	return out
}

package updateonly

import (
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
	"golang.org/x/net/publicsuffix"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Resolver reads a name's current addresses from DNS, for services whose
// API can only write. It asks the zone's authoritative servers directly,
// never a cache, so an answer is what the service publishes now: a
// recursive resolver (the system's, from /etc/resolv.conf) is used only to
// find the zone (an SOA query) and its servers (NS, then their addresses).
type Resolver struct {
	// Nameserver, when set ("host:port"), is asked every question instead
	// of the resolver and the authoritative servers (providers.Env's
	// Nameserver: tests, or a split-horizon server).
	Nameserver string
	// Wait is called before every exchange: the credential's gate.
	Wait func(context.Context) error
	// Timeout bounds one exchange with one server; DefaultDNSTimeout when 0.
	Timeout time.Duration
	// ResolvConf is the resolver configuration read when Nameserver is
	// empty; "/etc/resolv.conf" when empty.
	ResolvConf string
	// authPort is the port authoritative servers are asked on, and
	// resolvers the recursive resolvers ("host:port") used instead of
	// ResolvConf's: 53 and none but in tests, whose servers listen on a
	// free port.
	authPort  string
	resolvers []string

	mu   sync.Mutex
	auth map[string]authServers // by zone name
}

// authServers are the addresses of a zone's authoritative servers.
type authServers struct {
	addrs   []string
	expires time.Time
}

// DefaultDNSTimeout bounds one exchange with one DNS server.
const DefaultDNSTimeout = 5 * time.Second

// authCacheTime is how long a zone's authoritative servers are
// remembered: they change rarely, and the NS TTL of registries is longer.
const authCacheTime = time.Hour

// FindZone returns the DNS zone that holds fqdn: the owner of the SOA
// record the name's servers answer with. With hint set, it is that zone,
// and an error of kind ZoneNotFound when hint is not the apex of a zone.
func (r *Resolver) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	fqdn, hint = providers.CanonicalName(fqdn), providers.CanonicalName(hint)
	if hint != "" {
		if fqdn != hint && !strings.HasSuffix(fqdn, "."+hint) {
			return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "%s is not inside zone %s", fqdn, hint)
		}
		zone, err := r.soaOwner(ctx, hint)
		if err != nil {
			return providers.Zone{}, err
		}
		if zone != hint {
			return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "%s is not a DNS zone: its servers answer no SOA record for it", hint)
		}
		return providers.Zone{ID: hint, Name: hint}, nil
	}
	zone, err := r.soaOwner(ctx, fqdn)
	if err != nil {
		return providers.Zone{}, err
	}
	if zone == "" || (zone != fqdn && !strings.HasSuffix(fqdn, "."+zone)) {
		return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "no DNS zone holds %s", fqdn)
	}
	if suffix, icann := publicsuffix.PublicSuffix(zone); icann && suffix == zone {
		// The answer came from a top-level zone: the name's own domain
		// does not exist.
		return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "no DNS zone holds %s: its domain does not exist under %s", fqdn, zone)
	}
	return providers.Zone{ID: zone, Name: zone}, nil
}

// soaOwner asks for name's SOA record and returns the owner of the SOA in
// the answer (name is a zone's apex) or in the authority section (the
// zone above it); "" when neither holds one.
func (r *Resolver) soaOwner(ctx context.Context, name string) (string, error) {
	op := "find the DNS zone of " + name
	m := question(name, dns.TypeSOA)
	var resp *dns.Msg
	var err error
	if r.Nameserver != "" {
		resp, err = r.exchange(ctx, m, r.Nameserver)
	} else {
		m.RecursionDesired = true
		resp, err = r.recursive(ctx, m)
	}
	if err != nil {
		return "", providers.Transient(op, err)
	}
	switch resp.Rcode {
	case dns.RcodeSuccess, dns.RcodeNameError:
	case dns.RcodeRefused:
		if r.Nameserver != "" {
			// The one server asked is not authoritative for the name.
			return "", providers.Errorf(providers.KindZoneNotFound, "REFUSED", "no DNS zone holds %s: %s is not authoritative for it", name, r.Nameserver)
		}
		return "", providers.Errorf(providers.KindTransient, "REFUSED", "%s: the resolver refused the query", op)
	default:
		return "", providers.Errorf(providers.KindTransient, dns.RcodeToString[resp.Rcode], "%s: the DNS server answered %s", op, dns.RcodeToString[resp.Rcode])
	}
	for _, section := range [][]dns.RR{resp.Answer, resp.Ns} {
		for _, rr := range section {
			if soa, ok := rr.(*dns.SOA); ok {
				return providers.CanonicalName(soa.Hdr.Name), nil
			}
		}
	}
	return "", nil
}

// Lookup returns the addresses of type typ ("A" or "AAAA") that fqdn has
// in zone, as its authoritative servers answer now, in canonical form and
// sorted, with the smallest TTL among them. A name without such records
// has none (no error).
func (r *Resolver) Lookup(ctx context.Context, zone, fqdn, typ string) ([]string, uint32, error) {
	fqdn = providers.CanonicalName(fqdn)
	op := fmt.Sprintf("read %s %s from DNS", fqdn, typ)
	qtype, ok := dns.StringToType[typ]
	if !ok || (qtype != dns.TypeA && qtype != dns.TypeAAAA) {
		return nil, 0, providers.Errorf(providers.KindInvalid, "", "%s: only A and AAAA records are read", op)
	}
	servers, err := r.authoritative(ctx, zone)
	if err != nil {
		return nil, 0, err
	}
	var last error
	for _, server := range servers {
		resp, err := r.exchange(ctx, question(fqdn, qtype), server)
		if err != nil {
			if ctx.Err() != nil {
				return nil, 0, providers.Transient(op, err)
			}
			last = err
			continue
		}
		switch {
		case resp.Rcode == dns.RcodeNameError:
			return nil, 0, nil
		case resp.Rcode != dns.RcodeSuccess:
			last = fmt.Errorf("%s answered %s", server, dns.RcodeToString[resp.Rcode])
			continue
		case !resp.Authoritative:
			last = fmt.Errorf("%s is not authoritative for zone %s", server, zone)
			continue
		}
		values, ttl := addresses(resp.Answer, fqdn, qtype)
		return values, ttl, nil
	}
	return nil, 0, providers.Transient(op, fmt.Errorf("no authoritative server of zone %s answered: %w", zone, last))
}

// addresses collects the records of type qtype owned by fqdn.
func addresses(answer []dns.RR, fqdn string, qtype uint16) ([]string, uint32) {
	var values []string
	var ttl uint32
	for _, rr := range answer {
		h := rr.Header()
		if h.Rrtype != qtype || providers.CanonicalName(h.Name) != fqdn {
			continue
		}
		var ip net.IP
		switch v := rr.(type) {
		case *dns.A:
			ip = v.A
		case *dns.AAAA:
			ip = v.AAAA
		}
		a, ok := netip.AddrFromSlice(ip)
		if !ok {
			continue
		}
		values = append(values, a.Unmap().String())
		if ttl == 0 || h.Ttl < ttl {
			ttl = h.Ttl
		}
	}
	slices.Sort(values)
	return slices.Compact(values), ttl
}

// authoritative returns the addresses of zone's authoritative servers,
// from memory within authCacheTime.
func (r *Resolver) authoritative(ctx context.Context, zone string) ([]string, error) {
	if r.Nameserver != "" {
		return []string{r.Nameserver}, nil
	}
	zone = providers.CanonicalName(zone)
	r.mu.Lock()
	cached, ok := r.auth[zone]
	r.mu.Unlock()
	if ok && time.Now().Before(cached.expires) {
		return cached.addrs, nil
	}
	op := "find the authoritative servers of zone " + zone
	m := question(zone, dns.TypeNS)
	m.RecursionDesired = true
	resp, err := r.recursive(ctx, m)
	if err != nil {
		return nil, providers.Transient(op, err)
	}
	if resp.Rcode != dns.RcodeSuccess {
		return nil, providers.Errorf(providers.KindTransient, dns.RcodeToString[resp.Rcode], "%s: the resolver answered %s", op, dns.RcodeToString[resp.Rcode])
	}
	port := r.authPort
	if port == "" {
		port = "53"
	}
	var addrs []string
	for _, rr := range resp.Answer {
		ns, ok := rr.(*dns.NS)
		if !ok {
			continue
		}
		for _, ip := range r.hostAddrs(ctx, ns.Ns) {
			addrs = append(addrs, net.JoinHostPort(ip, port))
		}
	}
	if len(addrs) == 0 {
		return nil, providers.Errorf(providers.KindTransient, "", "%s: no NS record with an address", op)
	}
	r.mu.Lock()
	if r.auth == nil {
		r.auth = map[string]authServers{}
	}
	r.auth[zone] = authServers{addrs: addrs, expires: time.Now().Add(authCacheTime)}
	r.mu.Unlock()
	return addrs, nil
}

// hostAddrs resolves a server name to its IPv4 and IPv6 addresses through
// the recursive resolver, IPv4 first; a failure yields none.
func (r *Resolver) hostAddrs(ctx context.Context, host string) []string {
	var out []string
	for _, t := range []uint16{dns.TypeA, dns.TypeAAAA} {
		m := question(host, t)
		m.RecursionDesired = true
		resp, err := r.recursive(ctx, m)
		if err != nil || resp.Rcode != dns.RcodeSuccess {
			continue
		}
		values, _ := addresses(resp.Answer, providers.CanonicalName(host), t)
		out = append(out, values...)
	}
	return out
}

// recursive sends m to the system's resolvers in turn until one answers.
func (r *Resolver) recursive(ctx context.Context, m *dns.Msg) (*dns.Msg, error) {
	servers := r.resolvers
	if len(servers) == 0 {
		path := r.ResolvConf
		if path == "" {
			path = "/etc/resolv.conf"
		}
		conf, err := dns.ClientConfigFromFile(path)
		if err != nil {
			return nil, fmt.Errorf("read the resolver configuration: %w", err)
		}
		for _, s := range conf.Servers {
			servers = append(servers, net.JoinHostPort(s, conf.Port))
		}
		if len(servers) == 0 {
			return nil, fmt.Errorf("%s names no DNS server", path)
		}
	}
	var last error
	for _, s := range servers {
		resp, err := r.exchange(ctx, m, s)
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, err
		}
		last = err
	}
	return nil, last
}

// exchange sends m to server over UDP, again over TCP when the answer was
// truncated, after waiting for the gate.
func (r *Resolver) exchange(ctx context.Context, m *dns.Msg, server string) (*dns.Msg, error) {
	if r.Wait != nil {
		if err := r.Wait(ctx); err != nil {
			return nil, err
		}
	} else if err := ctx.Err(); err != nil {
		return nil, err
	}
	timeout := r.Timeout
	if timeout == 0 {
		timeout = DefaultDNSTimeout
	}
	c := &dns.Client{Net: "udp", Timeout: timeout}
	resp, _, err := c.ExchangeContext(ctx, m, server)
	if err == nil && resp.Truncated {
		c.Net = "tcp"
		resp, _, err = c.ExchangeContext(ctx, m, server)
	}
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() && ctx.Err() == nil {
			return nil, fmt.Errorf("%s did not answer within %s: %w", server, timeout, err)
		}
		return nil, err
	}
	if resp.Id != m.Id {
		return nil, fmt.Errorf("%s answered another question", server)
	}
	return resp, nil
}

// question builds a non-recursive query for name and type, with EDNS0 so
// large answers come over UDP.
func question(name string, qtype uint16) *dns.Msg {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = false
	m.SetEdns0(1232, false)
	return m
}

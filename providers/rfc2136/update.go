package rfc2136

import (
	"context"

	"github.com/miekg/dns"

	"github.com/ddns-operator/ddns-operator/providers"
)

// The builders below make the one UPDATE message of each write. A
// record's companion TXT always travels in the same message as the
// record, so the server applies both or neither. They take fresh RRs:
// miekg/dns rewrites the class and TTL of the RRs it puts in the
// prerequisite and removal sections.

// newUpdate starts an UPDATE of zone.
func newUpdate(zone string) *dns.Msg {
	m := new(dns.Msg)
	m.SetUpdate(dns.Fqdn(zone))
	return m
}

// createMsg adds rr on the condition that no record of its name and type
// exists, and makes txt the companion TXT (nil: none, since a TXT left
// over from records no longer there describes nothing).
func createMsg(zone string, rr, txt dns.RR) *dns.Msg {
	m := newUpdate(zone)
	m.RRsetNotUsed([]dns.RR{rr})
	m.Insert([]dns.RR{rr})
	setMarker(m, rr, txt)
	return m
}

// updateMsg replaces old with rr (old nil: the whole set of rr's name and
// type), and replaces the companion TXT with txt unless txt is nil.
func updateMsg(zone string, old, rr, txt dns.RR) *dns.Msg {
	m := newUpdate(zone)
	if old == nil {
		m.RemoveRRset([]dns.RR{rr})
	} else {
		m.Remove([]dns.RR{old})
	}
	m.Insert([]dns.RR{rr})
	if txt != nil {
		setMarker(m, rr, txt)
	}
	return m
}

// deleteSetMsg removes the whole set of rr's name and type and its
// companion TXT.
func deleteSetMsg(zone string, rr dns.RR) *dns.Msg {
	m := newUpdate(zone)
	m.RemoveRRset([]dns.RR{rr})
	setMarker(m, rr, nil)
	return m
}

// deleteValueMsg removes target from set on the condition that the set is
// still exactly set. When target is the set's last record the companion
// TXT goes with it; the condition makes "last" hold at the server too.
func deleteValueMsg(zone string, set []dns.RR, target dns.RR) *dns.Msg {
	m := newUpdate(zone)
	m.Used(set)
	m.Remove([]dns.RR{target})
	if len(set) == 1 {
		setMarker(m, target, nil)
	}
	return m
}

// setMarker adds to m the removal of rr's companion TXT set and, when txt
// is not nil, the addition of txt.
func setMarker(m *dns.Msg, rr, txt dns.RR) {
	h := rr.Header()
	m.RemoveRRset([]dns.RR{markerSet(providers.CanonicalName(h.Name), dns.TypeToString[h.Rrtype])})
	if txt != nil {
		m.Insert([]dns.RR{txt})
	}
}

// update sends one UPDATE and maps the rcodes its prerequisites produce.
func (p *Provider) update(ctx context.Context, m *dns.Msg, op string) error {
	r, err := p.exchange(ctx, m, op)
	if err != nil {
		return err
	}
	switch r.Rcode {
	case dns.RcodeYXRrset:
		return providers.Errorf(providers.KindTransient, "YXRRSET", "%s: a record of this name and type appeared meanwhile; it is read again on the next attempt", op)
	case dns.RcodeNXRrset:
		return providers.Errorf(providers.KindTransient, "NXRRSET", "%s: the records of this name and type changed meanwhile; they are read again on the next attempt", op)
	}
	return rcodeError(op, r)
}

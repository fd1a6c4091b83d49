package dnsread

import (
	"context"
	"net/url"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/rrset"
	"github.com/ddns-operator/ddns-operator/providers/internal/value"
)

// Source gives a provider whose API can only set addresses the reads of
// the providers.Provider contract, from DNS: FindZone from the name's SOA,
// ListRecords from the zone's name servers, with record IDs from package
// rrset ("name/type" for a name's only address, "name/type/value" among
// several).
type Source struct {
	// Reader reads DNS.
	Reader *Reader
	// Provider prefixes messages ("namecheap").
	Provider string
	// FixedTTL lists every record with TTL 0 (matching any desired TTL):
	// for APIs that cannot set a TTL, whose records keep the one set in
	// the provider's console.
	FixedTTL bool
}

// FindZone returns the zone that holds fqdn as DNS sees it (the owner of
// its SOA), or hint when hint is set and DNS agrees it is a zone that
// holds fqdn.
func (s Source) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	fqdn = providers.CanonicalName(fqdn)
	name := fqdn
	if hint != "" {
		hint = providers.CanonicalName(hint)
		if _, ok := providers.LongestSuffixZone(fqdn, []providers.Zone{{Name: hint}}); !ok {
			return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "%s: %s is not a name in %s", s.Provider, fqdn, hint)
		}
		name = hint
	}
	zone, err := s.Reader.Zone(ctx, name)
	if err != nil {
		return providers.Zone{}, err
	}
	if hint != "" && zone != hint {
		return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "%s: %s is not a DNS zone (%s is in zone %s)", s.Provider, hint, hint, zone)
	}
	return providers.Zone{ID: zone, Name: zone}, nil
}

// ListRecords returns the addresses name has of type typ, as the zone's
// name servers answer now.
func (s Source) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	name = providers.CanonicalName(name)
	answers, err := s.Reader.Lookup(ctx, zone.Name, name, typ)
	if err != nil {
		return nil, err
	}
	out := make([]providers.Record, 0, len(answers))
	for _, a := range answers {
		r := providers.Record{Name: name, Type: strings.ToUpper(typ), Value: value.Canonical(a.Value), TTL: int32(a.TTL)}
		if s.FixedTTL {
			r.TTL = 0
		}
		out = append(out, r)
	}
	rrset.Assign(out)
	return out, nil
}

// Holds reports whether name has exactly one address of type typ, v,
// with TTL ttl (any TTL when ttl is 0 or the Source lists fixed TTLs):
// an update to that would change nothing.
func (s Source) Holds(ctx context.Context, zone providers.Zone, name, typ, v string, ttl int32) (bool, error) {
	cur, err := s.ListRecords(ctx, zone, name, typ)
	if err != nil {
		return false, err
	}
	return len(cur) == 1 && cur[0].Value == value.Canonical(v) && (ttl <= 0 || cur[0].TTL == 0 || cur[0].TTL == ttl), nil
}

// SplitEndpoint returns endpoint (def when empty) without its query, and
// the DNS servers its "dns" parameter names (host:port, comma-separated):
// how an operator's --provider-endpoint, or a test, points a provider
// that reads DNS at servers of its choice.
func SplitEndpoint(endpoint, def string) (string, []string, error) {
	if endpoint == "" {
		return def, nil, nil
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "", nil, providers.Errorf(providers.KindInvalid, "", "the endpoint %q is not an absolute URL", endpoint)
	}
	var servers []string
	for _, srv := range strings.Split(u.Query().Get("dns"), ",") {
		if srv = strings.TrimSpace(srv); srv != "" {
			servers = append(servers, srv)
		}
	}
	u.RawQuery, u.Fragment = "", ""
	return strings.TrimSuffix(u.String(), "/"), servers, nil
}

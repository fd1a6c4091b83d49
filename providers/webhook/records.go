package webhook

import (
	"context"
	"net/netip"
	"slices"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/updateonly"
)

// markerLabel opens the first label of a companion TXT name, as the
// rfc2136 provider names it.
const markerLabel = "_ddns-owner-"

// markerName is the name of the TXT record holding the marker of the
// records named name of type typ: _ddns-owner-a.home.example.com, and
// _ddns-owner-a-wildcard.example.com for *.example.com.
func markerName(name, typ string) string {
	label := markerLabel + strings.ToLower(typ)
	if rest, ok := strings.CutPrefix(name, "*."); ok {
		return label + "-wildcard." + rest
	}
	return label + "." + name
}

// FindZone returns the zone of fqdn within the webhook's domain filter:
// the longest domain of its include list that holds fqdn, or (a filter
// without a list) the name's registrable domain. A name outside the
// filter has no zone: the webhook would ignore it. With hint, the zone is
// hint, which must be a domain of the include list (or, without a list,
// match the filter).
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	f, err := p.negotiate(ctx)
	if err != nil {
		return providers.Zone{}, err
	}
	fqdn, hint = providers.CanonicalName(fqdn), providers.CanonicalName(hint)
	if !f.Match(fqdn) {
		return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "%s is outside the webhook's domain filter %s", fqdn, f)
	}
	if hint != "" {
		listed := slices.ContainsFunc(f.Include, func(d string) bool { return strings.TrimPrefix(d, ".") == hint })
		if len(f.Include) > 0 && !listed || len(f.Include) == 0 && !f.Match(hint) {
			return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "zone %s is not a domain of the webhook's domain filter %s", hint, f)
		}
		return providers.Zone{ID: hint, Name: hint}, nil
	}
	if z := f.zoneOf(fqdn); z != "" {
		return providers.Zone{ID: z, Name: z}, nil
	}
	return updateonly.RegistrableZone(fqdn, ""), nil
}

// ListRecords returns the records named name of type typ: one per target
// of the webhook's endpoint.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	eps, err := p.records(ctx)
	if err != nil {
		return nil, err
	}
	name = providers.CanonicalName(name)
	return p.toRecords(eps, func(n, t string) bool { return n == name && t == typ }), nil
}

// ListZoneRecords returns every record of type typ in zone: the names the
// zone holds and no longer domain of the filter does.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	f, err := p.negotiate(ctx)
	if err != nil {
		return nil, err
	}
	eps, err := p.records(ctx)
	if err != nil {
		return nil, err
	}
	z := providers.CanonicalName(zone.Name)
	return p.toRecords(eps, func(n, t string) bool {
		if t != typ || (n != z && !strings.HasSuffix(n, "."+z)) {
			return false
		}
		inner := f.zoneOf(n)
		return inner == "" || inner == z
	}), nil
}

// toRecords turns the endpoints keep selects into records, each with its
// ownership marker. An endpoint of one target is the record "name/type";
// each target of a larger one is "name/type/target".
func (p *Provider) toRecords(eps []*endpoint, keep func(name, typ string) bool) []providers.Record {
	markers := map[string]string{}
	for _, ep := range eps {
		if ep.RecordType == "TXT" && len(ep.Targets) > 0 {
			markers[providers.CanonicalName(ep.DNSName)] = unquote(ep.Targets[0])
		}
	}
	var out []providers.Record
	for _, ep := range eps {
		name := providers.CanonicalName(ep.DNSName)
		if !keep(name, ep.RecordType) {
			continue
		}
		for _, target := range ep.Targets {
			r := providers.Record{ID: recordID(name, ep, target), Name: name, Type: ep.RecordType, Value: canonical(target), TTL: int32(ep.RecordTTL)}
			p.mu.Lock()
			if a, ok := p.ttls[name+"/"+ep.RecordType]; ok && a.stored == r.TTL {
				// The webhook stores another TTL than the one asked for;
				// reporting the stored one would ask again every check.
				r.TTL = a.asked
			}
			if p.txt {
				r.Marker = markers[markerName(name, ep.RecordType)]
			} else {
				r.Marker = p.markers[name+"/"+ep.RecordType]
			}
			p.mu.Unlock()
			out = append(out, r)
		}
	}
	return out
}

// recordID names a target of an endpoint.
func recordID(name string, ep *endpoint, target string) string {
	id := name + "/" + ep.RecordType
	if ep.SetIdentifier != "" {
		id += "/" + ep.SetIdentifier
	}
	if len(ep.Targets) > 1 || ep.SetIdentifier != "" {
		id += "/" + canonical(target)
	}
	return id
}

// canonical is an address in its canonical text form; other targets stay
// as they are.
func canonical(target string) string {
	if a, err := netip.ParseAddr(target); err == nil {
		return a.Unmap().String()
	}
	return target
}

// unquote strips the quotes external-dns puts around TXT targets.
func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// find returns the endpoint of name and type without a set identifier,
// and the marker TXT endpoint of name and type.
func find(eps []*endpoint, name, typ string) (addr, marker *endpoint) {
	txt := markerName(name, typ)
	for _, ep := range eps {
		n := providers.CanonicalName(ep.DNSName)
		switch {
		case n == name && ep.RecordType == typ && ep.SetIdentifier == "":
			addr = ep
		case n == txt && ep.RecordType == "TXT" && ep.SetIdentifier == "":
			marker = ep
		}
	}
	return addr, marker
}

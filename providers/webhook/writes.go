package webhook

import (
	"context"
	"slices"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// CreateRecord adds r's address to the webhook: a new endpoint, or one
// more target of the endpoint of its name and type; with its marker TXT,
// in one POST /records.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r.Name = providers.CanonicalName(r.Name)
	eps, err := p.prepare(ctx, r.Name)
	if err != nil {
		return providers.Record{}, err
	}
	cur, _ := find(eps, r.Name, r.Type)
	next := &endpoint{DNSName: r.Name, RecordType: r.Type, Targets: []string{r.Value}, RecordTTL: int64(r.TTL)}
	if cur != nil {
		next = withTargets(cur, append(slices.Clone(cur.Targets), r.Value), r.TTL)
	}
	if err := p.write(ctx, "create "+r.Name+" "+r.Type+" at the webhook", eps, cur, next, r); err != nil {
		return providers.Record{}, err
	}
	return p.written(r, next), nil
}

// UpdateRecord points the target r.ID names at r.Value, with r.TTL (the
// endpoint's TTL when 0), and its marker when r.Marker is set.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r.Name = providers.CanonicalName(r.Name)
	eps, err := p.prepare(ctx, r.Name)
	if err != nil {
		return providers.Record{}, err
	}
	cur, old := p.byID(eps, r.ID)
	if cur == nil {
		return providers.Record{}, providers.Errorf(providers.KindNotFound, "", "record %s is no longer at the webhook", r.ID)
	}
	targets := slices.Clone(cur.Targets)
	if i := slices.IndexFunc(targets, func(t string) bool { return canonical(t) == old }); i >= 0 {
		targets[i] = r.Value
	}
	next := withTargets(cur, targets, r.TTL)
	if err := p.write(ctx, "update "+r.Name+" "+r.Type+" at the webhook", eps, cur, next, r); err != nil {
		return providers.Record{}, err
	}
	return p.written(r, next), nil
}

// DeleteRecord removes the target r.ID names: the whole endpoint and its
// marker TXT when it is the last. A record already gone is no error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	r.Name = providers.CanonicalName(r.Name)
	eps, err := p.prepare(ctx, r.Name)
	if err != nil {
		return err
	}
	cur, old := p.byID(eps, r.ID)
	if cur == nil {
		return nil
	}
	var c changes
	rest := slices.DeleteFunc(slices.Clone(cur.Targets), func(t string) bool { return canonical(t) == old })
	switch {
	case len(rest) == len(cur.Targets):
		return nil
	case len(rest) > 0:
		c.UpdateOld, c.UpdateNew = []*endpoint{cur}, []*endpoint{withTargets(cur, rest, 0)}
	default:
		c.Delete = []*endpoint{cur}
		if _, mk := find(eps, r.Name, r.Type); mk != nil && p.txt {
			c.Delete = append(c.Delete, mk)
		}
	}
	if err := p.apply(ctx, "delete "+r.Name+" "+r.Type+" at the webhook", c); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(rest) == 0 {
		delete(p.markers, r.Name+"/"+r.Type)
		delete(p.ttls, r.Name+"/"+r.Type)
	}
	return nil
}

// prepare checks name against the webhook's domain filter and reads the
// webhook's endpoints.
func (p *Provider) prepare(ctx context.Context, name string) ([]*endpoint, error) {
	f, err := p.negotiate(ctx)
	if err != nil {
		return nil, err
	}
	if !f.Match(name) {
		return nil, providers.Errorf(providers.KindZoneNotFound, "", "%s is outside the webhook's domain filter %s", name, f)
	}
	return p.records(ctx)
}

// byID finds the endpoint and target a record ID names.
func (p *Provider) byID(eps []*endpoint, id string) (*endpoint, string) {
	parts := strings.Split(id, "/")
	if len(parts) < 2 {
		return nil, ""
	}
	name, typ, set, target := parts[0], parts[1], "", ""
	switch len(parts) {
	case 3:
		target = parts[2]
	case 4:
		set, target = parts[2], parts[3]
	}
	for _, ep := range eps {
		if providers.CanonicalName(ep.DNSName) != name || ep.RecordType != typ || ep.SetIdentifier != set {
			continue
		}
		if target == "" && len(ep.Targets) == 1 {
			return ep, canonical(ep.Targets[0])
		}
		if slices.ContainsFunc(ep.Targets, func(t string) bool { return canonical(t) == target }) {
			return ep, target
		}
	}
	return nil, ""
}

// withTargets copies ep with other targets (deduplicated) and, when ttl
// is set, another TTL.
func withTargets(ep *endpoint, targets []string, ttl int32) *endpoint {
	next := *ep
	next.Targets = nil
	for _, t := range targets {
		if !slices.ContainsFunc(next.Targets, func(u string) bool { return canonical(u) == canonical(t) }) {
			next.Targets = append(next.Targets, t)
		}
	}
	if ttl != 0 {
		next.RecordTTL = int64(ttl)
	}
	return &next
}

// write sends the change from cur (nil: none) to next, adjusted by the
// webhook, and r's marker, in one POST; a change of nothing sends nothing.
func (p *Provider) write(ctx context.Context, op string, eps []*endpoint, cur, next *endpoint, r providers.Record) error {
	var c changes
	if cur == nil || !sameEndpoint(cur, next) {
		adj, err := p.adjust(ctx, []*endpoint{next})
		if err != nil {
			return err
		}
		if len(adj) == 1 && providers.CanonicalName(adj[0].DNSName) == r.Name && adj[0].RecordType == r.Type {
			if adj[0].RecordTTL != next.RecordTTL {
				p.mu.Lock()
				p.ttls[r.Name+"/"+r.Type] = adjusted{asked: int32(next.RecordTTL), stored: int32(adj[0].RecordTTL)}
				p.mu.Unlock()
			}
			*next = *adj[0]
		}
		if cur == nil {
			c.Create = []*endpoint{next}
		} else {
			c.UpdateOld, c.UpdateNew = []*endpoint{cur}, []*endpoint{next}
		}
	}
	if r.Marker != "" && p.txt {
		p.mu.Lock()
		f := p.filter
		p.mu.Unlock()
		_, mk := find(eps, r.Name, r.Type)
		want := &endpoint{DNSName: markerName(r.Name, r.Type), RecordType: "TXT", Targets: []string{`"` + r.Marker + `"`}, RecordTTL: next.RecordTTL}
		switch {
		case !f.Match(want.DNSName):
			return providers.Errorf(providers.KindInvalid, "", "%s: the ownership TXT record %s is outside the webhook's domain filter %s; set spec.webhook.ownershipRecords: None", op, want.DNSName, f)
		case mk == nil:
			c.Create = append(c.Create, want)
		case len(mk.Targets) == 0 || unquote(mk.Targets[0]) != r.Marker:
			want.RecordTTL = mk.RecordTTL
			c.UpdateOld, c.UpdateNew = append(c.UpdateOld, mk), append(c.UpdateNew, want)
		}
	}
	if len(c.Create)+len(c.UpdateNew)+len(c.Delete) > 0 {
		if err := p.apply(ctx, op, c); err != nil {
			return err
		}
	}
	if r.Marker != "" && !p.txt {
		p.mu.Lock()
		p.markers[r.Name+"/"+r.Type] = r.Marker
		p.mu.Unlock()
	}
	return nil
}

// sameEndpoint reports whether a and b hold the same targets and TTL.
func sameEndpoint(a, b *endpoint) bool {
	if a.RecordTTL != b.RecordTTL || len(a.Targets) != len(b.Targets) {
		return false
	}
	for i := range a.Targets {
		if canonical(a.Targets[i]) != canonical(b.Targets[i]) {
			return false
		}
	}
	return true
}

// written is r as ListRecords will report it after the write of next.
func (p *Provider) written(r providers.Record, next *endpoint) providers.Record {
	r.ID = recordID(r.Name, next, r.Value)
	r.Value = canonical(r.Value)
	if r.TTL == 0 {
		r.TTL = int32(next.RecordTTL)
	}
	if r.Marker == "" {
		p.mu.Lock()
		r.Marker = p.markers[r.Name+"/"+r.Type]
		p.mu.Unlock()
	}
	return r
}

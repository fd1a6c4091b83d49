// Package companion keeps ownership markers for providers whose record API
// has no comment or remark field (Baidu BCD, Tencent EdgeOne, DNS.LA,
// Rainyun). The marker of the records named N of type T lives in a TXT
// record of the same zone named
//
//	_ddns-owner-<t>.N            (_ddns-owner-a.home.example.com)
//	_ddns-owner-<t>-wildcard.M   (for *.M, whose '*' no label may follow)
//
// the convention the rfc2136 provider uses. The wrapper reads and writes
// that record through the provider's own record calls, so a provider
// package only implements Records (its API without markers) and gets a
// providers.Provider and providers.ZoneReader that carry Record.Marker like
// any other: adoption writes the companion record, another installation's
// companion record stops the operator with Conflict, and deletion removes
// the companion with the last record it speaks for.
package companion

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Label opens the first label of every companion record's name.
const Label = "_ddns-owner-"

// Records is a provider's record API without ownership markers: what the
// wrapper builds on. Names are full and canonical, as in the contract.
type Records interface {
	// FindZone is providers.Provider's.
	FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error)
	// List returns the records of zone named name (every name when "")
	// of type typ (every type when ""), every page read, Marker empty.
	List(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error)
	// Create creates r (its Marker ignored) and returns it with its ID.
	Create(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error)
	// Update sets the value and TTL (0 keeps it) of the record r.ID,
	// keeping what the spec does not mention; KindNotFound when it is
	// gone. It sends nothing when the record already holds both.
	Update(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error)
	// Delete removes the record r.ID; a record already gone is not an
	// error.
	Delete(ctx context.Context, zone providers.Zone, r providers.Record) error
}

// Provider is a providers.Provider and providers.ZoneReader whose markers
// live in companion TXT records.
type Provider struct {
	api Records
	// ttl is the TTL companion records are created with.
	ttl int32
}

var (
	_ providers.Provider   = (*Provider)(nil)
	_ providers.ZoneReader = (*Provider)(nil)
)

// New wraps api; companion records are created with ttl (0: the
// provider's default).
func New(api Records, ttl int32) *Provider { return &Provider{api: api, ttl: ttl} }

// Name is the name of the companion record of the records named name of
// type typ.
func Name(name, typ string) string {
	name = providers.CanonicalName(name)
	label := Label + strings.ToLower(typ)
	if rest, ok := strings.CutPrefix(name, "*."); ok {
		return label + "-wildcard." + rest
	}
	return label + "." + name
}

// FindZone is the provider's own.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	return p.api.FindZone(ctx, fqdn, hint)
}

// ListRecords lists the records and, when there are any, their companion,
// whose text becomes every record's Marker.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	recs, err := p.api.List(ctx, zone, name, typ)
	if err != nil || len(recs) == 0 {
		return recs, err
	}
	marks, err := p.api.List(ctx, zone, Name(name, typ), "TXT")
	if err != nil {
		return nil, err
	}
	m := text(marks)
	for i := range recs {
		recs[i].Marker = m
	}
	return recs, nil
}

// ListZoneRecords lists the whole zone once and pairs each record of typ
// with its companion.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	all, err := p.api.List(ctx, zone, "", "")
	if err != nil {
		return nil, err
	}
	byName := map[string][]providers.Record{}
	var out []providers.Record
	for _, r := range all {
		switch {
		case strings.EqualFold(r.Type, "TXT") && strings.HasPrefix(r.Name, Label):
			byName[r.Name] = append(byName[r.Name], r)
		case strings.EqualFold(r.Type, typ):
			out = append(out, r)
		}
	}
	for i := range out {
		out[i].Marker = text(byName[Name(out[i].Name, typ)])
	}
	return out, nil
}

// CreateRecord creates r, then its companion when r carries a marker.
// Should the companion fail, the error says the record exists without it;
// the next check adopts the record and writes the marker.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	marker := r.Marker
	r.Marker = ""
	out, err := p.api.Create(ctx, zone, r)
	if err != nil {
		return providers.Record{}, err
	}
	if marker != "" {
		if err := p.setMarker(ctx, zone, r.Name, r.Type, marker); err != nil {
			return providers.Record{}, markerError(out, err)
		}
	}
	out.Marker = marker
	return out, nil
}

// UpdateRecord updates r, then sets its companion when r carries a
// marker; an empty Marker leaves the companion as it is.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	marker := r.Marker
	r.Marker = ""
	out, err := p.api.Update(ctx, zone, r)
	if err != nil {
		return providers.Record{}, err
	}
	if marker != "" {
		if err := p.setMarker(ctx, zone, out.Name, out.Type, marker); err != nil {
			return providers.Record{}, markerError(out, err)
		}
	}
	out.Marker = marker
	return out, nil
}

// DeleteRecord deletes r and, when no record of its name and type is
// left, its companion.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	if err := p.api.Delete(ctx, zone, r); err != nil {
		return err
	}
	if r.Name == "" || r.Type == "" {
		return nil
	}
	left, err := p.api.List(ctx, zone, r.Name, r.Type)
	if err != nil {
		return fmt.Errorf("record %s is deleted; reading what is left of %s %s: %w", r.ID, r.Name, r.Type, err)
	}
	if len(left) > 0 {
		return nil
	}
	marks, err := p.api.List(ctx, zone, Name(r.Name, r.Type), "TXT")
	if err != nil {
		return fmt.Errorf("record %s is deleted; reading its ownership record: %w", r.ID, err)
	}
	for _, m := range marks {
		if err := p.api.Delete(ctx, zone, m); err != nil {
			return fmt.Errorf("record %s is deleted; deleting its ownership record %s: %w", r.ID, m.Name, err)
		}
	}
	return nil
}

// setMarker makes the companion of name and typ hold text: one record,
// updated when it says something else, created when there is none; extra
// ones (written by hand) are removed so every reader agrees.
func (p *Provider) setMarker(ctx context.Context, zone providers.Zone, name, typ, text string) error {
	cname := Name(name, typ)
	marks, err := p.api.List(ctx, zone, cname, "TXT")
	if err != nil {
		return err
	}
	if len(marks) == 0 {
		_, err := p.api.Create(ctx, zone, providers.Record{Name: cname, Type: "TXT", Value: text, TTL: p.ttl})
		return err
	}
	keep := marks[0]
	if Unquote(keep.Value) != text {
		keep.Value, keep.TTL = text, 0
		if _, err := p.api.Update(ctx, zone, keep); err != nil {
			return err
		}
	}
	for _, extra := range marks[1:] {
		if err := p.api.Delete(ctx, zone, extra); err != nil {
			return err
		}
	}
	return nil
}

// text is the marker a companion set holds: the smallest text when hand
// edits left several, so every reader agrees; "" for none.
func text(marks []providers.Record) string {
	if len(marks) == 0 {
		return ""
	}
	texts := make([]string, 0, len(marks))
	for _, m := range marks {
		texts = append(texts, Unquote(m.Value))
	}
	return slices.Min(texts)
}

// Unquote strips the double quotes some APIs put around a TXT value.
func Unquote(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		return v[1 : len(v)-1]
	}
	return v
}

// markerError reports a companion record that could not be written for the
// record r, which the write before it left in place. The kind is the
// failure's, so a throttled or lost answer is retried; the message names
// the record so a user can find it.
func markerError(r providers.Record, err error) error {
	var pe *providers.Error
	if !errors.As(err, &pe) {
		return err
	}
	out := *pe
	out.Message = fmt.Sprintf("record %s (%s) is written but its ownership record %s is not: %s", r.ID, r.Name, Name(r.Name, r.Type), pe.Message)
	out.Err = err
	return &out
}

// Change finds the record r.ID among listed (the records of its name and
// type, as Records.List returns them) and returns it as it is and as r
// makes it: r's value, r's TTL unless 0. changed says whether the two
// differ, so a Records.Update sends nothing when they do not; a record
// that is gone is a KindNotFound error naming provider and zone.
func Change(listed []providers.Record, r providers.Record, provider string, zone providers.Zone) (cur, next providers.Record, changed bool, err error) {
	for _, c := range listed {
		if c.ID != r.ID {
			continue
		}
		next = c
		next.Value = providers.CanonicalValue(r.Value)
		if r.TTL > 0 {
			next.TTL = r.TTL
		}
		return c, next, next != c, nil
	}
	return providers.Record{}, providers.Record{}, false, providers.Errorf(providers.KindNotFound, "", "%s: record %s of %s no longer exists", provider, r.ID, zone.Name)
}

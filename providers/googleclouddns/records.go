package googleclouddns

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"

	"github.com/ddns-operator/ddns-operator/providers"
)

// rrsetJSON is a resource record set (resourceRecordSets.list, and the
// additions and deletions of a change).
type rrsetJSON struct {
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	TTL     int      `json:"ttl"`
	RRDatas []string `json:"rrdatas"`
}

// changeJSON is a change (changes.create).
type changeJSON struct {
	Additions []rrsetJSON `json:"additions,omitempty"`
	Deletions []rrsetJSON `json:"deletions,omitempty"`
	ID        string      `json:"id,omitempty"`
	Status    string      `json:"status,omitempty"`
}

// ListRecords reads the set named name of type typ and, when it exists,
// its companion TXT set.
func (p *Provider) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	set, err := p.readSet(ctx, zone, name, typ)
	if err != nil || set == nil {
		return nil, err
	}
	companion, err := p.readSet(ctx, zone, providers.CompanionName(name, typ), "TXT")
	if err != nil {
		return nil, err
	}
	return toSet(*set, markerOf(companion)).Records(), nil
}

// ListZoneRecords reads every set of the zone (every page of
// resourceRecordSets.list, all types at once) and returns the records of
// type typ with the markers their companions hold.
func (p *Provider) ListZoneRecords(ctx context.Context, zone providers.Zone, typ string) ([]providers.Record, error) {
	sets, err := p.listSets(ctx, zone, url.Values{})
	if err != nil {
		return nil, err
	}
	markers := map[string]string{}
	for i := range sets {
		if name, ttyp, ok := providers.CompanionOf(sets[i].Name); ok && ttyp == typ && sets[i].Type == "TXT" {
			markers[name] = markerOf(&sets[i])
		}
	}
	var out []providers.Record
	for _, s := range sets {
		if s.Type == typ {
			out = append(out, toSet(s, markers[providers.CanonicalName(s.Name)]).Records()...)
		}
	}
	return out, nil
}

// CreateRecord adds the set of r's name and type with r's value, and its
// companion holding r.Marker, in one change. A companion left over from an
// earlier record is replaced (so it is read first). Cloud DNS refuses the
// change (409) when the set exists: it was made since the zone was read,
// and the next check reads it again.
func (p *Provider) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r, err := normalise(r)
	if err != nil {
		return r, err
	}
	ttl := r.TTL
	if ttl <= 0 {
		ttl = defaultTTL
	}
	ch := changeJSON{Additions: []rrsetJSON{{Name: r.Name + ".", Type: r.Type, TTL: int(ttl), RRDatas: []string{r.Value}}}}
	if r.Marker != "" {
		if err := p.markerChange(ctx, zone, &ch, r.Name, r.Type, r.Marker, ttl); err != nil {
			return r, err
		}
	}
	if err := p.change(ctx, zone, ch, fmt.Sprintf("create %s %s in zone %s", r.Name, r.Type, zone.Name)); err != nil {
		return r, err
	}
	r.TTL = ttl
	r.ID = providers.SetID(r.Name, r.Type, r.Value, true)
	return r, nil
}

// UpdateRecord reads the record's set and replaces it in one change with
// the set where the value r.ID names is r.Value
// (providers.RecordSet.Replaced); a non-empty r.Marker different from the
// companion's replaces the companion in the same change. A set changed
// since it was read fails the change's deletion (412), and the next check
// reads again.
func (p *Provider) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	k, err := providers.ParseSetID(r.ID)
	if err != nil {
		return r, err
	}
	r.Name, r.Type = k.Name, k.Type
	if r, err = normalise(r); err != nil {
		return r, err
	}
	cur, err := p.readSet(ctx, zone, k.Name, k.Type)
	if err != nil {
		return r, err
	}
	if cur == nil {
		return r, providers.Errorf(providers.KindNotFound, "", "update %s %s in zone %s: the record set is gone", k.Name, k.Type, zone.Name)
	}
	next := toSet(*cur, "").Replaced(k, providers.Record{Value: r.Value, TTL: r.TTL})
	ch := changeJSON{Deletions: []rrsetJSON{*cur}, Additions: []rrsetJSON{fromSet(next)}}
	if r.Marker != "" {
		if err := p.markerChange(ctx, zone, &ch, k.Name, k.Type, r.Marker, next.TTL); err != nil {
			return r, err
		}
	}
	if err := p.change(ctx, zone, ch, fmt.Sprintf("update %s %s in zone %s", k.Name, k.Type, zone.Name)); err != nil {
		return r, err
	}
	r.TTL = next.TTL
	r.ID = providers.SetID(r.Name, r.Type, r.Value, len(next.Values) == 1)
	return r, nil
}

// DeleteRecord removes the value r stands for from its set in one change:
// the set goes, with its companion, when no value is left; otherwise it is
// replaced by the rest. A value or set already gone is no error.
func (p *Provider) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) error {
	k, err := providers.ParseSetID(r.ID)
	if err != nil {
		return err
	}
	cur, err := p.readSet(ctx, zone, k.Name, k.Type)
	if err != nil || cur == nil {
		return err
	}
	rest, found := toSet(*cur, "").Without(k, r)
	if !found {
		return nil
	}
	ch := changeJSON{Deletions: []rrsetJSON{*cur}}
	if len(rest.Values) > 0 {
		ch.Additions = []rrsetJSON{fromSet(rest)}
	} else {
		companion, err := p.readSet(ctx, zone, providers.CompanionName(k.Name, k.Type), "TXT")
		if err != nil {
			return err
		}
		if companion != nil {
			ch.Deletions = append(ch.Deletions, *companion)
		}
	}
	return p.change(ctx, zone, ch, fmt.Sprintf("delete %s %s in zone %s", k.Name, k.Type, zone.Name))
}

// markerChange adds to ch the writing of marker to the companion of name
// and type: nothing when it holds marker; otherwise the old companion (read
// first) deleted and the new one added.
func (p *Provider) markerChange(ctx context.Context, zone providers.Zone, ch *changeJSON, name, typ, marker string, ttl int32) error {
	if err := providers.CheckMarker(marker); err != nil {
		return err
	}
	companion, err := p.readSet(ctx, zone, providers.CompanionName(name, typ), "TXT")
	if err != nil {
		return err
	}
	if companion != nil {
		if markerOf(companion) == marker {
			return nil
		}
		ch.Deletions = append(ch.Deletions, *companion)
	}
	ch.Additions = append(ch.Additions, rrsetJSON{Name: providers.CompanionName(name, typ) + ".", Type: "TXT", TTL: int(ttl), RRDatas: []string{providers.QuoteTXT(marker)}})
	return nil
}

// change applies ch (changes.create). Cloud DNS applies a change whole or
// not at all.
func (p *Provider) change(ctx context.Context, zone providers.Zone, ch changeJSON, op string) error {
	path, err := p.projectPath(ctx, "managedZones", zone.ID, "changes")
	if err != nil {
		return err
	}
	var out changeJSON
	if _, err := p.api.Do(ctx, op, http.MethodPost, path, nil, ch, &out); err != nil {
		return zoneError(err, zone)
	}
	if out.Status == "" && out.ID == "" {
		return providers.Undecodable(op, http.StatusOK)
	}
	return nil
}

// readSet reads the set named name of type typ (nil when there is none).
func (p *Provider) readSet(ctx context.Context, zone providers.Zone, name, typ string) (*rrsetJSON, error) {
	name = providers.CanonicalName(name)
	sets, err := p.listSets(ctx, zone, url.Values{"name": {name + "."}, "type": {typ}})
	if err != nil {
		return nil, err
	}
	for i := range sets {
		if providers.CanonicalName(sets[i].Name) == name && sets[i].Type == typ {
			return &sets[i], nil
		}
	}
	return nil, nil
}

// listSets reads every page of resourceRecordSets.list with q.
func (p *Provider) listSets(ctx context.Context, zone providers.Zone, q url.Values) ([]rrsetJSON, error) {
	path, err := p.projectPath(ctx, "managedZones", zone.ID, "rrsets")
	if err != nil {
		return nil, err
	}
	var out []rrsetJSON
	op := "list record sets in zone " + zone.Name
	err = p.pages(ctx, op, path, q, func(raw []byte) (string, []string, error) {
		var page struct {
			Sets []rrsetJSON `json:"rrsets"`
			Next string      `json:"nextPageToken"`
		}
		if err := decodeList(raw, &page, "rrsets"); err != nil {
			return "", nil, err
		}
		ids := make([]string, 0, len(page.Sets))
		for _, s := range page.Sets {
			ids = append(ids, s.Name+"/"+s.Type)
			out = append(out, s)
		}
		return page.Next, ids, nil
	})
	if err != nil {
		return nil, zoneError(err, zone)
	}
	return out, nil
}

// pages walks a list by pageToken while the answer names a next page.
func (p *Provider) pages(ctx context.Context, op, path string, q url.Values, each func([]byte) (string, []string, error)) error {
	guard := providers.NewPageGuard(op)
	token := ""
	for {
		pq := url.Values{"maxResults": {strconv.Itoa(pageSize)}}
		for k, v := range q {
			pq[k] = v
		}
		if token != "" {
			pq.Set("pageToken", token)
		}
		a, err := p.api.Do(ctx, op, http.MethodGet, path, pq, nil, nil)
		if err != nil {
			return err
		}
		next, ids, err := each(a.Body)
		if err != nil {
			return providers.Transient(op, err)
		}
		if next == "" || len(ids) == 0 {
			return nil
		}
		if err := guard.Page(ids); err != nil {
			return err
		}
		token = next
	}
}

// projectPath is /projects/{project}/{rest...}: the project of the spec,
// else of the credentials.
func (p *Provider) projectPath(ctx context.Context, rest ...string) (string, error) {
	project := p.project
	if project == "" {
		_, fromCreds, err := p.auth.source(ctx)
		if err != nil {
			return "", err
		}
		project = fromCreds
	}
	if project == "" {
		return "", providers.Errorf(providers.KindCredentials, "", "no Google Cloud project: set spec.googleclouddns.project")
	}
	return providers.PathEscape(append([]string{"projects", project}, rest...)...), nil
}

// projectName names the project for messages.
func (p *Provider) projectName() string {
	if p.project != "" {
		return p.project
	}
	p.auth.mu.Lock()
	defer p.auth.mu.Unlock()
	return p.auth.project
}

// defaultTTL is the TTL a record gets when the spec sets none: the Cloud
// Console's default.
const defaultTTL = 300

// toSet converts an API set, every value with marker.
func toSet(s rrsetJSON, marker string) providers.RecordSet {
	set := providers.RecordSet{Name: providers.CanonicalName(s.Name), Type: s.Type, TTL: int32(s.TTL)}
	for _, v := range s.RRDatas {
		set.Values = append(set.Values, providers.SetValue{Value: v, Marker: marker})
	}
	return set
}

// fromSet is the API's form of s.
func fromSet(s providers.RecordSet) rrsetJSON {
	return rrsetJSON{Name: s.Name + ".", Type: s.Type, TTL: int(s.TTL), RRDatas: s.Addresses()}
}

// markerOf is the marker a companion set holds ("" for none).
func markerOf(companion *rrsetJSON) string {
	if companion == nil {
		return ""
	}
	return providers.CompanionMarker(companion.RRDatas)
}

// normalise canonicalises r's name and value and checks they fit.
func normalise(r providers.Record) (providers.Record, error) {
	r.Name = providers.CanonicalName(r.Name)
	addr, err := netip.ParseAddr(r.Value)
	if err != nil || (r.Type != "A" && r.Type != "AAAA") || (r.Type == "A") != addr.Unmap().Is4() {
		return r, providers.Errorf(providers.KindInvalid, "", "value %q does not fit record type %q", r.Value, r.Type)
	}
	r.Value = addr.Unmap().String()
	return r, nil
}

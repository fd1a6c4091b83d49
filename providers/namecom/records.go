package namecom

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/zonepick"
)

// recordJSON is a record as the API shows and takes it. Host is relative
// to the domain ("" or "@" for the apex); Fqdn ends with a dot.
type recordJSON struct {
	ID         int64  `json:"id,omitempty"`
	DomainName string `json:"domainName,omitempty"`
	Host       string `json:"host"`
	Fqdn       string `json:"fqdn,omitempty"`
	Type       string `json:"type"`
	Answer     string `json:"answer"`
	TTL        int32  `json:"ttl,omitempty"`
	Priority   int32  `json:"priority,omitempty"`
}

// list is the answer of both lists.
type list struct {
	Domains []struct {
		DomainName string `json:"domainName"`
	} `json:"domains"`
	Records  []recordJSON `json:"records"`
	NextPage int          `json:"nextPage"`
}

// pages reads every page of the list at path, handing each to each (which
// returns the IDs on it, for the page guard).
func (a *api) pages(ctx context.Context, op, path string, each func(list) []string) error {
	guard := providers.NewPageGuard("namecom: " + op)
	for page := 1; ; {
		var l list
		q := url.Values{"page": {strconv.Itoa(page)}, "perPage": {strconv.Itoa(pageSize)}}
		if err := a.c.Call(ctx, op, http.MethodGet, path, q, nil, &l); err != nil {
			return err
		}
		ids := each(l)
		if l.NextPage <= page || len(ids) == 0 {
			return nil
		}
		if err := guard.Page(ids); err != nil {
			return err
		}
		page = l.NextPage
	}
}

// FindZone returns the domain named hint, or the longest suffix of fqdn
// among the account's domains, reading every page.
func (a *api) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	var zones []providers.Zone
	err := a.pages(ctx, "list domains", "/domains", func(l list) []string {
		ids := make([]string, 0, len(l.Domains))
		for _, d := range l.Domains {
			name := providers.CanonicalName(d.DomainName)
			zones, ids = append(zones, providers.Zone{ID: name, Name: name}), append(ids, name)
		}
		return ids
	})
	if err != nil {
		return providers.Zone{}, err
	}
	return zonepick.Pick("namecom", fqdn, hint, zones)
}

// List returns the domain's records named name (every name when "") of
// type typ (every type when ""); the API filters neither, so the whole
// domain is read.
func (a *api) List(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	var out []providers.Record
	err := a.pages(ctx, "list records", recordsPath(zone.Name, ""), func(l list) []string {
		ids := make([]string, 0, len(l.Records))
		for _, r := range l.Records {
			ids = append(ids, strconv.FormatInt(r.ID, 10))
			rec := toRecord(zone, r)
			if (name == "" || rec.Name == providers.CanonicalName(name)) && (typ == "" || strings.EqualFold(rec.Type, typ)) {
				out = append(out, rec)
			}
		}
		return ids
	})
	return out, zoneError(err, zone)
}

// Create adds r (TTL 0: MinTTL).
func (a *api) Create(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r.Name, r.Type, r.Value = providers.CanonicalName(r.Name), strings.ToUpper(r.Type), providers.CanonicalValue(r.Value)
	if r.TTL <= 0 {
		r.TTL = MinTTL
	}
	var out recordJSON
	body := recordJSON{Host: host(r.Name, zone), Type: r.Type, Answer: r.Value, TTL: r.TTL}
	if err := a.c.Call(ctx, "create record", http.MethodPost, recordsPath(zone.Name, ""), nil, body, &out); err != nil {
		return providers.Record{}, zoneError(err, zone)
	}
	if out.ID == 0 {
		return providers.Record{}, providers.Errorf(providers.KindTransient, "", "namecom create record: the answer holds no record id")
	}
	r.ID = strconv.FormatInt(out.ID, 10)
	return r, nil
}

// Update sets the value and TTL (0: kept) of the record r.ID, read first
// so its host, type and priority are sent back as they are; nothing is
// sent when it holds both already.
func (a *api) Update(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	var cur recordJSON
	if err := a.c.Call(ctx, "get record", http.MethodGet, recordsPath(zone.Name, r.ID), nil, nil, &cur); err != nil {
		if providers.KindOf(err) == providers.KindNotFound {
			return providers.Record{}, providers.Errorf(providers.KindNotFound, "", "namecom: record %s of %s no longer exists", r.ID, zone.Name)
		}
		return providers.Record{}, err
	}
	next := cur
	next.Answer = providers.CanonicalValue(r.Value)
	if r.TTL > 0 {
		next.TTL = r.TTL
	}
	if next.Answer == providers.CanonicalValue(cur.Answer) && next.TTL == cur.TTL {
		return toRecord(zone, cur), nil
	}
	body := recordJSON{Host: next.Host, Type: next.Type, Answer: next.Answer, TTL: next.TTL, Priority: next.Priority}
	if err := a.c.Call(ctx, "change record", http.MethodPut, recordsPath(zone.Name, r.ID), nil, body, nil); err != nil {
		return providers.Record{}, err
	}
	return toRecord(zone, next), nil
}

// Delete removes the record r.ID; one already gone is not an error.
func (a *api) Delete(ctx context.Context, zone providers.Zone, r providers.Record) error {
	err := a.c.Call(ctx, "delete record", http.MethodDelete, recordsPath(zone.Name, r.ID), nil, nil, nil)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// host is name as the API takes it: relative to the domain, "" for the
// apex.
func host(name string, zone providers.Zone) string {
	if h := providers.RelativeName(name, zone.Name); h != "@" {
		return h
	}
	return ""
}

// toRecord converts a listed record of zone.
func toRecord(zone providers.Zone, r recordJSON) providers.Record {
	name := providers.CanonicalName(r.Fqdn)
	if name == "" {
		name = providers.AbsoluteName(r.Host, zone.Name)
	}
	return providers.Record{
		ID: strconv.FormatInt(r.ID, 10), Name: name, Type: strings.ToUpper(r.Type),
		Value: providers.CanonicalValue(r.Answer), TTL: r.TTL,
	}
}

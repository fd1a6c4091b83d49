package baiducloud

import (
	"context"
	"encoding/json"
	"net/netip"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// pageSize is the page asked of the record list.
const pageSize = 100

// listJSON is resolve/list's request. The list pages by pageNo; ddns-go
// and most BCD clients send pageNum, so both are sent.
type listJSON struct {
	Domain   string `json:"domain"`
	PageNo   int    `json:"pageNo"`
	PageNum  int    `json:"pageNum"`
	PageSize int    `json:"pageSize"`
}

// recordJSON is a record of resolve/list; domain is the host record
// ("@" for the apex), zoneName the domain.
type recordJSON struct {
	RecordID json.Number `json:"recordId"`
	Domain   string      `json:"domain"`
	View     string      `json:"view"`
	RdType   string      `json:"rdtype"`
	TTL      int         `json:"ttl"`
	Rdata    string      `json:"rdata"`
	ZoneName string      `json:"zoneName"`
	Status   string      `json:"status"`
}

// writeJSON is resolve/add's and resolve/edit's request.
type writeJSON struct {
	RecordID json.Number `json:"recordId,omitempty"`
	Domain   string      `json:"domain"`
	View     string      `json:"view"`
	RdType   string      `json:"rdType"`
	TTL      int         `json:"ttl"`
	Rdata    string      `json:"rdata"`
	ZoneName string      `json:"zoneName"`
}

// FindZone returns the domain named hint, or the longest suffix of fqdn
// (of two labels or more) whose record list the account may read.
func (a *api) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	fqdn = providers.CanonicalName(fqdn)
	var candidates []string
	if hint != "" {
		hint = providers.CanonicalName(hint)
		if fqdn != hint && !strings.HasSuffix(fqdn, "."+hint) {
			return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "baiducloud: %s is not a name in domain %s", fqdn, hint)
		}
		candidates = []string{hint}
	} else {
		for name := fqdn; strings.Contains(name, "."); name = name[strings.Index(name, ".")+1:] {
			candidates = append(candidates, name)
		}
	}
	for _, c := range candidates {
		err := a.call(ctx, "find domain", "/v1/domain/resolve/list", listJSON{Domain: c, PageNo: 1, PageNum: 1, PageSize: 1}, &struct{}{})
		switch providers.KindOf(err) {
		case providers.KindNotFound, providers.KindZoneNotFound, providers.KindInvalid:
			continue // not a domain of the account
		}
		if err != nil {
			return providers.Zone{}, err
		}
		return providers.Zone{ID: c, Name: c}, nil
	}
	if hint != "" {
		return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "baiducloud: the account has no domain %s", hint)
	}
	return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "baiducloud: no domain of the account holds %s", fqdn)
}

// List reads every page of the domain's records and keeps those named
// name (every name when "") of type typ (every type when "") on the
// provider's view.
func (a *api) List(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	raw, err := a.records(ctx, zone)
	if err != nil {
		return nil, err
	}
	name = providers.CanonicalName(name)
	var out []providers.Record
	for _, r := range raw {
		rec := toRecord(zone, r)
		if (name == "" || rec.Name == name) && (typ == "" || strings.EqualFold(rec.Type, typ)) && strings.EqualFold(r.View, a.view) {
			out = append(out, rec)
		}
	}
	return out, nil
}

// records reads every page of resolve/list for zone.
func (a *api) records(ctx context.Context, zone providers.Zone) ([]recordJSON, error) {
	var out []recordJSON
	guard := providers.NewPageGuard("baiducloud: list records")
	for n := 1; ; n++ {
		var page struct {
			TotalCount int          `json:"totalCount"`
			Result     []recordJSON `json:"result"`
		}
		if err := a.call(ctx, "list records", "/v1/domain/resolve/list", listJSON{Domain: zone.Name, PageNo: n, PageNum: n, PageSize: pageSize}, &page); err != nil {
			return nil, zoneError(err, zone)
		}
		out = append(out, page.Result...)
		if len(page.Result) == 0 || (page.TotalCount > 0 && len(out) >= page.TotalCount) || (page.TotalCount <= 0 && len(page.Result) < pageSize) {
			return out, nil
		}
		ids := make([]string, 0, len(page.Result))
		for _, r := range page.Result {
			ids = append(ids, r.RecordID.String())
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
}

// Create adds r on the provider's view (TTL 0: DefaultTTL). resolve/add
// answers no record ID, so the new record is read back: the newest of its
// name, type and value.
func (a *api) Create(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r.Name, r.Type, r.Value = providers.CanonicalName(r.Name), strings.ToUpper(r.Type), providers.CanonicalValue(r.Value)
	if r.TTL <= 0 {
		r.TTL = DefaultTTL
	}
	body := writeJSON{Domain: providers.RelativeName(r.Name, zone.Name), View: a.view, RdType: r.Type, TTL: int(r.TTL), Rdata: wireValue(r.Value), ZoneName: zone.Name}
	if err := a.call(ctx, "create record", "/v1/domain/resolve/add", body, nil); err != nil {
		return providers.Record{}, zoneError(err, zone)
	}
	found, err := a.List(ctx, zone, r.Name, r.Type)
	if err != nil {
		return providers.Record{}, err
	}
	var newest int64 = -1
	for _, f := range found {
		if n, err := json.Number(f.ID).Int64(); err == nil && f.Value == r.Value && n > newest {
			newest, r.ID, r.TTL = n, f.ID, f.TTL
		}
	}
	if newest < 0 {
		return providers.Record{}, providers.Errorf(providers.KindTransient, "", "baiducloud: record %s %s was created but is not listed yet", r.Name, r.Type)
	}
	return r, nil
}

// Update sets the value and TTL (0 keeps it) of the record r.ID.
// resolve/edit takes every field, so the record is read first and its
// host, view and type are sent back; nothing is sent when it already holds
// the value and TTL.
func (a *api) Update(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	raw, err := a.records(ctx, zone)
	if err != nil {
		return providers.Record{}, err
	}
	for _, cur := range raw {
		if cur.RecordID.String() != r.ID {
			continue
		}
		out := toRecord(zone, cur)
		value, ttl := providers.CanonicalValue(r.Value), int(r.TTL)
		if ttl <= 0 {
			ttl = cur.TTL
		}
		if out.Value == value && cur.TTL == ttl {
			return out, nil
		}
		body := writeJSON{RecordID: cur.RecordID, Domain: cur.Domain, View: cur.View, RdType: cur.RdType, TTL: ttl, Rdata: wireValue(value), ZoneName: zone.Name}
		if err := a.call(ctx, "change record", "/v1/domain/resolve/edit", body, nil); err != nil {
			return providers.Record{}, err
		}
		out.Value, out.TTL = value, int32(ttl)
		return out, nil
	}
	return providers.Record{}, providers.Errorf(providers.KindNotFound, "", "baiducloud: record %s of %s no longer exists", r.ID, zone.Name)
}

// Delete removes the record r.ID; one already gone is not an error.
func (a *api) Delete(ctx context.Context, zone providers.Zone, r providers.Record) error {
	err := a.call(ctx, "delete record", "/v1/domain/resolve/delete", map[string]any{"zoneName": zone.Name, "recordId": json.Number(r.ID)}, nil)
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// toRecord converts a listed record of zone.
func toRecord(zone providers.Zone, r recordJSON) providers.Record {
	return providers.Record{ID: r.RecordID.String(), Name: providers.AbsoluteName(r.Domain, zone.Name), Type: strings.ToUpper(r.RdType), Value: providers.CanonicalValue(r.Rdata), TTL: int32(r.TTL)}
}

// zoneError turns "not found" into "no such domain" for calls that address
// a domain.
func zoneError(err error, zone providers.Zone) error {
	pe, ok := providers.AsError(err)
	if !ok || pe.Kind != providers.KindNotFound {
		return err
	}
	out := *pe
	out.Kind = providers.KindZoneNotFound
	out.Message = "baiducloud: the account has no domain " + zone.Name + ": " + pe.Message
	return &out
}

// wireValue is an address as resolve/add and resolve/edit take it: BCD
// accepts IPv6 addresses only in upper case ("注意IPV6格式下仅支持大写格式").
func wireValue(v string) string {
	if ip, err := netip.ParseAddr(v); err == nil && ip.Is6() && !ip.Is4In6() {
		return strings.ToUpper(ip.String())
	}
	return v
}

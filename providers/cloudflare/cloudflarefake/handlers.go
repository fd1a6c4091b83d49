package cloudflarefake

import (
	"encoding/json"
	"net/http"
	"net/netip"
	"strings"
	"unicode/utf8"

	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Page sizes of the list endpoints, from the API reference.
const (
	zonesDefaultPerPage, zonesMinPerPage, zonesMaxPerPage       = 20, 5, 50
	recordsDefaultPerPage, recordsMinPerPage, recordsMaxPerPage = 100, 5, 5000000
)

// listZones is GET /zones: optional exact name filter, paginated.
func (f *Fake) listZones(w http.ResponseWriter, r *http.Request) {
	name := strings.ToLower(r.URL.Query().Get("name"))
	var out []wireZone
	for _, z := range f.zones {
		if name == "" || z.name == name {
			out = append(out, wireZ(z))
		}
	}
	page, info := paginate(r, out, zonesDefaultPerPage, zonesMinPerPage, zonesMaxPerPage, f.pageSize, f.fault == providertest.FaultEndlessPages)
	ok(w, nonNil(page), info)
}

// getZone is GET /zones/{zone_id}.
func (f *Fake) getZone(w http.ResponseWriter, path, id string) {
	z := f.zoneByID(id)
	if z == nil {
		fail(w, http.StatusBadRequest, errNoObject(path), errNoRoute)
		return
	}
	ok(w, wireZ(z), nil)
}

// listRecords is GET /zones/{zone_id}/dns_records with the name (legacy
// exact), name.exact/contains/startswith/endswith, type and content
// filters, combined with match=all (default) or any.
func (f *Fake) listRecords(w http.ResponseWriter, r *http.Request, z *zone) {
	q := r.URL.Query()
	type filter func(*Record) bool
	var filters []filter
	str := func(key string, get func(*Record) string, test func(have, want string) bool) {
		if want, found := q[key]; found && len(want) > 0 {
			v := strings.ToLower(want[0])
			filters = append(filters, func(rec *Record) bool { return test(strings.ToLower(get(rec)), v) })
		}
	}
	name := func(rec *Record) string { return rec.Name }
	content := func(rec *Record) string { return rec.Content }
	eq := func(a, b string) bool { return a == b }
	str("name", name, eq)
	str("name.exact", name, eq)
	str("name.contains", name, strings.Contains)
	str("name.startswith", name, strings.HasPrefix)
	str("name.endswith", name, strings.HasSuffix)
	str("type", func(rec *Record) string { return rec.Type }, eq)
	str("content", content, eq)
	str("content.exact", content, eq)
	anyMatch := q.Get("match") == "any"

	var out []wireRecord
	for _, rec := range z.records {
		keep := !anyMatch || len(filters) == 0
		for _, fl := range filters {
			if anyMatch && fl(rec) {
				keep = true
				break
			}
			if !anyMatch && !fl(rec) {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, wire(z, rec))
		}
	}
	page, info := paginate(r, out, recordsDefaultPerPage, recordsMinPerPage, recordsMaxPerPage, f.pageSize, f.fault == providertest.FaultEndlessPages)
	ok(w, nonNil(page), info)
}

// createRecord is POST /zones/{zone_id}/dns_records.
func (f *Fake) createRecord(w http.ResponseWriter, r *http.Request, z *zone) {
	var body recordBody
	if json.NewDecoder(r.Body).Decode(&body) != nil {
		fail(w, http.StatusBadRequest, errBadJSON)
		return
	}
	rec, status, e := f.post(z, z.records, body)
	if status != 0 {
		fail(w, status, e)
		return
	}
	z.records = append(z.records, rec)
	ok(w, wire(z, rec), nil)
}

// updateRecord is PATCH (present fields change, the rest is kept) or PUT
// (the record is overwritten; absent optional fields reset).
func (f *Fake) updateRecord(w http.ResponseWriter, r *http.Request, z *zone, rec *Record) {
	var body recordBody
	if json.NewDecoder(r.Body).Decode(&body) != nil {
		fail(w, http.StatusBadRequest, errBadJSON)
		return
	}
	next, status, e := f.edit(z, z.records, rec, body, r.Method == http.MethodPut)
	if status != 0 {
		fail(w, status, e)
		return
	}
	*rec = next
	ok(w, wire(z, rec), nil)
}

// deleteRecord is DELETE /zones/{zone_id}/dns_records/{id}; its result is
// just the ID.
func (f *Fake) deleteRecord(w http.ResponseWriter, z *zone, rec *Record) {
	z.records = without(z.records, rec.ID)
	ok(w, map[string]string{"id": rec.ID}, nil)
}

// post validates a new record against the zone's records.
func (f *Fake) post(z *zone, records []*Record, b recordBody) (*Record, int, apiError) {
	if b.Type == nil || b.Name == nil || b.Content == nil {
		return nil, http.StatusBadRequest, errValidation(9000, "DNS name, type and content are required.")
	}
	rec := &Record{ID: f.newID(), TTL: 1}
	if status, e := f.apply(z, records, rec, b); status != 0 {
		return nil, status, e
	}
	return rec, 0, apiError{}
}

// edit returns rec changed by b (PATCH), or replaced by it (PUT).
func (f *Fake) edit(z *zone, records []*Record, rec *Record, b recordBody, put bool) (Record, int, apiError) {
	next := *rec
	if put {
		if b.Type == nil || b.Name == nil || b.Content == nil {
			return next, http.StatusBadRequest, errValidation(9000, "DNS name, type and content are required.")
		}
		next = Record{ID: rec.ID, TTL: 1}
	}
	if status, e := f.apply(z, records, &next, b); status != 0 {
		return next, status, e
	}
	return next, 0, apiError{}
}

// apply sets b's present fields on rec and validates the result.
func (f *Fake) apply(z *zone, records []*Record, rec *Record, b recordBody) (int, apiError) {
	if b.Name != nil {
		rec.Name = absolute(*b.Name, z.name)
	}
	if b.Type != nil {
		rec.Type = strings.ToUpper(*b.Type)
	}
	if b.Content != nil {
		rec.Content = *b.Content
	}
	if b.TTL != nil {
		rec.TTL = int(*b.TTL)
	}
	if b.Proxied != nil {
		rec.Proxied = *b.Proxied
	}
	if b.Comment != nil {
		rec.Comment = *b.Comment
	}
	if b.Tags != nil {
		rec.Tags = append([]string(nil), *b.Tags...)
	}
	switch rec.Type {
	case "A", "AAAA":
		a, err := netip.ParseAddr(rec.Content)
		if err != nil || a.Is4() != (rec.Type == "A") || a.Zone() != "" {
			family := "IPv4"
			if rec.Type == "AAAA" {
				family = "IPv6"
			}
			return http.StatusBadRequest, errValidation(9005, "Content for "+rec.Type+" record must be a valid "+family+" address.")
		}
		rec.Content = a.String()
	case "CNAME", "TXT", "MX", "NS", "CAA", "SRV":
		if rec.Proxied && rec.Type != "CNAME" {
			return http.StatusBadRequest, errValidation(9004, "This record type cannot be proxied.")
		}
	default:
		return http.StatusBadRequest, errValidation(9000, "DNS record type is invalid.")
	}
	if rec.TTL != 1 && (rec.TTL < f.minTTL || rec.TTL > 86400) {
		return http.StatusBadRequest, errTTL(f.minTTL)
	}
	if rec.Proxied {
		rec.TTL = 1 // proxied records always have automatic TTL
	}
	if utf8.RuneCountInString(rec.Comment) > MaxCommentLength {
		return http.StatusBadRequest, errCommentTooLong
	}
	for _, o := range records {
		if o.ID != rec.ID && o.Name == rec.Name && o.Type == rec.Type && o.Content == rec.Content {
			return http.StatusBadRequest, errIdentical
		}
	}
	return 0, apiError{}
}

func without(records []*Record, id string) []*Record {
	out := records[:0:0]
	for _, r := range records {
		if r.ID != id {
			out = append(out, r)
		}
	}
	return out
}

func wireZ(z *zone) wireZone {
	return wireZone{
		ID: z.id, Name: z.name, Status: "active", Type: "full",
		NameServers: []string{"ns1.fake-cloudflare.test", "ns2.fake-cloudflare.test"},
		Account:     wireAccount{ID: "0123456789abcdef0123456789abcdef", Name: "fake account"},
		CreatedOn:   now(), ModifiedOn: now(),
	}
}

func wire(z *zone, r *Record) wireRecord {
	out := wireRecord{
		ID: r.ID, ZoneID: z.id, ZoneName: z.name, Name: r.Name, Type: r.Type, Content: r.Content,
		Proxiable: r.Type == "A" || r.Type == "AAAA" || r.Type == "CNAME",
		Proxied:   r.Proxied, TTL: r.TTL, Tags: append([]string{}, r.Tags...),
		Settings: map[string]any{}, Meta: map[string]any{},
		CreatedOn: now(), ModifiedOn: now(),
	}
	if r.Comment != "" {
		c := r.Comment
		out.Comment = &c
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

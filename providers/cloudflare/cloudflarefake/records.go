package cloudflarefake

import (
	"encoding/json"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

type zone = providertest.Zone[Settings]

// Page sizes of the list endpoints, from the API reference.
const (
	zonesDefaultPerPage, zonesMinPerPage, zonesMaxPerPage       = 20, 5, 50
	recordsDefaultPerPage, recordsMinPerPage, recordsMaxPerPage = 100, 5, 5000000
)

// list answers the page of items asked for. per_page is bounded by the
// endpoint's documented range [lo, hi] and then by the fake's page size.
// Under FaultEndlessPages the first page comes back whatever was asked,
// claiming one more page after it.
func list[T any](f *Fake, w http.ResponseWriter, r *http.Request, items []T, def, lo, hi int) {
	page := max(number(r.URL.Query().Get("page"), 1), 1)
	per := min(max(number(r.URL.Query().Get("per_page"), def), lo), hi, f.PageSize)
	start, end := f.Window(len(items), (page-1)*per, per)
	total := f.Total(len(items))
	pages := max((total+per-1)/per, 1) // an empty list still has one (empty) page
	if f.Endless() {
		pages = page + 1
	}
	ok(w, append([]T{}, items[start:end]...), map[string]int{"page": page, "per_page": per, "count": end - start, "total_count": total, "total_pages": pages})
}

func number(s string, def int) int {
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		return int(n)
	}
	return def
}

// listZones is GET /zones: optional exact name filter, paginated.
func (f *Fake) listZones(w http.ResponseWriter, r *http.Request) {
	name := strings.ToLower(r.URL.Query().Get("name"))
	var out []map[string]any
	for _, z := range f.Store.Zones() {
		if name == "" || z.Name == name {
			out = append(out, wireZone(z))
		}
	}
	list(f, w, r, out, zonesDefaultPerPage, zonesMinPerPage, zonesMaxPerPage)
}

// filters are the string filters of GET /zones/{zone_id}/dns_records: name
// (legacy exact), name.exact/contains/startswith/endswith, type and
// content, compared case-insensitively.
var filters = []struct {
	key  string
	get  func(*Record) string
	test func(have, want string) bool
}{
	{"name", name, eq}, {"name.exact", name, eq}, {"name.contains", name, strings.Contains},
	{"name.startswith", name, strings.HasPrefix}, {"name.endswith", name, strings.HasSuffix},
	{"type", func(r *Record) string { return r.Type }, eq},
	{"content", content, eq}, {"content.exact", content, eq},
}

func name(r *Record) string    { return r.Name }
func content(r *Record) string { return r.Value }
func eq(a, b string) bool      { return a == b }

// listRecords is GET /zones/{zone_id}/dns_records, the filters combined
// with match=all (default) or any.
func (f *Fake) listRecords(w http.ResponseWriter, r *http.Request, z *zone) {
	q := r.URL.Query()
	anyMatch := q.Get("match") == "any"
	var out []map[string]any
	for _, rec := range z.Records {
		tried, matched := 0, 0
		for _, fl := range filters {
			if want, found := q[fl.key]; found && len(want) > 0 {
				tried++
				if fl.test(strings.ToLower(fl.get(rec)), strings.ToLower(want[0])) {
					matched++
				}
			}
		}
		if tried == 0 || (anyMatch && matched > 0) || (!anyMatch && matched == tried) {
			out = append(out, wire(z, rec))
		}
	}
	list(f, w, r, out, recordsDefaultPerPage, recordsMinPerPage, recordsMaxPerPage)
}

// recordBody is a POST/PUT/PATCH body. Pointers tell an absent field (PATCH
// keeps it) from a present one.
type recordBody struct {
	ID      string    `json:"id,omitempty"` // batch patches and puts only
	Name    *string   `json:"name"`
	Type    *string   `json:"type"`
	Content *string   `json:"content"`
	TTL     *float64  `json:"ttl"`
	Proxied *bool     `json:"proxied"`
	Comment *string   `json:"comment"`
	Tags    *[]string `json:"tags"`
}

// write is POST /zones/{zone_id}/dns_records (rec nil), or PATCH (present
// fields change, the rest is kept) or PUT (the record is overwritten;
// absent optional fields reset) of rec.
func (f *Fake) write(w http.ResponseWriter, r *http.Request, z *zone, rec *Record, body []byte) {
	var b recordBody
	var e *apiError
	switch {
	case json.Unmarshal(body, &b) != nil:
		e = &errBadJSON
	case rec == nil:
		rec, e = f.post(z, b)
	default:
		e = f.edit(z, rec, b, r.Method == http.MethodPut)
	}
	if e != nil {
		fail(w, http.StatusBadRequest, *e)
		return
	}
	ok(w, wire(z, rec), nil)
}

// post validates a new record against the zone's records and stores it.
func (f *Fake) post(z *zone, b recordBody) (*Record, *apiError) {
	if b.Type == nil || b.Name == nil || b.Content == nil {
		return nil, &errRequired
	}
	rec := Record{TTL: 1}
	if e := f.apply(z, &rec, b); e != nil {
		return nil, e
	}
	return f.Store.Add(z, rec), nil
}

// edit changes rec by b (PATCH), or replaces it with b (PUT).
func (f *Fake) edit(z *zone, rec *Record, b recordBody, put bool) *apiError {
	next := *rec
	if put {
		if b.Type == nil || b.Name == nil || b.Content == nil {
			return &errRequired
		}
		next = Record{ID: rec.ID, Zone: rec.Zone, TTL: 1}
	}
	if e := f.apply(z, &next, b); e != nil {
		return e
	}
	*rec = next
	return nil
}

// apply sets b's present fields on rec and validates the result.
func (f *Fake) apply(z *zone, rec *Record, b recordBody) *apiError {
	set(&rec.Name, b.Name)
	set(&rec.Type, b.Type)
	set(&rec.Value, b.Content)
	set(&rec.X.Proxied, b.Proxied)
	set(&rec.Marker, b.Comment)
	rec.Name, rec.Type = providertest.Absolute(rec.Name, z.Name), strings.ToUpper(rec.Type)
	if b.TTL != nil {
		rec.TTL = int(*b.TTL)
	}
	if b.Tags != nil {
		rec.X.Tags = append([]string(nil), *b.Tags...)
	}
	switch rec.Type {
	case "A", "AAAA":
		a, err := netip.ParseAddr(rec.Value)
		if err != nil || a.Is4() != (rec.Type == "A") || a.Zone() != "" {
			family := map[string]string{"A": "IPv4", "AAAA": "IPv6"}[rec.Type]
			return ptr(errValidation(9005, "Content for "+rec.Type+" record must be a valid "+family+" address."))
		}
		rec.Value = a.String()
	case "CNAME", "TXT", "MX", "NS", "CAA", "SRV":
		if rec.X.Proxied && rec.Type != "CNAME" {
			return ptr(errValidation(9004, "This record type cannot be proxied."))
		}
	default:
		return ptr(errValidation(9000, "DNS record type is invalid."))
	}
	if rec.TTL != 1 && (rec.TTL < f.MinTTL || rec.TTL > 86400) {
		return ptr(errTTL(f.MinTTL))
	}
	if rec.X.Proxied {
		rec.TTL = 1 // proxied records always have automatic TTL
	}
	if utf8.RuneCountInString(rec.Marker) > MaxCommentLength {
		return &errCommentTooLong
	}
	for _, o := range z.Records {
		if o.ID != rec.ID && o.Name == rec.Name && o.Type == rec.Type && o.Value == rec.Value {
			return &errIdentical
		}
	}
	return nil
}

// set sets *dst to *v when v is present.
func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// batchBody is the body of POST /zones/{zone_id}/dns_records/batch
// (https://developers.cloudflare.com/dns/manage-dns-records/how-to/batch-record-changes/).
type batchBody struct {
	Deletes []struct {
		ID string `json:"id"`
	} `json:"deletes"`
	Patches []recordBody `json:"patches"`
	Puts    []recordBody `json:"puts"`
	Posts   []recordBody `json:"posts"`
}

// batch runs the operations in the documented order (deletes, patches,
// puts, posts) in one transaction: any failure, a patch or delete of a
// missing record included, answers an error and leaves the zone as it was
// (https://developers.cloudflare.com/api/resources/dns/subresources/records/methods/batch/).
// The answer's result holds the records each group touched. The
// per-request limit (200 writes on Free zones) is not enforced: the API's
// answer past it is not documented.
func (f *Fake) batch(w http.ResponseWriter, z *zone, body []byte) {
	var b batchBody
	if json.Unmarshal(body, &b) != nil {
		fail(w, http.StatusBadRequest, errBadJSON)
		return
	}
	saved := make([]*Record, len(z.Records))
	for i, rec := range z.Records {
		cp := *rec
		saved[i] = &cp
	}
	res := map[string][]map[string]any{"deletes": {}, "patches": {}, "puts": {}, "posts": {}}
	if status, e := f.runBatch(z, b, res); e != nil {
		z.Records = saved
		fail(w, status, *e)
		return
	}
	ok(w, res, nil)
}

// runBatch applies b to z, adding what each group touched to res, and
// stops at the first failure.
func (f *Fake) runBatch(z *zone, b batchBody, res map[string][]map[string]any) (int, *apiError) {
	for _, d := range b.Deletes {
		rec := z.Record(d.ID)
		if rec == nil {
			return http.StatusNotFound, &errNoRecord
		}
		res["deletes"] = append(res["deletes"], wire(z, rec))
		z.Remove(d.ID)
	}
	for _, g := range []struct {
		name string
		ops  []recordBody
	}{{"patches", b.Patches}, {"puts", b.Puts}} {
		for _, op := range g.ops {
			rec := z.Record(op.ID)
			if rec == nil {
				return http.StatusNotFound, &errNoRecord
			}
			if e := f.edit(z, rec, op, g.name == "puts"); e != nil {
				return http.StatusBadRequest, e
			}
			res[g.name] = append(res[g.name], wire(z, rec))
		}
	}
	for _, op := range b.Posts {
		rec, e := f.post(z, op)
		if e != nil {
			return http.StatusBadRequest, e
		}
		res["posts"] = append(res["posts"], wire(z, rec))
	}
	return 0, nil
}

package alidnsfake

import (
	"cmp"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

type zone = providertest.Zone[Extra]

// actions run one API action each on the request's parameters, under the
// fake's lock; each is documented at https://www.alibabacloud.com/help/en/dns/
// on the page its comment names.
var actions = map[string]func(f *Fake, p url.Values) (map[string]any, *apiError){
	"DescribeDomains":          (*Fake).describeDomains,
	"DescribeSubDomainRecords": (*Fake).describeSubDomainRecords,
	"DescribeDomainRecords":    (*Fake).describeDomainRecords,
	"DescribeDomainRecordInfo": (*Fake).describeDomainRecordInfo,
	"AddDomainRecord":          (*Fake).addDomainRecord,
	"UpdateDomainRecord":       (*Fake).updateDomainRecord,
	"UpdateDomainRecordRemark": (*Fake).updateDomainRecordRemark,
	"DeleteDomainRecord":       (*Fake).deleteDomainRecord,
}

// list answers a page of items, each as render makes it, in
// out[key][inner], with TotalCount, PageNumber (default 1) and PageSize
// (default 20, at most limit, the action's documented maximum, and capped
// by the fake's PageSize).
func list[T any](f *Fake, p url.Values, items []T, limit int, key, inner string, render func(T) map[string]any) (map[string]any, *apiError) {
	number, e1 := positive(p, "PageNumber", 1)
	size, e2 := positive(p, "PageSize", 20)
	if e := cmp.Or(e1, e2); e != nil {
		return nil, e
	}
	size = min(size, limit, f.PageSize)
	lo, hi := f.Window(len(items), (number-1)*size, size)
	out := []map[string]any{}
	for _, it := range items[lo:hi] {
		out = append(out, render(it))
	}
	return map[string]any{"TotalCount": f.Total(len(items)), "PageNumber": number, "PageSize": size, key: map[string]any{inner: out}}, nil
}

// positive reads p's whole number name, at least 1; def when absent.
func positive(p url.Values, name string, def int) (int, *apiError) {
	if p.Get(name) == "" {
		return def, nil
	}
	n, err := strconv.Atoi(p.Get(name))
	if err != nil || n < 1 {
		return 0, invalid(name)
	}
	return n, nil
}

// describeDomains (api-alidns-2015-01-09-describedomains): KeyWord with
// SearchMode LIKE ("%KeyWord%", case-insensitive; the default) or EXACT.
// Answer: {RequestId, TotalCount, PageNumber, PageSize, Domains: {Domain: [...]}}.
func (f *Fake) describeDomains(p url.Values) (map[string]any, *apiError) {
	kw := strings.ToLower(p.Get("KeyWord"))
	exact := strings.EqualFold(p.Get("SearchMode"), "EXACT")
	return f.domains(p, slices.DeleteFunc(slices.Clone(f.Store.Zones()), func(z *zone) bool {
		return kw != "" && (exact && z.Name != kw || !exact && !strings.Contains(z.Name, kw))
	}))
}

// domains answers DescribeDomains with zones.
func (f *Fake) domains(p url.Values, zones []*zone) (map[string]any, *apiError) {
	return list(f, p, zones, maxPageSize, "Domains", "Domain", func(z *zone) map[string]any {
		return map[string]any{
			"DomainId": z.ID, "DomainName": z.Name, "PunyCode": z.Name, "AliDomain": false,
			"RecordCount": len(z.Records), "VersionCode": "mianfei", "VersionName": "Alibaba Cloud DNS",
			"CreateTime": "2024-01-02T03:04Z", "CreateTimestamp": 1704164640000, "Starmark": false,
			"DnsServers": map[string]any{"DnsServer": []string{"dns1.hichina.com", "dns2.hichina.com"}},
		}
	})
}

// describeSubDomainRecords
// (api-alidns-2015-01-09-describesubdomainrecords): SubDomain (required) is
// the full name; with DomainName it is read relative to that domain,
// without it relative to the account's domain that holds it. Type
// (case-insensitive) and Line filter. Answer: {RequestId, TotalCount,
// PageNumber, PageSize, DomainRecords: {Record: [...]}}.
func (f *Fake) describeSubDomainRecords(p url.Values) (map[string]any, *apiError) {
	sub := providers.CanonicalName(p.Get("SubDomain"))
	if sub == "" {
		return nil, missing("SubDomain")
	}
	z := f.Store.Zone(p.Get("DomainName"))
	for _, c := range f.Store.Zones() {
		if p.Get("DomainName") == "" && (sub == c.Name || strings.HasSuffix(sub, "."+c.Name)) && (z == nil || len(c.Name) > len(z.Name)) {
			z = c // the longest suffix
		}
	}
	if z == nil {
		return nil, errIncorrectUser
	}
	line := p.Get("Line")
	recs := slices.DeleteFunc(z.Select(sub, p.Get("Type")), func(r *Record) bool { return line != "" && r.X.Line != line })
	return list(f, p, recs, maxPageSize, "DomainRecords", "Record", recordJSON)
}

// describeDomainRecords
// (https://www.alibabacloud.com/help/en/dns/api-alidns-2015-01-09-describedomainrecords)
// lists the records of DomainName (required; a domain not in the account is
// IncorrectDomainUser, the action's documented error), PageSize 1-500,
// default 20. SearchMode picks the filters: LIKE or EXACT, only KeyWord
// ("%KeyWord%" or the whole text, case-insensitive, against RR and Value);
// ADVANCED, or none without a KeyWord, RRKeyWord and ValueKeyWord ("%kw%",
// case-insensitive), TypeKeyWord (case-insensitive), Type, Line and Status
// (exact); none with a KeyWord is LIKE. COMBINATION, also listed but not
// described, is refused. Records come newest first (Direction DESC, the
// default) or oldest first (ASC). Answer: {RequestId, TotalCount,
// PageNumber, PageSize, DomainRecords: {Record: [...]}}.
func (f *Fake) describeDomainRecords(p url.Values) (map[string]any, *apiError) {
	if p.Get("DomainName") == "" {
		return nil, missing("DomainName")
	}
	match, e := recordFilter(p)
	dir := strings.ToUpper(p.Get("Direction"))
	z := f.Store.Zone(p.Get("DomainName"))
	switch {
	case e != nil:
		return nil, e
	case dir != "" && dir != "DESC" && dir != "ASC":
		return nil, invalid("Direction")
	case z == nil:
		return nil, errIncorrectUser
	}
	recs := slices.DeleteFunc(slices.Clone(z.Records), func(r *Record) bool { return !match(r) })
	if dir != "ASC" {
		slices.Reverse(recs) // the store keeps creation order
	}
	return list(f, p, recs, maxRecordsPageSize, "DomainRecords", "Record", recordJSON)
}

// recordFilter builds DescribeDomainRecords' filter from its parameters.
func recordFilter(p url.Values) (func(*Record) bool, *apiError) {
	contains := func(s, kw string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(kw)) }
	kw := p.Get("KeyWord")
	mode := strings.ToUpper(p.Get("SearchMode"))
	if mode == "" && kw != "" {
		mode = "LIKE"
	}
	switch mode {
	case "LIKE":
		return func(r *Record) bool { return contains(rr(r), kw) || contains(r.Value, kw) }, nil
	case "EXACT":
		return func(r *Record) bool { return strings.EqualFold(rr(r), kw) || strings.EqualFold(r.Value, kw) }, nil
	case "", "ADVANCED":
	default:
		return nil, invalid("SearchMode")
	}
	rrKW, valueKW, typeKW := p.Get("RRKeyWord"), p.Get("ValueKeyWord"), p.Get("TypeKeyWord")
	typ, line, status := p.Get("Type"), p.Get("Line"), p.Get("Status")
	return func(r *Record) bool {
		return (rrKW == "" || contains(rr(r), rrKW)) &&
			(valueKW == "" || contains(r.Value, valueKW)) &&
			(typeKW == "" || strings.EqualFold(r.Type, typeKW)) &&
			(typ == "" || r.Type == typ) &&
			(line == "" || r.X.Line == line) &&
			(status == "" || strings.EqualFold(r.X.Status, status))
	}, nil
}

// rr is the record's host record, its name relative to its domain.
func rr(r *Record) string { return providers.RelativeName(r.Name, r.Zone) }

// record finds the record p's RecordId names: a record not (or no longer)
// in the account is DomainRecordNotBelongToUser, for every action.
func (f *Fake) record(p url.Values) (*zone, *Record, *apiError) {
	if p.Get("RecordId") == "" {
		return nil, nil, missing("RecordId")
	}
	if z, r := f.Store.Find(p.Get("RecordId")); r != nil {
		return z, r, nil
	}
	return nil, nil, errRecordNotOwned
}

// describeDomainRecordInfo
// (api-alidns-2015-01-09-describedomainrecordinfo): the record's fields at
// the top level of the answer.
func (f *Fake) describeDomainRecordInfo(p url.Values) (map[string]any, *apiError) {
	_, r, e := f.record(p)
	if e != nil {
		return nil, e
	}
	out := recordJSON(r)
	out["PunyCode"], out["GroupName"] = r.Zone, "默认分组"
	return out, nil
}

// addDomainRecord (api-alidns-2015-01-09-adddomainrecord): DomainName, RR,
// Type, Value required; TTL defaults to 600, Line to "default". Answer:
// {RequestId, RecordId}.
func (f *Fake) addDomainRecord(p url.Values) (map[string]any, *apiError) {
	r, e := f.parseRecord(p, "DomainName")
	z := f.Store.Zone(p.Get("DomainName"))
	if e == nil && z == nil {
		e = errDomainNoExist
	}
	if e == nil {
		r.Name = providers.AbsoluteName(r.Name, z.Name)
		e = clash(z, r)
	}
	if e != nil {
		return nil, e
	}
	return map[string]any{"RecordId": f.Store.Add(z, r).ID}, nil
}

// updateDomainRecord (api-alidns-2015-01-09-updatedomainrecord): RecordId,
// RR, Type, Value required; TTL and Line not sent are reset to 600 and
// "default". Remark, status and weight are kept. An update that changes
// nothing, or that would copy another record, is DomainRecordDuplicate.
func (f *Fake) updateDomainRecord(p url.Values) (map[string]any, *apiError) {
	upd, e := f.parseRecord(p, "RecordId")
	if e != nil {
		return nil, e
	}
	z, cur, e := f.record(p)
	if e != nil {
		return nil, e
	}
	upd.ID, upd.Name = cur.ID, providers.AbsoluteName(upd.Name, z.Name)
	if upd.Name == cur.Name && upd.Type == cur.Type && upd.Value == cur.Value && upd.TTL == cur.TTL && upd.X.Line == cur.X.Line {
		return nil, errRecordDuplicate
	}
	if e := clash(z, upd); e != nil {
		return nil, e
	}
	cur.Name, cur.Type, cur.Value, cur.TTL, cur.X.Line = upd.Name, upd.Type, upd.Value, upd.TTL, upd.X.Line
	return map[string]any{"RecordId": cur.ID}, nil
}

// updateDomainRecordRemark
// (https://www.alibabacloud.com/help/en/dns/api-alidns-2015-01-09-updatedomainrecordremark):
// RecordId is required; Remark is optional and an empty one clears the
// remark. The page documents no length limit for a record's remark (the
// 50-character limit on that site belongs to UpdateDomainRemark, the
// domain's remark), so the fake enforces none. Answer: {RequestId}.
func (f *Fake) updateDomainRecordRemark(p url.Values) (map[string]any, *apiError) {
	_, r, e := f.record(p)
	if e == nil {
		r.Marker = p.Get("Remark")
	}
	return map[string]any{}, e
}

// deleteDomainRecord (api-alidns-2015-01-09-deletedomainrecord): RecordId.
// Answer: {RequestId, RecordId}.
func (f *Fake) deleteDomainRecord(p url.Values) (map[string]any, *apiError) {
	z, r, e := f.record(p)
	if e == nil {
		z.Remove(r.ID)
	}
	return map[string]any{"RecordId": p.Get("RecordId")}, e
}

var knownTypes = map[string]bool{"A": true, "AAAA": true, "CNAME": true, "MX": true, "TXT": true, "NS": true, "SRV": true, "CAA": true, "REDIRECT_URL": true, "FORWARD_URL": true}

// parseRecord reads and checks, as the service does, place (DomainName or
// RecordId), RR (into Name, relative), Type and Value, all required, TTL
// (within the edition's range: QuotaExceeded.TTL) and Line.
func (f *Fake) parseRecord(p url.Values, place string) (Record, *apiError) {
	for _, k := range []string{place, "RR", "Type", "Value"} {
		if p.Get(k) == "" {
			return Record{}, missing(k)
		}
	}
	r := Record{Name: strings.ToLower(p.Get("RR")), Type: strings.ToUpper(p.Get("Type")), Value: p.Get("Value"), TTL: 600, X: Extra{Line: cmp.Or(p.Get("Line"), "default")}}
	ttl, err := strconv.Atoi(cmp.Or(p.Get("TTL"), "600"))
	a, aerr := netip.ParseAddr(r.Value)
	switch {
	case !knownTypes[r.Type]:
		return Record{}, invalid("Type")
	case err != nil || ttl < 1:
		return Record{}, invalid("TTL")
	case p.Get("TTL") != "" && (ttl < f.MinTTL || ttl > MaxTTL):
		return Record{}, errTTL(f.MinTTL)
	case (r.Type == "A" || r.Type == "AAAA") && (aerr != nil || (r.Type == "A") != a.Is4()):
		return Record{}, invalid("Value")
	}
	r.TTL = ttl
	return r, nil
}

// clash refuses a record identical to another one on the same line
// (DomainRecordDuplicate) or a CNAME sharing its name with an address
// record (DomainRecordConflict).
func clash(z *zone, r Record) *apiError {
	isAddr := func(t string) bool { return t == "A" || t == "AAAA" }
	for _, o := range z.Select(r.Name, "") {
		switch {
		case o.ID == r.ID || o.X.Line != r.X.Line:
		case o.Type == r.Type && o.Value == r.Value:
			return errRecordDuplicate
		case (o.Type == "CNAME") != (r.Type == "CNAME") && (isAddr(o.Type) || isAddr(r.Type)):
			return errRecordConflict
		}
	}
	return nil
}

// recordJSON is a record as DescribeSubDomainRecords and
// DescribeDomainRecords list it.
func recordJSON(r *Record) map[string]any {
	out := map[string]any{
		"DomainName": r.Zone, "RecordId": r.ID, "RR": rr(r), "Type": r.Type, "Value": r.Value, "TTL": r.TTL,
		"Line": r.X.Line, "Status": r.X.Status, "Locked": r.X.Locked, "Weight": r.X.Weight,
	}
	if r.Marker != "" {
		out["Remark"] = r.Marker
	}
	return out
}

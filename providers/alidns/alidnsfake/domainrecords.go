package alidnsfake

import (
	"net/url"
	"sort"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// DescribeDomainRecords lists the records of one domain
// (https://www.alibabacloud.com/help/en/dns/api-alidns-2015-01-09-describedomainrecords).
//
// DomainName is required; a domain not in the account is
// IncorrectDomainUser, the action's documented error. PageSize is 1-500,
// default 20. SearchMode picks the filters:
//
//   - LIKE or EXACT: only KeyWord counts ("%KeyWord%" or the whole text,
//     case-insensitive; the fake matches it against RR and Value), and
//     RRKeyWord, TypeKeyWord, ValueKeyWord, Type, Line and Status are
//     ignored.
//   - ADVANCED, or no SearchMode and no KeyWord: RRKeyWord and ValueKeyWord
//     match "%kw%" case-insensitively; TypeKeyWord, Type, Line and Status
//     match exactly (TypeKeyWord case-insensitively).
//   - no SearchMode with a KeyWord is LIKE.
//
// COMBINATION, also listed, is not described further and the fake refuses
// it. Records come newest first (Direction DESC, the default) or oldest
// first (ASC). Answer: {RequestId, TotalCount, PageNumber, PageSize,
// DomainRecords: {Record: [...]}}, each record as recordJSON writes it.
func (f *Fake) describeDomainRecords(p url.Values) (map[string]any, *apiError) {
	domain := providers.CanonicalName(p.Get("DomainName"))
	if domain == "" {
		return nil, missing("DomainName")
	}
	match, e := recordFilter(p)
	if e != nil {
		return nil, e
	}
	desc := true
	switch strings.ToUpper(p.Get("Direction")) {
	case "", "DESC":
	case "ASC":
		desc = false
	default:
		return nil, invalid("Direction")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.hasZoneLocked(domain) {
		return nil, errIncorrectUser
	}
	recs := f.sortedLocked(func(r *Record) bool { return r.Domain == domain && match(r) })
	if desc {
		// IDs grow with every record added: the highest is the newest.
		sort.SliceStable(recs, func(i, j int) bool { return recs[i].ID > recs[j].ID })
	}
	number, size, start, end, e := f.paging(p, len(recs), maxRecordsPageSize)
	if e != nil {
		return nil, e
	}
	out := []map[string]any{}
	for _, r := range recs[start:end] {
		out = append(out, recordJSON(r))
	}
	return map[string]any{
		"TotalCount": f.total(len(recs)), "PageNumber": number, "PageSize": size,
		"DomainRecords": map[string]any{"Record": out},
	}, nil
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
		return func(r *Record) bool { return contains(r.RR, kw) || contains(r.Value, kw) }, nil
	case "EXACT":
		return func(r *Record) bool { return strings.EqualFold(r.RR, kw) || strings.EqualFold(r.Value, kw) }, nil
	case "", "ADVANCED":
	default:
		return nil, invalid("SearchMode")
	}
	rrKW, valueKW, typeKW := p.Get("RRKeyWord"), p.Get("ValueKeyWord"), p.Get("TypeKeyWord")
	typ, line, status := p.Get("Type"), p.Get("Line"), p.Get("Status")
	return func(r *Record) bool {
		return (rrKW == "" || contains(r.RR, rrKW)) &&
			(valueKW == "" || contains(r.Value, valueKW)) &&
			(typeKW == "" || strings.EqualFold(r.Type, typeKW)) &&
			(typ == "" || r.Type == typ) &&
			(line == "" || r.Line == line) &&
			(status == "" || strings.EqualFold(r.Status, status))
	}, nil
}

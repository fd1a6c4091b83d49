package alidnsfake

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// handler runs one API action on the request's parameters.
type handler func(p url.Values) (map[string]any, *apiError)

func (f *Fake) handlers() map[string]handler {
	return map[string]handler{
		"DescribeDomains":          f.describeDomains,
		"DescribeSubDomainRecords": f.describeSubDomainRecords,
		"DescribeDomainRecords":    f.describeDomainRecords,
		"DescribeDomainRecordInfo": f.describeDomainRecordInfo,
		"AddDomainRecord":          f.addDomainRecord,
		"UpdateDomainRecord":       f.updateDomainRecord,
		"UpdateDomainRecordRemark": f.updateDomainRecordRemark,
		"DeleteDomainRecord":       f.deleteDomainRecord,
	}
}

// paging reads PageNumber (default 1) and PageSize (default 20, at most
// limit, the action's documented maximum, and capped by the fake's
// PageSize) and returns the slice bounds.
func (f *Fake) paging(p url.Values, total, limit int) (number, size, start, end int, e *apiError) {
	number, size = 1, 20
	if v := p.Get("PageNumber"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, 0, 0, 0, invalid("PageNumber")
		}
		number = n
	}
	if v := p.Get("PageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, 0, 0, 0, invalid("PageSize")
		}
		size = n
	}
	size = min(size, limit, max(f.PageSize, 1))
	if f.fault == providertest.FaultEndlessPages {
		// Serve the first page whatever was asked.
		return number, size, 0, min(size, total), nil
	}
	start = min((number-1)*size, total)
	end = min(start+size, total)
	return number, size, start, end, nil
}

// DescribeDomains (api-alidns-2015-01-09-describedomains): KeyWord with
// SearchMode LIKE ("%KeyWord%", case-insensitive; the default) or EXACT.
// Answer: {RequestId, TotalCount, PageNumber, PageSize, Domains: {Domain: [...]}}.
func (f *Fake) describeDomains(p url.Values) (map[string]any, *apiError) {
	kw := strings.ToLower(p.Get("KeyWord"))
	exact := strings.EqualFold(p.Get("SearchMode"), "EXACT")
	f.mu.Lock()
	defer f.mu.Unlock()
	var names []string
	for _, z := range f.zones {
		if f.fault == providertest.FaultZoneNotFound {
			break // the account holds no domain
		}
		if kw == "" || (exact && z == kw) || (!exact && strings.Contains(z, kw)) {
			names = append(names, z)
		}
	}
	number, size, start, end, e := f.paging(p, len(names), maxPageSize)
	if e != nil {
		return nil, e
	}
	domains := []map[string]any{}
	for i, z := range names[start:end] {
		n := 0
		for _, r := range f.records {
			if r.Domain == z {
				n++
			}
		}
		domains = append(domains, map[string]any{
			"DomainId":        fmt.Sprintf("00c5fa6f-%04x-4b3e-9f6a-%012x", start+i, start+i),
			"DomainName":      z,
			"PunyCode":        z,
			"AliDomain":       false,
			"RecordCount":     n,
			"VersionCode":     "mianfei",
			"VersionName":     "Alibaba Cloud DNS",
			"CreateTime":      "2024-01-02T03:04Z",
			"CreateTimestamp": 1704164640000,
			"Starmark":        false,
			"DnsServers":      map[string]any{"DnsServer": []string{"dns1.hichina.com", "dns2.hichina.com"}},
		})
	}
	return map[string]any{
		"TotalCount": f.total(len(names)), "PageNumber": number, "PageSize": size,
		"Domains": map[string]any{"Domain": domains},
	}, nil
}

// DescribeSubDomainRecords (api-alidns-2015-01-09-describesubdomainrecords):
// SubDomain (required) is the full name; with DomainName it is read
// relative to that domain, without it relative to the account's domain
// that holds it. Type (case-insensitive) and Line filter.
// Answer: {RequestId, TotalCount, PageNumber, PageSize, DomainRecords: {Record: [...]}}.
func (f *Fake) describeSubDomainRecords(p url.Values) (map[string]any, *apiError) {
	sub := providers.CanonicalName(p.Get("SubDomain"))
	if sub == "" {
		return nil, missing("SubDomain")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	domain := providers.CanonicalName(p.Get("DomainName"))
	if domain == "" {
		var zs []providers.Zone
		for _, z := range f.zones {
			zs = append(zs, providers.Zone{Name: z})
		}
		z, ok := providers.LongestSuffixZone(sub, zs)
		if !ok {
			return nil, errIncorrectUser
		}
		domain = z.Name
	} else if !f.hasZoneLocked(domain) {
		return nil, errIncorrectUser
	}
	inZone := sub == domain || strings.HasSuffix(sub, "."+domain)
	rr := providers.RelativeName(sub, domain)
	typ, line := p.Get("Type"), p.Get("Line")
	recs := f.sortedLocked(func(r *Record) bool {
		return inZone && r.Domain == domain && strings.EqualFold(r.RR, rr) &&
			(typ == "" || strings.EqualFold(r.Type, typ)) && (line == "" || r.Line == line)
	})
	number, size, start, end, e := f.paging(p, len(recs), maxPageSize)
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

// DescribeDomainRecordInfo (api-alidns-2015-01-09-describedomainrecordinfo):
// the record's fields at the top level of the answer.
func (f *Fake) describeDomainRecordInfo(p url.Values) (map[string]any, *apiError) {
	id := p.Get("RecordId")
	if id == "" {
		return nil, missing("RecordId")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.records[id]
	if !ok {
		return nil, errRecordNotOwned
	}
	out := recordJSON(*r)
	out["PunyCode"] = r.Domain
	out["GroupName"] = "默认分组"
	return out, nil
}

// AddDomainRecord (api-alidns-2015-01-09-adddomainrecord): DomainName, RR,
// Type, Value required; TTL defaults to 600, Line to "default".
// Answer: {RequestId, RecordId}.
func (f *Fake) addDomainRecord(p url.Values) (map[string]any, *apiError) {
	for _, k := range []string{"DomainName", "RR", "Type", "Value"} {
		if p.Get(k) == "" {
			return nil, missing(k)
		}
	}
	r, e := f.parseRecord(p)
	if e != nil {
		return nil, e
	}
	r.Domain = providers.CanonicalName(p.Get("DomainName"))
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.hasZoneLocked(r.Domain) {
		return nil, errDomainNoExist
	}
	if e := f.clashLocked(r); e != nil {
		return nil, e
	}
	r.ID, r.Status, r.Weight = f.newID(), "ENABLE", 1
	f.records[r.ID] = &r
	return map[string]any{"RecordId": r.ID}, nil
}

// UpdateDomainRecord (api-alidns-2015-01-09-updatedomainrecord): RecordId,
// RR, Type, Value required; TTL and Line not sent are reset to 600 and
// "default". Remark, status and weight are kept. An update that changes
// nothing, or that would copy another record, is DomainRecordDuplicate.
func (f *Fake) updateDomainRecord(p url.Values) (map[string]any, *apiError) {
	for _, k := range []string{"RecordId", "RR", "Type", "Value"} {
		if p.Get(k) == "" {
			return nil, missing(k)
		}
	}
	upd, e := f.parseRecord(p)
	if e != nil {
		return nil, e
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	cur, ok := f.records[p.Get("RecordId")]
	if !ok {
		return nil, errRecordNotOwned
	}
	upd.ID, upd.Domain = cur.ID, cur.Domain
	if strings.EqualFold(upd.RR, cur.RR) && strings.EqualFold(upd.Type, cur.Type) && upd.Value == cur.Value && upd.TTL == cur.TTL && upd.Line == cur.Line {
		return nil, errRecordDuplicate
	}
	if e := f.clashLocked(upd); e != nil {
		return nil, e
	}
	cur.RR, cur.Type, cur.Value, cur.TTL, cur.Line = upd.RR, upd.Type, upd.Value, upd.TTL, upd.Line
	return map[string]any{"RecordId": cur.ID}, nil
}

// DeleteDomainRecord (api-alidns-2015-01-09-deletedomainrecord): RecordId.
// A record not (or no longer) in the account is DomainRecordNotBelongToUser.
func (f *Fake) deleteDomainRecord(p url.Values) (map[string]any, *apiError) {
	id := p.Get("RecordId")
	if id == "" {
		return nil, missing("RecordId")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.records[id]; !ok {
		return nil, errRecordNotOwned
	}
	delete(f.records, id)
	return map[string]any{"RecordId": id}, nil
}

var knownTypes = map[string]bool{"A": true, "AAAA": true, "CNAME": true, "MX": true, "TXT": true, "NS": true, "SRV": true, "CAA": true, "REDIRECT_URL": true, "FORWARD_URL": true}

// parseRecord reads RR, Type, Value, TTL and Line and validates them as the
// service does: the TTL range of the edition (QuotaExceeded.TTL), the
// address family of A and AAAA values.
func (f *Fake) parseRecord(p url.Values) (Record, *apiError) {
	r := Record{RR: strings.ToLower(p.Get("RR")), Type: strings.ToUpper(p.Get("Type")), Value: p.Get("Value"), TTL: 600, Line: "default"}
	if !knownTypes[r.Type] {
		return Record{}, invalid("Type")
	}
	if v := p.Get("TTL"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return Record{}, invalid("TTL")
		}
		if n < f.MinTTL || n > MaxTTL {
			return Record{}, &apiError{http.StatusBadRequest, codeTTLOutOfRange, fmt.Sprintf(errTTLOutOfRangeFmt, f.MinTTL, MaxTTL)}
		}
		r.TTL = n
	}
	if l := p.Get("Line"); l != "" {
		r.Line = l
	}
	if r.Type == "A" || r.Type == "AAAA" {
		a, err := netip.ParseAddr(r.Value)
		if err != nil || (r.Type == "A") != a.Is4() {
			return Record{}, invalid("Value")
		}
	}
	return r, nil
}

// clashLocked refuses a record identical to another one on the same line
// (DomainRecordDuplicate) or a CNAME sharing its name with an address
// record (DomainRecordConflict).
func (f *Fake) clashLocked(r Record) *apiError {
	for _, o := range f.records {
		if o.ID == r.ID || o.Domain != r.Domain || !strings.EqualFold(o.RR, r.RR) || o.Line != r.Line {
			continue
		}
		if strings.EqualFold(o.Type, r.Type) && o.Value == r.Value {
			return errRecordDuplicate
		}
		if (o.Type == "CNAME") != (r.Type == "CNAME") && (isAddr(o.Type) || isAddr(r.Type)) {
			return errRecordConflict
		}
	}
	return nil
}

func isAddr(t string) bool { return t == "A" || t == "AAAA" }

func (f *Fake) hasZoneLocked(name string) bool {
	for _, z := range f.zones {
		if z == name {
			return true
		}
	}
	return false
}

// recordJSON is a record as DescribeSubDomainRecords and
// DescribeDomainRecords list it.
func recordJSON(r Record) map[string]any {
	out := map[string]any{
		"DomainName": r.Domain,
		"RecordId":   r.ID,
		"RR":         r.RR,
		"Type":       r.Type,
		"Value":      r.Value,
		"TTL":        r.TTL,
		"Line":       r.Line,
		"Status":     r.Status,
		"Locked":     r.Locked,
		"Weight":     r.Weight,
	}
	if r.Remark != "" {
		out["Remark"] = r.Remark
	}
	return out
}

// total is the TotalCount to report for n items: n, or far more under
// FaultEndlessPages.
func (f *Fake) total(n int) int {
	if f.fault == providertest.FaultEndlessPages {
		return providertest.EndlessTotal
	}
	return n
}

package dnspodfake

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

type zone = providertest.Zone[Extra]

// actions serve https://dnsapi.cn/<Action> (domains.rst, records.rst),
// under the fake's lock.
var actions = map[string]func(*Fake, http.ResponseWriter, url.Values){
	"Domain.List":   (*Fake).domainList,
	"Record.List":   (*Fake).recordList,
	"Record.Create": (*Fake).recordCreate,
	"Record.Modify": (*Fake).recordModify,
	"Record.Remove": (*Fake).recordRemove,
	"Record.Remark": (*Fake).recordRemark,
}

// page returns the bounds of the page offset and length ask for (length at
// most MaxLength, and the fake's PageSize) over n entries; ok is false when
// one is not a number.
func (f *Fake) page(p url.Values, n int) (lo, hi int, ok bool) {
	offset, err1 := strconv.Atoi(cmp.Or(p.Get("offset"), "0"))
	length, err2 := strconv.Atoi(cmp.Or(p.Get("length"), strconv.Itoa(MaxLength)))
	if err1 != nil || err2 != nil || offset < 0 || length < 1 {
		return 0, 0, false
	}
	lo, hi = f.Window(n, offset, min(length, MaxLength))
	return lo, hi, true
}

// zone is the zone a request names by domain_id (which wins) or domain;
// without one it answers "6 域名ID错误" and returns nil.
func (f *Fake) zone(w http.ResponseWriter, p url.Values) *zone {
	z := f.Store.Zone(p.Get("domain"))
	if id := p.Get("domain_id"); id != "" {
		z = f.Store.ZoneByID(id)
	}
	if z == nil {
		writeStatus(w, codeDomainID, "Domain id invalid")
	}
	return z
}

// domainList serves Domain.List (domains.rst): type, offset, length;
// info.domain_total counts every domain, "domains" holds the page, by
// name. As in the documented sample, the ID is a JSON number while ttl and
// records are strings.
func (f *Fake) domainList(w http.ResponseWriter, p url.Values) {
	zones := slices.SortedStableFunc(slices.Values(f.Store.Zones()), func(a, b *zone) int { return strings.Compare(a.Name, b.Name) })
	lo, hi, ok := f.page(p, len(zones))
	switch t := p.Get("type"); {
	case !ok:
		writeStatus(w, codeDomainID, "Offset invalid")
	case t != "" && t != "all" && t != "mine":
		writeStatus(w, "3", "Unknown error")
	case lo == hi && p.Get("error_on_empty") != "no":
		writeStatus(w, codeNoDomains, "No domains")
	default:
		domains := []map[string]any{}
		for _, z := range zones[lo:hi] {
			domains = append(domains, map[string]any{
				"id": json.Number(z.ID), "status": "enable", "grade": "DP_Free", "group_id": "1", "is_mark": "no",
				"ttl": strconv.Itoa(DefaultTTL), "remark": "", "punycode": z.Name, "ext_status": "", "name": z.Name,
				"grade_title": "免费套餐", "is_vip": "no", "owner": "api@example.com", "records": strconv.Itoa(len(z.Records)),
			})
		}
		total := f.Total(len(zones))
		writeEnvelope(w, map[string]any{
			"info":    map[string]int{"domain_total": total, "all_total": total, "mine_total": total, "share_total": 0},
			"domains": domains,
		}, codeOK, "Action completed successful")
	}
}

// recordList serves Record.List (records.rst): domain_id or domain,
// sub_domain, record_type, record_line / record_line_id, offset, length.
// info.record_total counts the domain's records, info.records_num those
// matching the filters; every number is a string, as in the documented
// sample (line_id and weight come from the current API's answers).
func (f *Fake) recordList(w http.ResponseWriter, p url.Values) {
	z := f.zone(w, p)
	if z == nil {
		return
	}
	sub, typ := strings.ToLower(p.Get("sub_domain")), strings.ToUpper(p.Get("record_type"))
	lineName, lineID := p.Get("record_line"), p.Get("record_line_id")
	matched := slices.DeleteFunc(slices.Clone(z.Records), func(r *Record) bool {
		return sub != "" && rel(r) != sub || typ != "" && r.Type != typ || lineID != "" && r.X.LineID != lineID ||
			lineID == "" && lineName != "" && r.X.Line != lineName
	})
	lo, hi, ok := f.page(p, len(matched))
	switch {
	case !ok:
		writeStatus(w, codeSeven, "Offset invalid")
	case lo == hi && p.Get("error_on_empty") != "no":
		writeStatus(w, codeNoRecords, "No records")
	default:
		records := []map[string]any{}
		for _, r := range matched[lo:hi] {
			records = append(records, recordJSON(r))
		}
		n := strconv.Itoa(len(z.Records))
		writeEnvelope(w, map[string]any{
			"domain":  map[string]any{"id": json.Number(z.ID), "name": z.Name, "punycode": z.Name, "grade": "DP_Free", "owner": "api@example.com"},
			"info":    map[string]string{"sub_domains": n, "record_total": n, "records_num": strconv.Itoa(f.Total(len(matched)))},
			"records": records,
		}, codeOK, "Action completed successful")
	}
}

// rel is the record's name relative to its zone, "@" for the apex.
func rel(r *Record) string { return providers.RelativeName(r.Name, r.Zone) }

// recordJSON renders a stored record as Record.List does.
func recordJSON(r *Record) map[string]any {
	var weight any // null, or the weight as a string
	if r.X.Weight != nil {
		weight = strconv.Itoa(*r.X.Weight)
	}
	enabled, st, _ := state(r)
	return map[string]any{
		"id": r.ID, "name": rel(r), "line": r.X.Line, "line_id": r.X.LineID, "type": r.Type, "ttl": strconv.Itoa(r.TTL),
		"value": r.Value, "weight": weight, "mx": strconv.Itoa(r.X.MX), "enabled": enabled, "status": st,
		"monitor_status": "", "remark": r.Marker, "updated_on": now(), "use_aqb": "no",
	}
}

// readFields reads and validates, as records.rst documents them, the
// record parameters Record.Create and Record.Modify share (sub_domain
// "如果不传，默认为 @", status "默认为"enable""); on a refusal it answers
// (ttlCode and ttlMessage for a TTL below the minimum) and returns false.
func readFields(w http.ResponseWriter, p url.Values, ttlCode, ttlMessage string) (Record, bool) {
	r := Record{Name: strings.ToLower(cmp.Or(p.Get("sub_domain"), "@")), Type: p.Get("record_type"), Value: p.Get("value")}
	line, lineID, lineOK := lineOf(p.Get("record_line"), p.Get("record_line_id"))
	ttl, ttlErr := strconv.Atoi(cmp.Or(p.Get("ttl"), strconv.Itoa(DefaultTTL)))
	mx, _ := strconv.Atoi(p.Get("mx"))
	weight, weightErr := strconv.Atoi(cmp.Or(p.Get("weight"), "0"))
	fail := func(code, message string) (Record, bool) {
		writeStatus(w, code, message)
		return r, false
	}
	switch st := p.Get("status"); {
	case !validSubDomain(r.Name):
		return fail(codeBadSubDomain, "Subdomain invalid")
	case !slices.Contains([]string{"A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV", "CAA"}, r.Type):
		return fail(codeBadType, "Record type invalid")
	case !lineOK:
		return fail(codeBadLine, "Record line invalid")
	case !validValue(r.Type, r.Value):
		return fail(codeBadValue, "Record value invalid")
	case ttlErr != nil || ttl < 1 || ttl > MaxTTL:
		return fail(codeTTLLimited, fmt.Sprintf("Record ttl is limited(%d)", MinTTL))
	case ttl < MinTTL:
		return fail(ttlCode, ttlMessage)
	case r.Type == "MX" && (mx < 1 || mx > 20):
		return fail("30", "MX value invalid")
	case weightErr != nil || weight < 0 || weight > 100:
		return fail("6", "Weight invalid")
	case st != "" && st != "enable" && st != "disable":
		return fail("6", "Status invalid")
	}
	r.TTL, r.X = ttl, Extra{Line: line, LineID: lineID, MX: mx, Disabled: p.Get("status") == "disable"}
	if p.Get("weight") != "" {
		r.X.Weight = &weight
	}
	return r, true
}

// lineOf resolves record_line / record_line_id to a known line; the ID wins
// when both are set, as documented for Record.Create.
func lineOf(name, id string) (string, string, bool) {
	for n, i := range lines {
		if id != "" && i == id || id == "" && n == name {
			return n, i, true
		}
	}
	return "", "", false
}

// validSubDomain reports whether sub is a usable host record: "@", or
// labels of letters, digits, '-' and '_', the first possibly "*".
func validSubDomain(sub string) bool {
	if sub == "@" {
		return true
	}
	for i, label := range strings.Split(sub, ".") {
		allowed := "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
		if (label == "" || len(label) > 63 || strings.Trim(label, allowed) != "") && !(label == "*" && i == 0) {
			return false
		}
	}
	return true
}

// validValue checks a value, and an address record's against its family.
func validValue(typ, value string) bool {
	a, err := netip.ParseAddr(value)
	return value != "" && (typ != "A" && typ != "AAAA" || err == nil && a.Zone() == "" && (typ == "A") == a.Is4())
}

// record finds the record of z that record_id names, answering "8 记录ID错误"
// when there is none; z nil is "6 域名ID错误".
func (f *Fake) record(w http.ResponseWriter, p url.Values) (*zone, *Record) {
	z := f.zone(w, p)
	if z == nil {
		return nil, nil
	}
	if r := z.Record(p.Get("record_id")); r != nil {
		return z, r
	}
	writeStatus(w, codeEight, "Record id invalid")
	return nil, nil
}

// state is the record's state as Record.List ("enabled": "1", "status":
// "enabled") and Record.Create and Record.Modify ("enable") name it.
func state(r *Record) (enabled, listed, written string) {
	if r.X.Disabled {
		return "0", "disabled", "disable"
	}
	return "1", "enabled", "enable"
}

// recordCreate serves Record.Create (records.rst). The answer's record ID
// is a string.
func (f *Fake) recordCreate(w http.ResponseWriter, p url.Values) {
	z := f.zone(w, p)
	if z == nil {
		return
	}
	r, ok := readFields(w, p, codeTTLLimited, fmt.Sprintf("Record ttl is limited(%d)", MinTTL))
	if !ok {
		return
	}
	r.Name = providers.AbsoluteName(r.Name, z.Name)
	stored := f.Store.Add(z, r)
	_, _, st := state(stored)
	writeEnvelope(w, map[string]any{"record": map[string]string{"id": stored.ID, "name": rel(stored), "status": st}},
		codeOK, "Action completed successful")
}

// recordModify serves Record.Modify (records.rst). It is a full replace:
// a parameter left out takes its default (ttl the domain's, status
// "enable", no weight, mx 0), so a client must send back what it keeps. The
// remark is not a parameter and survives. The answer's ID is a number.
func (f *Fake) recordModify(w http.ResponseWriter, p url.Values) {
	z, old := f.record(w, p)
	if old == nil {
		return
	}
	if p.Get("record_line") == "" && p.Get("record_line_id") == "" {
		writeStatus(w, codeBadLine, "Record line invalid") // record_line is 必选
		return
	}
	r, ok := readFields(w, p, codeTTLTooSmall, "TTL is too small")
	if !ok {
		return
	}
	r.ID, r.Zone, r.Name, r.Marker = old.ID, old.Zone, providers.AbsoluteName(r.Name, z.Name), old.Marker
	*old = r
	_, _, st := state(old)
	writeEnvelope(w, map[string]any{"record": map[string]any{"id": json.Number(r.ID), "name": rel(old), "value": r.Value, "status": st}},
		codeOK, "Action completed successful")
}

// recordRemove serves Record.Remove (records.rst).
func (f *Fake) recordRemove(w http.ResponseWriter, p url.Values) {
	if z, r := f.record(w, p); r != nil {
		z.Remove(r.ID)
		writeStatus(w, codeOK, "Action completed successful")
	}
}

// recordRemark serves Record.Remark (records.rst, 设置记录备注): domain_id
// or domain, record_id and remark, all required; an empty remark deletes
// it ("删除备注请提交空内容"). The answer is the status alone; the
// documented failures are "6 域名ID错误" and "8 记录 ID 错误". Record.List
// then lists the text as "remark".
func (f *Fake) recordRemark(w http.ResponseWriter, p url.Values) {
	_, r := f.record(w, p)
	switch _, sent := p["remark"]; {
	case r == nil:
	case !sent:
		f.errorf("Record.Remark sent without remark, a required parameter (an empty one deletes the remark)")
		writeStatus(w, codeDomainID, "Remark is required")
	default:
		r.Marker = p.Get("remark")
		writeStatus(w, codeOK, "Action completed successful")
	}
}

package dnspodfake

import (
	"fmt"
	"mime"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// handler serves https://dnsapi.cn/<Action>.
func (f *Fake) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		action := strings.TrimPrefix(r.URL.Path, "/")
		f.mu.Lock()
		f.requests++
		f.calls[action]++
		f.userAgent = r.UserAgent()
		write := writeActions[action]
		if write {
			f.writes++
		}
		fault := f.fault
		f.mu.Unlock()
		if providertest.ServeWireFault(w, r, fault) {
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if serveFault(w, fault, action) {
			return
		}

		// info.rst, API开发规范 4: "只支持POST方法请求数据，用其它方法会提示错误".
		if r.Method != http.MethodPost {
			writeStatus(w, codePostOnly, "Only POST method is allowed")
			return
		}
		if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/x-www-form-urlencoded" {
			f.errorf("%s sent with Content-Type %q", action, ct)
		}
		// API开发规范 5: a UserAgent "程序英文名称/版本(联系邮箱)" is required.
		if ua := r.UserAgent(); !strings.Contains(ua, "/") || strings.HasPrefix(ua, "Go-http-client") {
			f.errorf("%s sent without a descriptive User-Agent: %q", action, ua)
		}
		if err := r.ParseForm(); err != nil {
			writeStatus(w, "3", "Unknown error")
			return
		}
		p := r.PostForm
		if len(r.URL.Query()) > 0 {
			f.errorf("%s sent parameters in the URL; they belong in the POST body", action)
		}
		if p.Get("format") != "json" {
			f.errorf("%s asked for format %q, want json", action, p.Get("format"))
		}
		f.Note(p.Get("login_token"))
		if p.Get("login_token") != LoginToken {
			writeStatus(w, codeLoginFailed, "Login fail, please check login info")
			return
		}

		if fault == providertest.FaultLostResponse && write {
			providertest.LoseResponse(w, func(rec http.ResponseWriter) { f.route(rec, r, action, p) })
			return
		}
		f.route(w, r, action, p)
	})
}

// route runs an authenticated action.
func (f *Fake) route(w http.ResponseWriter, r *http.Request, action string, p url.Values) {
	switch action {
	case "Domain.List":
		f.domainList(w, p)
	case "Record.List":
		f.recordList(w, p)
	case "Record.Create":
		f.recordCreate(w, p)
	case "Record.Modify":
		f.recordModify(w, p)
	case "Record.Remove":
		f.recordRemove(w, p)
	case "Record.Remark":
		f.recordRemark(w, p)
	default:
		http.NotFound(w, r)
	}
}

// page reads offset and length; ok is false when one is not a number.
func page(p url.Values) (offset, length int, ok bool) {
	offset, length = 0, MaxLength
	var err error
	if s := p.Get("offset"); s != "" {
		if offset, err = strconv.Atoi(s); err != nil || offset < 0 {
			return 0, 0, false
		}
	}
	if s := p.Get("length"); s != "" {
		if length, err = strconv.Atoi(s); err != nil || length < 1 {
			return 0, 0, false
		}
	}
	return offset, min(length, MaxLength), true
}

// window returns the [lo, hi) slice bounds of a page over n entries; the
// fake answers at most its page size whatever length asks.
func (f *Fake) window(n, offset, length int) (int, int) {
	if f.fault == providertest.FaultEndlessPages {
		offset = 0 // the first page, whatever was asked
	}
	lo := min(offset, n)
	return lo, min(lo+min(length, f.pageSize), n)
}

// domainList serves Domain.List (domains.rst): type, offset, length;
// info.domain_total counts every domain, "domains" holds the page.
func (f *Fake) domainList(w http.ResponseWriter, p url.Values) {
	offset, length, ok := page(p)
	if !ok {
		writeStatus(w, codeDomainID, "Offset invalid")
		return
	}
	if t := p.Get("type"); t != "" && t != "all" && t != "mine" {
		writeStatus(w, "3", "Unknown error")
		return
	}
	zones := f.sortedZones()
	lo, hi := f.window(len(zones), offset, length)
	if lo == hi && p.Get("error_on_empty") != "no" {
		writeStatus(w, codeNoDomains, "No domains")
		return
	}
	domains := make([]domainJSON, 0, hi-lo)
	for _, z := range zones[lo:hi] {
		domains = append(domains, domainJSON{
			ID: z.id, Status: "enable", Grade: "DP_Free", GroupID: "1", IsMark: "no", TTL: strconv.Itoa(DefaultTTL),
			Punycode: z.name, Name: z.name, GradeTitle: "免费套餐", IsVIP: "no", Owner: "api@example.com",
			Records: strconv.Itoa(len(z.records)),
		})
	}
	total := f.reported(len(zones))
	writeEnvelope(w, envelope{
		"info":    map[string]int{"domain_total": total, "all_total": total, "mine_total": total, "share_total": 0},
		"domains": domains,
	}, codeOK, "Action completed successful")
}

// recordList serves Record.List (records.rst): domain_id or domain,
// sub_domain, record_type, record_line / record_line_id, offset, length.
// info.record_total counts the domain's records, info.records_num those
// matching the filters; every number is a string.
func (f *Fake) recordList(w http.ResponseWriter, p url.Values) {
	z := f.zoneByParams(p.Get("domain_id"), p.Get("domain"))
	if z == nil {
		writeStatus(w, codeDomainID, "Domain id invalid")
		return
	}
	offset, length, ok := page(p)
	if !ok {
		writeStatus(w, codeSeven, "Offset invalid")
		return
	}
	sub, typ := strings.ToLower(p.Get("sub_domain")), strings.ToUpper(p.Get("record_type"))
	lineName, lineID := p.Get("record_line"), p.Get("record_line_id")
	var matched []*Record
	for _, r := range z.records {
		switch {
		case sub != "" && r.Name != sub,
			typ != "" && r.Type != typ,
			lineID != "" && r.LineID != lineID,
			lineID == "" && lineName != "" && r.Line != lineName:
			continue
		}
		matched = append(matched, r)
	}
	lo, hi := f.window(len(matched), offset, length)
	if lo == hi && p.Get("error_on_empty") != "no" {
		writeStatus(w, codeNoRecords, "No records")
		return
	}
	records := make([]recordJSON, 0, hi-lo)
	for _, r := range matched[lo:hi] {
		records = append(records, toJSON(r))
	}
	writeEnvelope(w, envelope{
		"domain": map[string]any{"id": z.id, "name": z.name, "punycode": z.name, "grade": "DP_Free", "owner": "api@example.com"},
		"info": map[string]string{
			"sub_domains": strconv.Itoa(len(z.records)), "record_total": strconv.Itoa(len(z.records)),
			"records_num": strconv.Itoa(f.reported(len(matched))),
		},
		"records": records,
	}, codeOK, "Action completed successful")
}

// toJSON renders a stored record as Record.List does.
func toJSON(r *Record) recordJSON {
	enabled, st := "1", "enabled"
	if !r.Enabled {
		enabled, st = "0", "disabled"
	}
	var weight *string
	if r.Weight != nil {
		s := strconv.Itoa(*r.Weight)
		weight = &s
	}
	return recordJSON{
		ID: r.ID, Name: r.Name, Line: r.Line, LineID: r.LineID, Type: r.Type, TTL: strconv.Itoa(r.TTL),
		Value: r.Value, Weight: weight, MX: strconv.Itoa(r.MX), Enabled: enabled, Status: st,
		Remark: r.Remark, UpdatedOn: now(), UseAQB: "no",
	}
}

// fields are the record parameters Record.Create and Record.Modify share.
type fields struct {
	sub, typ, value, line, lineID, status string
	ttl, mx                               int
	weight                                *int
}

// readFields validates the shared parameters as records.rst documents them.
// code is empty when they are valid; ttlCode is the code the action uses
// for a TTL below the minimum.
func readFields(p url.Values, ttlCode, ttlMessage string) (fields, string, string) {
	fl := fields{sub: strings.ToLower(p.Get("sub_domain")), typ: p.Get("record_type"), value: p.Get("value"), status: p.Get("status")}
	if fl.sub == "" {
		fl.sub = "@" // "sub_domain 主机记录...如果不传，默认为 @"
	}
	if !validSubDomain(fl.sub) {
		return fl, codeBadSubDomain, "Subdomain invalid"
	}
	switch fl.typ {
	case "A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV", "CAA":
	default:
		return fl, codeBadType, "Record type invalid"
	}
	var ok bool
	if fl.line, fl.lineID, ok = lineOf(p.Get("record_line"), p.Get("record_line_id")); !ok {
		return fl, codeBadLine, "Record line invalid"
	}
	if !validValue(fl.typ, fl.value) {
		return fl, codeBadValue, "Record value invalid"
	}
	fl.ttl = DefaultTTL
	if s := p.Get("ttl"); s != "" {
		ttl, err := strconv.Atoi(s)
		if err != nil || ttl < 1 || ttl > MaxTTL {
			return fl, codeTTLLimited, fmt.Sprintf("Record ttl is limited(%d)", MinTTL)
		}
		if ttl < MinTTL {
			return fl, ttlCode, ttlMessage
		}
		fl.ttl = ttl
	}
	if s := p.Get("mx"); s != "" {
		fl.mx, _ = strconv.Atoi(s)
	}
	if fl.typ == "MX" && (fl.mx < 1 || fl.mx > 20) {
		return fl, "30", "MX value invalid"
	}
	if s := p.Get("weight"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 100 {
			return fl, "6", "Weight invalid"
		}
		fl.weight = &n
	}
	if fl.status != "" && fl.status != "enable" && fl.status != "disable" {
		return fl, "6", "Status invalid"
	}
	return fl, "", ""
}

// validValue checks an address record's value against its family.
func validValue(typ, value string) bool {
	if value == "" {
		return false
	}
	switch typ {
	case "A", "AAAA":
		a, err := netip.ParseAddr(value)
		return err == nil && a.Zone() == "" && (typ == "A") == a.Is4()
	}
	return true
}

// apply stores validated fields in r.
func (fl fields) apply(r *Record) {
	r.Name, r.Type, r.Value, r.TTL = fl.sub, fl.typ, fl.value, fl.ttl
	r.Line, r.LineID, r.MX, r.Weight = fl.line, fl.lineID, fl.mx, fl.weight
	r.Enabled = fl.status != "disable" // "默认为"enable""
}

// recordCreate serves Record.Create (records.rst). The answer's record ID
// is a string.
func (f *Fake) recordCreate(w http.ResponseWriter, p url.Values) {
	z := f.zoneByParams(p.Get("domain_id"), p.Get("domain"))
	if z == nil {
		writeStatus(w, codeDomainID, "Domain id invalid")
		return
	}
	fl, code, msg := readFields(p, codeTTLLimited, fmt.Sprintf("Record ttl is limited(%d)", MinTTL))
	if code != "" {
		writeStatus(w, code, msg)
		return
	}
	r := &Record{ID: f.newRecordID()}
	fl.apply(r)
	z.records = append(z.records, r)
	st := "enable"
	if !r.Enabled {
		st = "disable"
	}
	writeEnvelope(w, envelope{"record": map[string]string{"id": r.ID, "name": r.Name, "status": st}},
		codeOK, "Action completed successful")
}

// recordModify serves Record.Modify (records.rst). It is a full replace:
// a parameter left out takes its default (ttl the domain's, status
// "enable", no weight, mx 0), so a client must send back what it keeps. The
// remark is not a parameter and survives. The answer's ID is a number.
func (f *Fake) recordModify(w http.ResponseWriter, p url.Values) {
	z := f.zoneByParams(p.Get("domain_id"), p.Get("domain"))
	if z == nil {
		writeStatus(w, codeDomainID, "Domain id invalid")
		return
	}
	_, r := z.record(p.Get("record_id"))
	if r == nil {
		writeStatus(w, codeEight, "Record id invalid")
		return
	}
	if p.Get("record_line") == "" && p.Get("record_line_id") == "" {
		writeStatus(w, codeBadLine, "Record line invalid") // record_line is 必选
		return
	}
	fl, code, msg := readFields(p, codeTTLTooSmall, "TTL is too small")
	if code != "" {
		writeStatus(w, code, msg)
		return
	}
	fl.apply(r)
	id, _ := strconv.Atoi(r.ID)
	st := "enable"
	if !r.Enabled {
		st = "disable"
	}
	writeEnvelope(w, envelope{"record": map[string]any{"id": id, "name": r.Name, "value": r.Value, "status": st}},
		codeOK, "Action completed successful")
}

// recordRemove serves Record.Remove (records.rst).
func (f *Fake) recordRemove(w http.ResponseWriter, p url.Values) {
	z := f.zoneByParams(p.Get("domain_id"), p.Get("domain"))
	if z == nil {
		writeStatus(w, codeDomainID, "Domain id invalid")
		return
	}
	i, r := z.record(p.Get("record_id"))
	if r == nil {
		writeStatus(w, codeEight, "Record id invalid")
		return
	}
	z.records = append(z.records[:i], z.records[i+1:]...)
	writeStatus(w, codeOK, "Action completed successful")
}

// recordRemark serves Record.Remark (records.rst, 设置记录备注): domain_id
// or domain, record_id and remark, all required; an empty remark deletes
// it ("删除备注请提交空内容"). The answer is the status alone; the
// documented failures are "6 域名ID错误" and "8 记录 ID 错误". Record.List
// then lists the text as "remark".
func (f *Fake) recordRemark(w http.ResponseWriter, p url.Values) {
	z := f.zoneByParams(p.Get("domain_id"), p.Get("domain"))
	if z == nil {
		writeStatus(w, codeDomainID, "Domain id invalid")
		return
	}
	_, r := z.record(p.Get("record_id"))
	if r == nil {
		writeStatus(w, codeEight, "Record id invalid")
		return
	}
	if _, ok := p["remark"]; !ok {
		f.errorf("Record.Remark sent without remark, a required parameter (an empty one deletes the remark)")
		writeStatus(w, codeDomainID, "Remark is required")
		return
	}
	r.Remark = p.Get("remark")
	writeStatus(w, codeOK, "Action completed successful")
}

// serveFault answers as a provider-level fault says and reports whether it
// answered. The API reports its own failures in the envelope with HTTP
// 200; its front end answers 5xx with an HTML page.
func serveFault(w http.ResponseWriter, fault providertest.Fault, action string) bool {
	switch fault {
	case providertest.FaultRateLimited, providertest.FaultRateLimitedNoRetryAfter:
		writeStatus(w, codeAPILimited, "API usage is limited")
	case providertest.FaultServerError, providertest.FaultHTTP502:
		writeServerError(w)
	case providertest.FaultHTTP500:
		writeGatewayPage(w, http.StatusInternalServerError)
	case providertest.FaultHTTP503:
		writeGatewayPage(w, http.StatusServiceUnavailable)
	case providertest.FaultAuthRejected:
		writeStatus(w, codeLoginFailed, "Login fail, please check login info")
	case providertest.FaultZoneNotFound:
		if action == "Domain.List" {
			writeStatus(w, codeNoDomains, "No domains")
		} else {
			writeStatus(w, codeDomainID, "Domain id invalid")
		}
	default:
		return false
	}
	return true
}

// reported is the total to report for n items: n, or far more under
// FaultEndlessPages.
func (f *Fake) reported(n int) int {
	if f.fault == providertest.FaultEndlessPages {
		return providertest.EndlessTotal
	}
	return n
}

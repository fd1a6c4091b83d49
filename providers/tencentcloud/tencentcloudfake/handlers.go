package tencentcloudfake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/netip"
	"sort"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// handler serves every action on "/": POST, Content-Type application/json,
// X-TC-Action / X-TC-Version / X-TC-Timestamp headers and the Authorization
// header of signature v3 (DNSPod's "调用方式" section,
// https://cloud.tencent.com/document/api/1427/56186; the "Common Params" page,
// e.g. https://tencentcloud.com/document/product/1097/42103; the signature page
// cited in auth.go).
func (f *Fake) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.received++
		f.noteCredentials(r)
		fault := f.fault
		f.mu.Unlock()
		if providertest.ServeWireFault(w, r, fault) {
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			writeError(w, errUnsupportedHTTP)
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if e := f.verify(r, body); e != nil {
			writeError(w, *e)
			return
		}
		action := r.Header.Get("X-TC-Action")
		f.counts[action]++
		if f.serveFault(w, fault, action) {
			return
		}
		if r.Header.Get("X-TC-Version") != Version {
			writeError(w, errNoSuchVersion)
			return
		}
		var (
			result map[string]any
			e      *apiError
		)
		switch action {
		case "DescribeDomainList":
			var req describeDomainListReq
			if e = decode(body, &req); e == nil {
				result, e = f.describeDomainList(req)
			}
		case "DescribeRecordList":
			var req describeRecordListReq
			if e = decode(body, &req); e == nil {
				result, e = f.describeRecordList(req)
			}
		case "CreateRecord":
			var req recordWriteReq
			if e = decode(body, &req); e == nil {
				result, e = f.createRecord(req)
			}
		case "ModifyRecord":
			var req recordWriteReq
			if e = decode(body, &req); e == nil {
				result, e = f.modifyRecord(req)
			}
		case "DeleteRecord":
			var req recordWriteReq
			if e = decode(body, &req); e == nil {
				result, e = f.deleteRecord(req)
			}
		default:
			e = &errInvalidAction
		}
		switch {
		case fault == providertest.FaultLostResponse && writeActions[action]:
			// The write above took effect; its answer is lost.
			providertest.Reset(w)
		case e != nil:
			writeError(w, *e)
		default:
			writeResult(w, result)
		}
	})
}

func decode(body []byte, v any) *apiError {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return &errBadJSON
	}
	return nil
}

// page applies Offset/Limit, capping Limit at the fake's page size; a Limit
// above the documented maximum (3000) is InvalidParameterValue.LimitInvalid.
func (f *Fake) page(n int, offset, limit uint64) (int, int, *apiError) {
	if limit > 3000 {
		return 0, 0, &errLimitInvalid
	}
	if limit > uint64(f.pageSize) {
		limit = uint64(f.pageSize)
	}
	if f.fault == providertest.FaultEndlessPages {
		offset = 0 // the first page, whatever was asked
	}
	start := min(offset, uint64(n))
	end := min(start+limit, uint64(n))
	return int(start), int(end), nil
}

// describeDomainList follows https://tencentcloud.com/document/product/1157/53854:
// Offset (default 0), Limit (default 3000); DomainCountInfo counts; an
// account without domains is ResourceNotFound.NoDataOfDomain.
func (f *Fake) describeDomainList(req describeDomainListReq) (map[string]any, *apiError) {
	if len(f.domains) == 0 || f.fault == providertest.FaultZoneNotFound {
		return nil, &errNoDataOfDomain
	}
	offset, limit := uint64(0), uint64(3000)
	if req.Offset != nil && *req.Offset > 0 {
		offset = uint64(*req.Offset)
	}
	if req.Limit != nil {
		if *req.Limit < 1 {
			return nil, &errLimitInvalid
		}
		limit = uint64(*req.Limit)
	}
	start, end, e := f.page(len(f.domains), offset, limit)
	if e != nil {
		return nil, e
	}
	list := []map[string]any{}
	for _, d := range f.domains[start:end] {
		list = append(list, map[string]any{
			"DomainId": d.id, "Name": d.name, "Punycode": d.name, "Status": "ENABLE",
			"TTL": DefaultTTL, "CNAMESpeedup": "DISABLE", "DNSStatus": "", "Grade": "DP_FREE",
			"GradeTitle": "免费版", "GradeLevel": 2, "GroupId": 1, "SearchEnginePush": "NO", "Remark": "",
			"EffectiveDNS": []string{"ns1.dnspod.net", "ns2.dnspod.net"}, "IsVip": "NO",
			"VipStartAt": "0000-00-00 00:00:00", "VipEndAt": "0000-00-00 00:00:00", "VipAutoRenew": "DEFAULT",
			"RecordCount": len(d.records), "CreatedOn": d.created.Format("2006-01-02 15:04:05"),
			"UpdatedOn": d.created.Format("2006-01-02 15:04:05"), "Owner": "fake@example.com",
			"TagList": []any{},
		})
	}
	n := f.reported(len(f.domains))
	return map[string]any{
		"DomainCountInfo": map[string]any{
			"DomainTotal": n, "AllTotal": n, "MineTotal": n, "ShareTotal": 0, "VipTotal": 0,
			"PauseTotal": 0, "ErrorTotal": 0, "LockTotal": 0, "SpamTotal": 0, "VipExpire": 0,
			"ShareOutTotal": 0, "GroupTotal": 0,
		},
		"DomainList": list,
	}, nil
}

// describeRecordList follows https://cloud.tencent.com/document/api/1427/56166:
// Subdomain, RecordType, RecordLine or RecordLineId (which wins) filter
// exactly, and each left out lists every value (no Subdomain: the whole
// zone); Offset (default 0), Limit (default 100, at most 3000); an empty
// result is the error ResourceNotFound.NoDataOfRecord, not an empty list.
func (f *Fake) describeRecordList(req describeRecordListReq) (map[string]any, *apiError) {
	if req.Domain == nil {
		return nil, ptr(missingParameter("Domain"))
	}
	d := f.domain(*req.Domain)
	if d == nil {
		return nil, &errDomainNotExists
	}
	var match []*Record
	for _, r := range d.records {
		switch {
		case req.Subdomain != nil && !strings.EqualFold(r.SubDomain, *req.Subdomain):
		case req.RecordType != nil && !strings.EqualFold(r.Type, *req.RecordType):
		case req.RecordLineId != nil && r.LineID != *req.RecordLineId:
		case req.RecordLineId == nil && req.RecordLine != nil && r.Line != *req.RecordLine:
		case req.Keyword != nil && !strings.Contains(r.SubDomain, *req.Keyword) && !strings.Contains(r.Value, *req.Keyword):
		default:
			match = append(match, r)
		}
	}
	if len(match) == 0 {
		return nil, &errNoDataOfRecord
	}
	sort.Slice(match, func(i, j int) bool { return match[i].ID < match[j].ID })
	offset, limit := uint64(0), uint64(100)
	if req.Offset != nil {
		offset = *req.Offset
	}
	if req.Limit != nil {
		limit = *req.Limit
	}
	start, end, e := f.page(len(match), offset, limit)
	if e != nil {
		return nil, e
	}
	list := []map[string]any{}
	subs := map[string]bool{}
	for _, r := range match {
		subs[r.SubDomain] = true
	}
	for _, r := range match[start:end] {
		item := map[string]any{
			"RecordId": r.ID, "Value": r.Value, "Status": r.Status, "UpdatedOn": r.UpdatedOn.Format("2006-01-02 15:04:05"),
			"Name": r.SubDomain, "Line": r.Line, "LineId": r.LineID, "Type": r.Type, "Weight": nil,
			"MonitorStatus": "", "Remark": r.Remark, "TTL": r.TTL, "MX": r.MX, "DefaultNS": r.DefaultNS,
		}
		if r.Weight != nil {
			item["Weight"] = *r.Weight
		}
		list = append(list, item)
	}
	return map[string]any{
		"RecordCountInfo": map[string]any{"SubdomainCount": len(subs), "ListCount": len(list), "TotalCount": f.reported(len(match))},
		"RecordList":      list,
	}, nil
}

// validate checks what CreateRecord and ModifyRecord share: required
// parameters, type, value, line and TTL (minimum f.minTTL, the free plan's
// 600 by default; "TTL，范围1-604800，不同等级域名最小值不同").
func (f *Fake) validate(req recordWriteReq) (*domain, string, string, *apiError) {
	for name, v := range map[string]*string{"Domain": req.Domain, "RecordType": req.RecordType, "RecordLine": req.RecordLine, "Value": req.Value} {
		if v == nil {
			return nil, "", "", ptr(missingParameter(name))
		}
	}
	d := f.domain(*req.Domain)
	if d == nil {
		return nil, "", "", &errDomainNotExists
	}
	switch *req.RecordType {
	case "A", "AAAA":
		a, err := netip.ParseAddr(*req.Value)
		if err != nil || a.Is4() != (*req.RecordType == "A") {
			return nil, "", "", &errRecordValue
		}
	case "CNAME", "MX", "TXT", "NS", "SRV", "CAA":
	default:
		return nil, "", "", &errRecordType
	}
	line, lineID := *req.RecordLine, ""
	if req.RecordLineId != nil && *req.RecordLineId != "" {
		lineID, line = *req.RecordLineId, ""
		for n, id := range lines {
			if id == lineID {
				line = n
			}
		}
	} else {
		lineID = lines[line]
	}
	if line == "" || lineID == "" {
		return nil, "", "", &errRecordLine
	}
	if req.TTL != nil && (*req.TTL < f.minTTL || *req.TTL > 604800) {
		return nil, "", "", &errRecordTTLLimit
	}
	return d, line, lineID, nil
}

// exists reports whether d holds another record identical in name, type,
// line and value (InvalidParameter.DomainRecordExist).
func (d *domain) exists(skip uint64, sub, typ, lineID, value string) bool {
	for _, r := range d.records {
		if r.ID != skip && strings.EqualFold(r.SubDomain, sub) && r.Type == typ && r.LineID == lineID && r.Value == value {
			return true
		}
	}
	return false
}

// createRecord follows https://tencentcloud.com/document/api/1157/49041:
// SubDomain defaults to "@", TTL to 600, Status to ENABLE; Remark ("备注",
// CreateRecordRequestParams in the SDK's v20210323/models.go) is stored as
// sent and listed by DescribeRecordList.
func (f *Fake) createRecord(req recordWriteReq) (map[string]any, *apiError) {
	d, line, lineID, e := f.validate(req)
	if e != nil {
		return nil, e
	}
	rec := f.fill(&Record{}, req, line, lineID)
	if d.exists(0, rec.SubDomain, rec.Type, rec.LineID, rec.Value) {
		return nil, &errRecordExist
	}
	f.nextID++
	rec.ID = f.nextID
	d.records = append(d.records, rec)
	return map[string]any{"RecordId": rec.ID}, nil
}

// modifyRecord follows https://cloud.tencent.com/document/api/1427/56157.
// It replaces the record as a whole: a parameter left out takes its
// documented default, not the record's old value — SubDomain "@" ("如果不传，
// 默认为 @"), Status ENABLE ("默认为 ENABLE"), no weight ("不传该参数，表示
// 不设置权重信息"), MX 0 and TTL 600. Only Remark is kept when left out
// ("传空删除备注": an explicit empty string removes it).
func (f *Fake) modifyRecord(req recordWriteReq) (map[string]any, *apiError) {
	if req.RecordId == nil {
		return nil, ptr(missingParameter("RecordId"))
	}
	d, line, lineID, e := f.validate(req)
	if e != nil {
		return nil, e
	}
	_, old := d.record(*req.RecordId)
	if old == nil {
		return nil, &errRecordIDInvalid
	}
	rec := f.fill(&Record{ID: old.ID, Remark: old.Remark}, req, line, lineID)
	if d.exists(old.ID, rec.SubDomain, rec.Type, rec.LineID, rec.Value) {
		return nil, &errRecordExist
	}
	*old = *rec
	return map[string]any{"RecordId": old.ID}, nil
}

// fill sets rec from a create or modify request, applying the defaults.
func (f *Fake) fill(rec *Record, req recordWriteReq, line, lineID string) *Record {
	rec.SubDomain, rec.Type, rec.Value = "@", *req.RecordType, *req.Value
	if req.SubDomain != nil && *req.SubDomain != "" {
		rec.SubDomain = strings.ToLower(*req.SubDomain)
	}
	rec.Line, rec.LineID = line, lineID
	rec.TTL, rec.MX, rec.Weight, rec.Status = DefaultTTL, 0, nil, "ENABLE"
	if req.TTL != nil {
		rec.TTL = *req.TTL
	}
	if req.MX != nil {
		rec.MX = *req.MX
	}
	if req.Weight != nil {
		w := *req.Weight
		rec.Weight = &w
	}
	if req.Status != nil && *req.Status != "" {
		rec.Status = *req.Status
	}
	if req.Remark != nil {
		rec.Remark = *req.Remark
	}
	rec.UpdatedOn = f.now()
	return rec
}

// deleteRecord follows https://tencentcloud.com/document/product/1157/49039;
// an unknown RecordId is InvalidParameter.RecordIdInvalid.
func (f *Fake) deleteRecord(req recordWriteReq) (map[string]any, *apiError) {
	if req.Domain == nil {
		return nil, ptr(missingParameter("Domain"))
	}
	if req.RecordId == nil {
		return nil, ptr(missingParameter("RecordId"))
	}
	d := f.domain(*req.Domain)
	if d == nil {
		return nil, &errDomainNotExists
	}
	i, r := d.record(*req.RecordId)
	if r == nil {
		return nil, &errRecordIDInvalid
	}
	d.records = append(d.records[:i], d.records[i+1:]...)
	return map[string]any{}, nil
}

func ptr(e apiError) *apiError { return &e }

// writeActions are the actions that change records.
var writeActions = map[string]bool{"CreateRecord": true, "ModifyRecord": true, "DeleteRecord": true}

// serveFault answers as a provider-level fault says and reports whether it
// answered. The API answers errors with HTTP 200; its gateway answers 5xx
// itself when the service behind it fails.
func (f *Fake) serveFault(w http.ResponseWriter, fault providertest.Fault, action string) bool {
	switch fault {
	case providertest.FaultRateLimited, providertest.FaultRateLimitedNoRetryAfter:
		writeError(w, errRequestLimitExceeded)
	case providertest.FaultServerError:
		writeError(w, errInternal)
	case providertest.FaultHTTP500:
		writeErrorStatus(w, http.StatusInternalServerError, errInternal)
	case providertest.FaultHTTP502:
		writeErrorStatus(w, http.StatusBadGateway, errInternal)
	case providertest.FaultHTTP503:
		writeErrorStatus(w, http.StatusServiceUnavailable, errInternal)
	case providertest.FaultAuthRejected:
		writeError(w, errSecretIDNotFound)
	case providertest.FaultZoneNotFound:
		if action == "DescribeDomainList" {
			return false // answered NoDataOfDomain by the action
		}
		writeError(w, errDomainNotExists)
	default:
		return false
	}
	return true
}

// reported is the total count to report for n items: n, or far more under
// FaultEndlessPages.
func (f *Fake) reported(n int) int {
	if f.fault == providertest.FaultEndlessPages {
		return providertest.EndlessTotal
	}
	return n
}

// noteCredentials keeps the Authorization header and the signature in it,
// for tests that check they never reach a log, event or status.
func (f *Fake) noteCredentials(r *http.Request) {
	v := r.Header.Get("Authorization")
	if v == "" {
		return
	}
	f.Note(v)
	if _, sig, found := strings.Cut(v, "Signature="); found {
		f.Note(sig)
	}
}

// Received returns how many requests reached the fake, authenticated or
// not, faults included.
func (f *Fake) Received() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.received
}

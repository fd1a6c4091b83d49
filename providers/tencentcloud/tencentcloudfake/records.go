package tencentcloudfake

import (
	"cmp"
	"encoding/json"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

type zone = providertest.Zone[Extra]

// actions run one action each on its request, under the fake's lock.
var actions = map[string]func(*Fake, request) (map[string]any, *apiError){
	"DescribeDomainList": (*Fake).describeDomainList,
	"DescribeRecordList": (*Fake).describeRecordList,
	"CreateRecord":       (*Fake).createRecord,
	"ModifyRecord":       (*Fake).modifyRecord,
	"DeleteRecord":       (*Fake).deleteRecord,
}

// describeDomainList follows https://tencentcloud.com/document/product/1157/53854:
// Offset (default 0), Limit (default 3000, the most; more is
// InvalidParameterValue.LimitInvalid), pages capped at the fake's
// PageSize; DomainCountInfo counts; an account without domains is
// ResourceNotFound.NoDataOfDomain.
func (f *Fake) describeDomainList(req request) (map[string]any, *apiError) {
	zones := f.Store.Zones()
	if len(zones) == 0 {
		return nil, &errNoDataOfDomain
	}
	limit := get(req.Limit, 3000)
	if limit < 1 || limit > 3000 {
		return nil, &errLimitInvalid
	}
	lo, hi := f.Window(len(zones), int(max(get(req.Offset, 0), 0)), int(limit))
	list := []map[string]any{}
	now := time.Now().Format(time.DateTime)
	for _, z := range zones[lo:hi] {
		list = append(list, map[string]any{
			"DomainId": json.Number(z.ID), "Name": z.Name, "Punycode": z.Name, "Status": "ENABLE",
			"TTL": DefaultTTL, "CNAMESpeedup": "DISABLE", "DNSStatus": "", "Grade": "DP_FREE",
			"GradeTitle": "免费版", "GradeLevel": 2, "GroupId": 1, "SearchEnginePush": "NO", "Remark": "",
			"EffectiveDNS": []string{"ns1.dnspod.net", "ns2.dnspod.net"}, "IsVip": "NO",
			"VipStartAt": "0000-00-00 00:00:00", "VipEndAt": "0000-00-00 00:00:00", "VipAutoRenew": "DEFAULT",
			"RecordCount": len(z.Records), "CreatedOn": now, "UpdatedOn": now, "Owner": "fake@example.com",
			"TagList": []any{},
		})
	}
	n := f.Total(len(zones))
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
func (f *Fake) describeRecordList(req request) (map[string]any, *apiError) {
	z, e := f.zone(req)
	if e != nil {
		return nil, e
	}
	var match []*Record
	subs := map[string]bool{}
	for _, r := range z.Records {
		switch sub := sub(r); {
		case req.SubDomain != nil && !strings.EqualFold(sub, *req.SubDomain):
		case req.RecordType != nil && !strings.EqualFold(r.Type, *req.RecordType):
		case req.RecordLineID != nil && r.X.LineID != *req.RecordLineID:
		case req.RecordLineID == nil && req.RecordLine != nil && r.X.Line != *req.RecordLine:
		case req.Keyword != nil && !strings.Contains(sub, *req.Keyword) && !strings.Contains(r.Value, *req.Keyword):
		default:
			match, subs[sub] = append(match, r), true
		}
	}
	if len(match) == 0 {
		return nil, &errNoDataOfRecord
	}
	switch offset, limit := get(req.Offset, 0), get(req.Limit, 100); {
	case offset < 0 || limit < 0:
		return nil, &errBadJSON // the action's Offset and Limit are unsigned
	case limit > 3000:
		return nil, &errLimitInvalid
	}
	lo, hi := f.Window(len(match), int(get(req.Offset, 0)), int(get(req.Limit, 100)))
	list := []map[string]any{}
	for _, r := range match[lo:hi] {
		item := map[string]any{
			"RecordId": json.Number(r.ID), "Value": r.Value, "Status": r.X.Status, "UpdatedOn": time.Now().Format(time.DateTime),
			"Name": sub(r), "Line": r.X.Line, "LineId": r.X.LineID, "Type": r.Type, "Weight": nil,
			"MonitorStatus": "", "Remark": r.Marker, "TTL": r.TTL, "MX": r.X.MX, "DefaultNS": r.X.DefaultNS,
		}
		if r.X.Weight != nil {
			item["Weight"] = *r.X.Weight
		}
		list = append(list, item)
	}
	return map[string]any{
		"RecordCountInfo": map[string]any{"SubdomainCount": len(subs), "ListCount": len(list), "TotalCount": f.Total(len(match))},
		"RecordList":      list,
	}, nil
}

// sub is the record's SubDomain: its name relative to its zone, "@" for
// the apex.
func sub(r *Record) string { return providers.RelativeName(r.Name, r.Zone) }

// zone is the domain req names (MissingParameter without one,
// InvalidParameterValue.DomainNotExists when the account has none such).
func (f *Fake) zone(req request) (*zone, *apiError) {
	if req.Domain == nil {
		return nil, missingParameter("Domain")
	}
	if z := f.Store.Zone(*req.Domain); z != nil {
		return z, nil
	}
	return nil, &errDomainNotExists
}

// record finds the record req names in z, or InvalidParameter.RecordIdInvalid.
func record(z *zone, req request) (*Record, *apiError) {
	if r := z.Record(strconv.FormatUint(get(req.RecordID, 0), 10)); r != nil {
		return r, nil
	}
	return nil, &errRecordIDInvalid
}

// validate checks what CreateRecord and ModifyRecord share: required
// parameters, type, value, line and TTL (minimum MinTTL, the free plan's;
// "TTL，范围1-604800，不同等级域名最小值不同"). It returns the record req
// describes, filled with the documented defaults: SubDomain "@", TTL 600,
// Status ENABLE, no weight, MX 0; Remark only when sent.
func (f *Fake) validate(req request) (*zone, Record, *apiError) {
	for i, v := range []*string{req.Domain, req.RecordType, req.RecordLine, req.Value} {
		if v == nil {
			return nil, Record{}, missingParameter([]string{"Domain", "RecordType", "RecordLine", "Value"}[i])
		}
	}
	z, e := f.zone(req)
	if e != nil {
		return nil, Record{}, e
	}
	r := Record{Name: strings.ToLower(get(req.SubDomain, "")), Type: *req.RecordType, Value: *req.Value, TTL: int(get(req.TTL, DefaultTTL)),
		Marker: get(req.Remark, ""), X: Extra{Line: *req.RecordLine, LineID: lines[*req.RecordLine], MX: get(req.MX, 0),
			Weight: req.Weight, Status: cmp.Or(get(req.Status, ""), "ENABLE")}}
	if req.RecordLineID != nil && *req.RecordLineID != "" {
		r.X.Line, r.X.LineID = "", *req.RecordLineID
		for n, id := range lines {
			if id == r.X.LineID {
				r.X.Line = n
			}
		}
	}
	a, err := netip.ParseAddr(r.Value)
	switch {
	case !slices.Contains([]string{"A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV", "CAA"}, r.Type):
		return nil, r, &errRecordType
	case (r.Type == "A" || r.Type == "AAAA") && (err != nil || a.Is4() != (r.Type == "A")):
		return nil, r, &errRecordValue
	case r.X.Line == "" || r.X.LineID == "":
		return nil, r, &errRecordLine
	case req.TTL != nil && (*req.TTL < MinTTL || *req.TTL > 604800):
		return nil, r, &errRecordTTLLimit
	}
	return z, r, nil
}

// exists reports whether z holds another record identical in name, type,
// line and value (InvalidParameter.DomainRecordExist).
func exists(z *zone, r Record) bool {
	for _, o := range z.Select(r.Name, r.Type) {
		if o.ID != r.ID && o.Type == r.Type && o.X.LineID == r.X.LineID && o.Value == r.Value {
			return true
		}
	}
	return false
}

// createRecord follows https://tencentcloud.com/document/api/1157/49041:
// SubDomain defaults to "@", TTL to 600, Status to ENABLE; Remark ("备注",
// CreateRecordRequestParams in the SDK's v20210323/models.go) is stored as
// sent and listed by DescribeRecordList.
func (f *Fake) createRecord(req request) (map[string]any, *apiError) {
	z, r, e := f.validate(req)
	if e != nil {
		return nil, e
	}
	if r.Name = providers.AbsoluteName(r.Name, z.Name); exists(z, r) {
		return nil, &errRecordExist
	}
	return map[string]any{"RecordId": json.Number(f.Store.Add(z, r).ID)}, nil
}

// modifyRecord follows https://cloud.tencent.com/document/api/1427/56157.
// It replaces the record as a whole: a parameter left out takes its
// documented default, not the record's old value — SubDomain "@" ("如果不传，
// 默认为 @"), Status ENABLE ("默认为 ENABLE"), no weight ("不传该参数，表示
// 不设置权重信息"), MX 0 and TTL 600. Only Remark is kept when left out
// ("传空删除备注": an explicit empty string removes it).
func (f *Fake) modifyRecord(req request) (map[string]any, *apiError) {
	if req.RecordID == nil {
		return nil, missingParameter("RecordId")
	}
	z, r, e := f.validate(req)
	if e != nil {
		return nil, e
	}
	old, e := record(z, req)
	if e != nil {
		return nil, e
	}
	r.ID, r.Zone, r.Name = old.ID, old.Zone, providers.AbsoluteName(r.Name, z.Name)
	if req.Remark == nil {
		r.Marker = old.Marker
	}
	if exists(z, r) {
		return nil, &errRecordExist
	}
	*old = r
	return map[string]any{"RecordId": json.Number(old.ID)}, nil
}

// deleteRecord follows https://tencentcloud.com/document/product/1157/49039;
// an unknown RecordId is InvalidParameter.RecordIdInvalid.
func (f *Fake) deleteRecord(req request) (map[string]any, *apiError) {
	if req.Domain != nil && req.RecordID == nil {
		return nil, missingParameter("RecordId")
	}
	z, e := f.zone(req)
	if e != nil {
		return nil, e
	}
	r, e := record(z, req)
	if e == nil {
		z.Remove(r.ID)
	}
	return map[string]any{}, e
}

// get is *p, or def when p is nil.
func get[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

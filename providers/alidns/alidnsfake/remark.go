package alidnsfake

import "net/url"

// UpdateDomainRecordRemark sets the remark of the record with RecordId
// (https://www.alibabacloud.com/help/en/dns/api-alidns-2015-01-09-updatedomainrecordremark).
// RecordId is required; Remark is optional and an empty one clears the
// remark. The page documents no length limit for a record's remark (the
// 50-character limit on that site belongs to UpdateDomainRemark, the
// domain's remark), so the fake enforces none. A record not in the account
// is DomainRecordNotBelongToUser, as for every action that addresses a
// record by its ID. Answer: {RequestId}.
func (f *Fake) updateDomainRecordRemark(p url.Values) (map[string]any, *apiError) {
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
	r.Remark = p.Get("Remark")
	return map[string]any{}, nil
}

package alidns

// The parts of the alidns answers the provider reads, named as in the API
// reference (DescribeDomains, DescribeSubDomainRecords,
// DescribeDomainRecords, DescribeDomainRecordInfo and AddDomainRecord
// under https://www.alibabacloud.com/help/en/dns/api-alidns-2015-01-09-dir);
// every other field is ignored, and a null list entry stays a nil pointer,
// as in the SDK's types. decode reads them with the tea runtime's
// decoder, as the SDK package did: names match exactly, and a number the
// service sends as a string (or a string as a number) still reads.

// domainsAnswer is DescribeDomains' answer.
type domainsAnswer struct {
	TotalCount int64 `json:"TotalCount"`
	Domains    struct {
		Domain []*domainJSON `json:"Domain"`
	} `json:"Domains"`
}

// domainJSON is one domain of a DescribeDomains page.
type domainJSON struct {
	DomainID   string `json:"DomainId"`
	DomainName string `json:"DomainName"`
	PunyCode   string `json:"PunyCode"`
}

// recordsAnswer is DescribeSubDomainRecords' and DescribeDomainRecords'
// answer: a page of records and the count of all of them.
type recordsAnswer struct {
	TotalCount    int64 `json:"TotalCount"`
	DomainRecords struct {
		Record []*recordJSON `json:"Record"`
	} `json:"DomainRecords"`
}

// recordJSON is a record as the list actions and DescribeDomainRecordInfo
// answer it.
type recordJSON struct {
	RecordID   string `json:"RecordId"`
	DomainName string `json:"DomainName"`
	RR         string `json:"RR"`
	Type       string `json:"Type"`
	Value      string `json:"Value"`
	Line       string `json:"Line"`
	Remark     string `json:"Remark"`
	TTL        int64  `json:"TTL"`
}

// recordIDAnswer is AddDomainRecord's answer: the new record's ID.
type recordIDAnswer struct {
	RecordID string `json:"RecordId"`
}

// noAnswer is the answer of a write whose body the provider does not read
// (UpdateDomainRecord, UpdateDomainRecordRemark, DeleteDomainRecord).
type noAnswer struct{}

package dnspod

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// flexString decodes a JSON string, number, boolean or null as text: the
// API sends the same field as "600" in one answer and 600 in another (the
// documented Domain.List sample has a numeric id, Record.List string ids,
// Record.Modify a numeric one).
type flexString string

// UnmarshalJSON implements json.Unmarshaler.
func (s *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*s = ""
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = flexString(v)
	default:
		var v json.Number
		if err := json.Unmarshal(b, &v); err != nil {
			var t bool
			if err := json.Unmarshal(b, &t); err != nil {
				return err
			}
			*s = flexString(strconv.FormatBool(t))
			return nil
		}
		*s = flexString(v.String())
	}
	return nil
}

// int returns the number the text holds, 0 when it holds none.
func (s flexString) int() int {
	n, err := strconv.Atoi(string(s))
	if err != nil {
		return 0
	}
	return n
}

// status is the envelope every answer carries; code "1" is success.
type status struct {
	Code    flexString `json:"code"`
	Message string     `json:"message"`
}

// domainListResponse is Domain.List's answer.
type domainListResponse struct {
	Info struct {
		DomainTotal flexString `json:"domain_total"`
	} `json:"info"`
	Domains []domainJSON `json:"domains"`
}

// domainJSON is one domain of Domain.List.
type domainJSON struct {
	ID       flexString `json:"id"`
	Name     string     `json:"name"`
	Punycode string     `json:"punycode"`
}

// recordListResponse is Record.List's answer. records_num counts the
// records matching the filters, record_total every record of the domain.
type recordListResponse struct {
	Info struct {
		RecordTotal flexString `json:"record_total"`
		RecordsNum  flexString `json:"records_num"`
	} `json:"info"`
	Records []recordJSON `json:"records"`
}

// recordJSON is one record of Record.List.
type recordJSON struct {
	ID      flexString `json:"id"`
	Name    string     `json:"name"`
	Line    string     `json:"line"`
	LineID  flexString `json:"line_id"`
	Type    string     `json:"type"`
	TTL     flexString `json:"ttl"`
	Value   string     `json:"value"`
	MX      flexString `json:"mx"`
	Weight  flexString `json:"weight"`
	Enabled flexString `json:"enabled"`
	// Remark is the record's remark (备注), "" when it has none.
	Remark flexString `json:"remark"`
}

// recordWriteResponse is the answer of Record.Create and Record.Modify.
type recordWriteResponse struct {
	Record struct {
		ID flexString `json:"id"`
	} `json:"record"`
}

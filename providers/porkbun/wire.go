package porkbun

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// status is the envelope of every answer: "SUCCESS", or "ERROR" with a
// message (documentation, "Errors").
type status struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

// flexString decodes a JSON string or number as text: the documentation's
// samples give record IDs, TTLs and priorities as strings, the create
// answer's id as a number.
type flexString string

// UnmarshalJSON implements json.Unmarshaler.
func (s *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*s = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var v string
		err := json.Unmarshal(b, &v)
		*s = flexString(v)
		return err
	}
	var n json.Number
	err := json.Unmarshal(b, &n)
	*s = flexString(n.String())
	return err
}

// int returns the number the text holds, 0 when it holds none.
func (s flexString) int() int {
	n, _ := strconv.Atoi(string(s))
	return n
}

// listAllResponse is Domain List All's answer: up to 1000 domains from
// the offset "start".
type listAllResponse struct {
	Domains []struct {
		Domain string `json:"domain"`
		Status string `json:"status"`
	} `json:"domains"`
}

// recordJSON is a record of DNS Retrieve Records. Name is the full name.
type recordJSON struct {
	ID      flexString `json:"id"`
	Name    string     `json:"name"`
	Type    string     `json:"type"`
	Content string     `json:"content"`
	TTL     flexString `json:"ttl"`
	Prio    flexString `json:"prio"`
	Notes   string     `json:"notes"`
}

// retrieveResponse is the answer of DNS Retrieve Records (by domain, ID,
// or subdomain and type).
type retrieveResponse struct {
	Records []recordJSON `json:"records"`
}

// createResponse is DNS Create Record's answer.
type createResponse struct {
	ID flexString `json:"id"`
}

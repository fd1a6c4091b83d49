package gcore

import (
	"fmt"
	"strings"
)

// zonesResponse is the answer of GET /v2/zones.
type zonesResponse struct {
	Zones []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"zones"`
	TotalAmount int `json:"total_amount"`
}

// rrsetJSON is an RRset as the API lists and takes it.
type rrsetJSON struct {
	Name            string               `json:"name,omitempty"`
	Type            string               `json:"type,omitempty"`
	TTL             int32                `json:"ttl"`
	ResourceRecords []resourceRecordJSON `json:"resource_records"`
	// Meta and Pickers are sent back as they were read, so a PUT keeps
	// what the operator does not manage (failover, geo balancing).
	Meta    map[string]any `json:"meta,omitempty"`
	Pickers []any          `json:"pickers,omitempty"`
}

// resourceRecordJSON is one value of an RRset. Meta holds the value's
// settings; the provider reads and writes only its "notes".
type resourceRecordJSON struct {
	ID      int64          `json:"id,omitempty"`
	Content []any          `json:"content"`
	Enabled bool           `json:"enabled"`
	Meta    map[string]any `json:"meta,omitempty"`
}

// value is the address a resource record holds.
func (r resourceRecordJSON) value() string {
	parts := make([]string, 0, len(r.Content))
	for _, c := range r.Content {
		parts = append(parts, fmt.Sprint(c))
	}
	return strings.Join(parts, " ")
}

// notes is the text of the value's meta notes, joined by spaces.
func (r resourceRecordJSON) notes() string {
	switch n := r.Meta["notes"].(type) {
	case string:
		return n
	case []any:
		parts := make([]string, 0, len(n))
		for _, p := range n {
			parts = append(parts, fmt.Sprint(p))
		}
		return strings.Join(parts, " ")
	}
	return ""
}

// withNotes returns r with its notes set to marker.
func (r resourceRecordJSON) withNotes(marker string) resourceRecordJSON {
	meta := make(map[string]any, len(r.Meta)+1)
	for k, v := range r.Meta {
		meta[k] = v
	}
	meta["notes"] = []string{marker}
	r.Meta = meta
	return r
}

// rrsetsResponse is the answer of GET /v2/zones/{zone}/rrsets.
type rrsetsResponse struct {
	RRsets      []rrsetJSON `json:"rrsets"`
	TotalAmount int         `json:"total_amount"`
}

// errorBody is the API's error envelope: {"error":"..."}.
type errorBody struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

package cloudflare

import (
	"encoding/json"
	"strconv"
)

// The JSON the provider sends and reads, from the Cloudflare API v4
// reference. Only the fields the provider uses are declared; every other
// field of an answer is ignored.
//
//   - envelope (success, errors, messages, result, result_info) and
//     page/per_page pagination:
//     https://developers.cloudflare.com/fundamentals/api/how-to/make-api-calls/
//   - List Zones, GET /zones:
//     https://developers.cloudflare.com/api/resources/zones/methods/list/
//   - List DNS Records, GET /zones/{zone_id}/dns_records:
//     https://developers.cloudflare.com/api/resources/dns/subresources/records/methods/list/
//   - Create DNS Record, POST /zones/{zone_id}/dns_records:
//     https://developers.cloudflare.com/api/resources/dns/subresources/records/methods/create/
//   - Update DNS Record, PATCH /zones/{zone_id}/dns_records/{dns_record_id}:
//     https://developers.cloudflare.com/api/resources/dns/subresources/records/methods/edit/
//   - Delete DNS Record, DELETE /zones/{zone_id}/dns_records/{dns_record_id}:
//     https://developers.cloudflare.com/api/resources/dns/subresources/records/methods/delete/
//   - Batch DNS Records, POST /zones/{zone_id}/dns_records/batch:
//     https://developers.cloudflare.com/api/resources/dns/subresources/records/methods/batch/

// envelope is an answer's body: result is the object or the list the call
// returns, result_info the pagination block of a list. success, errors
// and messages are not read from a 2xx answer (the SDK did not either);
// errors of other answers are read by refusal.
type envelope[T any] struct {
	Result     *T         `json:"result"`
	ResultInfo resultInfo `json:"result_info"`
}

// resultInfo is a list's pagination block. Its numbers are kept raw and
// parsed on use, so that one of another type ends the listing by the
// page's size rather than failing it (as the SDK, which kept result_info's
// unknown fields raw, behaved).
type resultInfo struct {
	PerPage    json.RawMessage `json:"per_page"`
	TotalPages json.RawMessage `json:"total_pages"`
}

// number parses a raw JSON number; ok is false when raw is absent or not
// a number.
func number(raw json.RawMessage) (v float64, ok bool) {
	if len(raw) == 0 {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	return v, err == nil
}

// apiZone is a zone of List Zones' result.
type apiZone struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// apiRecord is a DNS record as every dns_records call returns it. A null
// comment reads as "".
type apiRecord struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Type    string  `json:"type"`
	Content string  `json:"content"`
	TTL     float64 `json:"ttl"`
	Proxied bool    `json:"proxied"`
	Comment string  `json:"comment"`
}

// recordBody is the body of a create (POST), an update (PATCH), and an
// entry of a batch's posts or patches (where id names the record to
// patch). A zero field is left out, so a PATCH keeps what the record has.
// The fields are in alphabetical order, the order the SDK the provider
// once used sent them in, so the requests stay byte for byte the same.
type recordBody struct {
	Comment string `json:"comment,omitempty"`
	Content string `json:"content"`
	ID      string `json:"id,omitempty"`
	Name    string `json:"name,omitempty"`
	Proxied *bool  `json:"proxied,omitempty"`
	TTL     int64  `json:"ttl,omitempty"`
	Type    string `json:"type"`
}

// recordID is an entry of a batch's deletes.
type recordID struct {
	ID string `json:"id"`
}

// batchBody is Batch DNS Records' body; empty lists are left out.
type batchBody struct {
	Deletes []recordID   `json:"deletes,omitempty"`
	Patches []recordBody `json:"patches,omitempty"`
	Posts   []recordBody `json:"posts,omitempty"`
}

// batchAnswer is Batch DNS Records' result: the records each list wrote,
// in request order.
type batchAnswer struct {
	Patches []apiRecord `json:"patches"`
	Posts   []apiRecord `json:"posts"`
}

// Package namesilofake is a fake NameSilo API for tests, on the provider
// kit (providertest.Fake): it keeps domains and records, checks the API
// key in the query string, and answers with NameSilo's XML envelope.
//
// Shapes, from https://www.namesilo.com/api-reference and the samples of
// nrdcg/namesilo (a client generated from it):
//   - GET /api/OPERATION?version=1&type=xml&key=KEY&...;
//   - every answer is HTTP 200 with <namesilo><request><operation/><ip/>
//     </request><reply><code/><detail/>...</reply></namesilo>, code 300
//     on success; a wrong key is code 110 "Invalid API Key";
//   - listDomains (page, pageSize) answers <domains><domain>NAME</domain>
//     ...</domains><pager><total/><pageSize/><page/></pager>;
//   - dnsListRecords answers every record of the domain as
//     <resource_record><record_id/><type/><host/> (full name) <value/>
//     <ttl/><distance/></resource_record>;
//   - dnsAddRecord (rrtype, rrhost relative, rrvalue, rrttl) and
//     dnsUpdateRecord (rrid, rrhost, rrvalue, rrttl) answer <record_id/>;
//     dnsDeleteRecord takes rrid;
//   - 200 "Domain is not active, or does not belong to this user"; 280
//     "DNS modification error" for a refused change.
//
// The detail texts of code 280 (a TTL below 3600, a record ID that does
// not exist) are the fake's own wording.
package namesilofake

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Key is the API key the fake accepts.
const Key = "7a4f2c9e1b8d3a6c5e0f9d2b"

// MinTTL is NameSilo's smallest TTL.
const MinTTL = 3600

// Fake is a running fake NameSilo API.
type Fake struct {
	providertest.Fake[struct{}]
}

// New starts a fake holding the named domains; it stops when the test
// ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Store.RecordID = func(n int) string { return fmt.Sprintf("%x", 0x5b2a9c0000+n) }
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

type wire struct{ f *Fake }

func operation(r *http.Request) string {
	return r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
}

func (wire) Operation(r *http.Request, _ []byte) (string, bool) {
	op := operation(r)
	return op, op == "dnsAddRecord" || op == "dnsUpdateRecord" || op == "dnsDeleteRecord"
}

func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	key := r.URL.Query().Get("key")
	w.f.Note(key)
	if key != Key {
		answer(rw, operation(r), "110", "Invalid API Key", "")
		return false
	}
	return true
}

func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	switch f {
	case providertest.FaultRateLimited, providertest.FaultRateLimitedNoRetryAfter:
		if f == providertest.FaultRateLimited {
			rw.Header().Set("Retry-After", providertest.RetryAfter)
		}
		page(rw, http.StatusTooManyRequests, "429 Too Many Requests")
	case providertest.FaultServerError:
		answer(rw, op, "201", "Internal system error", "")
	case providertest.FaultHTTP500:
		page(rw, http.StatusInternalServerError, "500 Internal Server Error")
	case providertest.FaultHTTP502:
		page(rw, http.StatusBadGateway, "502 Bad Gateway")
	case providertest.FaultHTTP503:
		page(rw, http.StatusServiceUnavailable, "503 Service Unavailable")
	case providertest.FaultAuthRejected:
		answer(rw, op, "110", "Invalid API Key", "")
	case providertest.FaultZoneNotFound:
		if op == "listDomains" {
			answer(rw, op, "300", "success", "<domains></domains>")
		} else {
			answer(rw, op, "200", "Domain is not active, or does not belong to this user", "")
		}
	case providertest.FaultEndlessPages:
		if op != "listDomains" {
			return false
		}
		w.listDomains(rw, 1, true)
	default:
		return false
	}
	return true
}

func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, _ []byte) {
	q := r.URL.Query()
	if q.Get("version") != "1" || q.Get("type") != "xml" {
		answer(rw, op, "103", "Invalid API version", "")
		return
	}
	if op == "listDomains" {
		page, _ := strconv.Atoi(q.Get("page"))
		w.listDomains(rw, max(page, 1), false)
		return
	}
	z := w.f.Store.Zone(q.Get("domain"))
	if z == nil {
		answer(rw, op, "200", "Domain is not active, or does not belong to this user", "")
		return
	}
	ttl := 7207
	if v := q.Get("rrttl"); v != "" {
		ttl, _ = strconv.Atoi(v)
	}
	switch op {
	case "dnsListRecords":
		var b strings.Builder
		for _, rec := range z.Records {
			fmt.Fprintf(&b, "<resource_record><record_id>%s</record_id><type>%s</type><host>%s</host><value>%s</value><ttl>%d</ttl><distance>0</distance></resource_record>",
				esc(rec.ID), esc(rec.Type), esc(rec.Name), esc(rec.Value), rec.TTL)
		}
		answer(rw, op, "300", "success", b.String())
	case "dnsAddRecord":
		if ttl < MinTTL {
			answer(rw, op, "280", fmt.Sprintf("DNS modification error: the TTL must be at least %d", MinTTL), "")
			return
		}
		rec := w.f.Store.Add(z, providertest.Rec[struct{}]{Name: q.Get("rrhost"), Type: q.Get("rrtype"), Value: q.Get("rrvalue"), TTL: ttl})
		answer(rw, op, "300", "success", "<record_id>"+esc(rec.ID)+"</record_id>")
	case "dnsUpdateRecord":
		rec := z.Record(q.Get("rrid"))
		switch {
		case rec == nil:
			answer(rw, op, "280", "DNS modification error: invalid record ID", "")
		case ttl < MinTTL:
			answer(rw, op, "280", fmt.Sprintf("DNS modification error: the TTL must be at least %d", MinTTL), "")
		default:
			rec.Name = providers.AbsoluteName(q.Get("rrhost"), z.Name)
			rec.Value, rec.TTL = q.Get("rrvalue"), ttl
			answer(rw, op, "300", "success", "<record_id>"+esc(rec.ID)+"</record_id>")
		}
	case "dnsDeleteRecord":
		if !z.Remove(q.Get("rrid")) {
			answer(rw, op, "280", "DNS modification error: invalid record ID", "")
			return
		}
		answer(rw, op, "300", "success", "")
	default:
		answer(rw, op, "107", "Invalid API operation", "")
	}
}

func (w wire) listDomains(rw http.ResponseWriter, page int, endless bool) {
	zones := w.f.Store.Zones()
	total := len(zones)
	if endless {
		page, total = 1, providertest.EndlessTotal
	}
	var b strings.Builder
	b.WriteString("<domains>")
	for _, z := range providertest.Page(zones, page, w.f.PageSize) {
		fmt.Fprintf(&b, `<domain created="2024-02-03" expires="2027-02-03">%s</domain>`, esc(z.Name))
	}
	fmt.Fprintf(&b, "</domains><pager><total>%d</total><pageSize>%d</pageSize><page>%d</page></pager>", total, w.f.PageSize, page)
	answer(rw, "listDomains", "300", "success", b.String())
}

// answer writes NameSilo's envelope with code, detail and the reply's
// other elements (XML, already escaped).
func answer(rw http.ResponseWriter, op, code, detail, inner string) {
	rw.Header().Set("Content-Type", "text/xml; charset=utf-8")
	rw.WriteHeader(http.StatusOK)
	fmt.Fprintf(rw, `<?xml version="1.0"?>`+"\n<namesilo><request><operation>%s</operation><ip>81.2.69.160</ip></request><reply><code>%s</code><detail>%s</detail>%s</reply></namesilo>\n",
		esc(op), esc(code), esc(detail), inner)
}

func page(rw http.ResponseWriter, status int, title string) {
	rw.Header().Set("Content-Type", "text/html")
	rw.WriteHeader(status)
	fmt.Fprintf(rw, "<html><head><title>%s</title></head><body><h1>%s</h1></body></html>\n", title, title)
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

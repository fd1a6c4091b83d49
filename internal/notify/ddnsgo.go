package notify

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// DDNSGoWebhook is a webhook configured the way ddns-go configures one, so a
// user migrating from ddns-go keeps their receiver: a URL, an optional
// request body and optional "Name: value" header lines, each of which may
// hold the placeholders #{ipv4Addr}, #{ipv4Result}, #{ipv4Domains},
// #{ipv6Addr}, #{ipv6Result}, #{ipv6Domains} and #{timestamp}.
//
// Request renders them as ddns-go does (config/webhook.go, ExecWebhook, as
// of ddns-go v6): placeholders are replaced verbatim, without escaping, in
// the URL and the body; the URL's query is then parsed and re-encoded
// (sorted by key, values query-escaped, unparsable pairs dropped); an empty
// body means GET, any other POST; Content-Type is application/json when the
// rendered body is valid JSON, else application/x-www-form-urlencoded, and
// is sent even on a GET; #{timestamp} is the Unix time in seconds.
type DDNSGoWebhook struct {
	URL, Body, Headers string
	// Lang chooses the result words: "zh..." gives 成功/失败/未改变 as
	// ddns-go's Chinese interface does, anything else success/failed/unchanged.
	Lang string
}

// DDNSGoValues are the values of the placeholders for one call.
type DDNSGoValues struct {
	IPv4Addr, IPv4Domains string
	IPv6Addr, IPv6Domains string
	// IPv4Result and IPv6Result are Success, Failed or Unchanged.
	IPv4Result, IPv6Result DDNSGoResult
	Time                   time.Time
}

// DDNSGoResult is the outcome of a family in ddns-go's terms.
type DDNSGoResult int

// The outcomes ddns-go reports per family: any record failed, else any
// record was written, else nothing changed.
const (
	Unchanged DDNSGoResult = iota
	Success
	Failed
)

// word returns the result as ddns-go prints it in lang.
func (r DDNSGoResult) word(lang string) string {
	zh := strings.HasPrefix(lang, "zh")
	switch {
	case r == Success && zh:
		return "成功"
	case r == Success:
		return "success"
	case r == Failed && zh:
		return "失败"
	case r == Failed:
		return "failed"
	case zh:
		return "未改变"
	default:
		return "unchanged"
	}
}

// HTTPRequest is a rendered webhook call.
type HTTPRequest struct {
	Method string
	URL    string
	Header http.Header
	Body   string
}

// errWebhookURL is returned for a URL that does not parse; the URL itself
// is never quoted, as it usually carries a token.
var errWebhookURL = errors.New("the webhook URL (after filling in the placeholders) is not a valid URL")

// Request renders the call for v.
func (w DDNSGoWebhook) Request(v DDNSGoValues) (HTTPRequest, error) {
	rep := strings.NewReplacer(
		"#{ipv4Addr}", v.IPv4Addr,
		"#{ipv4Result}", v.IPv4Result.word(w.Lang),
		"#{ipv4Domains}", v.IPv4Domains,
		"#{ipv6Addr}", v.IPv6Addr,
		"#{ipv6Result}", v.IPv6Result.word(w.Lang),
		"#{ipv6Domains}", v.IPv6Domains,
		"#{timestamp}", strconv.FormatInt(v.Time.UTC().Unix(), 10),
	)
	req := HTTPRequest{Method: http.MethodGet, Header: http.Header{}}
	contentType := "application/x-www-form-urlencoded"
	if w.Body != "" {
		req.Method = http.MethodPost
		req.Body = rep.Replace(w.Body)
		if json.Valid([]byte(req.Body)) {
			contentType = "application/json"
		}
	}
	u, err := url.Parse(rep.Replace(w.URL))
	if err != nil {
		return HTTPRequest{}, errWebhookURL
	}
	// ParseQuery keeps every pair it could parse and reports the first it
	// could not; ddns-go sends the ones it kept.
	q, _ := url.ParseQuery(u.RawQuery)
	u.RawQuery = q.Encode()
	req.URL = u.String()
	for _, kv := range headerLines(w.Headers) {
		req.Header.Add(kv[0], kv[1])
	}
	req.Header.Add("Content-Type", contentType)
	return req, nil
}

// headerLines parses "Name: value" lines (split on CRLF when the text holds
// one, else on LF); lines without a colon are skipped, and a name given
// twice keeps its last value.
func headerLines(s string) [][2]string {
	sep := "\n"
	if strings.Contains(s, "\r\n") {
		sep = "\r\n"
	}
	byName := map[string]string{}
	for _, line := range strings.Split(s, sep) {
		line = strings.TrimSpace(line)
		name, value, ok := strings.Cut(line, ":")
		if line == "" || !ok {
			continue
		}
		byName[strings.TrimSpace(name)] = strings.TrimSpace(value)
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([][2]string, len(names))
	for i, n := range names {
		out[i] = [2]string{n, byName[n]}
	}
	return out
}

// ddnsGoValues derives the placeholders from a digest: per family the
// result (failed when a record of it is failing, success when one was
// written or recovered, else unchanged), the names of the records the
// digest speaks of, and the address (the new detected one, else the
// current one from addrs).
func ddnsGoValues(d *Digest, wants func(EventKind) bool, addrs map[string]string) DDNSGoValues {
	type fam struct {
		addr    string
		result  DDNSGoResult
		domains []string
	}
	fams := map[string]*fam{"ipv4": {addr: addrs["ipv4"]}, "ipv6": {addr: addrs["ipv6"]}}
	note := func(r RecordRef, res DDNSGoResult) {
		f := fams[r.family()]
		if res > f.result {
			f.result = res
		}
		if !contains(f.domains, r.FQDN) {
			f.domains = append(f.domains, r.FQDN)
		}
	}
	if wants(AddressChanged) {
		for _, c := range d.Changes {
			if c.List == "" {
				fams[c.Family].addr = c.New
			}
		}
	}
	if wants(RecordsUpdated) {
		for _, u := range d.Updated {
			note(u.RecordRef, Success)
		}
	}
	if wants(RecordRecovered) {
		for _, r := range d.Recovered {
			note(r.RecordRef, Success)
		}
	}
	if wants(RecordFailing) {
		for _, f := range d.Failing {
			note(f.RecordRef, Failed)
		}
	}
	v4, v6 := fams["ipv4"], fams["ipv6"]
	return DDNSGoValues{
		IPv4Addr: v4.addr, IPv4Result: v4.result, IPv4Domains: strings.Join(v4.domains, ","),
		IPv6Addr: v6.addr, IPv6Result: v6.result, IPv6Domains: strings.Join(v6.domains, ","),
		Time: d.At,
	}
}

// ddnsGoTestValues are the values ddns-go's own "test webhook" button sends.
func ddnsGoTestValues(now time.Time) DDNSGoValues {
	return DDNSGoValues{
		IPv4Addr: "127.0.0.1", IPv4Result: Success, IPv4Domains: "test.example.com",
		IPv6Addr: "::1", IPv6Result: Success, IPv6Domains: "test.example.com",
		Time: now,
	}
}

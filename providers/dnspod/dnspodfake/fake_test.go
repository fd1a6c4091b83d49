package dnspodfake_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/dnspod/dnspodfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// post sends a raw API request and decodes the answer.
func post(t *testing.T, f *dnspodfake.Fake, action string, p url.Values) (int, map[string]any) {
	t.Helper()
	if p.Get("login_token") == "" {
		p.Set("login_token", dnspodfake.LoginToken)
	}
	p.Set("format", "json")
	req, _ := http.NewRequest(http.MethodPost, f.URL+"/"+action, strings.NewReader(p.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "fake-test/1.0 (test@example.com)")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func code(m map[string]any) string {
	st, _ := m["status"].(map[string]any)
	return fmt.Sprint(st["code"])
}

func TestAuthAndMethod(t *testing.T) {
	f := dnspodfake.New(t, "example.com")
	_, out := post(t, f, "Domain.List", url.Values{"login_token": {dnspodfake.TokenID + ",wrong"}})
	if code(out) != "-1" {
		t.Fatalf("wrong token: %v", out)
	}
	resp, err := http.Get(f.URL + "/Domain.List")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	_ = resp.Body.Close()
	if code(m) != "2" {
		t.Fatalf("GET: %v", m)
	}
}

func TestRecordListPagingAndEmptyCodes(t *testing.T) {
	f := dnspodfake.New(t, "example.com")
	f.PageSize = 2
	id, _ := f.ZoneID("example.com")
	for i := range 5 {
		f.Seed("example.com", providers.Record{Name: "dup.example.com", Type: "A", Value: fmt.Sprintf("81.2.69.%d", i+1)})
	}
	f.Seed("example.com", providers.Record{Name: "other.example.com", Type: "A", Value: "81.2.69.100"})

	_, out := post(t, f, "Record.List", url.Values{"domain_id": {id}, "sub_domain": {"dup"}, "offset": {"4"}, "length": {"3000"}, "error_on_empty": {"no"}})
	info := out["info"].(map[string]any)
	if code(out) != "1" || info["records_num"] != "5" || info["record_total"] != "6" || len(out["records"].([]any)) != 1 {
		t.Fatalf("last page: %v", out)
	}
	rec := out["records"].([]any)[0].(map[string]any)
	if rec["ttl"] != "600" || rec["line"] != "默认" || rec["enabled"] != "1" {
		t.Fatalf("numbers are strings in Record.List: %v", rec)
	}
	// Past the end: "10 没有记录" unless error_on_empty=no.
	if _, out := post(t, f, "Record.List", url.Values{"domain_id": {id}, "sub_domain": {"dup"}, "offset": {"5"}}); code(out) != "10" {
		t.Fatalf("empty page with error_on_empty=yes: %v", out)
	}
	if _, out := post(t, f, "Record.List", url.Values{"domain_id": {id}, "sub_domain": {"dup"}, "offset": {"5"}, "error_on_empty": {"no"}}); code(out) != "1" {
		t.Fatalf("empty page with error_on_empty=no: %v", out)
	}
	if _, out := post(t, f, "Record.List", url.Values{"domain_id": {"42"}}); code(out) != "6" {
		t.Fatalf("unknown domain: %v", out)
	}
}

func TestDomainListShape(t *testing.T) {
	f := dnspodfake.New(t, "b.example", "a.example", "c.example")
	f.PageSize = 2
	_, out := post(t, f, "Domain.List", url.Values{"type": {"all"}, "offset": {"0"}, "length": {"3000"}})
	domains := out["domains"].([]any)
	if len(domains) != 2 || out["info"].(map[string]any)["domain_total"] != float64(3) {
		t.Fatalf("first page: %v", out)
	}
	if d := domains[0].(map[string]any); d["name"] != "a.example" || d["id"] == nil {
		t.Fatalf("domains sorted by name, numeric id: %v", d)
	}
	if _, out := post(t, f, "Domain.List", url.Values{"offset": {"3"}}); code(out) != "9" {
		t.Fatalf("past the end: %v", out)
	}
}

// Record.Modify is a full replace: what the request leaves out takes its
// default, the remark survives.
func TestModifyIsAFullReplace(t *testing.T) {
	f := dnspodfake.New(t, "example.com")
	id, _ := f.ZoneID("example.com")
	w := 30
	r := f.SeedRec("example.com", dnspodfake.Record{Name: "home", Type: "A", Value: "81.2.69.160", TTL: 1200, Marker: "keep", X: dnspodfake.Extra{Line: "电信", Weight: &w, Disabled: true}})
	_, out := post(t, f, "Record.Modify", url.Values{"domain_id": {id}, "record_id": {r.ID}, "sub_domain": {"home"}, "record_type": {"A"}, "record_line": {"默认"}, "value": {"81.2.69.161"}})
	if code(out) != "1" {
		t.Fatalf("modify: %v", out)
	}
	got, _ := f.Get(r.ID)
	if got.TTL != dnspodfake.DefaultTTL || got.X.Weight != nil || got.X.Line != "默认" || got.X.Disabled || got.Marker != "keep" {
		t.Fatalf("after modify: %+v", got)
	}
	if _, out := post(t, f, "Record.Modify", url.Values{"domain_id": {id}, "record_id": {"1"}, "record_type": {"A"}, "record_line": {"默认"}, "value": {"81.2.69.161"}}); code(out) != "8" {
		t.Fatalf("unknown record: %v", out)
	}
	if _, out := post(t, f, "Record.Modify", url.Values{"domain_id": {id}, "record_id": {r.ID}, "record_type": {"A"}, "record_line": {"默认"}, "value": {"81.2.69.161"}, "ttl": {"60"}}); code(out) != "29" {
		t.Fatalf("TTL below the minimum: %v", out)
	}
	if f.Writes() != 3 {
		t.Fatalf("writes %d", f.Writes())
	}
}

func TestCreateValidation(t *testing.T) {
	f := dnspodfake.New(t, "example.com")
	id, _ := f.ZoneID("example.com")
	for _, tc := range []struct {
		p    url.Values
		want string
	}{
		{url.Values{"record_type": {"A"}, "record_line": {"默认"}, "value": {"81.2.69.160"}}, "1"},
		{url.Values{"record_type": {"A"}, "record_line": {"默认"}, "value": {"81.2.69.160"}, "ttl": {"599"}}, "32"},
		{url.Values{"record_type": {"A"}, "record_line": {"默认"}, "value": {"2a02:2e0::1"}}, "34"},
		{url.Values{"record_type": {"AAAA"}, "record_line": {"默认"}, "value": {"81.2.69.160"}}, "34"},
		{url.Values{"record_type": {"PTR"}, "record_line": {"默认"}, "value": {"x"}}, "27"},
		{url.Values{"record_type": {"A"}, "record_line": {"火星"}, "value": {"81.2.69.160"}}, "26"},
		{url.Values{"record_type": {"A"}, "record_line_id": {"10=1"}, "value": {"81.2.69.160"}}, "1"},
		{url.Values{"sub_domain": {"a b"}, "record_type": {"A"}, "record_line": {"默认"}, "value": {"81.2.69.160"}}, "22"},
	} {
		tc.p.Set("domain_id", id)
		if _, out := post(t, f, "Record.Create", tc.p); code(out) != tc.want {
			t.Errorf("%v: got %v, want code %s", tc.p, out, tc.want)
		}
	}
	_, out := post(t, f, "Record.Create", url.Values{"domain_id": {id}, "record_type": {"A"}, "record_line": {"默认"}, "value": {"81.2.69.160"}, "ttl": {"1"}})
	if msg := out["status"].(map[string]any)["message"]; msg != "Record ttl is limited(600)" {
		t.Fatalf("TTL message %v", msg)
	}
}

func TestFaults(t *testing.T) {
	f := dnspodfake.New(t, "example.com")
	f.SetFault(providertest.FaultRateLimited)
	if status, out := post(t, f, "Domain.List", url.Values{}); status != 200 || code(out) != "-2" {
		t.Fatalf("rate limited: %d %v", status, out)
	}
	f.SetFault(providertest.FaultServerError)
	if status, _ := post(t, f, "Domain.List", url.Values{}); status != http.StatusBadGateway {
		t.Fatalf("server error: %d", status)
	}
	f.SetFault(providertest.FaultNone)
	if _, out := post(t, f, "Domain.List", url.Values{}); code(out) != "1" {
		t.Fatalf("cleared: %v", out)
	}
	if f.Requests() != 3 || f.Count("Domain.List") != 3 {
		t.Fatalf("requests %d", f.Requests())
	}
}

// Record.Remark sets or, with an empty remark, deletes the remark that
// Record.List lists; it answers the status alone.
func TestRecordRemark(t *testing.T) {
	f := dnspodfake.New(t, "example.com")
	id, _ := f.ZoneID("example.com")
	r := f.SeedRec("example.com", dnspodfake.Record{Name: "home", Type: "A", Value: "81.2.69.160", TTL: 600})
	_, out := post(t, f, "Record.Remark", url.Values{"domain_id": {id}, "record_id": {r.ID}, "remark": {"mine"}})
	if code(out) != "1" || len(out) != 1 {
		t.Fatalf("remark: %v", out)
	}
	_, out = post(t, f, "Record.List", url.Values{"domain_id": {id}, "sub_domain": {"home"}})
	if recs, _ := out["records"].([]any); len(recs) != 1 || recs[0].(map[string]any)["remark"] != "mine" {
		t.Fatalf("Record.List after the remark: %v", out)
	}
	if _, out := post(t, f, "Record.Remark", url.Values{"domain_id": {id}, "record_id": {r.ID}, "remark": {""}}); code(out) != "1" {
		t.Fatalf("deleting the remark: %v", out)
	}
	if got, _ := f.Get(r.ID); got.Marker != "" {
		t.Fatalf("remark %q after deleting it", got.Marker)
	}
	if _, out := post(t, f, "Record.Remark", url.Values{"domain_id": {id}, "record_id": {"1"}, "remark": {"x"}}); code(out) != "8" {
		t.Fatalf("unknown record: %v", out)
	}
	if _, out := post(t, f, "Record.Remark", url.Values{"domain_id": {"1"}, "record_id": {r.ID}, "remark": {"x"}}); code(out) != "6" {
		t.Fatalf("unknown domain: %v", out)
	}
	if f.Writes() != 4 {
		t.Fatalf("writes %d, want 4", f.Writes())
	}
}

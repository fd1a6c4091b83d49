package cloudflarefake_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare/cloudflarefake"
)

type answer struct {
	Success bool `json:"success"`
	Errors  []struct {
		Code       int `json:"code"`
		ErrorChain []struct {
			Code int `json:"code"`
		} `json:"error_chain"`
	} `json:"errors"`
	Result     json.RawMessage `json:"result"`
	ResultInfo struct {
		Page       int `json:"page"`
		PerPage    int `json:"per_page"`
		Count      int `json:"count"`
		TotalCount int `json:"total_count"`
		TotalPages int `json:"total_pages"`
	} `json:"result_info"`
}

func call(t *testing.T, f *cloudflarefake.Fake, method, path, body string, header map[string]string) (int, answer) {
	t.Helper()
	req, err := http.NewRequest(method, f.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if header == nil {
		header = map[string]string{"Authorization": "Bearer " + cloudflarefake.Token}
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var a answer
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("%s %s: body %q: %v", method, path, raw, err)
	}
	return res.StatusCode, a
}

func zoneID(f *cloudflarefake.Fake) string {
	id, _ := f.ZoneID("example.com")
	return id
}

func TestAuthentication(t *testing.T) {
	f := cloudflarefake.New(t, "example.com")
	for _, tc := range []struct {
		name   string
		header map[string]string
		status int
		code   int
	}{
		{"token", nil, 200, 0},
		{"wrong token", map[string]string{"Authorization": "Bearer WrongToken0123456789"}, 403, 9109},
		{"not bearer", map[string]string{"Authorization": "Basic abc"}, 400, 6003},
		{"nothing", map[string]string{}, 400, 9106},
		{"global key", map[string]string{"X-Auth-Key": cloudflarefake.APIKey, "X-Auth-Email": cloudflarefake.Email}, 200, 0},
		{"wrong global key", map[string]string{"X-Auth-Key": strings.Repeat("f", 37), "X-Auth-Email": cloudflarefake.Email}, 403, 9103},
		{"malformed global key", map[string]string{"X-Auth-Key": "xyz", "X-Auth-Email": cloudflarefake.Email}, 400, 6003},
		{"key without email", map[string]string{"X-Auth-Key": cloudflarefake.APIKey}, 400, 6003},
	} {
		status, a := call(t, f, "GET", "/zones", "", tc.header)
		if status != tc.status || (tc.code != 0 && (len(a.Errors) == 0 || a.Errors[0].Code != tc.code)) || a.Success != (tc.status == 200) {
			t.Errorf("%s: status %d, answer %+v; want %d code %d", tc.name, status, a, tc.status, tc.code)
		}
	}
}

func TestPaginationAndTTL(t *testing.T) {
	f := cloudflarefake.New(t, "example.com")
	for i := 0; i < 7; i++ {
		f.Seed("example.com", providers.Record{Name: "dup.example.com", Type: "A", Value: "81.2.69." + string(rune('1'+i)), TTL: 600})
	}
	id := zoneID(f)
	_, a := call(t, f, "GET", "/zones/"+id+"/dns_records?name.exact=dup.example.com&type=A&page=2&per_page=100", "", nil)
	if ri := a.ResultInfo; ri.Page != 2 || ri.PerPage != 5 || ri.Count != 2 || ri.TotalCount != 7 || ri.TotalPages != 2 {
		t.Fatalf("result_info = %+v", ri)
	}
	status, a := call(t, f, "POST", "/zones/"+id+"/dns_records", `{"name":"home","type":"A","content":"81.2.69.160","ttl":59}`, nil)
	if status != 400 || a.Errors[0].Code != 1004 || a.Errors[0].ErrorChain[0].Code != 9021 {
		t.Fatalf("TTL 59: %d %+v", status, a)
	}
	if status, a = call(t, f, "POST", "/zones/"+id+"/dns_records", `{"name":"home","type":"A","content":"81.2.69.160","ttl":1}`, nil); status != 200 {
		t.Fatalf("TTL 1: %d %+v", status, a)
	}
	if status, _ = call(t, f, "POST", "/zones/"+id+"/dns_records", `{"name":"home","type":"A","content":"81.2.69.160","ttl":1}`, nil); status != 400 {
		t.Fatalf("identical record: %d", status)
	}
	f.Lock()
	f.MinTTL = 30
	f.Unlock()
	if status, a = call(t, f, "POST", "/zones/"+id+"/dns_records", `{"name":"ent","type":"A","content":"81.2.69.160","ttl":30}`, nil); status != 200 {
		t.Fatalf("TTL 30 on an Enterprise zone: %d %+v", status, a)
	}
	if status, _ = call(t, f, "GET", "/zones/0123456789abcdef0123456789abcdef/dns_records", "", nil); status != 400 {
		t.Fatalf("unknown zone: %d", status)
	}
}

func TestBatch(t *testing.T) {
	f := cloudflarefake.New(t, "example.com")
	a := f.Seed("example.com", providers.Record{Name: "a.example.com", Type: "A", Value: "81.2.69.160", TTL: 600})
	b := f.Seed("example.com", providers.Record{Name: "b.example.com", Type: "A", Value: "81.2.69.161", TTL: 600})
	id := zoneID(f)
	path := "/zones/" + id + "/dns_records/batch"

	// A failing operation rolls the whole batch back.
	status, _ := call(t, f, "POST", path, `{"deletes":[{"id":"`+a.ID+`"}],"posts":[{"name":"c","type":"A","content":"81.2.69.162","ttl":5}]}`, nil)
	if status != 400 || len(f.Records("example.com", "", "")) != 2 {
		t.Fatalf("failed batch: status %d, records %+v", status, f.Records("example.com", "", ""))
	}
	before := f.Writes()
	status, ans := call(t, f, "POST", path, `{"deletes":[{"id":"`+a.ID+`"}],"patches":[{"id":"`+b.ID+`","content":"81.2.69.170"}],"posts":[{"name":"c","type":"A","content":"81.2.69.162","ttl":600}]}`, nil)
	if status != 200 || f.Writes() != before+1 {
		t.Fatalf("batch: status %d %+v, %d writes", status, ans, f.Writes()-before)
	}
	recs := f.Records("example.com", "", "")
	if len(recs) != 2 || recs[0].ID != b.ID || recs[0].Value != "81.2.69.170" || recs[1].Name != "c.example.com" {
		t.Fatalf("after batch: %+v", recs)
	}
}

// The batch runs deletes, then patches, then posts, as one transaction: a
// post may re-create what a delete removed, and a patch of a missing record
// fails the whole batch.
func TestBatchOrderAndRollback(t *testing.T) {
	f := cloudflarefake.New(t, "example.com")
	a := f.Seed("example.com", providers.Record{Name: "a.example.com", Type: "A", Value: "81.2.69.160", TTL: 600})
	path := "/zones/" + zoneID(f) + "/dns_records/batch"

	status, ans := call(t, f, "POST", path, `{"posts":[{"name":"a","type":"A","content":"81.2.69.160","ttl":600}],"deletes":[{"id":"`+a.ID+`"}]}`, nil)
	if status != 200 || len(f.Records("example.com", "", "")) != 1 || f.Records("example.com", "", "")[0].ID == a.ID {
		t.Fatalf("delete then post of the same record: %d %+v, records %+v", status, ans, f.Records("example.com", "", ""))
	}
	kept := f.Records("example.com", "", "")
	status, ans = call(t, f, "POST", path, `{"deletes":[{"id":"`+kept[0].ID+`"}],"patches":[{"id":"0123456789abcdef0123456789abcdef","content":"81.2.69.161"}],"posts":[{"name":"b","type":"A","content":"81.2.69.162","ttl":600}]}`, nil)
	if status != 404 || ans.Success || len(ans.Errors) == 0 || ans.Errors[0].Code != 81044 {
		t.Fatalf("patch of a missing record: %d %+v", status, ans)
	}
	if got := f.Records("example.com", "", ""); len(got) != 1 || got[0].ID != kept[0].ID || got[0].Value != kept[0].Value {
		t.Fatalf("a failed batch changed the zone: %+v", got)
	}
}

// A comment past the Free plan's 100 characters is refused with 9313.
func TestCommentLength(t *testing.T) {
	f := cloudflarefake.New(t, "example.com")
	path := "/zones/" + zoneID(f) + "/dns_records"
	long := strings.Repeat("x", cloudflarefake.MaxCommentLength+1)
	status, a := call(t, f, "POST", path, `{"name":"home","type":"A","content":"81.2.69.160","ttl":1,"comment":"`+long+`"}`, nil)
	if status != 400 || a.Success || len(a.Errors) != 1 || a.Errors[0].Code != 9313 {
		t.Fatalf("101-character comment: %d %+v", status, a)
	}
	if status, a = call(t, f, "POST", path, `{"name":"home","type":"A","content":"81.2.69.160","ttl":1,"comment":"`+long[1:]+`"}`, nil); status != 200 {
		t.Fatalf("100-character comment: %d %+v", status, a)
	}
}

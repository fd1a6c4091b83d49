package alidns_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/alidns"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

var fuzzSecret = map[string][]byte{"accessKeyId": []byte("LTAI5tFuzzAccessKeyId01"), "accessKeySecret": []byte("fuzzAlibabaAccessKeySecret0123456789")}

func fuzzSecretValues() []string {
	var values []string
	for _, v := range fuzzSecret {
		values = append(values, string(v))
	}
	return values
}

// Answers of the actions the provider calls, in the service's shapes.
var (
	seedDomainRecords = `{"RequestId":"5E2C","TotalCount":2,"PageNumber":1,"PageSize":500,"DomainRecords":{"Record":[` +
		`{"RecordId":"1000000000000007919","RR":"home","DomainName":"example.com","Type":"A","Value":"81.2.69.160","TTL":600,"Line":"default","Status":"ENABLE","Remark":"ddns-operator:owner:default/home"},` +
		`{"RecordId":"1000000000000015838","RR":"@","DomainName":"example.com","Type":"A","Value":"81.2.69.161","TTL":600,"Line":"default","Status":"ENABLE"}]}}`
	seedRecordInfo = `{"RequestId":"5E2C","RecordId":"1","DomainName":"example.com","RR":"home","Type":"A","Value":"81.2.69.161","TTL":600,"Line":"default","Status":"ENABLE","Remark":"old"}`
	seedRemarkOK   = `{"RequestId":"536E9CAD-DB30-4647-AC87-AA5CC38C5382"}`
)

// FuzzAlidnsResponses feeds the provider arbitrary answers (status,
// Retry-After, body) to every call: decoding and error mapping must never
// panic, loop, leave an error unclassified or repeat a credential.
func FuzzAlidnsResponses(f *testing.F) {
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return alidns.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, fuzzSecret, nil)
	}, fuzzSecretValues(), []providertest.FuzzSeed{
		{Status: 200, Body: `{"RequestId":"5E2C0000-0001-4A00-8000-000000000001","TotalCount":1,"PageNumber":1,"PageSize":100,"Domains":{"Domain":[{"DomainId":"00c5-1","DomainName":"example.com","PunyCode":"example.com"}]}}`},
		{Status: 200, Body: `{"RequestId":"5E2C","TotalCount":1,"PageNumber":1,"PageSize":100,"DomainRecords":{"Record":[{"RecordId":"1000000000000007919","RR":"home","DomainName":"example.com","Type":"A","Value":"81.2.69.160","TTL":600,"Line":"default","Status":"ENABLE","Remark":"ddns-operator:owner:default/home"}]}}`},
		{Status: 200, Body: `{"RequestId":"5E2C","RecordId":"1000000000000007919"}`},
		{Status: 200, Body: `{"RequestId":"5E2C","TotalCount":1073741824,"PageNumber":1,"PageSize":100,"DomainRecords":{"Record":[{"RecordId":"1","RR":"home","Type":"A","Line":"default"}]}}`},
		{Status: 200, Body: seedDomainRecords},
		{Status: 200, Body: seedRecordInfo},
		{Status: 200, Body: seedRemarkOK},
		{Status: 404, Body: `{"RequestId":"5E2C","HostId":"127.0.0.1","Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found."}`},
		{Status: 400, Body: `{"RequestId":"5E2C","Code":"Throttling.User","Message":"Request was denied due to user flow control."}`},
		{Status: 400, Body: `{"RequestId":"5E2C","Code":"InvalidDomainName.NoExist","Message":"The specified domain name does not exist."}`},
		{Status: 400, Body: `{"RequestId":"5E2C","Code":"QuotaExceeded.TTL","Message":"The specified TTL is invalid. A valid TTL must be in the range of 600 to 86400."}`},
		{Status: 400, Body: `{"RequestId":"5E2C","HostId":"alidns.aliyuncs.com","Code":"DomainRecordNotBelongToUser","Message":"The DNS record does not exist in your account."}`},
	})
}

// FuzzAlidnsZoneAndRemarkResponses does the same for what the shared
// target does not call: ListZoneRecords (DescribeDomainRecords) and the
// marker writes (UpdateDomainRecordRemark after AddDomainRecord or
// DescribeDomainRecordInfo).
func FuzzAlidnsZoneAndRemarkResponses(f *testing.F) {
	for _, body := range []string{seedDomainRecords, seedRecordInfo, seedRemarkOK, `{"RequestId":"5E2C","RecordId":"7"}`,
		`{"RequestId":"5E2C","TotalCount":9,"DomainRecords":{"Record":[null,{"RecordId":"1","Type":"a","Line":"default"}]}}`,
		`{"RequestId":"5E2C","Code":"DomainRecordNotBelongToUser","Message":"The DNS record does not exist in your account."}`} {
		f.Add(200, []byte(body))
	}
	f.Add(400, []byte(`{"RequestId":"5E2C","Code":"Throttling.User","Message":"Request was denied due to user flow control."}`))
	var (
		mu     sync.Mutex
		status int
		answer []byte
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		s, b := status, answer
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(s)
		_, _ = w.Write(b)
	}))
	f.Cleanup(srv.Close)
	p, err := alidns.Descriptor.New(providers.Env{Endpoint: srv.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}, fuzzSecret, nil)
	if err != nil {
		f.Fatal(err)
	}
	secrets := fuzzSecretValues()
	f.Fuzz(func(t *testing.T, s int, body []byte) {
		if s < 200 || s > 599 {
			t.Skip()
		}
		mu.Lock()
		status, answer = s, body
		mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		zone := providers.Zone{ID: "example.com", Name: "example.com"}
		recs, err := p.(providers.ZoneReader).ListZoneRecords(ctx, zone, "A")
		checkFuzzErr(t, "ListZoneRecords", err, secrets)
		for _, r := range recs {
			if r.Type != "A" || r.ID == "" || (r.Name != "example.com" && !strings.HasSuffix(r.Name, ".example.com")) {
				t.Fatalf("ListZoneRecords(A) reported %+v", r)
			}
		}
		rec := providers.Record{ID: "1", Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600, Marker: "mine"}
		_, err = p.CreateRecord(ctx, zone, rec)
		checkFuzzErr(t, "CreateRecord", err, secrets)
		_, err = p.UpdateRecord(ctx, zone, rec)
		checkFuzzErr(t, "UpdateRecord", err, secrets)
	})
}

// checkFuzzErr asserts err, when set, is a classified providers.Error that
// repeats no credential.
func checkFuzzErr(t *testing.T, op string, err error, secrets []string) {
	t.Helper()
	if err == nil {
		return
	}
	switch providers.KindOf(err) {
	case providers.KindTransient, providers.KindAuth, providers.KindZoneNotFound, providers.KindRateLimited,
		providers.KindInvalid, providers.KindNotFound:
	default:
		t.Fatalf("%s: error %q has kind %s", op, err, providers.KindOf(err))
	}
	for _, s := range secrets {
		if strings.Contains(err.Error(), s) {
			t.Fatalf("%s: error %q holds a credential", op, err)
		}
	}
}

package tencentcloudfake_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	dnspod "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/dnspod/v20210323"

	"github.com/ddns-operator/ddns-operator/providers/tencentcloud/tencentcloudfake"
)

func client(t *testing.T, f *tencentcloudfake.Fake) *dnspod.Client {
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = f.URL[len("http://"):]
	cpf.HttpProfile.Scheme = "HTTP"
	c, err := dnspod.NewClient(common.NewCredential(tencentcloudfake.SecretID, tencentcloudfake.SecretKey), "", cpf)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func id(t *testing.T, s string) uint64 {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func code(err error) string {
	var e *tcerr.TencentCloudSDKError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// ModifyRecord replaces the record: what it is not sent takes the
// documented default.
func TestModifyRecordResetsWhatItIsNotSent(t *testing.T) {
	f := tencentcloudfake.New(t, "example.com")
	w := uint64(30)
	rec := f.SeedRec("example.com", tencentcloudfake.Record{Name: "home", Type: "A", Value: "81.2.69.160", TTL: 1200, Marker: "kept", X: tencentcloudfake.Extra{Weight: &w, Status: "DISABLE"}})
	req := dnspod.NewModifyRecordRequest()
	req.Domain, req.RecordId = common.StringPtr("example.com"), common.Uint64Ptr(id(t, rec.ID))
	req.RecordType, req.RecordLine, req.Value = common.StringPtr("A"), common.StringPtr("默认"), common.StringPtr("81.2.69.161")
	if _, err := client(t, f).ModifyRecord(req); err != nil {
		t.Fatal(err)
	}
	got, _ := f.Get(rec.ID)
	if got.Name != "example.com" || got.TTL != tencentcloudfake.DefaultTTL || got.X.Weight != nil || got.X.Status != "ENABLE" || got.Marker != "kept" {
		t.Fatalf("after a bare ModifyRecord: %+v", got)
	}
}

func TestDescribeRecordListEmptyIsAnError(t *testing.T) {
	f := tencentcloudfake.New(t, "example.com")
	req := dnspod.NewDescribeRecordListRequest()
	req.Domain, req.Subdomain = common.StringPtr("example.com"), common.StringPtr("nothing")
	_, err := client(t, f).DescribeRecordList(req)
	if code(err) != "ResourceNotFound.NoDataOfRecord" {
		t.Fatalf("empty list = %v", err)
	}
	req.Subdomain = common.StringPtr("@")
	resp, err := client(t, f).DescribeRecordList(req)
	if err != nil || len(resp.Response.RecordList) != 2 || *resp.Response.RecordList[0].Type != "NS" {
		t.Fatalf("the apex lists %v, %v; want the two default NS records", resp, err)
	}
	req.Domain = common.StringPtr("other.example")
	if _, err := client(t, f).DescribeRecordList(req); code(err) != "InvalidParameterValue.DomainNotExists" {
		t.Fatalf("unknown domain = %v", err)
	}
}

func TestPagesAreCapped(t *testing.T) {
	f := tencentcloudfake.New(t, "a.example", "b.example", "c.example")
	f.PageSize = 2
	req := dnspod.NewDescribeDomainListRequest()
	req.Limit = common.Int64Ptr(3000)
	resp, err := client(t, f).DescribeDomainList(req)
	if err != nil || len(resp.Response.DomainList) != 2 || *resp.Response.DomainCountInfo.DomainTotal != 3 {
		t.Fatalf("first page = %v, %v", resp, err)
	}
	req.Offset = common.Int64Ptr(2)
	resp, err = client(t, f).DescribeDomainList(req)
	if err != nil || len(resp.Response.DomainList) != 1 || *resp.Response.DomainList[0].Name != "c.example" {
		t.Fatalf("second page = %v, %v", resp, err)
	}
	req.Limit = common.Int64Ptr(3001)
	if _, err := client(t, f).DescribeDomainList(req); code(err) != "InvalidParameterValue.LimitInvalid" {
		t.Fatalf("Limit 3001 = %v", err)
	}
}

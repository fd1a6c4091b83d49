package tencentcloud

import (
	"testing"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/json"

	"github.com/ddns-operator/ddns-operator/providers"
)

// jsonOf is the request body params make.
func jsonOf(params any) string {
	b, _ := json.Marshal(params)
	return string(b)
}

// The request builders put the marker in Remark and read a whole zone when
// no name is given.
func TestRequestBuilders(t *testing.T) {
	p := &Provider{line: DefaultLine, lineID: defaultLineID}
	zone := providers.Zone{Name: "example.com"}
	req := p.createRequest(zone, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", Marker: "mine"})
	if deref(req.Remark) != "mine" || deref(req.SubDomain) != "home" || req.TTL != nil {
		t.Fatalf("createRequest = %s", jsonOf(req))
	}
	if req := p.createRequest(zone, providers.Record{Name: "example.com", Type: "A", Value: "81.2.69.160", TTL: 600}); req.Remark != nil {
		t.Fatalf("createRequest without a marker sends Remark: %s", jsonOf(req))
	}
	list := p.listRequest("example.com", "", "A", true, 3000)
	if list.Subdomain != nil || deref(list.RecordType) != "A" || deref(list.RecordLineID) != defaultLineID ||
		*list.Offset != 3000 || *list.Limit != pageLimit {
		t.Fatalf("listRequest for the zone = %s", jsonOf(list))
	}
}

func BenchmarkCreateRequest(b *testing.B) {
	p := &Provider{line: DefaultLine, lineID: defaultLineID}
	zone := providers.Zone{Name: "example.com"}
	r := providers.Record{Name: "home.example.com", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1", TTL: 600,
		Marker: "ddns-operator/3f2c6a4e-0d6b-4c55-9a3e-2b7f1f0c9d11/default/home"}
	b.ReportAllocs()
	for b.Loop() {
		_ = jsonOf(p.createRequest(zone, r))
	}
}

func BenchmarkListRequest(b *testing.B) {
	p := &Provider{line: DefaultLine, lineID: defaultLineID}
	b.ReportAllocs()
	for b.Loop() {
		_ = jsonOf(p.listRequest("example.com", "", "A", true, 3000))
	}
}

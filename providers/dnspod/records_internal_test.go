package dnspod

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
)

// stubAPI answers Record.Create and Record.Modify and fails Record.Remark
// with remarkErr.
type stubAPI struct {
	dnspodAPI
	remarkErr error
	current   recordJSON
}

func (s *stubAPI) RecordCreate(context.Context, url.Values) (recordWriteResponse, error) {
	var out recordWriteResponse
	out.Record.ID = "16894439"
	return out, nil
}

func (s *stubAPI) RecordModify(context.Context, url.Values) (recordWriteResponse, error) {
	return recordWriteResponse{}, nil
}

func (s *stubAPI) RecordList(context.Context, recordQuery) (recordListResponse, error) {
	return recordListResponse{Records: []recordJSON{s.current}}, nil
}

func (s *stubAPI) RecordRemark(context.Context, string, string, string) error { return s.remarkErr }

// A write whose Record.Remark fails keeps the failure's kind, so a
// throttled remark is retried, and names the record left without it.
func TestRemarkFailureAfterAWrite(t *testing.T) {
	throttled := statusError(actionRecordRemark, "-2", "API usage is limited", "")
	api := &stubAPI{remarkErr: throttled, current: recordJSON{ID: "16894439", Name: "home", Type: "A", Line: DefaultLine, LineID: "0", TTL: "600", Value: "81.2.69.160"}}
	p := &Provider{api: api, line: DefaultLine}
	zone := providers.Zone{ID: "2317346", Name: "example.com"}
	r := providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.161", Marker: "mine"}

	_, err := p.CreateRecord(t.Context(), zone, r)
	if providers.KindOf(err) != providers.KindRateLimited || !errors.Is(err, throttled) ||
		!strings.Contains(err.Error(), "16894439") || !strings.Contains(err.Error(), "remark") {
		t.Fatalf("CreateRecord with a failing remark = %v", err)
	}
	r.ID = "16894439"
	if _, err := p.UpdateRecord(t.Context(), zone, r); providers.KindOf(err) != providers.KindRateLimited {
		t.Fatalf("UpdateRecord with a failing remark = %v", err)
	}
	api.remarkErr = nil
	if out, err := p.UpdateRecord(t.Context(), zone, r); err != nil || out.Marker != "mine" {
		t.Fatalf("UpdateRecord = %+v, %v", out, err)
	}
}

// The request builder sends the common parameters in a form body and
// leaves the TTL out when it is 0.
func TestNewRequest(t *testing.T) {
	a := &httpAPI{endpoint: DefaultEndpoint, userAgent: DefaultUserAgent, creds: Credentials{ID: "13490", Token: "0f1e2d3c4b5a69788796a5b4c3d2e1f0"}}
	p := &Provider{line: DefaultLine}
	params := p.createParams(providers.Zone{ID: "2317346", Name: "example.com"}, providers.Record{Name: "example.com", Type: "A", Value: "81.2.69.160"})
	req, err := a.newRequest(t.Context(), actionRecordCreate, params)
	if err != nil {
		t.Fatal(err)
	}
	if err := req.ParseForm(); err != nil {
		t.Fatal(err)
	}
	f := req.PostForm
	if req.Method != http.MethodPost || req.URL.String() != DefaultEndpoint+"/Record.Create" || f.Get("format") != "json" ||
		f.Get("sub_domain") != "@" || f.Get("record_line") != DefaultLine || f.Has("ttl") || f.Get("login_token") == "" {
		t.Fatalf("request %s %s with form %v", req.Method, req.URL, f)
	}
}

func BenchmarkNewRequest(b *testing.B) {
	a := &httpAPI{endpoint: DefaultEndpoint, userAgent: DefaultUserAgent, creds: Credentials{ID: "13490", Token: "0f1e2d3c4b5a69788796a5b4c3d2e1f0"}}
	p := &Provider{line: DefaultLine}
	zone := providers.Zone{ID: "2317346", Name: "example.com"}
	r := providers.Record{Name: "home.example.com", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1", TTL: 600}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.newRequest(ctx, actionRecordCreate, p.createParams(zone, r)); err != nil {
			b.Fatal(err)
		}
	}
}

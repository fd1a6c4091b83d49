package cloudflare

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
)

// fullBatch is a batch of max writes, a third of each kind, A and AAAA
// mixed, half of them with a marker.
func fullBatch(max int) providers.Batch {
	var b providers.Batch
	for i := 0; i < max; i++ {
		r := providers.Record{ID: fmt.Sprintf("%032x", i), Name: fmt.Sprintf("h%d.example.com", i), Type: "A", Value: fmt.Sprintf("81.2.%d.%d", 69+i/250, 1+i%250), TTL: 300}
		if i%2 == 1 {
			r.Type, r.Value = "AAAA", fmt.Sprintf("2a02:2e0:3fe:1001:302::%x", i+1)
			r.Marker = "ddns-operator/3f2c6a4e-0d6b-4c55-9a3e-2b7f1f0c9d11/default/home"
		}
		switch i % 3 {
		case 0:
			b.Deletes = append(b.Deletes, r)
		case 1:
			b.Updates = append(b.Updates, r)
		default:
			r.ID = ""
			b.Creates = append(b.Creates, r)
		}
	}
	return b
}

// The batch body carries in each patch only what UpdateRecord's PATCH
// carries: no name, no proxied and no comment unless set.
func TestBatchPatchBody(t *testing.T) {
	p := &Provider{}
	params, err := p.batchBody(providers.Batch{
		Updates: []providers.Record{{ID: "372e67954025e0ba6aaa6d586b9e0b59", Name: "home.example.com", Type: "A", Value: "81.2.69.160"}},
		Creates: []providers.Record{{Name: "New.Example.com.", Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1", Marker: "mine"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Deletes []map[string]any `json:"deletes"`
		Patches []map[string]any `json:"patches"`
		Posts   []map[string]any `json:"posts"`
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	if strings.Contains(string(raw), `"deletes"`) || len(body.Patches) != 1 || len(body.Posts) != 1 {
		t.Fatalf("batch body %s", raw)
	}
	patch := body.Patches[0]
	if patch["id"] != "372e67954025e0ba6aaa6d586b9e0b59" || patch["content"] != "81.2.69.160" || patch["type"] != "A" || len(patch) != 3 {
		t.Fatalf("patch %v, want only id, type and content", patch)
	}
	post := body.Posts[0]
	if post["name"] != "new.example.com" || post["ttl"] != float64(ttlAutomatic) || post["proxied"] != false || post["comment"] != "mine" {
		t.Fatalf("post %v", post)
	}
}

// BenchmarkBatchParams builds and encodes the request for a full batch, the
// work the provider adds to each batch call.
func BenchmarkBatchParams(b *testing.B) {
	p := &Provider{}
	batch := fullBatch(maxBatch)
	b.ReportAllocs()
	for b.Loop() {
		params, err := p.batchBody(batch)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(params); err != nil {
			b.Fatal(err)
		}
	}
}

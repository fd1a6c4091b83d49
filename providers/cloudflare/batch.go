package cloudflare

import (
	"context"
	"net/http"

	"github.com/ddns-operator/ddns-operator/providers"
)

// maxBatch is the most writes one POST /zones/{zone_id}/dns_records/batch
// may carry on a Free zone (3,500 on Pro, Business and Enterprise):
// https://developers.cloudflare.com/dns/manage-dns-records/how-to/batch-record-changes/#availability-and-limits
// The provider cannot see the zone's plan, so it keeps to the limit every
// plan accepts.
const maxBatch = 200

var _ providers.BatchWriter = (*Provider)(nil)

// MaxBatch is the most writes one ApplyBatch call may carry.
func (p *Provider) MaxBatch() int { return maxBatch }

// ApplyBatch applies b in one POST /zones/{zone_id}/dns_records/batch,
// which Cloudflare runs in one database transaction, deletes first, then
// patches, then posts
// (https://developers.cloudflare.com/api/resources/dns/subresources/records/methods/batch/).
// Updates are patches built as UpdateRecord builds them, so proxied, the
// comment, tags and settings the operator does not set are kept; creates
// are built as CreateRecord builds them.
func (p *Provider) ApplyBatch(ctx context.Context, zone providers.Zone, b providers.Batch) (providers.BatchResult, error) {
	if b.Len() == 0 {
		return providers.BatchResult{}, nil
	}
	body, err := p.batchBody(b)
	if err != nil {
		return providers.BatchResult{}, err
	}
	var res envelope[batchAnswer]
	if err := p.call(ctx, "apply batch", http.MethodPost, recordsPath(zone, "batch"), nil, body, &res); err != nil {
		return providers.BatchResult{}, err
	}
	if res.Result == nil {
		return providers.BatchResult{}, errEmptyAnswer("apply batch")
	}
	return batchResult(b, res.Result)
}

// batchBody is the request for b. It refuses, before any request, a
// batch larger than maxBatch, a delete or update without an ID and a record
// whose type and address disagree.
func (p *Provider) batchBody(b providers.Batch) (batchBody, error) {
	if b.Len() > maxBatch {
		return batchBody{}, providers.Errorf(providers.KindInvalid, "",
			"apply batch: %d writes, more than the %d Cloudflare accepts in one batch", b.Len(), maxBatch)
	}
	var body batchBody
	if len(b.Deletes) > 0 {
		body.Deletes = make([]recordID, 0, len(b.Deletes))
		for _, r := range b.Deletes {
			if r.ID == "" {
				return batchBody{}, providers.Errorf(providers.KindInvalid, "", "apply batch: a record to delete has no ID")
			}
			body.Deletes = append(body.Deletes, recordID{ID: r.ID})
		}
	}
	if len(b.Updates) > 0 {
		body.Patches = make([]recordBody, 0, len(b.Updates))
		for _, r := range b.Updates {
			if r.ID == "" {
				return batchBody{}, providers.Errorf(providers.KindInvalid, "", "apply batch: a record to update has no ID")
			}
			f, err := p.editFields(r)
			if err != nil {
				return batchBody{}, err
			}
			patch := f.body()
			patch.ID = r.ID
			body.Patches = append(body.Patches, patch)
		}
	}
	if len(b.Creates) > 0 {
		body.Posts = make([]recordBody, 0, len(b.Creates))
		for _, r := range b.Creates {
			f, err := p.createFields(r)
			if err != nil {
				return batchBody{}, err
			}
			body.Posts = append(body.Posts, f.body())
		}
	}
	return body, nil
}

// batchResult matches the answer to b: each update by its ID among the
// patched records, each create by its place among the posted ones (the
// answer lists them in request order). An answer that does not account for
// every write is a transient error: the batch took effect, so the caller
// must read the zone again.
func batchResult(b providers.Batch, res *batchAnswer) (providers.BatchResult, error) {
	patched := make(map[string]providers.Record, len(res.Patches))
	for _, r := range res.Patches {
		patched[r.ID] = fromAPI(r)
	}
	out := providers.BatchResult{}
	if len(b.Updates) > 0 {
		out.Updated = make([]providers.Record, 0, len(b.Updates))
	}
	for _, u := range b.Updates {
		rec, ok := patched[u.ID]
		if !ok {
			return providers.BatchResult{}, providers.Errorf(providers.KindTransient, "",
				"apply batch: the answer does not list updated record %s", u.ID)
		}
		out.Updated = append(out.Updated, rec)
	}
	if len(res.Posts) != len(b.Creates) {
		return providers.BatchResult{}, providers.Errorf(providers.KindTransient, "",
			"apply batch: the answer lists %d created records for %d creates", len(res.Posts), len(b.Creates))
	}
	if len(b.Creates) > 0 {
		out.Created = make([]providers.Record, 0, len(b.Creates))
	}
	for _, r := range res.Posts {
		rec := fromAPI(r)
		if rec.ID == "" {
			return providers.BatchResult{}, providers.Errorf(providers.KindTransient, "",
				"apply batch: the answer lists a created record without an ID")
		}
		out.Created = append(out.Created, rec)
	}
	return out, nil
}

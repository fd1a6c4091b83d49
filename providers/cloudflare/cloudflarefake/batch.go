package cloudflarefake

import (
	"encoding/json"
	"net/http"
)

// batchBody is the body of POST /zones/{zone_id}/dns_records/batch
// (https://developers.cloudflare.com/dns/manage-dns-records/how-to/batch-record-changes/).
type batchBody struct {
	Deletes []struct {
		ID string `json:"id"`
	} `json:"deletes"`
	Patches []recordBody `json:"patches"`
	Puts    []recordBody `json:"puts"`
	Posts   []recordBody `json:"posts"`
}

// batchResult is the batch answer's result: the records each group touched.
type batchResult struct {
	Deletes []wireRecord `json:"deletes"`
	Patches []wireRecord `json:"patches"`
	Puts    []wireRecord `json:"puts"`
	Posts   []wireRecord `json:"posts"`
}

// batch runs the operations in the documented order (deletes, patches,
// puts, posts) in one transaction: any failure, a patch or delete of a
// missing record included, answers an error and leaves the zone as it was
// (https://developers.cloudflare.com/api/resources/dns/subresources/records/methods/batch/).
// The per-request limit (200 writes on Free zones) is not enforced: the
// API's answer past it is not documented.
func (f *Fake) batch(w http.ResponseWriter, r *http.Request, z *zone) {
	var body batchBody
	if json.NewDecoder(r.Body).Decode(&body) != nil {
		fail(w, http.StatusBadRequest, errBadJSON)
		return
	}
	// Work on copies so a failure changes nothing.
	work := make([]*Record, 0, len(z.records))
	for _, rec := range z.records {
		cp := *rec
		work = append(work, &cp)
	}
	find := func(id string) *Record {
		for _, rec := range work {
			if rec.ID == id {
				return rec
			}
		}
		return nil
	}
	res := batchResult{Deletes: []wireRecord{}, Patches: []wireRecord{}, Puts: []wireRecord{}, Posts: []wireRecord{}}
	for _, d := range body.Deletes {
		rec := find(d.ID)
		if rec == nil {
			fail(w, http.StatusNotFound, errNoRecord)
			return
		}
		res.Deletes = append(res.Deletes, wire(z, rec))
		work = without(work, d.ID)
	}
	for _, group := range []struct {
		ops []recordBody
		put bool
		out *[]wireRecord
	}{{body.Patches, false, &res.Patches}, {body.Puts, true, &res.Puts}} {
		for _, op := range group.ops {
			rec := find(op.ID)
			if rec == nil {
				fail(w, http.StatusNotFound, errNoRecord)
				return
			}
			next, status, e := f.edit(z, work, rec, op, group.put)
			if status != 0 {
				fail(w, status, e)
				return
			}
			*rec = next
			*group.out = append(*group.out, wire(z, rec))
		}
	}
	for _, op := range body.Posts {
		rec, status, e := f.post(z, work, op)
		if status != 0 {
			fail(w, status, e)
			return
		}
		work = append(work, rec)
		res.Posts = append(res.Posts, wire(z, rec))
	}
	z.records = work
	ok(w, res, nil)
}

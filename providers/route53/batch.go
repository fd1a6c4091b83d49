package route53

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Limits of one ChangeResourceRecordSets request
// (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-requests-changeresourcerecordsets):
// 1,000 ResourceRecord elements and 32,000 characters of values, an UPSERT
// counting each twice.
const (
	maxElements = 1000
	maxChars    = 32000
)

// maxBatch is the most writes one ApplyBatch takes. A write of one record
// is at most an UPSERT of its set and one of its companion TXT: 4 elements
// and (39 + 102) × 2 = 282 characters for an IPv6 address and the longest
// marker the operator writes (100 characters, quoted), so 100 writes
// (28,200 characters) fit one request with room to spare; ApplyBatch counts
// the real figures and refuses a batch past them.
const maxBatch = 100

// MaxBatch is the most writes one ApplyBatch call may carry.
func (p *Provider) MaxBatch() int { return maxBatch }

// setWrites are a batch's writes to one set (name and type).
type setWrites struct {
	name, typ string
	deletes   []keyed
	updates   []keyed
	creates   []providers.Record
	marker    string
}

// keyed is a record with its parsed ID.
type keyed struct {
	r providers.Record
	k providers.SetKey
}

// ApplyBatch applies b in one ChangeResourceRecordSets request, which
// Route 53 applies whole or not at all. Writes are grouped by set, one
// change per set: a create is a CREATE of its set (refused when the set
// exists: it was made since the zone was read); an update of the only
// value of a set (ID "name/type") with a TTL is an UPSERT of the set with
// the new value, sent without reading anything; updates and deletes of one
// value of a larger set, and deletes, read the set first (and an emptied
// set's companion), then UPSERT what is left or DELETE the set exactly as
// read. A non-empty marker is an UPSERT of the companion TXT set in the
// same request.
func (p *Provider) ApplyBatch(ctx context.Context, zone providers.Zone, b providers.Batch) (providers.BatchResult, error) {
	if b.Len() == 0 {
		return providers.BatchResult{}, nil
	}
	op := opName(zone, b)
	if b.Len() > maxBatch {
		return providers.BatchResult{}, providers.Errorf(providers.KindInvalid, "", "%s: %d writes, more than the %d one request takes", op, b.Len(), maxBatch)
	}
	groups, order, err := group(b)
	if err != nil {
		return providers.BatchResult{}, err
	}
	var changes []types.Change
	finals := map[string]providers.RecordSet{}
	for _, key := range order {
		g := groups[key]
		cs, final, err := p.changesFor(ctx, zone, g)
		if err != nil {
			return providers.BatchResult{}, err
		}
		changes, finals[key] = append(changes, cs...), final
	}
	if err := checkSize(op, changes); err != nil {
		return providers.BatchResult{}, err
	}
	if len(changes) > 0 {
		in := &r53.ChangeResourceRecordSetsInput{HostedZoneId: aws.String(zone.ID),
			ChangeBatch: &types.ChangeBatch{Comment: aws.String("ddns-operator"), Changes: changes}}
		out, err := p.api.ChangeResourceRecordSets(ctx, in)
		if err != nil {
			return providers.BatchResult{}, zoneError(p.mapError(op, err), zone)
		}
		if out == nil || out.ChangeInfo == nil {
			return providers.BatchResult{}, providers.Errorf(providers.KindTransient, "", "%s: the answer holds no change", op)
		}
	}
	res := providers.BatchResult{}
	for _, r := range b.Updates {
		k, _ := providers.ParseSetID(r.ID)
		res.Updated = append(res.Updated, result(r, finals[k.Name+"/"+k.Type]))
	}
	for _, r := range b.Creates {
		r.Name = providers.CanonicalName(r.Name)
		res.Created = append(res.Created, result(r, finals[r.Name+"/"+r.Type]))
	}
	return res, nil
}

// group sorts b's writes by set, in the order the sets first appear,
// checking every ID and value before anything is read or sent.
func group(b providers.Batch) (map[string]*setWrites, []string, error) {
	groups := map[string]*setWrites{}
	var order []string
	get := func(name, typ string) *setWrites {
		key := name + "/" + typ
		g, ok := groups[key]
		if !ok {
			g = &setWrites{name: name, typ: typ}
			groups[key], order = g, append(order, key)
		}
		return g
	}
	for _, r := range b.Deletes {
		k, err := providers.ParseSetID(r.ID)
		if err != nil {
			return nil, nil, err
		}
		g := get(k.Name, k.Type)
		g.deletes = append(g.deletes, keyed{r, k})
	}
	for _, r := range b.Updates {
		k, err := providers.ParseSetID(r.ID)
		if err != nil {
			return nil, nil, err
		}
		r.Name, r.Type = k.Name, k.Type
		if r, err = normalise(r); err != nil {
			return nil, nil, err
		}
		g := get(k.Name, k.Type)
		g.updates = append(g.updates, keyed{r, k})
		if r.Marker != "" {
			g.marker = r.Marker
		}
	}
	for _, r := range b.Creates {
		r, err := normalise(r)
		if err != nil {
			return nil, nil, err
		}
		g := get(r.Name, r.Type)
		g.creates = append(g.creates, r)
		if r.Marker != "" {
			g.marker = r.Marker
		}
	}
	for _, g := range groups {
		if g.marker != "" {
			if err := providers.CheckMarker(g.marker); err != nil {
				return nil, nil, err
			}
		}
	}
	return groups, order, nil
}

// changesFor returns the changes that carry out g, and the set they leave.
func (p *Provider) changesFor(ctx context.Context, zone providers.Zone, g *setWrites) ([]types.Change, providers.RecordSet, error) {
	set := providers.RecordSet{Name: g.name, Type: g.typ}
	var cur *providers.RecordSet
	if needsRead(g) {
		var err error
		if cur, err = p.readSet(ctx, zone, g.name, g.typ); err != nil {
			return nil, set, err
		}
		if cur != nil {
			set = *cur
		}
	}
	for _, d := range g.deletes {
		set, _ = set.Without(d.k, d.r)
	}
	for _, u := range g.updates {
		set = set.Replaced(u.k, u.r)
	}
	for _, c := range g.creates {
		set = set.Replaced(providers.SetKey{Name: g.name, Type: g.typ, Value: c.Value}, c)
	}
	if set.TTL <= 0 {
		set.TTL = DefaultTTL
	}
	var changes []types.Change
	switch {
	case len(set.Values) == 0 && cur == nil:
		// Already gone.
	case len(set.Values) == 0:
		changes = append(changes, types.Change{Action: types.ChangeActionDelete, ResourceRecordSet: toSDK(*cur)})
		companion, err := p.readSet(ctx, zone, providers.CompanionName(g.name, g.typ), "TXT")
		if err != nil {
			return nil, set, err
		}
		if companion != nil {
			changes = append(changes, types.Change{Action: types.ChangeActionDelete, ResourceRecordSet: toSDK(*companion)})
		}
	case len(g.creates) > 0 && len(g.updates) == 0 && cur == nil:
		changes = append(changes, types.Change{Action: types.ChangeActionCreate, ResourceRecordSet: toSDK(set)})
	default:
		changes = append(changes, types.Change{Action: types.ChangeActionUpsert, ResourceRecordSet: toSDK(set)})
	}
	if g.marker != "" && len(set.Values) > 0 {
		companion := providers.RecordSet{Name: providers.CompanionName(g.name, g.typ), Type: "TXT", TTL: set.TTL,
			Values: []providers.SetValue{{Value: g.marker}}}
		changes = append(changes, types.Change{Action: types.ChangeActionUpsert, ResourceRecordSet: toSDK(companion)})
	}
	return changes, set, nil
}

// needsRead reports whether g's changes depend on the set as it is: a
// delete (Route 53 deletes a set only exactly as it is), an update of one
// value of a larger set, or an update keeping the TTL it does not know.
func needsRead(g *setWrites) bool {
	if len(g.deletes) > 0 {
		return true
	}
	for _, u := range g.updates {
		if u.k.Value != "" || u.r.TTL <= 0 {
			return true
		}
	}
	return false
}

// result is r as the batch left it in set.
func result(r providers.Record, set providers.RecordSet) providers.Record {
	r.TTL = set.TTL
	r.ID = providers.SetID(r.Name, r.Type, r.Value, len(set.Values) == 1)
	return r
}

// checkSize refuses changes past the limits of one request.
func checkSize(op string, changes []types.Change) error {
	elements, chars := 0, 0
	for _, c := range changes {
		weight := 1
		if c.Action == types.ChangeActionUpsert {
			weight = 2
		}
		for _, r := range c.ResourceRecordSet.ResourceRecords {
			elements += weight
			chars += weight * len(aws.ToString(r.Value))
		}
	}
	if elements > maxElements || chars > maxChars {
		return providers.Errorf(providers.KindInvalid, "", "%s: %d record elements and %d characters, more than Route 53 takes in one request (%d and %d)",
			op, elements, chars, maxElements, maxChars)
	}
	return nil
}

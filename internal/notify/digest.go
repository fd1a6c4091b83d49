package notify

import "time"

// maxKept bounds how many records of each kind one digest remembers; past
// it only the count grows, so a burst of any size costs bounded memory.
const maxKept = 10000

// Digest is what happened during one coalescing window. Every target's
// message for the window is rendered from it, keeping the kinds the target
// wants.
type Digest struct {
	// Changes holds one entry per source list and family: two changes in
	// one window read as one, from the first old address to the last new.
	Changes []AddressChange
	// Updated, Failing and Recovered keep at most maxKept records each, in
	// arrival order; the totals count all of them.
	Updated                                    []RecordUpdate
	Failing                                    []RecordFailure
	Recovered                                  []RecordRecovery
	UpdatedTotal, FailingTotal, RecoveredTotal int
	// At is when the window closed.
	At time.Time

	updatedAt map[string]int // record key -> index in Updated
}

// empty reports whether the digest holds nothing of the wanted kinds.
func (d *Digest) empty(wants func(EventKind) bool) bool {
	return !(wants(AddressChanged) && len(d.Changes) > 0 ||
		wants(RecordsUpdated) && d.UpdatedTotal > 0 ||
		wants(RecordFailing) && d.FailingTotal > 0 ||
		wants(RecordRecovered) && d.RecoveredTotal > 0)
}

func (d *Digest) addChange(c AddressChange) {
	for i := range d.Changes {
		p := &d.Changes[i]
		if p.List == c.List && p.Family == c.Family {
			p.New, p.Records = c.New, c.Records
			return
		}
	}
	d.Changes = append(d.Changes, c)
}

func (d *Digest) addUpdate(u RecordUpdate) {
	// A record written twice in one window is listed once, from its
	// first old value to its last new one.
	if i, ok := d.updatedAt[u.key()]; ok {
		d.Updated[i].New = u.New
		return
	}
	d.UpdatedTotal++
	if len(d.Updated) < maxKept {
		if d.updatedAt == nil {
			d.updatedAt = map[string]int{}
		}
		d.updatedAt[u.key()] = len(d.Updated)
		d.Updated = append(d.Updated, u)
	}
}

func (d *Digest) addFailure(f RecordFailure) {
	d.FailingTotal++
	if len(d.Failing) < maxKept {
		d.Failing = append(d.Failing, f)
	}
}

func (d *Digest) addRecovery(r RecordRecovery) {
	d.RecoveredTotal++
	if len(d.Recovered) < maxKept {
		d.Recovered = append(d.Recovered, r)
	}
}

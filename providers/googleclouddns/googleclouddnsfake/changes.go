package googleclouddnsfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// change applies a change whole, as Cloud DNS does: every deletion must
// match its set exactly, then no addition may exist.
func (w wire) change(rw http.ResponseWriter, z *providertest.Zone[struct{}], body []byte) {
	var in struct {
		Additions []rrsetIn `json:"additions"`
		Deletions []rrsetIn `json:"deletions"`
	}
	if err := json.Unmarshal(body, &in); err != nil || len(in.Additions)+len(in.Deletions) == 0 {
		writeError(rw, http.StatusBadRequest, "INVALID_ARGUMENT", "invalid", "The 'entity.change' parameter is required but was missing.")
		return
	}
	after := map[string]providers.RecordSet{} // the zone's sets once applied, by name and type
	for _, s := range sets(z, "", "") {
		after[s.Name+" "+s.Type] = s
	}
	for i, d := range in.Deletions {
		want, msg := d.set(z)
		cur, ok := after[want.Name+" "+want.Type]
		if msg != "" || !ok || !sameSet(cur, want) {
			writeError(rw, http.StatusPreconditionFailed, "FAILED_PRECONDITION", "conditionNotMet",
				fmt.Sprintf("Precondition not met for 'entity.change.deletions[%d]'", i))
			return
		}
		delete(after, want.Name+" "+want.Type)
	}
	for i, a := range in.Additions {
		set, msg := a.set(z)
		if msg != "" {
			writeError(rw, http.StatusBadRequest, "INVALID_ARGUMENT", "invalid", fmt.Sprintf("Invalid value for 'entity.change.additions[%d]': %s", i, msg))
			return
		}
		if _, exists := after[set.Name+" "+set.Type]; exists {
			writeError(rw, http.StatusConflict, "ALREADY_EXISTS", "alreadyExists",
				fmt.Sprintf("The resource 'entity.change.additions[%d]' named '%s. (%s)' already exists", i, set.Name, set.Type))
			return
		}
		after[set.Name+" "+set.Type] = set
	}
	for _, d := range in.Deletions {
		set, _ := d.set(z)
		w.f.Store.ReplaceSet(z, providers.RecordSet{Name: set.Name, Type: set.Type}, struct{}{})
	}
	for _, a := range in.Additions {
		set, _ := a.set(z)
		w.f.Store.ReplaceSet(z, set, struct{}{})
	}
	w.f.changes++
	writeJSON(rw, http.StatusOK, map[string]any{"kind": "dns#change", "id": strconv.Itoa(w.f.changes), "status": "pending",
		"startTime": "2025-10-01T09:00:00.000Z", "additions": in.Additions, "deletions": in.Deletions})
}

// rrsetIn is a set in a change.
type rrsetIn struct {
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	TTL     int      `json:"ttl"`
	RRDatas []string `json:"rrdatas"`
}

// set converts in, checking it as Cloud DNS does ("" when fine).
func (in rrsetIn) set(z *providertest.Zone[struct{}]) (providers.RecordSet, string) {
	name := providers.CanonicalName(in.Name)
	set := providers.RecordSet{Name: name, Type: in.Type, TTL: int32(in.TTL)}
	switch {
	case !strings.HasSuffix(in.Name, "."):
		return set, "the name must end with a dot"
	case name != z.Name && !strings.HasSuffix(name, "."+z.Name):
		return set, "the name is not in the zone"
	case in.TTL < 0:
		return set, "ttl must not be negative"
	case len(in.RRDatas) == 0:
		return set, "rrdatas must not be empty"
	}
	for _, v := range in.RRDatas {
		switch in.Type {
		case "A", "AAAA":
			if !validAddress(in.Type, v) {
				return set, fmt.Sprintf("'%s' is not a valid %s record", v, in.Type)
			}
		case "TXT":
			if !strings.HasPrefix(v, `"`) {
				return set, "TXT data must be quoted"
			}
			v = providers.UnquoteTXT(v)
		}
		set.Values = append(set.Values, providers.SetValue{Value: v})
	}
	return set, ""
}

// sets groups the zone's records into sets, named name (absolute, with
// or without the dot) and of type typ when set.
func sets(z *providertest.Zone[struct{}], name, typ string) []providers.RecordSet {
	var out []providers.RecordSet
	seen := map[string]bool{}
	for _, r := range z.Records {
		key := r.Name + " " + r.Type
		if seen[key] || (typ != "" && r.Type != typ) || (name != "" && providers.CanonicalName(name) != r.Name) {
			continue
		}
		seen[key] = true
		out = append(out, z.Set(r.Name, r.Type))
	}
	return out
}

// sameSet compares sets as Cloud DNS compares a deletion: name, type, TTL
// and the values in any order.
func sameSet(a, b providers.RecordSet) bool {
	if a.Name != b.Name || a.Type != b.Type || a.TTL != b.TTL || len(a.Values) != len(b.Values) {
		return false
	}
	for _, v := range b.Values {
		if a.Index(v.Value) < 0 {
			return false
		}
	}
	return true
}

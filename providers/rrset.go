package providers

import (
	"net/netip"
	"slices"
	"strings"
)

// Record sets. Route 53, Google Cloud DNS, Hetzner and Gandi keep the
// records of one name and type as one set holding every value, with no ID
// per value. The operator maps each value of a set to one Record, so the
// reconciler's plan works unchanged: a set with one value is one record; a
// set with two values is two records of the same name and type, and the
// plan keeps (or updates) one of them and deletes the other, which rewrites
// the set with the one value left. The rfc2136 provider names records the
// same way.
//
// A record's ID is "name/type" when it is the only value of its set, and
// "name/type/value" when the set holds others: the ID of a lone record
// stays the same when its value changes, and the values of a larger set
// stay apart.

// SetID returns the ID of the record holding value in the set named name
// of type typ; sole says the set holds no other value.
func SetID(name, typ, value string, sole bool) string {
	name = CanonicalName(name)
	if sole {
		return name + "/" + typ
	}
	return name + "/" + typ + "/" + value
}

// SetKey is a parsed record-set ID.
type SetKey struct {
	// Name (canonical) and Type of the set.
	Name, Type string
	// Value is the value the ID names; "" for the only record of a set.
	Value string
}

// ParseSetID parses an ID SetID made. Anything else is KindInvalid: such
// an ID did not come from this provider.
func ParseSetID(id string) (SetKey, error) {
	parts := strings.SplitN(id, "/", 3)
	if len(parts) < 2 || parts[0] == "" || (parts[1] != "A" && parts[1] != "AAAA") {
		return SetKey{}, Errorf(KindInvalid, "", "record ID %q is not name/type or name/type/value", id)
	}
	k := SetKey{Name: CanonicalName(parts[0]), Type: parts[1]}
	if len(parts) == 3 {
		k.Value = parts[2]
	}
	return k, nil
}

// SetValue is one value of a record set and its ownership marker.
type SetValue struct {
	Value  string
	Marker string
}

// RecordSet is the values of one name and type, as record-set APIs keep
// them.
type RecordSet struct {
	// Name is canonical (lowercase, no trailing dot).
	Name, Type string
	TTL        int32
	Values     []SetValue
}

// Records turns s into one Record per value, with IDs as SetID makes them.
func (s RecordSet) Records() []Record {
	out := make([]Record, 0, len(s.Values))
	for _, v := range s.Values {
		out = append(out, Record{
			ID:   SetID(s.Name, s.Type, v.Value, len(s.Values) == 1),
			Name: CanonicalName(s.Name), Type: s.Type, Value: v.Value, TTL: s.TTL, Marker: v.Marker,
		})
	}
	return out
}

// Index returns the position of value in s (compared as addresses), or -1.
func (s RecordSet) Index(value string) int {
	return slices.IndexFunc(s.Values, func(v SetValue) bool { return SameAddress(v.Value, value) })
}

// Target returns the value of s the record r stands for: the one its ID
// names, else (a "name/type" ID) its listed Value, else the set's only
// value. It returns -1 when s holds none of them.
func (s RecordSet) Target(k SetKey, r Record) int {
	switch {
	case k.Value != "":
		return s.Index(k.Value)
	case r.Value != "" && s.Index(r.Value) >= 0:
		return s.Index(r.Value)
	case len(s.Values) == 1:
		return 0
	}
	return -1
}

// Replaced returns s with the value r's ID names replaced by r.Value (the
// only value, for a "name/type" ID), keeping the others; the new value is
// added when the named one is gone, and appears once. A non-empty r.Marker
// replaces the value's marker; an empty one keeps it. r.TTL above zero
// becomes the set's TTL.
func (s RecordSet) Replaced(k SetKey, r Record) RecordSet {
	out := RecordSet{Name: s.Name, Type: s.Type, TTL: s.TTL}
	if r.TTL > 0 {
		out.TTL = r.TTL
	}
	marker := r.Marker
	at := s.Target(k, r)
	if k.Value == "" {
		// The only record of the set, as read: the set becomes that one
		// value; other values that appeared since are the plan's to
		// delete, and it deletes every record but the one it keeps.
		if at >= 0 && marker == "" {
			marker = s.Values[at].Marker
		}
		out.Values = []SetValue{{Value: r.Value, Marker: marker}}
		return out
	}
	for i, v := range s.Values {
		switch {
		case i == at:
			if marker == "" {
				marker = v.Marker
			}
		case SameAddress(v.Value, r.Value):
		default:
			out.Values = append(out.Values, v)
		}
	}
	out.Values = append(out.Values, SetValue{Value: r.Value, Marker: marker})
	return out
}

// Without returns s without the value r stands for (see Target), and
// whether s held it.
func (s RecordSet) Without(k SetKey, r Record) (RecordSet, bool) {
	at := s.Target(k, r)
	if at < 0 {
		return s, false
	}
	out := s
	out.Values = slices.Delete(slices.Clone(s.Values), at, at+1)
	return out, true
}

// Addresses returns the set's values.
func (s RecordSet) Addresses() []string {
	out := make([]string, 0, len(s.Values))
	for _, v := range s.Values {
		out = append(out, v.Value)
	}
	return out
}

// SameAddress compares two record values as addresses ("2001:db8::1"
// equals "2001:0db8:0:0::1"), and as text when either is not one.
func SameAddress(a, b string) bool {
	x, errX := netip.ParseAddr(a)
	y, errY := netip.ParseAddr(b)
	if errX != nil || errY != nil {
		return a == b
	}
	return x.Unmap() == y.Unmap()
}

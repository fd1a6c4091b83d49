// Package rrset gives record IDs to providers whose API keeps the values
// of a name and type as one set without an ID per value (GoDaddy,
// Spaceship, Gcore's RRsets, and the records read from DNS for Dynamic
// DNS endpoints). The operator tracks records by ID, so such a provider
// makes one from what identifies the value:
//
//   - "name/type" for the only value of its set: it stays the same when
//     the value changes, so an update keeps the record's ID;
//   - "name/type/value" for one of several values, so each duplicate can
//     be updated or removed on its own.
package rrset

import (
	"slices"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Key is what a record ID names.
type Key struct {
	// Name is the full name, canonical; Type is "A" or "AAAA".
	Name, Type string
	// Value is the value for one of several; "" stands for the whole set.
	Value string
}

// ID is the ID of the value v of the set of name and type; sole says it
// is the set's only value.
func ID(name, typ, v string, sole bool) string {
	id := providers.CanonicalName(name) + "/" + strings.ToUpper(typ)
	if !sole {
		id += "/" + v
	}
	return id
}

// Parse reads an ID made by ID. A malformed one is a KindInvalid error.
func Parse(id string) (Key, error) {
	parts := strings.SplitN(id, "/", 3)
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return Key{}, providers.Errorf(providers.KindInvalid, "", "record ID %q is not name/type or name/type/value", id)
	}
	k := Key{Name: providers.CanonicalName(parts[0]), Type: strings.ToUpper(parts[1])}
	if len(parts) == 3 {
		k.Value = parts[2]
	}
	return k, nil
}

// Assign sets the ID of each record, from the size of its set among recs
// (records of other names or types do not count).
func Assign(recs []providers.Record) {
	n := map[string]int{}
	for _, r := range recs {
		n[ID(r.Name, r.Type, "", true)]++
	}
	for i, r := range recs {
		recs[i].ID = ID(r.Name, r.Type, r.Value, n[ID(r.Name, r.Type, "", true)] == 1)
	}
}

// Matches reports whether the value v of the set of name and type is the
// one k names.
func (k Key) Matches(name, typ, v string) bool {
	return providers.CanonicalName(name) == k.Name && strings.EqualFold(typ, k.Type) && (k.Value == "" || k.Value == v)
}

// Replace returns set after the record k names takes a new value: for a
// whole-set key ("name/type") the set becomes the one value with makes of
// its first value (so the value's own settings carry over), for one value
// that value is replaced by with's and the others kept. valueOf is a
// value's address, canonical; found is false when k names a value the
// set lacks, or the set is empty.
func Replace[T any](set []T, k Key, valueOf func(T) string, with func(T) T) (out []T, found bool) {
	i := slices.IndexFunc(set, func(v T) bool { return k.Value == "" || valueOf(v) == k.Value })
	if i < 0 {
		return set, false
	}
	if k.Value == "" {
		return []T{with(set[i])}, true
	}
	out = slices.Clone(set)
	out[i] = with(set[i])
	return out, true
}

// Remove returns set without the record k names (nothing left for a
// whole-set key), and whether it held that record.
func Remove[T any](set []T, k Key, valueOf func(T) string) (rest []T, removed bool) {
	if k.Value == "" {
		return nil, len(set) > 0
	}
	rest = slices.DeleteFunc(slices.Clone(set), func(v T) bool { return valueOf(v) == k.Value })
	return rest, len(rest) != len(set)
}

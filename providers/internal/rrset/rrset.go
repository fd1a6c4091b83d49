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

package rrset

import (
	"slices"
	"testing"
)

func TestReplaceAndRemove(t *testing.T) {
	set := []string{"81.2.69.160", "81.2.69.161", "81.2.69.162"}
	id := func(s string) string { return s }
	with := func(string) string { return "81.2.69.170" }
	for _, tc := range []struct {
		name     string
		key      Key
		replaced []string
		found    bool
		rest     []string
		removed  bool
	}{
		{name: "one of several", key: Key{Name: "a", Type: "A", Value: "81.2.69.161"},
			replaced: []string{"81.2.69.160", "81.2.69.170", "81.2.69.162"}, found: true,
			rest: []string{"81.2.69.160", "81.2.69.162"}, removed: true},
		{name: "the whole set", key: Key{Name: "a", Type: "A"},
			replaced: []string{"81.2.69.170"}, found: true, rest: nil, removed: true},
		{name: "a value the set lacks", key: Key{Name: "a", Type: "A", Value: "81.2.69.199"},
			replaced: set, found: false, rest: set, removed: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, found := Replace(set, tc.key, id, with)
			if !slices.Equal(got, tc.replaced) || found != tc.found {
				t.Fatalf("Replace = %v, %t", got, found)
			}
			rest, removed := Remove(set, tc.key, id)
			if !slices.Equal(rest, tc.rest) || removed != tc.removed {
				t.Fatalf("Remove = %v, %t", rest, removed)
			}
			if set[1] != "81.2.69.161" {
				t.Fatal("the input set was changed")
			}
		})
	}
	if _, found := Replace([]string(nil), Key{Name: "a", Type: "A"}, id, with); found {
		t.Fatal("Replace found a value in an empty set")
	}
	if _, removed := Remove([]string(nil), Key{Name: "a", Type: "A"}, id); removed {
		t.Fatal("Remove removed from an empty set")
	}
}

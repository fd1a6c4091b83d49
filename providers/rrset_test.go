package providers

import (
	"reflect"
	"testing"
)

func TestRecordSetRecords(t *testing.T) {
	one := RecordSet{Name: "Home.Example.com.", Type: "A", TTL: 300, Values: []SetValue{{Value: "81.2.69.160", Marker: "m"}}}
	if got := one.Records(); len(got) != 1 || got[0].ID != "home.example.com/A" || got[0].Name != "home.example.com" || got[0].Marker != "m" || got[0].TTL != 300 {
		t.Fatalf("a set of one value: %+v", got)
	}
	two := RecordSet{Name: "home.example.com", Type: "A", TTL: 300, Values: []SetValue{{Value: "81.2.69.160"}, {Value: "81.2.69.161"}}}
	got := two.Records()
	if len(got) != 2 || got[0].ID != "home.example.com/A/81.2.69.160" || got[1].ID != "home.example.com/A/81.2.69.161" {
		t.Fatalf("a set of two values: %+v", got)
	}
}

func TestParseSetID(t *testing.T) {
	for _, tc := range []struct {
		id   string
		want SetKey
		bad  bool
	}{
		{id: "home.example.com/A", want: SetKey{Name: "home.example.com", Type: "A"}},
		{id: "Home.Example.com./AAAA/2001:db8::1", want: SetKey{Name: "home.example.com", Type: "AAAA", Value: "2001:db8::1"}},
		{id: "home.example.com", bad: true},
		{id: "home.example.com/TXT", bad: true},
		{id: "/A", bad: true},
		{id: "12345", bad: true},
	} {
		got, err := ParseSetID(tc.id)
		if tc.bad {
			if KindOf(err) != KindInvalid {
				t.Errorf("ParseSetID(%q) = %+v, %v; want an invalid-ID error", tc.id, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseSetID(%q) = %+v, %v; want %+v", tc.id, got, err, tc.want)
		}
	}
}

// What an update and a delete leave of a set: the plan's view (one
// record per value) must come out right at a provider that writes sets.
func TestRecordSetReplacedAndWithout(t *testing.T) {
	set := func(ttl int32, vals ...SetValue) RecordSet {
		return RecordSet{Name: "home.example.com", Type: "A", TTL: ttl, Values: vals}
	}
	v := func(value, marker string) SetValue { return SetValue{Value: value, Marker: marker} }
	for _, tc := range []struct {
		name string
		in   RecordSet
		r    Record
		want RecordSet
	}{
		{"the only value changes, its marker stays", set(300, v("81.2.69.160", "m")),
			Record{ID: "home.example.com/A", Value: "81.2.69.161"}, set(300, v("81.2.69.161", "m"))},
		{"a new marker and TTL", set(300, v("81.2.69.160", "m")),
			Record{ID: "home.example.com/A", Value: "81.2.69.161", TTL: 600, Marker: "n"}, set(600, v("81.2.69.161", "n"))},
		{"the only record as read, after a value appeared: the set becomes the one value", set(300, v("81.2.69.160", "m"), v("81.2.69.170", "")),
			Record{ID: "home.example.com/A", Value: "81.2.69.161"}, set(300, v("81.2.69.161", ""))},
		{"one value of two changes, the other stays", set(300, v("81.2.69.160", "m"), v("81.2.69.170", "o")),
			Record{ID: "home.example.com/A/81.2.69.160", Value: "81.2.69.161"}, set(300, v("81.2.69.170", "o"), v("81.2.69.161", "m"))},
		{"changed to a value the set holds: it appears once", set(300, v("81.2.69.160", ""), v("81.2.69.161", "")),
			Record{ID: "home.example.com/A/81.2.69.160", Value: "81.2.69.161"}, set(300, v("81.2.69.161", ""))},
		{"the named value is gone: the new one is added", set(300, v("81.2.69.170", "")),
			Record{ID: "home.example.com/A/81.2.69.160", Value: "81.2.69.161"}, set(300, v("81.2.69.170", ""), v("81.2.69.161", ""))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := ParseSetID(tc.r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := tc.in.Replaced(k, tc.r); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Replaced = %+v, want %+v", got, tc.want)
			}
		})
	}

	two := set(300, v("81.2.69.160", ""), v("2001:db8::1", ""))
	k, _ := ParseSetID("home.example.com/A/2001:0db8::1")
	if got, ok := two.Without(k, Record{}); !ok || !reflect.DeepEqual(got.Addresses(), []string{"81.2.69.160"}) {
		t.Fatalf("Without(a value of two) = %v, %t", got.Addresses(), ok)
	}
	k, _ = ParseSetID("home.example.com/A")
	if got, ok := set(300, v("81.2.69.160", "")).Without(k, Record{Value: "81.2.69.160"}); !ok || len(got.Values) != 0 {
		t.Fatalf("Without(the only value) = %v, %t", got.Addresses(), ok)
	}
	if _, ok := set(300, v("81.2.69.170", ""), v("81.2.69.171", "")).Without(k, Record{Value: "81.2.69.160"}); ok {
		t.Fatal("Without removed a value the set does not hold")
	}
	if _, ok := set(300).Without(k, Record{Value: "81.2.69.160"}); ok {
		t.Fatal("Without found a value in an empty set")
	}
}

func TestCompanionNames(t *testing.T) {
	for _, tc := range []struct{ name, typ, companion string }{
		{"home.example.com", "A", "_ddns-owner-a.home.example.com"},
		{"Example.com.", "AAAA", "_ddns-owner-aaaa.example.com"},
		{"*.example.com", "A", "_ddns-owner-a-wildcard.example.com"},
	} {
		if got := CompanionName(tc.name, tc.typ); got != tc.companion {
			t.Errorf("CompanionName(%s, %s) = %s, want %s", tc.name, tc.typ, got, tc.companion)
		}
		name, typ, ok := CompanionOf(tc.companion)
		if !ok || name != CanonicalName(tc.name) || typ != tc.typ {
			t.Errorf("CompanionOf(%s) = %s, %s, %t", tc.companion, name, typ, ok)
		}
	}
	for _, not := range []string{"home.example.com", "_ddns-owner-txt.example.com", "_ddns-owner-a", "_dmarc.example.com"} {
		if _, _, ok := CompanionOf(not); ok {
			t.Errorf("CompanionOf(%s) took it for a companion", not)
		}
	}
}

func TestCompanionMarkerText(t *testing.T) {
	for _, tc := range []struct {
		values []string
		want   string
	}{
		{nil, ""},
		{[]string{`"ddns-operator:uid:ns/name"`}, "ddns-operator:uid:ns/name"},
		{[]string{`"ddns-operator:" "uid:ns/name"`}, "ddns-operator:uid:ns/name"},
		{[]string{"unquoted text"}, "unquoted text"},
		{[]string{`"b"`, `"a"`}, "a"},
		{[]string{`"with \"escaped\" quote"`}, `with "escaped" quote`},
	} {
		if got := CompanionMarker(tc.values); got != tc.want {
			t.Errorf("CompanionMarker(%q) = %q, want %q", tc.values, got, tc.want)
		}
	}
	if CheckMarker("ddns-operator:uid:ns/name") != nil || KindOf(CheckMarker(`a"b`)) != KindInvalid || KindOf(CheckMarker(string(make([]byte, 300)))) != KindInvalid {
		t.Fatal("CheckMarker accepts what a TXT string cannot hold, or refuses a marker")
	}
}

package controllers

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ddns-operator/ddns-operator/providers"
)

func rec(id, name, typ, value string, ttl int32) providers.Record {
	return providers.Record{ID: id, Name: name, Type: typ, Value: value, TTL: ttl}
}

func ptrRec(r providers.Record) *providers.Record { return &r }

func TestComputePlan(t *testing.T) {
	const name = "home.example.com"
	want := Desired{Name: name, Type: "A", Value: "81.2.69.160", TTL: 300}
	cases := []struct {
		name   string
		want   Desired
		actual []providers.Record
		prefer []string
		plan   providers.Plan
	}{
		{
			name: "nothing exists: create",
			want: want,
			plan: providers.Plan{Create: ptrRec(rec("", name, "A", "81.2.69.160", 300))},
		},
		{
			name:   "equal record: nothing to do",
			want:   want,
			actual: []providers.Record{rec("1", name, "A", "81.2.69.160", 300)},
			plan:   providers.Plan{Keep: ptrRec(rec("1", name, "A", "81.2.69.160", 300))},
		},
		{
			name:   "unmarked record holding the value: adopted by writing the marker",
			want:   Desired{Name: name, Type: "A", Value: "81.2.69.160", TTL: 300, Marker: "m"},
			actual: []providers.Record{rec("1", name, "A", "81.2.69.160", 300)},
			plan:   providers.Plan{Update: &providers.Record{ID: "1", Name: name, Type: "A", Value: "81.2.69.160", TTL: 300, Marker: "m"}},
		},
		{
			name:   "marked record holding the value: nothing to do",
			want:   Desired{Name: name, Type: "A", Value: "81.2.69.160", TTL: 300, Marker: "m"},
			actual: []providers.Record{{ID: "1", Name: name, Type: "A", Value: "81.2.69.160", TTL: 300, Marker: "m"}},
			plan:   providers.Plan{Keep: &providers.Record{ID: "1", Name: name, Type: "A", Value: "81.2.69.160", TTL: 300, Marker: "m"}},
		},
		{
			name: "nothing exists: create with the marker",
			want: Desired{Name: name, Type: "A", Value: "81.2.69.160", TTL: 300, Marker: "m"},
			plan: providers.Plan{Create: &providers.Record{Name: name, Type: "A", Value: "81.2.69.160", TTL: 300, Marker: "m"}},
		},
		{
			name:   "other value: update it in place",
			want:   want,
			actual: []providers.Record{rec("1", name, "A", "81.2.69.1", 300)},
			plan:   providers.Plan{Update: ptrRec(rec("1", name, "A", "81.2.69.160", 300))},
		},
		{
			name:   "other TTL: update",
			want:   want,
			actual: []providers.Record{rec("1", name, "A", "81.2.69.160", 60)},
			plan:   providers.Plan{Update: ptrRec(rec("1", name, "A", "81.2.69.160", 300))},
		},
		{
			name:   "TTL unset in spec: any TTL is fine",
			want:   Desired{Name: name, Type: "A", Value: "81.2.69.160"},
			actual: []providers.Record{rec("1", name, "A", "81.2.69.160", 1)},
			plan:   providers.Plan{Keep: ptrRec(rec("1", name, "A", "81.2.69.160", 1))},
		},
		{
			name:   "TTL fixed by the provider (Cloudflare proxied): no update for the TTL",
			want:   want,
			actual: []providers.Record{rec("1", name, "A", "81.2.69.160", 0)},
			plan:   providers.Plan{Keep: ptrRec(rec("1", name, "A", "81.2.69.160", 0))},
		},
		{
			name:   "TTL unset in spec: update keeps the provider's TTL",
			want:   Desired{Name: name, Type: "A", Value: "81.2.69.160"},
			actual: []providers.Record{rec("1", name, "A", "81.2.69.1", 120)},
			plan:   providers.Plan{Update: ptrRec(rec("1", name, "A", "81.2.69.160", 120))},
		},
		{
			name: "duplicates: keep the matching one, delete the rest",
			want: want,
			actual: []providers.Record{
				rec("3", name, "A", "81.2.69.3", 300),
				rec("2", name, "A", "81.2.69.160", 300),
				rec("1", name, "A", "81.2.69.1", 300),
			},
			plan: providers.Plan{
				Keep:   ptrRec(rec("2", name, "A", "81.2.69.160", 300)),
				Delete: []providers.Record{rec("1", name, "A", "81.2.69.1", 300), rec("3", name, "A", "81.2.69.3", 300)},
			},
		},
		{
			name: "duplicates, none matching: update the one managed before",
			want: want,
			actual: []providers.Record{
				rec("1", name, "A", "81.2.69.1", 300),
				rec("2", name, "A", "81.2.69.2", 300),
			},
			prefer: []string{"2"},
			plan: providers.Plan{
				Update: ptrRec(rec("2", name, "A", "81.2.69.160", 300)),
				Delete: []providers.Record{rec("1", name, "A", "81.2.69.1", 300)},
			},
		},
		{
			name: "duplicates, none matching, none known: update the lowest ID",
			want: want,
			actual: []providers.Record{
				rec("b", name, "A", "81.2.69.2", 300),
				rec("a", name, "A", "81.2.69.1", 300),
			},
			plan: providers.Plan{
				Update: ptrRec(rec("a", name, "A", "81.2.69.160", 300)),
				Delete: []providers.Record{rec("b", name, "A", "81.2.69.2", 300)},
			},
		},
		{
			name: "two equal duplicates: keep one",
			want: want,
			actual: []providers.Record{
				rec("2", name, "A", "81.2.69.160", 300),
				rec("1", name, "A", "81.2.69.160", 300),
			},
			plan: providers.Plan{
				Keep:   ptrRec(rec("1", name, "A", "81.2.69.160", 300)),
				Delete: []providers.Record{rec("2", name, "A", "81.2.69.160", 300)},
			},
		},
		{
			name: "records of other names and types are ignored",
			want: want,
			actual: []providers.Record{
				rec("1", "other.example.com", "A", "81.2.69.1", 300),
				rec("2", name, "AAAA", "2a02:2e0:3fe:1001:302::1", 300),
			},
			plan: providers.Plan{Create: ptrRec(rec("", name, "A", "81.2.69.160", 300))},
		},
		{
			name:   "names compare case-insensitively and without the trailing dot",
			want:   want,
			actual: []providers.Record{rec("1", "HOME.example.com.", "A", "81.2.69.160", 300)},
			plan:   providers.Plan{Keep: ptrRec(rec("1", "HOME.example.com.", "A", "81.2.69.160", 300))},
		},
		{
			name:   "IPv6 values compare as addresses",
			want:   Desired{Name: name, Type: "AAAA", Value: "2a02:2e0:3fe:1001:302::1", TTL: 300},
			actual: []providers.Record{rec("1", name, "AAAA", "2a02:02e0:03fe:1001:0302:0:0:1", 300)},
			plan:   providers.Plan{Keep: ptrRec(rec("1", name, "AAAA", "2a02:02e0:03fe:1001:0302:0:0:1", 300))},
		},
		{
			name:   "an unparsable value at the provider is replaced",
			want:   want,
			actual: []providers.Record{rec("1", name, "A", "not-an-ip", 300)},
			plan:   providers.Plan{Update: ptrRec(rec("1", name, "A", "81.2.69.160", 300))},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ComputePlan(tc.want, tc.actual, tc.prefer)
			if diff := cmp.Diff(tc.plan, got); diff != "" {
				t.Fatalf("plan mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPlanEmpty(t *testing.T) {
	r := rec("1", "a.example.com", "A", "81.2.69.1", 1)
	for _, tc := range []struct {
		plan  providers.Plan
		empty bool
	}{
		{providers.Plan{Keep: &r}, true},
		{providers.Plan{Create: &r}, false},
		{providers.Plan{Update: &r}, false},
		{providers.Plan{Keep: &r, Delete: []providers.Record{r}}, false},
	} {
		if got := tc.plan.Empty(); got != tc.empty {
			t.Errorf("%+v.Empty() = %v, want %v", tc.plan, got, tc.empty)
		}
	}
}

func BenchmarkComputePlan(b *testing.B) {
	want := Desired{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 300}
	actual := []providers.Record{
		rec("3", "home.example.com", "A", "81.2.69.3", 300),
		rec("2", "home.example.com", "A", "81.2.69.2", 300),
		rec("1", "home.example.com", "A", "81.2.69.1", 300),
	}
	for b.Loop() {
		_ = ComputePlan(want, actual, []string{"2"})
	}
}

// FuzzComputePlan checks the plan's invariants on arbitrary provider state:
// at most one of create/update/keep, never a write when a record already
// matches and no duplicates exist, every duplicate deleted exactly once, and
// nothing of another name or type touched.
func FuzzComputePlan(f *testing.F) {
	f.Add("81.2.69.160", int32(300), "m", "1", "81.2.69.160", int32(300), "m", "2", "81.2.69.1", int32(60), "home.example.com", "A")
	f.Add("2a02:2e0:3fe:1001:302::1", int32(0), "", "a", "2a02:02e0:03fe:1001:0302::1", int32(1), "other", "b", "junk", int32(0), "HOME.example.com.", "AAAA")
	f.Fuzz(func(t *testing.T, value string, ttl int32, marker, id1, v1 string, ttl1 int32, marker1, id2, v2 string, ttl2 int32, name2, type2 string) {
		want := Desired{Name: "home.example.com", Type: "A", Value: value, TTL: ttl, Marker: marker}
		actual := []providers.Record{
			{ID: id1, Name: "home.example.com", Type: "A", Value: v1, TTL: ttl1, Marker: marker1},
			{ID: id2, Name: name2, Type: type2, Value: v2, TTL: ttl2},
		}
		p := ComputePlan(want, actual, []string{id2})
		n := 0
		for _, r := range []*providers.Record{p.Keep, p.Create, p.Update} {
			if r != nil {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("plan %+v has %d of keep/create/update, want exactly 1", p, n)
		}
		mine := 0
		for _, r := range actual {
			if providers.CanonicalName(r.Name) == want.Name && r.Type == want.Type {
				mine++
			}
		}
		if mine == 0 && p.Create == nil {
			t.Fatalf("nothing exists but the plan creates nothing: %+v", p)
		}
		if mine > 0 && p.Create != nil {
			t.Fatalf("a record exists but the plan creates another: %+v", p)
		}
		if mine > 0 && len(p.Delete) != mine-1 {
			t.Fatalf("%d records of the name exist, plan deletes %d", mine, len(p.Delete))
		}
		for _, d := range p.Delete {
			if providers.CanonicalName(d.Name) != want.Name || d.Type != want.Type {
				t.Fatalf("plan deletes a record of another name or type: %+v", d)
			}
		}
		if p.Update != nil && p.Update.Value != want.Value {
			t.Fatalf("update writes %q, want %q", p.Update.Value, want.Value)
		}
		if want.Marker != "" {
			for what, r := range map[string]*providers.Record{"keeps": p.Keep, "creates": p.Create, "updates": p.Update} {
				if r != nil && r.Marker != want.Marker {
					t.Fatalf("plan %s a record marked %q, want the marker %q", what, r.Marker, want.Marker)
				}
			}
		}
	})
}

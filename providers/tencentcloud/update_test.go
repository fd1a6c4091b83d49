package tencentcloud_test

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/tencentcloud/tencentcloudfake"
)

func good(t *testing.T, fake *tencentcloudfake.Fake, o *v1alpha1.TencentCloudOptions) providers.Provider {
	return build(t, fake, tencentcloudfake.SecretID, tencentcloudfake.SecretKey, o)
}

// ModifyRecord resets what it is not sent (the fake models that), so an
// update must send the record's weight, status, remark and line back.
func TestUpdateKeepsProviderSideSettings(t *testing.T) {
	ctx := t.Context()
	fake := tencentcloudfake.New(t, "example.com")
	weight := uint64(20)
	seeded := fake.SeedRec("example.com", tencentcloudfake.Record{Name: "home", Type: "A", Value: "81.2.69.160", TTL: 1200, Marker: "office router", X: tencentcloudfake.Extra{Line: "电信", LineID: "10=0", Weight: &weight, Status: "DISABLE"}})
	p := good(t, fake, &v1alpha1.TencentCloudOptions{RecordLine: "电信"})
	z, err := p.FindZone(ctx, "home.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.ListRecords(ctx, z, "home.example.com", "A")
	if err != nil || len(got) != 1 || got[0].TTL != 1200 {
		t.Fatalf("ListRecords = %+v, %v", got, err)
	}

	// TTL 0 keeps the record's TTL.
	upd := got[0]
	upd.Value, upd.TTL = "81.2.69.161", 0
	res, err := p.UpdateRecord(ctx, z, upd)
	if err != nil {
		t.Fatalf("UpdateRecord: %v", err)
	}
	if res.TTL != 1200 || res.Value != "81.2.69.161" {
		t.Errorf("UpdateRecord returned %+v", res)
	}
	after, _ := fake.Get(seeded.ID)
	if after.Value != "81.2.69.161" || after.TTL != 1200 {
		t.Errorf("value/TTL after update = %s/%d", after.Value, after.TTL)
	}
	if after.X.Weight == nil || *after.X.Weight != 20 || after.X.Status != "DISABLE" || after.Marker != "office router" ||
		after.X.Line != "电信" || after.X.LineID != "10=0" || after.Name != "home.example.com" {
		t.Errorf("update lost settings: %+v (weight %v)", after, after.X.Weight)
	}

	// A new TTL is applied, the rest still kept.
	upd.TTL = 3600
	if _, err := p.UpdateRecord(ctx, z, upd); err != nil {
		t.Fatal(err)
	}
	after, _ = fake.Get(seeded.ID)
	if after.TTL != 3600 || after.X.Weight == nil || after.X.Status != "DISABLE" || after.Marker != "office router" {
		t.Errorf("after the TTL change: %+v", after)
	}
	if fake.Writes() != 2 {
		t.Errorf("two updates made %d writes", fake.Writes())
	}
}

// Only the records of the spec's line are the record's; others are left
// alone.
func TestListRecordsOnlyOnTheLine(t *testing.T) {
	ctx := t.Context()
	fake := tencentcloudfake.New(t, "example.com")
	def := fake.SeedRec("example.com", tencentcloudfake.Record{Name: "home", Type: "A", Value: "81.2.69.160", TTL: 600})
	tel := fake.SeedRec("example.com", tencentcloudfake.Record{Name: "home", Type: "A", Value: "81.2.69.161", TTL: 600, X: tencentcloudfake.Extra{Line: "电信", LineID: "10=0"}})
	for _, tc := range []struct {
		name string
		o    *v1alpha1.TencentCloudOptions
		want string
	}{
		{"default line", nil, def.ID},
		{"line by name", &v1alpha1.TencentCloudOptions{RecordLine: "电信"}, tel.ID},
		{"line ID wins over the name", &v1alpha1.TencentCloudOptions{RecordLine: "默认", RecordLineID: "10=0"}, tel.ID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := good(t, fake, tc.o)
			z, err := p.FindZone(ctx, "example.com", "example.com")
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.ListRecords(ctx, z, "home.example.com", "A")
			if err != nil || len(got) != 1 || got[0].ID != tc.want {
				t.Fatalf("ListRecords = %+v, %v; want only record %s", got, err, tc.want)
			}
		})
	}
}

func TestCreateOnTheLine(t *testing.T) {
	ctx := t.Context()
	fake := tencentcloudfake.New(t, "example.com")
	p := good(t, fake, &v1alpha1.TencentCloudOptions{RecordLineID: "10=1"})
	z, _ := p.FindZone(ctx, "example.com", "")
	r, err := p.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160"})
	if err != nil {
		t.Fatal(err)
	}
	if r.TTL != 600 {
		t.Errorf("TTL 0 on create returned TTL %d, want DNSPod's default 600", r.TTL)
	}
	for _, rec := range fake.Records("example.com", "", "") {
		if rec.Name == "home.example.com" && (rec.X.LineID != "10=1" || rec.X.Line != "联通" || rec.TTL != 600) {
			t.Errorf("created %+v, want line 联通 (10=1), TTL 600", rec)
		}
	}
	_, err = good(t, fake, &v1alpha1.TencentCloudOptions{RecordLine: "火星"}).CreateRecord(ctx, z,
		providers.Record{Name: "x.example.com", Type: "A", Value: "81.2.69.160", TTL: 600})
	if providers.KindOf(err) != providers.KindInvalid {
		t.Errorf("create on an unknown line = %v, want invalid", err)
	}
}

func TestUpdateAndDeleteOfAMissingRecord(t *testing.T) {
	ctx := t.Context()
	fake := tencentcloudfake.New(t, "example.com")
	p := good(t, fake, nil)
	z, _ := p.FindZone(ctx, "example.com", "")
	gone := providers.Record{ID: "999999", Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600}
	if _, err := p.UpdateRecord(ctx, z, gone); providers.KindOf(err) != providers.KindNotFound {
		t.Errorf("updating a missing record = %v, want not found", err)
	}
	if err := p.DeleteRecord(ctx, z, gone); err != nil {
		t.Errorf("deleting a missing record = %v, want nil", err)
	}
	if _, err := p.ListRecords(ctx, providers.Zone{Name: "missing.example"}, "a.missing.example", "A"); providers.KindOf(err) != providers.KindZoneNotFound {
		t.Errorf("listing in a missing zone = %v, want zone not found", err)
	}
}

func TestAccountWithoutDomains(t *testing.T) {
	fake := tencentcloudfake.New(t)
	_, err := good(t, fake, nil).FindZone(t.Context(), "home.example.com", "")
	if providers.KindOf(err) != providers.KindZoneNotFound {
		t.Fatalf("FindZone with no domains = %v, want zone not found", err)
	}
}

// The fake serves at most its page size, so a larger page size still
// proves paging with the client's Limit of 3000.
func TestLargePages(t *testing.T) {
	ctx := t.Context()
	fake := tencentcloudfake.New(t, "example.com")
	fake.PageSize = 3000
	for i := 0; i < 40; i++ {
		fake.Seed("example.com", providers.Record{Name: "dup.example.com", Type: "A", Value: "81.2.70." + itoa(uint64(i+1)), TTL: 600})
	}
	p := good(t, fake, nil)
	z, _ := p.FindZone(ctx, "example.com", "")
	before := fake.Count("DescribeRecordList")
	got, err := p.ListRecords(ctx, z, "dup.example.com", "A")
	if err != nil || len(got) != 40 {
		t.Fatalf("ListRecords = %d records, %v", len(got), err)
	}
	if n := fake.Count("DescribeRecordList") - before; n != 1 {
		t.Errorf("listing 40 records took %d requests, want 1", n)
	}
}

// A marker replaces the remark in the same ModifyRecord that changes the
// value, still sending back the settings the spec does not mention.
func TestUpdateWithAMarkerReplacesTheRemark(t *testing.T) {
	ctx := t.Context()
	fake := tencentcloudfake.New(t, "example.com")
	weight := uint64(20)
	seeded := fake.SeedRec("example.com", tencentcloudfake.Record{Name: "home", Type: "A", Value: "81.2.69.160", TTL: 1200, Marker: "office router", X: tencentcloudfake.Extra{Weight: &weight}})
	p := good(t, fake, nil)
	z, _ := p.FindZone(ctx, "example.com", "")
	out, err := p.UpdateRecord(ctx, z, providers.Record{ID: seeded.ID, Name: "home.example.com", Type: "A", Value: "81.2.69.161", Marker: "mine"})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := fake.Get(seeded.ID)
	if out.Marker != "mine" || after.Marker != "mine" || after.X.Weight == nil || after.TTL != 1200 || after.Value != "81.2.69.161" {
		t.Fatalf("UpdateRecord returned %+v; stored %+v", out, after)
	}
	if fake.Writes() != 1 {
		t.Errorf("the update made %d writes, want 1", fake.Writes())
	}
}

// ListZoneRecords reads the zone on the provider's line only, in pages of
// the documented maximum.
func TestListZoneRecordsOnTheLine(t *testing.T) {
	ctx := t.Context()
	fake := tencentcloudfake.New(t, "example.com")
	fake.PageSize = 3000
	for i := 0; i < 40; i++ {
		fake.Seed("example.com", providers.Record{Name: "n" + itoa(uint64(i)) + ".example.com", Type: "A", Value: "81.2.70." + itoa(uint64(i+1)), TTL: 600})
	}
	fake.SeedRec("example.com", tencentcloudfake.Record{Name: "home", Type: "A", Value: "81.2.69.161", TTL: 600, X: tencentcloudfake.Extra{Line: "电信", LineID: "10=0"}})
	p := good(t, fake, nil).(providers.ZoneReader)
	before := fake.Count("DescribeRecordList")
	got, err := p.ListZoneRecords(ctx, providers.Zone{Name: "example.com"}, "A")
	if err != nil || len(got) != 40 {
		t.Fatalf("ListZoneRecords = %d records, %v; want the 40 on the default line", len(got), err)
	}
	if n := fake.Count("DescribeRecordList") - before; n != 1 {
		t.Errorf("listing 40 records took %d requests, want 1", n)
	}
}

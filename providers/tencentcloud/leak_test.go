package tencentcloud_test

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/tencentcloud/tencentcloudfake"
)

// No error the provider returns repeats the SecretId, the SecretKey or any
// part of the signed request.
func TestErrorsCarryNoCredentials(t *testing.T) {
	ctx := t.Context()
	const badKey = "wrong-secret-key-0123456789"
	fake := tencentcloudfake.New(t, "example.com")
	p := good(t, fake, nil)
	z, err := p.FindZone(ctx, "example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	rec := providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600}
	var errs []error
	collect := func(_ any, err error) { errs = append(errs, err) }

	_, err = build(t, fake, tencentcloudfake.SecretID, badKey, nil).FindZone(ctx, "example.com", "")
	collect(nil, err)
	collect(build(t, fake, "AKIDunknown", badKey, nil).ListRecords(ctx, z, rec.Name, "A"))
	collect(build(t, fake, tencentcloudfake.SecretID, badKey, nil).CreateRecord(ctx, z, rec))
	collect(p.FindZone(ctx, "home.example.net", ""))
	collect(p.FindZone(ctx, "home.example.com", "missing.example.com"))
	collect(p.CreateRecord(ctx, z, providers.Record{Name: rec.Name, Type: "A", Value: rec.Value, TTL: 60}))
	collect(p.CreateRecord(ctx, z, providers.Record{Name: rec.Name, Type: "A", Value: "not-an-ip", TTL: 600}))
	collect(good(t, fake, &v1alpha1.TencentCloudOptions{RecordLine: "火星"}).CreateRecord(ctx, z, rec))
	collect(p.UpdateRecord(ctx, z, providers.Record{ID: "424242", Name: rec.Name, Type: "A", Value: rec.Value}))
	collect(p.UpdateRecord(ctx, z, providers.Record{ID: "not-a-number"}))
	collect(p.ListRecords(ctx, providers.Zone{Name: "missing.example"}, "a.missing.example", "A"))
	fake.SetFault(providertest.FaultRateLimited)
	collect(p.ListRecords(ctx, z, rec.Name, "A"))
	fake.SetFault(providertest.FaultServerError)
	collect(p.CreateRecord(ctx, z, rec))
	fake.SetFault(providertest.FaultNone)
	fake.Close()
	collect(p.ListRecords(ctx, z, rec.Name, "A"))

	for i, err := range errs {
		if err == nil {
			t.Errorf("case %d produced no error", i)
			continue
		}
		noSecrets(t, err.Error(), tencentcloudfake.SecretID, tencentcloudfake.SecretKey, badKey)
	}
}

package googleclouddns_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/googleclouddns"
	"github.com/ddns-operator/ddns-operator/providers/googleclouddns/googleclouddnsfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

func secret(key string) map[string][]byte {
	return map[string][]byte{googleclouddns.KeyServiceAccount: []byte(key)}
}

func env(f *googleclouddnsfake.Fake) providers.Env {
	return providers.Env{Endpoint: f.URL, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, zones []string) *providertest.Fixture {
		f := googleclouddnsfake.New(t, zones...)
		return f.Fill(&providertest.Fixture{
			Descriptor: googleclouddns.Descriptor,
			Env:        env(f),
			Secret:     secret(googleclouddnsfake.KeyJSON(true)),
			// The same service account with another private key: the
			// fake's token endpoint checks the assertion's signature.
			BadSecret: secret(googleclouddnsfake.KeyJSON(false)),
		})
	})
}

func build(t *testing.T, f *googleclouddnsfake.Fake, spec *v1alpha1.DynamicDNSRecordSpec) providers.Provider {
	t.Helper()
	p, err := googleclouddns.Descriptor.New(env(f), secret(googleclouddnsfake.KeyJSON(true)), spec)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A set with two values is two records; the plan's update of one and
// delete of the other each take one change, and the set ends with one
// value and the marker in its companion.
func TestSetOfTwoValues(t *testing.T) {
	ctx := context.Background()
	f := googleclouddnsfake.New(t, "example.com")
	p := build(t, f, nil)
	z, err := p.FindZone(ctx, "home.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	f.Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 300})
	f.Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.161", TTL: 300})
	got, err := p.ListRecords(ctx, z, "home.example.com", "A")
	if err != nil || len(got) != 2 || got[0].ID == got[1].ID {
		t.Fatalf("ListRecords = %+v, %v", got, err)
	}
	upd := got[1]
	upd.Value, upd.Marker = "81.2.69.170", "mine"
	before := f.Writes()
	if _, err := p.UpdateRecord(ctx, z, upd); err != nil {
		t.Fatal(err)
	}
	if err := p.DeleteRecord(ctx, z, got[0]); err != nil {
		t.Fatal(err)
	}
	if f.Writes()-before != 2 {
		t.Fatalf("an update and a delete took %d changes, want 2", f.Writes()-before)
	}
	left, err := p.ListRecords(ctx, z, "home.example.com", "A")
	if err != nil || len(left) != 1 || left[0].Value != "81.2.69.170" || left[0].Marker != "mine" || left[0].ID != "home.example.com/A" {
		t.Fatalf("after the plan: %+v, %v", left, err)
	}
	// The address and the marker changing together are one change.
	upd = left[0]
	upd.Value, upd.Marker = "81.2.69.171", "theirs"
	before = f.Writes()
	if _, err := p.UpdateRecord(ctx, z, upd); err != nil {
		t.Fatal(err)
	}
	if f.Writes()-before != 1 {
		t.Fatalf("value and marker took %d changes, want 1", f.Writes()-before)
	}
}

// Public zones are the default; privateZone selects the private ones, and
// a name only a zone of the other visibility holds says so.
func TestPrivateAndPublicZones(t *testing.T) {
	ctx := context.Background()
	f := googleclouddnsfake.New(t, "example.com")
	f.AddPrivateZone("internal.example.com")
	pub := build(t, f, nil)
	priv := build(t, f, &v1alpha1.DynamicDNSRecordSpec{GoogleCloudDNS: &v1alpha1.GoogleCloudDNSOptions{PrivateZone: true}})
	if z, err := pub.FindZone(ctx, "home.internal.example.com", ""); err != nil || z.Name != "example.com" {
		t.Fatalf("public lookup = %+v, %v", z, err)
	}
	if z, err := priv.FindZone(ctx, "home.internal.example.com", ""); err != nil || z.Name != "internal.example.com" {
		t.Fatalf("private lookup = %+v, %v", z, err)
	}
	_, err := priv.FindZone(ctx, "home.example.com", "")
	if providers.KindOf(err) != providers.KindZoneNotFound || !strings.Contains(err.Error(), "a public one does") {
		t.Fatalf("a private lookup of a public name = %v", err)
	}
	_, err = pub.FindZone(ctx, "x.internal.example.com", "internal.example.com")
	if providers.KindOf(err) != providers.KindZoneNotFound || !strings.Contains(err.Error(), "privateZone: true") {
		t.Fatalf("a public lookup with a private hint = %v", err)
	}
}

// With no key in the Secret, the provider takes the pod's workload
// identity from the metadata server (GCE_METADATA_HOST points the SDK's
// metadata client at the fake), and the project it names.
func TestWorkloadIdentity(t *testing.T) {
	ctx := context.Background()
	f := googleclouddnsfake.New(t, "example.com")
	f.Ambient(t)
	p, err := googleclouddns.Descriptor.New(env(f), map[string][]byte{}, nil)
	if err != nil {
		t.Fatalf("New without a key: %v", err)
	}
	z, err := p.FindZone(ctx, "home.example.com", "")
	if err != nil {
		t.Fatalf("FindZone with workload identity: %v", err)
	}
	if _, err := p.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", Marker: "mine"}); err != nil {
		t.Fatal(err)
	}
	if !f.AmbientSeen() || f.Count("metadataToken") == 0 || f.Count("token") != 0 {
		t.Fatalf("ambient token used %t; metadata tokens %d, key tokens %d", f.AmbientSeen(), f.Count("metadataToken"), f.Count("token"))
	}
}

func TestFromSecretData(t *testing.T) {
	if k, err := googleclouddns.FromSecretData(map[string][]byte{}); k != nil || err != nil {
		t.Fatalf("no key: %v, %v; want the ambient credentials", k, err)
	}
	k, err := googleclouddns.FromSecretData(secret("\n" + googleclouddnsfake.KeyJSON(true) + "\n"))
	if err != nil || k.ClientEmail != googleclouddnsfake.ClientEmail || k.ProjectID != googleclouddnsfake.Project {
		t.Fatalf("a key: %+v, %v", k, err)
	}
	if s := k.String(); strings.Contains(s, "PRIVATE KEY") {
		t.Fatalf("String() = %q", s)
	}
	for name, v := range map[string]string{
		"empty":           "  ",
		"not JSON":        "AIzaSyD-not-a-key",
		"an external one": `{"type":"external_account","audience":"//iam.googleapis.com/x","credential_source":{"file":"/var/run/secrets/kubernetes.io/serviceaccount/token"}}`,
		"a user's":        `{"type":"authorized_user","client_id":"x","client_secret":"y","refresh_token":"z"}`,
		"no private key":  `{"type":"service_account","client_email":"a@b.iam.gserviceaccount.com"}`,
		"a broken key":    `{"type":"service_account","client_email":"a@b.iam.gserviceaccount.com","private_key":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}`,
	} {
		if _, err := googleclouddns.FromSecretData(secret(v)); providers.KindOf(err) != providers.KindCredentials || !strings.Contains(err.Error(), googleclouddns.KeyServiceAccount) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Reads under faults below the wire format end at once with a transient
// error: a listing that never ends, and 200 answers that are not the API's.
func TestReadFaults(t *testing.T) {
	f := googleclouddnsfake.New(t, "example.com")
	providertest.CheckReadFaults(t, build(t, f, nil), "example.com", f.SetFault)
}

// The record and its marker go in one request, so a record whose answer
// was lost is found marked and not written again.
func TestLostCreate(t *testing.T) {
	f := googleclouddnsfake.New(t, "example.com")
	providertest.CheckLostCreate(t, build(t, f, nil), "example.com", f.SetFault)
}

package route53_test

import (
	"context"
	"os"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/route53"
	"github.com/ddns-operator/ddns-operator/providers/route53/route53fake"
)

// These tests set the process's AWS_* variables (restored at the end);
// none of them runs in parallel.

// ambientRecord builds the provider from a Secret without keys and writes
// a record through it.
func ambientRecord(t *testing.T, f *route53fake.Fake) error {
	t.Helper()
	ctx := context.Background()
	p, err := route53.Descriptor.New(env(f), map[string][]byte{}, nil)
	if err != nil {
		t.Fatalf("New without keys: %v", err)
	}
	z, err := p.FindZone(ctx, "home.example.com", "")
	if err != nil {
		return err
	}
	_, err = p.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 300, Marker: "mine"})
	return err
}

// IRSA: the projected token is exchanged at STS (the SDK's web identity
// provider, pointed at the fake by AWS_ENDPOINT_URL_STS) for a temporary
// key, which signs the Route 53 requests.
func TestWebIdentity(t *testing.T) {
	f := route53fake.New(t, "example.com")
	f.WebIdentity(t)
	if err := ambientRecord(t, f); err != nil {
		t.Fatal(err)
	}
	sts, imds := f.CredentialRequests()
	if !f.AmbientSeen() || sts != 1 || imds != 0 {
		t.Fatalf("temporary key used %t; STS requests %d, IMDS requests %d", f.AmbientSeen(), sts, imds)
	}
}

// A role the token may not assume is an authentication error naming STS's
// refusal.
func TestWebIdentityRefused(t *testing.T) {
	f := route53fake.New(t, "example.com")
	f.WebIdentity(t)
	t.Setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/someone-else")
	err := ambientRecord(t, f)
	if providers.KindOf(err) != providers.KindAuth {
		t.Fatalf("a refused web identity = %v, want an authentication error", err)
	}
	t.Logf("refused: %v", err)
}

// The node's instance role: IMDSv2 (the SDK's ec2rolecreds and imds
// client, pointed at the fake by AWS_EC2_METADATA_SERVICE_ENDPOINT).
func TestInstanceRole(t *testing.T) {
	f := route53fake.New(t, "example.com")
	f.InstanceRole(t)
	if err := ambientRecord(t, f); err != nil {
		t.Fatal(err)
	}
	sts, imds := f.CredentialRequests()
	if !f.AmbientSeen() || sts != 0 || imds < 3 {
		t.Fatalf("temporary key used %t; STS requests %d, IMDS requests %d", f.AmbientSeen(), sts, imds)
	}
}

// With the metadata service turned off and nothing else, the Secret must
// hold a key: the error says so.
func TestNoAmbientCredentials(t *testing.T) {
	f := route53fake.New(t, "example.com")
	f.InstanceRole(t)
	if err := os.Setenv("AWS_EC2_METADATA_DISABLED", "true"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Unsetenv("AWS_EC2_METADATA_DISABLED") })
	_, err := route53.Descriptor.New(env(f), map[string][]byte{}, nil)
	if providers.KindOf(err) != providers.KindCredentials {
		t.Fatalf("New without keys or an AWS identity = %v", err)
	}
}

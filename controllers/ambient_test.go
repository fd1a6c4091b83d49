package controllers

import (
	"testing"

	. "github.com/onsi/gomega"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers/registry/registrytest"
)

// TestAmbientCredentials takes every provider whose Secret may hold no
// keys (Descriptor.Ambient: route53 with IRSA, googleclouddns with GKE
// workload identity) through a record to Ready on the pod's cloud
// identity: the Secret the record names is empty, and the SDK's credential
// provider is pointed at the fake's token or metadata endpoint, as EKS and
// GKE point it at theirs.
//
// Not parallel: the fakes' Ambient sets process environment variables
// (AWS_ROLE_ARN, GCE_METADATA_HOST, ...), which only these providers read,
// and only for Secrets without keys.
func TestAmbientCredentials(t *testing.T) {
	requireAPIServer(t)
	tested := 0
	for _, b := range registrytest.Backends() {
		name := b.Descriptor.Name
		if b.Descriptor.Ambient == "" {
			continue
		}
		tested++
		t.Run(name, func(t *testing.T) {
			srv := b.Start(t, "example.com")
			if srv.Ambient == nil || srv.AmbientSeen == nil {
				t.Fatalf("%s falls back to %s, but its fake cannot serve that", name, b.Descriptor.Ambient)
			}
			srv.Ambient(t)
			f := newFixture(t)
			// The Secret holds only the suite's endpoint key, which is
			// removed before the provider reads it: no credential.
			f.endpointSecret("pod-identity", map[string]string{}, srv.Endpoint)
			fqdn := f.d("ambient", "example.com")
			f.record("r", fqdn, func(s *ddnsv1.DynamicDNSRecordSpec) {
				s.Provider = ddnsv1.ProviderName(name)
				s.SecretRef.Name = "pod-identity"
				s.TTL = ptrTo(ddnsv1.TTLSeconds(600))
				s.IPSource = &ddnsv1.IPSource{Static: "81.2.69.172"}
			})
			obj := f.waitReady("r")
			f.g.Expect(obj.Status.Addresses).To(Equal([]string{"81.2.69.172"}))
			var values []string
			for _, r := range srv.Records("example.com", fqdn, "A") {
				values = append(values, r.Value)
			}
			f.g.Expect(values).To(Equal([]string{"81.2.69.172"}))
			f.g.Expect(srv.AmbientSeen()).To(BeTrue(), "the requests carried credentials the fake issued to the pod's identity")
		})
	}
	if tested == 0 {
		t.Fatal("no registered provider has ambient credentials")
	}
}

package providertest

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// Backend is a provider with its fake server, as the operator's own suites
// drive every registered provider: the envtest suite (a record to Ready,
// an address change with one write, adoption of an unmarked record, a
// wrong secret), the fault matrix, the credential scan. Each provider's
// fake package declares one (func Backend), and registrytest lists them
// beside the registry.
type Backend struct {
	// Descriptor is the provider's, as the registry holds it.
	Descriptor providers.Descriptor
	// Start starts a fake holding the named zones; with t set it stops
	// when the test ends.
	Start func(t testing.TB, zones ...string) *Server
}

// Server is a started fake as the suites see it.
type Server struct {
	// Endpoint reaches the fake (providers.Env.Endpoint).
	Endpoint string
	// Secret holds valid credentials; BadSecret the same keys with a
	// wrong secret, which the fake refuses as the provider does.
	Secret, BadSecret map[string]string
	// Options sets the provider's options block on a record's spec; nil
	// when none is needed.
	Options func(spec *v1alpha1.DynamicDNSRecordSpec)
	// Seed stores a record directly, bypassing the provider.
	Seed func(zone string, r providers.Record) providers.Record
	// Records returns the records of a zone named name of type typ.
	Records func(zone, name, typ string) []providers.Record
	// Writes counts the write requests the fake accepted; Requests every
	// request it received.
	Writes, Requests func() int
	// SetFault makes every following request fail as the fault says.
	SetFault func(Fault)
	// CredentialsSeen is the credential material the fake received.
	CredentialsSeen func() []string
	// Skip names the suites' checks that cannot apply to this provider,
	// each with the reason (see the suites for the names).
	Skip map[string]string
	// Ambient, for a provider with ambient credentials
	// (Descriptor.Ambient), points them at this fake: it writes what the
	// SDK's credential chain reads (a token file, environment variables
	// naming the fake's token or metadata endpoint), restored when t
	// ends, so that a Secret without keys makes the provider authenticate
	// with credentials the fake issues. Nil for other providers.
	Ambient func(t testing.TB)
	// AmbientSeen reports whether the fake has served a request signed
	// with credentials it issued through the ambient path.
	AmbientSeen func() bool
}

// Server returns f as the suites see it; the caller sets the credentials
// and any options.
func (f *Fake[X]) Server() *Server {
	return &Server{
		Endpoint: f.URL,
		Seed:     f.Seed,
		Records: func(zone, name, typ string) []providers.Record {
			var out []providers.Record
			for _, r := range f.Records(zone, name, typ) {
				out = append(out, r.Record())
			}
			return out
		},
		Writes:          f.Writes,
		Requests:        f.Requests,
		SetFault:        f.SetFault,
		CredentialsSeen: f.CredentialsSeen,
	}
}

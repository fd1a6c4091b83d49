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
	// each with the reason: CheckFaultMatrix, CheckFault(f), CheckAdoption,
	// CheckMarker, CheckWrongSecret.
	Skip map[string]string
	// MinTTL is the smallest TTL the provider takes; the suites write
	// records with at least this TTL (600 otherwise). NameSilo's is 3600.
	MinTTL int32
	// WritesPerChange is how many write requests one address change of
	// a record takes at this provider: 1 when 0. A provider whose API
	// cannot change a value in place (Spaceship: add the new value, then
	// remove the old) takes more.
	WritesPerChange int
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

// The suites' checks a Server can opt out of in Skip, for protocols that
// truly cannot satisfy them (an update-only API keeps no marker; a
// protocol without pages has no endless pages).
const (
	// CheckFaultMatrix is the whole fault matrix.
	CheckFaultMatrix = "fault matrix"
	// CheckAdoption is the envtest check that an unmarked record is
	// adopted and another owner's is left alone with Conflict.
	CheckAdoption = "adoption"
	// CheckMarker is the envtest check that a written record carries the
	// ownership marker at the fake.
	CheckMarker = "ownership marker"
	// CheckWrongSecret is the envtest check that a wrong secret stalls
	// with AuthenticationFailed (for a provider without credentials).
	CheckWrongSecret = "wrong secret"
)

// CheckFault names one fault's case of the fault matrix in Skip.
func CheckFault(f Fault) string { return CheckFaultMatrix + ": " + f.String() }

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

// NewBackend is the Backend of provider d over a fake that start starts
// (a fake package's New), with secret as the valid credentials and bad as
// the same keys with a wrong secret.
func NewBackend[F interface{ Server() *Server }](d providers.Descriptor, start func(testing.TB, ...string) F, secret, bad map[string]string) Backend {
	return Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *Server {
		s := start(t, zones...).Server()
		s.Secret, s.BadSecret = secret, bad
		return s
	}}
}

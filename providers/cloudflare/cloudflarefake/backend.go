package cloudflarefake

import (
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the Cloudflare provider d with this fake, for the operator's
// suites. It takes the descriptor so the fake does not import the
// provider, whose internal tests use the fake.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.NewBackend(d, New,
		map[string]string{"apiToken": Token},
		map[string]string{"apiToken": "not-the-right-cloudflare-token"})
}

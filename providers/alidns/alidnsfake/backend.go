package alidnsfake

import (
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the Alibaba Cloud DNS provider d with this fake, for the operator's
// suites. It takes the descriptor so the fake does not import the
// provider, whose internal tests use the fake.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.NewBackend(d, New,
		map[string]string{"accessKeyId": AccessKeyID, "accessKeySecret": AccessKeySecret},
		map[string]string{"accessKeyId": AccessKeyID, "accessKeySecret": "wrong-alibaba-secret-value"})
}

package tencentcloudfake

import (
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the Tencent Cloud DNSPod provider d with this fake, for the operator's
// suites. It takes the descriptor so the fake does not import the
// provider, whose internal tests use the fake.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.NewBackend(d, New,
		map[string]string{"secretId": SecretID, "secretKey": SecretKey},
		map[string]string{"secretId": SecretID, "secretKey": "wrong-tencent-secret-key"})
}

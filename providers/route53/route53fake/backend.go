package route53fake

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the Route 53 provider d with this fake, for the operator's
// suites. It takes the descriptor so the fake does not import the
// provider, whose tests use the fake.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		srv := f.Server()
		srv.Secret = map[string]string{"accessKeyId": AccessKeyID, "secretAccessKey": SecretAccessKey}
		srv.BadSecret = map[string]string{"accessKeyId": AccessKeyID, "secretAccessKey": "wRoNgSeCrEt/K7MDENG/bPxRfiCYEXAMPLEKEY00"}
		srv.Ambient = f.WebIdentity
		srv.AmbientSeen = f.AmbientSeen
		return srv
	}}
}

// WebIdentity sets up the process as EKS's pod identity webhook sets up a
// pod with an IRSA role, pointed at the fake's STS, until t ends: the
// projected token in a file, AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE,
// AWS_REGION, and AWS_ENDPOINT_URL_STS naming the fake. The variables are
// the process's: tests that call it must not run in parallel with others
// reading them.
func (f *Fake) WebIdentity(t testing.TB) {
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte(WebIdentityToken), 0o600); err != nil {
		t.Fatal(err)
	}
	setEnv(t, map[string]string{
		"AWS_ROLE_ARN": RoleARN, "AWS_WEB_IDENTITY_TOKEN_FILE": file, "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL_STS": f.URL,
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "",
	})
}

// InstanceRole sets up the process as on an EC2 node whose instance role
// the pod uses, the instance metadata service being the fake's, until t
// ends (AWS_EC2_METADATA_SERVICE_ENDPOINT).
func (f *Fake) InstanceRole(t testing.TB) {
	setEnv(t, map[string]string{
		"AWS_EC2_METADATA_SERVICE_ENDPOINT": f.URL, "AWS_ROLE_ARN": "", "AWS_WEB_IDENTITY_TOKEN_FILE": "",
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "", "AWS_EC2_METADATA_DISABLED": "",
	})
}

// setEnv sets (or, for "", unsets) variables until t ends.
func setEnv(t testing.TB, vars map[string]string) {
	for k, v := range vars {
		old, had := os.LookupEnv(k)
		if v == "" {
			_ = os.Unsetenv(k)
		} else if err := os.Setenv(k, v); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if had {
				_ = os.Setenv(k, old)
			} else {
				_ = os.Unsetenv(k)
			}
		})
	}
}

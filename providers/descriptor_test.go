package providers

import "testing"

// A record's endpoint override replaces the API's base URL (without a
// trailing slash, so joined paths have one); none keeps the default. The
// operator's User-Agent likewise wins over a provider's own.
func TestEnvDefaults(t *testing.T) {
	for _, tc := range []struct {
		env         Env
		base, agent string
	}{
		{Env{}, "https://api.example.com/v1", "fallback/1"},
		{Env{Endpoint: "http://127.0.0.1:8080/api/"}, "http://127.0.0.1:8080/api", "fallback/1"},
		{Env{Endpoint: "http://127.0.0.1:8080", UserAgent: "ddns-operator/1.2.3"}, "http://127.0.0.1:8080", "ddns-operator/1.2.3"},
	} {
		if got := tc.env.EndpointOr("https://api.example.com/v1"); got != tc.base {
			t.Errorf("%+v: EndpointOr = %q, want %q", tc.env, got, tc.base)
		}
		if got := tc.env.UserAgentOr("fallback/1"); got != tc.agent {
			t.Errorf("%+v: UserAgentOr = %q, want %q", tc.env, got, tc.agent)
		}
	}
}

package access

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/alidns"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare"
	"github.com/ddns-operator/ddns-operator/providers/dnspod"
	"github.com/ddns-operator/ddns-operator/providers/rfc2136"
	"github.com/ddns-operator/ddns-operator/providers/tencentcloud"
)

// leaky is a provider whose errors echo its credential, as an SDK that
// repeats a request URL or header would.
type leaky struct{ err error }

func (l leaky) FindZone(context.Context, string, string) (providers.Zone, error) {
	return providers.Zone{}, l.err
}
func (l leaky) ListRecords(context.Context, providers.Zone, string, string) ([]providers.Record, error) {
	return nil, l.err
}
func (l leaky) CreateRecord(context.Context, providers.Zone, providers.Record) (providers.Record, error) {
	return providers.Record{}, l.err
}
func (l leaky) UpdateRecord(context.Context, providers.Zone, providers.Record) (providers.Record, error) {
	return providers.Record{}, l.err
}
func (l leaky) DeleteRecord(context.Context, providers.Zone, providers.Record) error { return l.err }

// leakyDescriptor builds a leaky provider failing with err, reading one
// secret key.
func leakyDescriptor(err error) providers.Descriptor {
	return providers.Descriptor{
		Name: "leaky",
		Keys: []providers.SecretKey{{Name: "apiToken", Secret: true}, {Name: "short", Secret: true}, {Name: "account"}},
		New: func(providers.Env, map[string][]byte, *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
			return leaky{err: err}, nil
		},
	}
}

func TestProviderErrorsNeverCarrySecretValues(t *testing.T) {
	const token = "tok-abcdef-123456"
	const account = "acct-987654321"
	data := map[string][]byte{"apiToken": []byte(token + "\n"), "short": []byte("on"), "account": []byte(account)}
	for _, tc := range []struct {
		name string
		err  error
		kind providers.Kind
	}{
		{"typed error", providers.Errorf(providers.KindAuth, "9109", "bad token %s for %s", token, account), providers.KindAuth},
		{"wrapped typed error", errors.Join(errors.New("list"), providers.RateLimited("429", "slow down "+token, 0)), providers.KindRateLimited},
		{"plain error echoing a URL", errors.New(`Get "https://api.example/zones?token=` + token + `": EOF`), providers.KindTransient},
		{"context error", context.Canceled, providers.KindTransient},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pool := &Pool{}
			a, err := pool.Account(context.Background(), Key{Provider: "leaky"}, Build{
				Descriptor: leakyDescriptor(tc.err),
				ReadSecret: func(context.Context) (map[string][]byte, error) { return data, nil },
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = a.Records(context.Background(), providers.Zone{}, "a", "A", time.Minute)
			if strings.Contains(err.Error(), token) {
				t.Fatalf("error %q carries the token", err)
			}
			if strings.Contains(tc.err.Error(), account) && !strings.Contains(err.Error(), account) {
				t.Fatalf("error %q lost the account ID, which is not secret", err)
			}
			if got := providers.KindOf(err); got != tc.kind {
				t.Fatalf("kind %s, want %s", got, tc.kind)
			}
			if !errors.Is(err, tc.err) && !strings.Contains(tc.err.Error(), token) {
				t.Fatalf("a clean error was rewritten: %v", err)
			}
		})
	}
}

// The shipped providers scrub their credentials and keep the names: a
// TSIG key named after the zone leaves the domain and the key name
// readable in a BADKEY message.
func TestRedactionKeepsWhatIsNotSecret(t *testing.T) {
	for _, tc := range []struct {
		d          providers.Descriptor
		data       map[string][]byte
		msg        string
		kept, gone []string
	}{
		{
			rfc2136.Descriptor,
			map[string][]byte{"tsigKeyName": []byte("example.com"), "tsigSecret": []byte("c2VjcmV0LXZhbHVlLTEyMw=="), "tsigAlgorithm": []byte("hmac-sha256")},
			`find zone of badname.example.com: the server knows no key "example.com" (hmac-sha256, secret c2VjcmV0LXZhbHVlLTEyMw==)`,
			[]string{"badname.example.com", `key "example.com"`, "hmac-sha256"}, []string{"c2VjcmV0LXZhbHVlLTEyMw=="},
		},
		{
			cloudflare.Descriptor,
			map[string][]byte{"apiKey": []byte("0123456789abcdef0123456789abcdef01234"), "email": []byte("dns-admin@example.com")},
			"Invalid request headers for dns-admin@example.com with key 0123456789abcdef0123456789abcdef01234",
			[]string{"dns-admin@example.com"}, []string{"0123456789abcdef0123456789abcdef01234"},
		},
		{
			alidns.Descriptor,
			map[string][]byte{"accessKeyId": []byte("LTAI5tExampleKeyId"), "accessKeySecret": []byte("ExampleSecret0123456789")},
			"InvalidAccessKeyId.NotFound: LTAI5tExampleKeyId signed with ExampleSecret0123456789",
			[]string{"LTAI5tExampleKeyId"}, []string{"ExampleSecret0123456789"},
		},
		{
			tencentcloud.Descriptor,
			map[string][]byte{"secretId": []byte("AKIDexampleSecretId"), "secretKey": []byte("exampleSecretKey0123")},
			"AuthFailure.SecretIdNotFound: AKIDexampleSecretId exampleSecretKey0123",
			[]string{"AKIDexampleSecretId"}, []string{"exampleSecretKey0123"},
		},
		{
			dnspod.Descriptor,
			map[string][]byte{"loginToken": []byte("123456,0f1e2d3c4b5a69788796a5b4c3d2e1f0")},
			"login failed for 123456,0f1e2d3c4b5a69788796a5b4c3d2e1f0",
			[]string{"login failed"}, []string{"0f1e2d3c4b5a69788796a5b4c3d2e1f0"},
		},
	} {
		t.Run(tc.d.Name, func(t *testing.T) {
			got := redactError(providers.Errorf(providers.KindAuth, "", "%s", tc.msg), tc.d.SecretValues(tc.data)).Error()
			for _, k := range tc.kept {
				if !strings.Contains(got, k) {
					t.Errorf("%q lost %q, which is not secret", got, k)
				}
			}
			for _, g := range tc.gone {
				if strings.Contains(got, g) {
					t.Errorf("%q still holds the secret %q", got, g)
				}
			}
		})
	}
	if err := redactError(providers.MissingKey("apiToken"), []string{"secret-value"}); err.Error() != `secret has no key "apiToken"` {
		t.Fatalf("a clean error changed: %v", err)
	}
}

package controllers

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
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

func TestProviderErrorsNeverCarrySecretValues(t *testing.T) {
	const token = "tok-abcdef-123456"
	secrets := valuesToScrub(map[string][]byte{"apiToken": []byte(token + "\n"), "short": []byte("on")})
	if len(secrets) != 1 {
		t.Fatalf("secretValues = %v, want only the token", secrets)
	}
	for _, tc := range []struct {
		name string
		err  error
		kind providers.Kind
	}{
		{"typed error", providers.Errorf(providers.KindAuth, "9109", "bad token %s", token), providers.KindAuth},
		{"wrapped typed error", errors.Join(errors.New("list"), providers.RateLimited("429", "slow down "+token, 0)), providers.KindRateLimited},
		{"plain error echoing a URL", errors.New(`Get "https://api.example/zones?token=` + token + `": EOF`), providers.KindTransient},
		{"context error", context.Canceled, providers.KindTransient},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAccount("leaky", leaky{err: tc.err}, secrets, generation{}, newGate(providers.Limits{}))
			_, err := a.records(context.Background(), providers.Zone{}, "a", "A", time.Minute)
			if strings.Contains(err.Error(), token) {
				t.Fatalf("error %q carries the token", err)
			}
			if got := providers.KindOf(err); got != tc.kind {
				t.Fatalf("kind %s, want %s", got, tc.kind)
			}
			if !errors.Is(err, tc.err) && !strings.Contains(tc.err.Error(), token) {
				t.Fatalf("a clean error was rewritten: %v", err)
			}
		})
	}
	if err := redactError(providers.MissingKey("apiToken"), secrets); err.Error() != `secret has no key "apiToken"` {
		t.Fatalf("a clean error changed: %v", err)
	}
}

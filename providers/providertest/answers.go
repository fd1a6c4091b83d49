package providertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Answer is one raw answer a provider's API may give (or a proxy in front
// of it), and what the provider must make of it.
type Answer struct {
	Name   string
	Status int
	Body   string
	// Kind is the kind of error FindZone must return, with Says in its
	// message.
	Kind providers.Kind
	Says string
}

// CheckAnswers makes the fake give each answer (failWith is the fake's
// FailWith) and checks the error FindZone returns: its kind, its words,
// and that it repeats none of secrets.
func CheckAnswers(t *testing.T, p providers.Provider, failWith func(status int, body string), answers []Answer, secrets ...string) {
	t.Helper()
	for _, a := range answers {
		t.Run(a.Name, func(t *testing.T) {
			failWith(a.Status, a.Body)
			defer failWith(0, "")
			_, err := p.FindZone(context.Background(), "home.example.com", "")
			if providers.KindOf(err) != a.Kind || !strings.Contains(err.Error(), a.Says) {
				t.Fatalf("FindZone = %v (kind %s), want kind %s saying %q", err, providers.KindOf(err), a.Kind, a.Says)
			}
			for _, s := range secrets {
				if strings.Contains(err.Error(), s) {
					t.Fatalf("the error repeats a credential: %v", err)
				}
			}
		})
	}
}

// CheckEndlessPages makes the fake announce pages forever while serving
// the first one again (FaultEndlessPages) and checks that list, a
// paginated read, stops with a transient error instead of following it.
func CheckEndlessPages(t *testing.T, setFault func(Fault), list func(ctx context.Context) error) {
	t.Helper()
	setFault(FaultEndlessPages)
	defer setFault(FaultNone)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := list(ctx); providers.KindOf(err) != providers.KindTransient || ctx.Err() != nil {
		t.Fatalf("a listing over endless pages = %v, want a transient error before the deadline", err)
	}
}

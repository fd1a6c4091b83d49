package providertest

import (
	"net/http"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
)

// The suite run against the in-memory provider keeps the suite itself honest.
func TestMemoryConformance(t *testing.T) {
	t.Run("one write per request", func(t *testing.T) { Run(t, memoryFixture(0)) })
	t.Run("batches", func(t *testing.T) { Run(t, memoryFixture(200)) })
}

func memoryFixture(batch int) Setup {
	return func(t *testing.T, zones []string) *Fixture {
		m := NewMemory("right", zones...)
		m.MinTTL = 60
		m.BatchSize = batch
		return &Fixture{
			Descriptor: m.Descriptor("memory"),
			Secret:     map[string][]byte{MemoryTokenKey: []byte("right")},
			BadSecret:  map[string][]byte{MemoryTokenKey: []byte("wrong")},
			Seed: func(_ *testing.T, zone string, r providers.Record) providers.Record {
				return m.Seed(zone, r)
			},
			Writes: m.Writes,
			Fault: func(f Fault) {
				switch f {
				case FaultRateLimited:
					m.SetFault(func(string) error { return providers.RateLimited("429", "slow down", time.Second) })
				case FaultServerError:
					m.SetFault(func(string) error {
						return providers.Errorf(providers.KindTransient, "500", "%s", http.StatusText(500))
					})
				default:
					m.SetFault(nil)
				}
			},
			PageSize:   3,
			MinTTL:     60,
			RetryAfter: true,
		}
	}
}

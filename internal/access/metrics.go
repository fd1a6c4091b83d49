package access

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/ddns-operator/ddns-operator/providers"
)

var (
	providerCalls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ddns_provider_requests_total",
		Help: "Calls to DNS providers, by provider, operation and result (success or the error kind).",
	}, []string{"provider", "operation", "result"})
	providerLatency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "ddns_provider_request_duration_seconds",
		Help:    "Duration of calls to DNS providers, by provider and operation.",
		Buckets: prometheus.ExponentialBuckets(0.01, 2, 12),
	}, []string{"provider", "operation"})
	gateWait = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "ddns_provider_rate_limit_wait_seconds",
		Help:    "Time a provider request waited for the credential's request gate (the provider's documented rate limit, or a pause after it throttled), by provider; 0 for a request that did not wait.",
		Buckets: []float64{0.001, 0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60},
	}, []string{"provider"})
)

// RegisterMetrics adds the controller's metrics to controller-runtime's
// registry. Call once per process.
func RegisterMetrics() {
	metrics.Registry.MustRegister(providerCalls, providerLatency, gateWait)
}

// observe counts and times one provider call.
func observe(provider, op string, start time.Time, err error) {
	result := "success"
	if err != nil {
		result = providers.KindOf(err).String()
	}
	providerCalls.WithLabelValues(provider, op, result).Inc()
	providerLatency.WithLabelValues(provider, op).Observe(time.Since(start).Seconds())
}

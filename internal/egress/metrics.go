package egress

import (
	"net/netip"

	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
)

var (
	detectionSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "ddns_egress_detection_duration_seconds",
		Help:    "Time one detection of the egress address took, per family.",
		Buckets: prometheus.ExponentialBuckets(0.01, 2, 12),
	}, []string{"family"})
	sourceFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ddns_egress_source_failures_total",
		Help: "Answers from an egress source that were not used, by source, family and reason.",
	}, []string{"source", "family", "reason"})
	currentAddress = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "ddns_egress_address_info",
		Help: "The agreed egress address per family (value 1 on the current address).",
	}, []string{"family", "address"})
	addressChanges = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ddns_egress_address_changes_total",
		Help: "Changes of the agreed egress address, per family.",
	}, []string{"family"})
)

// RegisterMetrics adds the detector's metrics to controller-runtime's
// registry, served on the manager's /metrics. Call once per process.
func RegisterMetrics() {
	metrics.Registry.MustRegister(detectionSeconds, sourceFailures, currentAddress, addressChanges)
}

func setCurrentAddress(fam Family, old, addr netip.Addr) {
	if old.IsValid() {
		currentAddress.DeleteLabelValues(fam.String(), old.String())
	}
	currentAddress.WithLabelValues(fam.String(), addr.String()).Set(1)
}

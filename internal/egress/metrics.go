package egress

import (
	"net/netip"

	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
)

var (
	detectionSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "ddns_egress_detection_duration_seconds",
		Help:    "Time one detection of the egress address took, per source list and family.",
		Buckets: prometheus.ExponentialBuckets(0.01, 2, 12),
	}, []string{"list", "family"})
	sourceSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "ddns_egress_source_duration_seconds",
		Help:    "Time one lookup at an egress source took, answered or failed, by source and family.",
		Buckets: prometheus.ExponentialBuckets(0.01, 2, 12),
	}, []string{"source", "family"})
	sourceRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ddns_egress_source_requests_total",
		Help: "Lookups sent to an egress source, by source and family.",
	}, []string{"source", "family"})
	sourceFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ddns_egress_source_failures_total",
		Help: "Answers from an egress source that were not used, by source, family and reason.",
	}, []string{"source", "family", "reason"})
	currentAddress = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "ddns_egress_address_info",
		Help: "The agreed egress address per source list and family (value 1 on the current address).",
	}, []string{"list", "family", "address"})
	addressChanges = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ddns_egress_address_changes_total",
		Help: "Changes of the agreed egress address, per source list and family.",
	}, []string{"list", "family"})
	unconfirmedGauge = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "ddns_egress_sources_disagree",
		Help: "1 while the sources named an address the policy could not confirm and the last agreed address is kept.",
	}, []string{"list", "family"})
	// For the dashboard's "last changed" and the detection alert.
	changedAt = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "ddns_egress_address_changed_timestamp_seconds",
		Help: "When the agreed egress address of a source list and family last changed (Unix seconds; the first detection counts).",
	}, []string{"list", "family"})
	agreedAt = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "ddns_egress_last_success_timestamp_seconds",
		Help: "When a detection of a source list and family last ended with an agreed address (Unix seconds).",
	}, []string{"list", "family"})
	availableGauge = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "ddns_egress_family_available",
		Help: "1 when an agreed address of the family is known, 0 when the family is unavailable (no route, no sources, no agreement yet).",
	}, []string{"list", "family"})
)

// RegisterMetrics adds the detector's metrics to controller-runtime's
// registry, served on the manager's /metrics. Call once per process.
func RegisterMetrics() {
	metrics.Registry.MustRegister(detectionSeconds, sourceSeconds, sourceRequests, sourceFailures, currentAddress, addressChanges, unconfirmedGauge, availableGauge,
		changedAt, agreedAt)
}

// listLabel names the cluster-wide detector "default" in metrics.
func listLabel(name string) string {
	if name == "" {
		return "default"
	}
	return name
}

func setCurrentAddress(list string, fam Family, old, addr netip.Addr) {
	if old.IsValid() {
		currentAddress.DeleteLabelValues(listLabel(list), fam.String(), old.String())
	}
	currentAddress.WithLabelValues(listLabel(list), fam.String(), addr.String()).Set(1)
	changedAt.WithLabelValues(listLabel(list), fam.String()).SetToCurrentTime()
}

// setAgreed records a detection that ended with an agreed address.
func setAgreed(list string, fam Family) {
	agreedAt.WithLabelValues(listLabel(list), fam.String()).SetToCurrentTime()
}

func setUnconfirmed(list string, fam Family, on bool) {
	unconfirmedGauge.WithLabelValues(listLabel(list), fam.String()).Set(b2f(on))
}

func setAvailable(list string, fam Family, on bool) {
	availableGauge.WithLabelValues(listLabel(list), fam.String()).Set(b2f(on))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

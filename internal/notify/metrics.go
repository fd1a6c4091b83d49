package notify

import (
	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
)

// Results of a notification, the values of the result label of
// ddns_notifications_total.
const (
	resultSent    = "sent"
	resultFailed  = "failed"
	resultDropped = "dropped"
)

var (
	notifications = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ddns_notifications_total",
		Help: "Notifications per target by result: sent, failed (given up after retries, or could not be rendered) or dropped (the target's queue was full).",
	}, []string{"target", "result"})
	attempts = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ddns_notification_attempts_total",
		Help: "Delivery attempts per target by result (success or error); a notification retried three times counts four attempts.",
	}, []string{"target", "result"})
	queueLength = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "ddns_notification_queue_length",
		Help: "Notifications waiting in a target's queue.",
	}, []string{"target"})
	heartbeats = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ddns_heartbeat_pings_total",
		Help: "Heartbeat pings by signal (success, or fail when detection or a record is failing) and result (sent or error).",
	}, []string{"signal", "result"})
)

// RegisterMetrics adds the notification and heartbeat metrics to
// controller-runtime's registry, served on the manager's /metrics. Call
// once per process.
func RegisterMetrics() {
	metrics.Registry.MustRegister(notifications, attempts, queueLength, heartbeats)
}

// initTargetMetrics creates a target's series at zero, so dashboards and
// alerts see the target before its first message.
func initTargetMetrics(name string) {
	for _, r := range []string{resultSent, resultFailed, resultDropped} {
		notifications.WithLabelValues(name, r)
	}
	for _, r := range []string{"success", "error"} {
		attempts.WithLabelValues(name, r)
	}
	queueLength.WithLabelValues(name).Set(0)
}

func initHeartbeatMetrics() {
	for _, s := range []string{"success", "fail"} {
		for _, r := range []string{"sent", "error"} {
			heartbeats.WithLabelValues(s, r)
		}
	}
}

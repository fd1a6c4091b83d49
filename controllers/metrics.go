package controllers

import (
	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
)

// recordLastCheck is when each record was last read at its provider. A
// check that finds the provider as desired writes nothing to the API
// server (status.lastSyncTime moves only when the status changes for
// another reason), so this gauge is what says a record is still watched.
var recordLastCheck = prometheus.NewGaugeVec(prometheus.GaugeOpts{
	Name: "ddns_record_last_check_timestamp_seconds",
	Help: "When each record was last checked against its provider, in Unix seconds. Checks that find nothing to change write no status.",
}, []string{"namespace", "name"})

// RegisterMetrics adds the reconciler's metrics to controller-runtime's
// registry. Call once per process.
func RegisterMetrics() {
	metrics.Registry.MustRegister(recordLastCheck)
}

// forgetRecordMetrics drops the series of a record that is gone.
func forgetRecordMetrics(key types.NamespacedName) {
	recordLastCheck.DeleteLabelValues(key.Namespace, key.Name)
}

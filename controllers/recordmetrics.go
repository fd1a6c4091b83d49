package controllers

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
)

var (
	recordsDesc = prometheus.NewDesc("ddns_records",
		"DynamicDNSRecords by the status and reason of their Ready condition (Unknown/NotObserved before the first reconcile).",
		[]string{"ready", "reason"}, nil)
	recordReadyDesc = prometheus.NewDesc("ddns_record_ready",
		"1 when a record is Ready, 0 when it is not; one series per record, for alerts that name the record.",
		[]string{"namespace", "name", "domain", "type"}, nil)
)

// recordCollector reads the records from the manager's cache at each
// scrape, so the counts are never stale and cost nothing between scrapes.
type recordCollector struct {
	reader client.Reader
}

// Describe implements prometheus.Collector.
func (c recordCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- recordsDesc
	ch <- recordReadyDesc
}

// Collect implements prometheus.Collector.
func (c recordCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var list ddnsv1.DynamicDNSRecordList
	// Read only: the cache's own objects, not a copy of every record at
	// each scrape.
	if err := c.reader.List(ctx, &list, client.UnsafeDisableDeepCopy); err != nil {
		return
	}
	type key struct{ ready, reason string }
	counts := map[key]int{}
	for i := range list.Items {
		rec := &list.Items[i]
		k := key{"Unknown", "NotObserved"}
		if cond := meta.FindStatusCondition(rec.Status.Conditions, ddnsv1.ConditionReady); cond != nil {
			k = key{string(cond.Status), cond.Reason}
		}
		counts[k]++
		ready := 0.0
		if k.ready == "True" {
			ready = 1
		}
		ch <- prometheus.MustNewConstMetric(recordReadyDesc, prometheus.GaugeValue, ready, rec.Namespace, rec.Name, rec.Spec.Domain, string(rec.RecordType()))
	}
	// The healthy series is always there, so "no record Ready" reads 0.
	if _, ok := counts[key{"True", ddnsv1.ReasonSynced}]; !ok {
		counts[key{"True", ddnsv1.ReasonSynced}] = 0
	}
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(recordsDesc, prometheus.GaugeValue, float64(n), k.ready, k.reason)
	}
}

// RegisterRecordMetrics adds ddns_records and ddns_record_ready (read from
// reader, the manager's cache, at each scrape) to controller-runtime's
// registry. Call once per process.
func RegisterRecordMetrics(reader client.Reader) {
	metrics.Registry.MustRegister(recordCollector{reader: reader})
}

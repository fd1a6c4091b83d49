package controllers

import (
	"context"
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
)

// RegisterMetrics adds the controller's metrics to controller-runtime's
// registry. Call once per process.
func RegisterMetrics() {
	metrics.Registry.MustRegister(providerCalls, providerLatency)
}

// instrumented wraps a Provider to count and time every call.
type instrumented struct {
	name string
	p    providers.Provider
}

func instrument(name string, p providers.Provider) providers.Provider {
	return &instrumented{name: name, p: p}
}

func (i *instrumented) observe(op string, start time.Time, err error) {
	result := "success"
	if err != nil {
		result = providers.KindOf(err).String()
	}
	providerCalls.WithLabelValues(i.name, op, result).Inc()
	providerLatency.WithLabelValues(i.name, op).Observe(time.Since(start).Seconds())
}

func (i *instrumented) FindZone(ctx context.Context, fqdn, hint string) (z providers.Zone, err error) {
	defer func(start time.Time) { i.observe("find_zone", start, err) }(time.Now())
	return i.p.FindZone(ctx, fqdn, hint)
}

func (i *instrumented) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) (rs []providers.Record, err error) {
	defer func(start time.Time) { i.observe("list", start, err) }(time.Now())
	return i.p.ListRecords(ctx, zone, name, typ)
}

func (i *instrumented) CreateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (out providers.Record, err error) {
	defer func(start time.Time) { i.observe("create", start, err) }(time.Now())
	return i.p.CreateRecord(ctx, zone, r)
}

func (i *instrumented) UpdateRecord(ctx context.Context, zone providers.Zone, r providers.Record) (out providers.Record, err error) {
	defer func(start time.Time) { i.observe("update", start, err) }(time.Now())
	return i.p.UpdateRecord(ctx, zone, r)
}

func (i *instrumented) DeleteRecord(ctx context.Context, zone providers.Zone, r providers.Record) (err error) {
	defer func(start time.Time) { i.observe("delete", start, err) }(time.Now())
	return i.p.DeleteRecord(ctx, zone, r)
}

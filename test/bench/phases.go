package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare/cloudflarefake"
)

const (
	benchNS     = "bench"
	unrelatedNS = "unrelated"
	secretName  = "cloudflare"
)

// parallel runs fn for 0..n-1 on workers goroutines and returns the first
// error.
func parallel(n, workers int, fn func(i int) error) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  = make(chan int)
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return first
}

// zoneNames are the zones of a scenario.
func zoneNames(zones int) []string {
	out := make([]string, zones)
	for i := range out {
		out[i] = fmt.Sprintf("zone%d.bench.example", i)
	}
	return out
}

// createRecords creates the namespace, the credentials Secret and n
// records spread round-robin over zones.
func createRecords(ctx context.Context, c client.Client, n int, zones []string, interval time.Duration) error {
	for _, ns := range []string{benchNS, unrelatedNS} {
		if err := c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
			return fmt.Errorf("create namespace %s: %w", ns, err)
		}
	}
	sec := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: secretName, Namespace: benchNS},
		Data: map[string][]byte{cloudflare.KeyAPIToken: []byte(cloudflarefake.Token)}}
	if err := c.Create(ctx, sec); err != nil {
		return fmt.Errorf("create the Secret: %w", err)
	}
	return parallel(n, 16, func(i int) error {
		zone := zones[i%len(zones)]
		rec := &ddnsv1.DynamicDNSRecord{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("r%05d", i), Namespace: benchNS},
			Spec: ddnsv1.DynamicDNSRecordSpec{
				Domain:    fmt.Sprintf("r%05d.%s", i, zone),
				Zone:      zone,
				Type:      ddnsv1.RecordType("A"),
				Provider:  ddnsv1.ProviderCloudflare,
				SecretRef: ddnsv1.SecretReference{Name: secretName},
				Interval:  &metav1.Duration{Duration: interval},
			},
		}
		if err := c.Create(ctx, rec); err != nil {
			return fmt.Errorf("create record %s: %w", rec.Name, err)
		}
		return nil
	})
}

// countReady lists the records and counts those Ready for their current
// generation and pointing at exactly addr.
func countReady(ctx context.Context, c client.Client, addr string) (int, error) {
	var list ddnsv1.DynamicDNSRecordList
	if err := c.List(ctx, &list, client.InNamespace(benchNS)); err != nil {
		return 0, err
	}
	ready := 0
	for i := range list.Items {
		r := &list.Items[i]
		if r.Status.ObservedGeneration == r.Generation &&
			apimeta.IsStatusConditionTrue(r.Status.Conditions, ddnsv1.ConditionReady) &&
			slices.Equal(r.Status.Addresses, []string{addr}) {
			ready++
		}
	}
	return ready, nil
}

// waitReady polls until n records are Ready with addr or limit passes; it
// returns the time taken and how many were Ready at the end.
func waitReady(ctx context.Context, c client.Client, n int, addr string, start time.Time, limit time.Duration) (time.Duration, int, bool) {
	got := 0
	for {
		var err error
		if got, err = countReady(ctx, c, addr); err == nil && got >= n {
			return time.Since(start), got, true
		}
		if time.Since(start) > limit {
			return time.Since(start), got, false
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// setInterval patches every record's spec.interval.
func setInterval(ctx context.Context, c client.Client, n int, interval time.Duration) error {
	return parallel(n, 16, func(i int) error {
		rec := &ddnsv1.DynamicDNSRecord{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("r%05d", i), Namespace: benchNS}}
		patch := fmt.Sprintf(`{"spec":{"interval":%q}}`, interval.String())
		return c.Patch(ctx, rec, client.RawPatch("application/merge-patch+json", []byte(patch)))
	})
}

// createUnrelated creates n Secrets and n ConfigMaps of size bytes each
// that no record refers to.
func createUnrelated(ctx context.Context, c client.Client, n, size int) error {
	blob := strings.Repeat("x", size)
	return parallel(2*n, 16, func(i int) error {
		meta := metav1.ObjectMeta{Name: fmt.Sprintf("unrelated-%05d", i/2), Namespace: unrelatedNS}
		if i%2 == 0 {
			return c.Create(ctx, &corev1.Secret{ObjectMeta: meta, Data: map[string][]byte{"blob": []byte(blob)}})
		}
		return c.Create(ctx, &corev1.ConfigMap{ObjectMeta: meta, Data: map[string]string{"blob": blob}})
	})
}

// sampler keeps the largest heap in use seen on a manager's metrics.
type sampler struct {
	stop chan struct{}
	done chan struct{}
	mu   sync.Mutex
	heap float64
}

func sample(ctx context.Context, m *manager) *sampler {
	s := &sampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			if mt, err := m.metrics(ctx); err == nil {
				s.mu.Lock()
				s.heap = max(s.heap, mt.HeapInuse)
				s.mu.Unlock()
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// peakHeap stops sampling and returns the largest heap seen.
func (s *sampler) peakHeap() float64 {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.heap
}

// settle waits until the manager has run at least n reconciles since base
// and its queue is empty, or limit passes.
func settle(ctx context.Context, m *manager, base metrics, n int, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		mt, err := m.metrics(ctx)
		if err == nil && mt.Reconciles-base.Reconciles >= float64(n) && mt.QueueDepth == 0 {
			return true
		}
		time.Sleep(500 * time.Millisecond)
	}
	return false
}

package controllers

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// secretWatch follows changes to Secrets without keeping any: it watches
// their metadata from the current resourceVersion on (no initial list of
// the cluster's Secrets, no cache), and for each change drops the accounts
// built from that Secret and enqueues the records that use it. The
// operator's memory therefore does not grow with the Secrets a cluster
// holds: Helm releases, service-account tokens and TLS certificates are
// seen pass by and forgotten.
//
// When the watch must start again from a fresh resourceVersion (it
// expired, or the API server was away), changes in between may have been
// missed: every account is dropped, so each credential's Secret is read
// again at its records' next check.
type secretWatch struct {
	client     metadata.Interface
	namespaces []string // empty: all
	r          *DynamicDNSRecordReconciler
}

// start runs one watch loop per namespace until ctx ends.
func (w *secretWatch) start(ctx context.Context, q workqueue.TypedRateLimitingInterface[reconcile.Request]) error {
	namespaces := w.namespaces
	if len(namespaces) == 0 {
		namespaces = []string{metav1.NamespaceAll}
	}
	for _, ns := range namespaces {
		go w.loop(ctx, ns, q)
	}
	return nil
}

// loop finds the current resourceVersion and watches from there, again
// from a fresh one whenever the watch cannot resume.
func (w *secretWatch) loop(ctx context.Context, ns string, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
	logger := log.FromContext(ctx).WithValues("watch", "secrets", "namespace", ns)
	res := w.client.Resource(corev1.SchemeGroupVersion.WithResource("secrets")).Namespace(ns)
	backoff := wait.Backoff{Duration: time.Second, Factor: 2, Jitter: 0.1, Steps: 8, Cap: time.Minute}
	first := true
	for ctx.Err() == nil {
		list, err := res.List(ctx, metav1.ListOptions{Limit: 1})
		if err != nil {
			logger.Info("Cannot list Secrets to start watching them; retrying", "error", err.Error())
			sleep(ctx, backoff.Step())
			continue
		}
		if !first {
			w.r.accounts.SecretsMayHaveChanged()
		}
		first = false
		rv := list.GetResourceVersion()
		for ctx.Err() == nil {
			next, err := w.follow(ctx, res, rv, q)
			if err == nil {
				rv = next
				backoff = wait.Backoff{Duration: time.Second, Factor: 2, Jitter: 0.1, Steps: 8, Cap: time.Minute}
				continue
			}
			if apierrors.IsResourceExpired(err) || apierrors.IsGone(err) {
				break
			}
			logger.Info("Secret watch interrupted; resuming", "error", err.Error())
			sleep(ctx, backoff.Step())
		}
	}
}

// follow watches from rv until the watch ends, and returns the last
// resourceVersion seen.
func (w *secretWatch) follow(ctx context.Context, res metadata.ResourceInterface, rv string, q workqueue.TypedRateLimitingInterface[reconcile.Request]) (string, error) {
	wi, err := res.Watch(ctx, metav1.ListOptions{ResourceVersion: rv, AllowWatchBookmarks: true})
	if err != nil {
		return rv, err
	}
	defer wi.Stop()
	for ev := range wi.ResultChan() {
		if ev.Type == watch.Error {
			return rv, apierrors.FromObject(ev.Object)
		}
		obj, ok := ev.Object.(*metav1.PartialObjectMetadata)
		if !ok {
			continue
		}
		rv = obj.ResourceVersion
		if ev.Type == watch.Bookmark {
			continue
		}
		w.r.accounts.SecretChanged(obj.Namespace, obj.Name)
		for _, req := range w.r.recordsUsingSecret(ctx, obj) {
			q.Add(req)
		}
	}
	return rv, ctx.Err()
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// Package controllers holds the DynamicDNSRecord reconciler: it reads a
// record and its Secret, asks the egress detector for the address, plans the
// change at the provider with a pure function, applies it and reports the
// outcome on status conditions, events and metrics.
package controllers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/log"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/internal/egress"
	"github.com/ddns-operator/ddns-operator/providers/registry"
)

// Finalizer holds a record whose deletionPolicy is Delete until its
// provider records are removed.
const Finalizer = "ddns.dev/cleanup"

// providerTimeout bounds one reconcile's provider work.
const providerTimeout = 60 * time.Second

// queuedRecheck looks at a record whose change is queued again in case its
// wake-up was lost (the manager lost leadership mid-batch, say).
const queuedRecheck = time.Minute

// DynamicDNSRecordReconciler reconciles DynamicDNSRecord objects.
type DynamicDNSRecordReconciler struct {
	// Client reads records from the cache and writes them.
	client.Client
	// APIReader reads Secrets straight from the API server, so the cache
	// never holds Secret data.
	APIReader client.Reader
	// Recorder emits events on records.
	Recorder events.EventRecorder
	// Providers builds a provider from spec.provider.
	Providers registry.Registry
	// Addresses is the cluster-wide egress detector.
	Addresses egress.AddressSource
	// OwnerID identifies this installation in the ownership markers of the
	// records it writes (see ownership.go); "" writes no markers.
	OwnerID string

	// accounts keeps one provider client, gate and zone snapshot per
	// credential between reconciles.
	accounts accountPool
	// wake enqueues a record whose queued change was sent; set when the
	// controller starts, nil before (changes are then written at once).
	wake func(types.NamespacedName)
}

// syncState carries what the steps of one reconcile learn.
type syncState struct {
	acct    *account
	address string
}

// errQueued ends a reconcile whose change waits in its zone's batch queue;
// the record is woken when the change was sent.
var errQueued = errors.New("change queued for the zone's next batch")

// +kubebuilder:rbac:groups=ddns.dev,resources=dynamicdnsrecords,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=ddns.dev,resources=dynamicdnsrecords/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=ddns.dev,resources=dynamicdnsrecords/finalizers,verbs=update
// +kubebuilder:rbac:groups="",resources=secrets,verbs=get;list;watch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile is plumbing: get the record, defer one status patch, handle
// deletion and the finalizer, then run the steps in order.
func (r *DynamicDNSRecordReconciler) Reconcile(ctx context.Context, req ctrl.Request) (result ctrl.Result, retErr error) {
	obj := &ddnsv1.DynamicDNSRecord{}
	if err := r.Get(ctx, req.NamespacedName, obj); err != nil {
		if apierrors.IsNotFound(err) {
			r.accounts.forgetQueued(req.NamespacedName)
		}
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	base := obj.DeepCopy()
	defer func() {
		if equality.Semantic.DeepEqual(base.Status, obj.Status) {
			return
		}
		if err := r.Status().Patch(ctx, obj, client.MergeFrom(base)); err != nil && !apierrors.IsNotFound(err) {
			retErr = errors.Join(retErr, fmt.Errorf("patch status: %w", err))
		}
	}()

	if !obj.DeletionTimestamp.IsZero() {
		return r.finalize(ctx, obj)
	}
	if err := r.syncFinalizer(ctx, obj); err != nil {
		return ctrl.Result{}, err
	}

	markProgressing(obj)
	st := &syncState{}
	for _, step := range []func(context.Context, *ddnsv1.DynamicDNSRecord, *syncState) error{
		r.checkConflict,
		r.buildProvider,
		r.resolveAddress,
		r.syncRecord,
	} {
		if err := step(ctx, obj, st); errors.Is(err, errQueued) {
			// Nothing to report until the batch is sent: keep the status
			// as it was (the deferred patch then sends nothing).
			obj.Status = *base.Status.DeepCopy()
			return ctrl.Result{RequeueAfter: queuedRecheck}, nil
		} else if err != nil {
			return r.outcome(ctx, obj, err)
		}
	}
	markReady(obj, fmt.Sprintf("%s %s points at %s", obj.Status.FQDN, obj.RecordType(), st.address))
	return ctrl.Result{RequeueAfter: jitter(interval(obj))}, nil
}

// outcome turns a step's error into conditions, an event and the result
// that schedules the next attempt.
func (r *DynamicDNSRecordReconciler) outcome(ctx context.Context, obj *ddnsv1.DynamicDNSRecord, err error) (ctrl.Result, error) {
	if se, ok := isStalled(err); ok {
		r.warnOnChange(obj, se.reason, se.msg)
		markStalled(obj, se.reason, se.msg)
		log.FromContext(ctx).Info("Record needs attention", "reason", se.reason, "message", se.msg)
		return ctrl.Result{RequeueAfter: jitter(interval(obj))}, nil
	}
	if we, ok := isWait(err); ok {
		r.warnOnChange(obj, we.reason, we.msg)
		markRetrying(obj, we.reason, we.msg)
		return ctrl.Result{RequeueAfter: we.after}, nil
	}
	r.warnOnChange(obj, ddnsv1.ReasonProviderUnavailable, err.Error())
	markRetrying(obj, ddnsv1.ReasonProviderUnavailable, err.Error()+"; retrying with backoff")
	return ctrl.Result{}, err
}

// warnOnChange emits a Warning event when the Ready reason or message
// changes, so a failure repeating on every retry does not flood events.
func (r *DynamicDNSRecordReconciler) warnOnChange(obj *ddnsv1.DynamicDNSRecord, reason, msg string) {
	for _, c := range obj.Status.Conditions {
		if c.Type == ddnsv1.ConditionReady && c.Reason == reason && c.Message == msg {
			return
		}
	}
	r.Recorder.Eventf(obj, nil, "Warning", reason, "Reconcile", "%s", msg)
}

// syncFinalizer adds the cleanup finalizer under deletionPolicy Delete and
// removes it under Retain, so a retained record never blocks deletion.
func (r *DynamicDNSRecordReconciler) syncFinalizer(ctx context.Context, obj *ddnsv1.DynamicDNSRecord) error {
	want := obj.Spec.DeletionPolicy == ddnsv1.DeletionPolicyDelete
	if want == controllerutil.ContainsFinalizer(obj, Finalizer) {
		return nil
	}
	patch := client.MergeFrom(obj.DeepCopy())
	if want {
		controllerutil.AddFinalizer(obj, Finalizer)
	} else {
		controllerutil.RemoveFinalizer(obj, Finalizer)
	}
	if err := r.Patch(ctx, obj, patch); err != nil {
		return fmt.Errorf("update finalizers: %w", err)
	}
	return nil
}

// interval returns spec.interval, with the API default for objects that
// did not pass through defaulting.
func interval(obj *ddnsv1.DynamicDNSRecord) time.Duration {
	if obj.Spec.Interval == nil || obj.Spec.Interval.Duration < 30*time.Second {
		return 5 * time.Minute
	}
	return obj.Spec.Interval.Duration
}

// jitter spreads periodic checks by up to 10% so records created together
// do not hit the provider together forever.
func jitter(d time.Duration) time.Duration { return wait.Jitter(d, 0.1) }

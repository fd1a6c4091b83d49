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
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/tools/events"
	"k8s.io/client-go/util/workqueue"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/log"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/internal/access"
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
	// Providers are the providers this build ships, by spec.provider.
	Providers registry.Registry
	// Addresses is the cluster-wide egress detector.
	Addresses egress.AddressSource
	// OwnerID identifies this installation in the ownership markers of the
	// records it writes (see ownership.go); "" writes no markers.
	OwnerID string
	// Interfaces says how spec.ipSource.interface reads the host's
	// addresses.
	Interfaces Interfaces

	// accounts keeps one provider client, gate and zone snapshot per
	// credential between reconciles. Its Wake, set when the controller
	// starts, enqueues a record whose queued change was sent (before that,
	// changes are written at once).
	accounts access.Pool
	// backoff spaces the retries of each record's transient failures
	// (exponential, per record); set up by SetupWithManager. The reconciler
	// schedules retries itself instead of returning the error, so a
	// passing fault is logged once, by us, at the level it deserves, not
	// on every retry with a stack trace.
	backoff workqueue.TypedRateLimiter[types.NamespacedName]
}

// syncState carries what the steps of one reconcile learn.
type syncState struct {
	acct    *access.Account
	address string
	// checked is when the provider was read, zero when it was not.
	checked metav1.Time
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
			r.accounts.Forget(req.NamespacedName)
			forgetRecordMetrics(req.NamespacedName)
		}
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	base := obj.DeepCopy()
	st := &syncState{}
	defer func() {
		// A check that changed nothing writes nothing: lastSyncTime
		// moves only with a status that changes anyway (the time of
		// every check is the ddns_record_last_check_timestamp_seconds
		// metric), so a steady state costs the API server no writes.
		if !st.checked.IsZero() && !equality.Semantic.DeepEqual(base.Status, obj.Status) {
			obj.Status.LastSyncTime = &st.checked
		}
		if err := r.patchStatus(ctx, base, obj); err != nil {
			retErr = errors.Join(retErr, err)
		}
	}()

	if !obj.DeletionTimestamp.IsZero() {
		return r.finalize(ctx, obj)
	}
	if err := r.syncFinalizer(ctx, obj); err != nil {
		return ctrl.Result{}, err
	}

	if markProgressing(obj) {
		// Show the work on a new generation before the provider is
		// asked, which can take long (rate limits, a queued batch).
		if err := r.patchStatus(ctx, base, obj); err != nil {
			return ctrl.Result{}, err
		}
		base = obj.DeepCopy()
	}
	for _, step := range []func(context.Context, *ddnsv1.DynamicDNSRecord, *syncState) error{
		r.checkConflict,
		r.buildProvider,
		r.resolveAddress,
		r.syncRecord,
	} {
		if err := step(ctx, obj, st); err != nil && ctx.Err() != nil {
			// The manager is shutting down and cut this step short: what
			// it learnt is incomplete. Leave the status as it was; the
			// next leader checks again (ownership markers let it adopt a
			// record whose create answer was lost).
			obj.Status = *base.Status.DeepCopy()
			return ctrl.Result{}, nil
		} else if errors.Is(err, errQueued) {
			// Nothing to report until the batch is sent: keep the status
			// as it was (the deferred patch then sends nothing).
			obj.Status = *base.Status.DeepCopy()
			return ctrl.Result{RequeueAfter: queuedRecheck}, nil
		} else if err != nil {
			return r.outcome(ctx, obj, err)
		}
	}
	r.logRecovery(ctx, obj)
	msg := fmt.Sprintf("%s %s points at %s", obj.Status.FQDN, obj.RecordType(), st.address)
	if why := st.acct.Descriptor().Deprecated; why != "" {
		msg += fmt.Sprintf("; provider %s is deprecated: %s", obj.Spec.Provider, why)
		if c := meta.FindStatusCondition(obj.Status.Conditions, ddnsv1.ConditionReady); c == nil || c.Message != msg {
			r.Recorder.Eventf(obj, nil, "Warning", ddnsv1.ReasonDeprecatedProvider, "Reconcile", "provider %s is deprecated: %s", obj.Spec.Provider, why)
		}
	}
	markReady(obj, msg)
	r.forgetFailures(req.NamespacedName)
	return ctrl.Result{RequeueAfter: nextCheck(interval(obj), time.Now())}, nil
}

// patchStatus writes the status changes obj holds over base, if any. On
// shutdown a reconcile that got this far still writes what it did at the
// provider, with a short deadline of its own; a write the API server
// cannot take then is dropped quietly (the next leader checks again).
func (r *DynamicDNSRecordReconciler) patchStatus(ctx context.Context, base, obj *ddnsv1.DynamicDNSRecord) error {
	if equality.Semantic.DeepEqual(base.Status, obj.Status) {
		return nil
	}
	pctx := ctx
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		pctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), shutdownPatchTimeout)
		defer cancel()
	}
	err := r.Status().Patch(pctx, obj, client.MergeFrom(base))
	switch {
	case err == nil, apierrors.IsNotFound(err):
		return nil
	case ctx.Err() != nil:
		log.FromContext(ctx).V(1).Info("Status not saved on shutdown", "error", err.Error())
		return nil
	}
	return fmt.Errorf("patch status: %w", err)
}

// shutdownPatchTimeout bounds the status write of a reconcile that was
// under way when the manager was asked to stop.
const shutdownPatchTimeout = 5 * time.Second

// outcome turns a step's error into conditions, an event and the result
// that schedules the next attempt.
//
// A failure is reported once when it starts or changes (its reason or
// message): one Warning event and one log line. A failure repeating on
// every retry changes nothing, so it floods neither events nor logs.
func (r *DynamicDNSRecordReconciler) outcome(ctx context.Context, obj *ddnsv1.DynamicDNSRecord, err error) (ctrl.Result, error) {
	key := types.NamespacedName{Namespace: obj.Namespace, Name: obj.Name}
	logger := log.FromContext(ctx)
	if se, ok := isStalled(err); ok {
		r.forgetFailures(key)
		if r.failureChanged(obj, se.reason, se.msg) {
			logger.Info("Record needs attention", "reason", se.reason, "message", se.msg)
			r.Recorder.Eventf(obj, nil, "Warning", se.reason, "Reconcile", "%s", se.msg)
		}
		markStalled(obj, se.reason, se.msg)
		return ctrl.Result{RequeueAfter: nextCheck(interval(obj), time.Now())}, nil
	}
	if we, ok := isWait(err); ok {
		r.forgetFailures(key)
		if r.failureChanged(obj, we.reason, we.msg) {
			logger.Info("Waiting before the next attempt", "reason", we.reason, "message", we.msg)
			r.Recorder.Eventf(obj, nil, "Warning", we.reason, "Reconcile", "%s", we.msg)
		}
		markRetrying(obj, we.reason, we.msg)
		return ctrl.Result{RequeueAfter: we.after}, nil
	}
	msg := err.Error()
	after := r.nextRetry(key)
	if r.failureChanged(obj, ddnsv1.ReasonProviderUnavailable, msg) {
		logger.Info("Provider call failed; retrying with backoff", "reason", ddnsv1.ReasonProviderUnavailable, "error", msg, "retryIn", after.String())
		r.Recorder.Eventf(obj, nil, "Warning", ddnsv1.ReasonProviderUnavailable, "Reconcile", "%s", msg)
	}
	markRetrying(obj, ddnsv1.ReasonProviderUnavailable, msg)
	return ctrl.Result{RequeueAfter: after}, nil
}

// failureChanged reports whether a failure with reason and msg is news:
// the Ready condition does not already say exactly that.
func (r *DynamicDNSRecordReconciler) failureChanged(obj *ddnsv1.DynamicDNSRecord, reason, msg string) bool {
	c := meta.FindStatusCondition(obj.Status.Conditions, ddnsv1.ConditionReady)
	return c == nil || c.Status != metav1.ConditionFalse || c.Reason != reason || c.Message != msg
}

// logRecovery logs, once, that a record that was failing works again.
func (r *DynamicDNSRecordReconciler) logRecovery(ctx context.Context, obj *ddnsv1.DynamicDNSRecord) {
	if c := meta.FindStatusCondition(obj.Status.Conditions, ddnsv1.ConditionReady); c != nil && c.Status == metav1.ConditionFalse {
		log.FromContext(ctx).Info("Record recovered", "previousReason", c.Reason)
	}
}

// nextRetry returns how long the record waits before its next attempt
// after a transient failure: exponential per record, from the options'
// RetryBaseDelay to RetryMaxDelay.
func (r *DynamicDNSRecordReconciler) nextRetry(key types.NamespacedName) time.Duration {
	if r.backoff == nil {
		return time.Second
	}
	return r.backoff.When(key)
}

// forgetFailures resets the record's backoff after an outcome that is not
// a transient failure.
func (r *DynamicDNSRecordReconciler) forgetFailures(key types.NamespacedName) {
	if r.backoff != nil {
		r.backoff.Forget(key)
	}
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

// nextCheck is how long until the next periodic check of a record checked
// every d: d plus up to 10% jitter, so records created together do not
// hit the provider together forever, then rounded up to the next multiple
// of d/30 on the clock (1 s at 30 s, 10 s at the default 5 minutes). The
// checks falling due within one slot then wake the manager once, together,
// instead of one by one: each wakeup costs more CPU than the check it
// carries (make bench, CPU per check at 100 and 1,000 records).
func nextCheck(d time.Duration, now time.Time) time.Duration {
	slot := max(d/checkSlots, time.Second)
	due := now.Add(wait.Jitter(d, 0.1))
	at := due.Truncate(slot)
	if at.Before(due) {
		at = at.Add(slot)
	}
	return at.Sub(now)
}

// checkSlots is how many slots one interval is cut into for nextCheck.
const checkSlots = 30

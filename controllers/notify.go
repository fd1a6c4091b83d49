package controllers

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/internal/egress"
	"github.com/ddns-operator/ddns-operator/internal/notify"
)

// TestNotificationAnnotation asks for a test notification: setting it on a
// record (or changing its value, e.g. to the current time) sends a test
// message to every target, and the result comes back as an event on that
// record: NotificationSent naming the targets that got it, and
// NotificationFailed naming those that did not, with the reason.
const TestNotificationAnnotation = "ddns.dev/test-notification"

// Notifier is what the RecordObserver tells about address changes and
// tests; *notify.Notifier is one.
type Notifier interface {
	AddressChanged(notify.AddressChange)
	Test(requestedBy string, done func([]notify.TestResult))
}

// RecordObserver tells people what happened to records without being part
// of their reconcile: it watches records' status as the API server stores
// it (the reconciler's status patch is the event) and hands each state to
// the Tracker, which decides what is news; it counts the records that
// follow an address that changed; and it answers the test annotation. The
// reconciler never calls it, so nothing it does (or a notification service
// that hangs) can slow a reconcile.
type RecordObserver struct {
	client.Client
	Recorder events.EventRecorder
	// Tracker turns record states into notifications (and tells the
	// heartbeat which records fail).
	Tracker *notify.Tracker
	// Notifier receives address changes and test requests; nil when no
	// target is configured (tests are then answered with a warning).
	Notifier Notifier
	// Addresses is the egress detector, subscribed to for address changes.
	Addresses egress.AddressSource

	mu      sync.Mutex
	handled map[types.NamespacedName]string // test annotation values answered
}

// SetupWithManager watches records for the Tracker and the test
// annotation, and subscribes to address changes. Both run only on the
// leader. skipNameCheck lets tests start it in several managers.
func (o *RecordObserver) SetupWithManager(mgr ctrl.Manager, skipNameCheck bool) error {
	if o.Addresses != nil && o.Notifier != nil {
		if err := mgr.Add(manager.RunnableFunc(o.followAddressChanges)); err != nil {
			return err
		}
	}
	return ctrl.NewControllerManagedBy(mgr).
		Named("notifications").
		Watches(&ddnsv1.DynamicDNSRecord{}, handler.TypedFuncs[client.Object, reconcile.Request]{
			CreateFunc: func(_ context.Context, e event.TypedCreateEvent[client.Object], _ workqueue.TypedRateLimitingInterface[reconcile.Request]) {
				o.observe(e.Object)
			},
			UpdateFunc: func(_ context.Context, e event.TypedUpdateEvent[client.Object], q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
				o.observe(e.ObjectNew)
				if v := e.ObjectNew.GetAnnotations()[TestNotificationAnnotation]; v != "" && v != e.ObjectOld.GetAnnotations()[TestNotificationAnnotation] {
					q.Add(reconcile.Request{NamespacedName: client.ObjectKeyFromObject(e.ObjectNew)})
				}
			},
			DeleteFunc: func(_ context.Context, e event.TypedDeleteEvent[client.Object], _ workqueue.TypedRateLimitingInterface[reconcile.Request]) {
				o.Tracker.Forget(e.Object.GetNamespace(), e.Object.GetName())
			},
		}).
		// The delaying queue, as for records (see SetupWithManager).
		WithOptions(controller.Options{MaxConcurrentReconciles: 1, SkipNameValidation: ptr.To(skipNameCheck), UsePriorityQueue: ptr.To(false)}).
		Complete(o)
}

// observe hands a record's state to the Tracker. It runs in the informer's
// event handler: a map update under a mutex, no I/O.
func (o *RecordObserver) observe(obj client.Object) {
	rec, ok := obj.(*ddnsv1.DynamicDNSRecord)
	if !ok || !rec.DeletionTimestamp.IsZero() {
		return
	}
	o.Tracker.Observe(recordState(rec))
}

// recordState reads what the Tracker needs from a record's status.
func recordState(rec *ddnsv1.DynamicDNSRecord) notify.RecordState {
	s := notify.RecordState{
		RecordRef: notify.RecordRef{Namespace: rec.Namespace, Name: rec.Name, FQDN: rec.Status.FQDN, Type: string(rec.RecordType())},
		Ready:     "Unknown",
		Stalled:   meta.IsStatusConditionTrue(rec.Status.Conditions, ddnsv1.ConditionStalled),
	}
	if s.FQDN == "" {
		s.FQDN = strings.TrimSuffix(rec.Spec.Domain, ".")
	}
	if c := meta.FindStatusCondition(rec.Status.Conditions, ddnsv1.ConditionReady); c != nil {
		s.Ready, s.Reason, s.Message, s.Since = string(c.Status), c.Reason, c.Message, c.LastTransitionTime.Time
	}
	if len(rec.Status.Addresses) > 0 {
		s.Address = rec.Status.Addresses[0]
	}
	if rec.Status.LastUpdateTime != nil {
		s.LastUpdate = rec.Status.LastUpdateTime.Time
	}
	return s
}

// Reconcile answers a test annotation: it sends a test message to every
// target and, when all have answered, records on the record which targets
// got it (NotificationSent) and which did not (NotificationFailed). A value is answered once per process.
func (o *RecordObserver) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	rec := &ddnsv1.DynamicDNSRecord{}
	if err := o.Get(ctx, req.NamespacedName, rec); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	value := rec.Annotations[TestNotificationAnnotation]
	o.mu.Lock()
	if o.handled == nil {
		o.handled = map[types.NamespacedName]string{}
	}
	if value == "" || o.handled[req.NamespacedName] == value {
		o.mu.Unlock()
		return ctrl.Result{}, nil
	}
	o.handled[req.NamespacedName] = value
	o.mu.Unlock()
	log.FromContext(ctx).Info("Sending a test notification", "annotation", value)
	by := fmt.Sprintf("annotation %s on %s", TestNotificationAnnotation, req.NamespacedName)
	if o.Notifier == nil {
		o.Recorder.Eventf(rec, nil, "Warning", "NotificationFailed", "TestNotification", "%s", notify.ErrNoTargets.Error())
		return ctrl.Result{}, nil
	}
	o.Notifier.Test(by, func(results []notify.TestResult) {
		// One event per outcome: events with the same reason on one object
		// are folded into a series that keeps only the first note.
		var sent, failed []string
		for _, r := range results {
			if r.Err != nil {
				failed = append(failed, fmt.Sprintf("%s: %s", r.Target, r.Err))
			} else {
				sent = append(sent, r.Target)
			}
		}
		if len(sent) > 0 {
			o.Recorder.Eventf(rec, nil, "Normal", "NotificationSent", "TestNotification", "Test notification delivered to %s", strings.Join(sent, ", "))
		}
		if len(failed) > 0 {
			o.Recorder.Eventf(rec, nil, "Warning", "NotificationFailed", "TestNotification", "Test notification failed for %s", strings.Join(failed, "; "))
		}
	})
	return ctrl.Result{}, nil
}

// followAddressChanges tells the Notifier of every change of a detected
// address, with the number of records that follow it. The first address
// a detector learns after start is not a change.
func (o *RecordObserver) followAddressChanges(ctx context.Context) error {
	changes := o.Addresses.Subscribe()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ch := <-changes:
			if !ch.Old.IsValid() {
				continue
			}
			var list ddnsv1.DynamicDNSRecordList
			if err := o.List(ctx, &list); err != nil {
				log.FromContext(ctx).Error(err, "List records after an address change")
			}
			n := 0
			for i := range list.Items {
				rec := &list.Items[i]
				if l, ok := detectorList(rec); ok && l == ch.List && egress.FamilyOf(rec.RecordType()) == ch.Family {
					n++
				}
			}
			o.Notifier.AddressChanged(notify.AddressChange{List: ch.List, Family: ch.Family.String(), Old: ch.Old.String(), New: ch.New.String(), Records: n})
		}
	}
}

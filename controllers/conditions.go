package controllers

import (
	"strconv"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
)

// setCondition sets one condition, keeping its transition time when the
// status does not change.
func setCondition(obj *ddnsv1.DynamicDNSRecord, typ string, status metav1.ConditionStatus, reason, msg string) {
	meta.SetStatusCondition(&obj.Status.Conditions, metav1.Condition{
		Type:               typ,
		Status:             status,
		Reason:             reason,
		Message:            msg,
		ObservedGeneration: obj.Generation,
	})
}

// markReady records success: Ready=True, no Reconciling, no Stalled.
func markReady(obj *ddnsv1.DynamicDNSRecord, msg string) {
	setCondition(obj, ddnsv1.ConditionReady, metav1.ConditionTrue, ddnsv1.ReasonSynced, msg)
	meta.RemoveStatusCondition(&obj.Status.Conditions, ddnsv1.ConditionReconciling)
	meta.RemoveStatusCondition(&obj.Status.Conditions, ddnsv1.ConditionStalled)
	obj.Status.ObservedGeneration = obj.Generation
}

// markStalled records a state only a user can fix: Stalled=True and
// Ready=False with the same reason; Reconciling is removed, as kstatus
// never has both true.
func markStalled(obj *ddnsv1.DynamicDNSRecord, reason, msg string) {
	setCondition(obj, ddnsv1.ConditionReady, metav1.ConditionFalse, reason, msg)
	setCondition(obj, ddnsv1.ConditionStalled, metav1.ConditionTrue, reason, msg)
	meta.RemoveStatusCondition(&obj.Status.Conditions, ddnsv1.ConditionReconciling)
	obj.Status.ObservedGeneration = obj.Generation
}

// markRetrying records work still in progress after a failure the operator
// retries by itself: Ready=False, Reconciling=True, no Stalled.
func markRetrying(obj *ddnsv1.DynamicDNSRecord, reason, msg string) {
	setCondition(obj, ddnsv1.ConditionReady, metav1.ConditionFalse, reason, msg)
	setCondition(obj, ddnsv1.ConditionReconciling, metav1.ConditionTrue, reason, msg)
	meta.RemoveStatusCondition(&obj.Status.Conditions, ddnsv1.ConditionStalled)
}

// markProgressing records the start of work on a generation not yet
// handled: Reconciling=True, and Ready=Unknown when Ready has no value yet
// (Ready otherwise keeps its last value until the outcome is known). It
// reports whether it changed anything: nothing changes for a generation
// already handled, or one whose work was already reported under way (a
// retry keeps the reason of its failure).
func markProgressing(obj *ddnsv1.DynamicDNSRecord) bool {
	if obj.Status.ObservedGeneration == obj.Generation {
		return false
	}
	if c := meta.FindStatusCondition(obj.Status.Conditions, ddnsv1.ConditionReconciling); c != nil && c.Status == metav1.ConditionTrue && c.ObservedGeneration == obj.Generation {
		return false
	}
	msg := "reconciling generation " + strconv.FormatInt(obj.Generation, 10)
	setCondition(obj, ddnsv1.ConditionReconciling, metav1.ConditionTrue, ddnsv1.ReasonProgressing, msg)
	if meta.FindStatusCondition(obj.Status.Conditions, ddnsv1.ConditionReady) == nil {
		setCondition(obj, ddnsv1.ConditionReady, metav1.ConditionUnknown, ddnsv1.ReasonProgressing, msg)
	}
	return true
}

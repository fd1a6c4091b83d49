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
// handled. Ready keeps its last value until the outcome is known, unless
// there is none yet.
func markProgressing(obj *ddnsv1.DynamicDNSRecord) {
	if obj.Status.ObservedGeneration == obj.Generation && meta.IsStatusConditionTrue(obj.Status.Conditions, ddnsv1.ConditionReady) {
		return
	}
	msg := "reconciling generation " + strconv.FormatInt(obj.Generation, 10)
	setCondition(obj, ddnsv1.ConditionReconciling, metav1.ConditionTrue, ddnsv1.ReasonProgressing, msg)
	if meta.FindStatusCondition(obj.Status.Conditions, ddnsv1.ConditionReady) == nil {
		setCondition(obj, ddnsv1.ConditionReady, metav1.ConditionUnknown, ddnsv1.ReasonProgressing, msg)
	}
}

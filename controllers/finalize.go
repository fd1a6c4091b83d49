package controllers

import (
	"context"
	"fmt"
	"slices"

	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/log"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// finalize handles a record being deleted. Under deletionPolicy Delete it
// removes, at the provider, only the records whose IDs this resource
// recorded in status.recordIds, then releases the finalizer; under Retain
// it releases the finalizer at once. When the provider cannot be reached or
// the Secret is gone, the finalizer stays and the conditions say why
// (a user can remove the finalizer to leave the record behind).
func (r *DynamicDNSRecordReconciler) finalize(ctx context.Context, obj *ddnsv1.DynamicDNSRecord) (ctrl.Result, error) {
	if !controllerutil.ContainsFinalizer(obj, Finalizer) {
		return ctrl.Result{}, nil
	}
	if obj.Spec.DeletionPolicy == ddnsv1.DeletionPolicyDelete && len(obj.ManagedRecordIDs()) > 0 {
		if err := r.deleteManaged(ctx, obj); err != nil {
			return r.outcome(ctx, obj, err)
		}
	}
	patch := client.MergeFrom(obj.DeepCopy())
	controllerutil.RemoveFinalizer(obj, Finalizer)
	if err := r.Patch(ctx, obj, patch); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(fmt.Errorf("remove finalizer: %w", err))
	}
	return ctrl.Result{}, nil
}

// deleteManaged removes the provider records listed in status.recordIds
// that still carry this resource's name, type and ownership marker (at a
// provider that keeps markers).
func (r *DynamicDNSRecordReconciler) deleteManaged(ctx context.Context, obj *ddnsv1.DynamicDNSRecord) error {
	ctx, cancel := context.WithTimeout(ctx, providerTimeout)
	defer cancel()
	a, err := r.accountFor(ctx, obj)
	if err != nil {
		return err
	}
	fqdn, typ := providers.CanonicalName(obj.Spec.Domain), string(obj.RecordType())
	zone, err := a.FindZone(ctx, fqdn, obj.Spec.Zone)
	if err != nil {
		return classify("find zone", err, credentialOf(obj, a))
	}
	r.accounts.Forget(types.NamespacedName{Namespace: obj.Namespace, Name: obj.Name})
	// Read the name itself, not the zone's snapshot: another owner may
	// have marked the record since.
	actual, err := a.RecordsNow(ctx, zone, fqdn, typ)
	if err != nil {
		return classify("list records in zone "+zone.Name, err, credentialOf(obj, a))
	}
	for _, rec := range actual {
		if !slices.Contains(obj.ManagedRecordIDs(), rec.ID) {
			continue
		}
		// At a provider with no place for a marker, the ID this resource
		// recorded is all there is to go by.
		if r.OwnerID != "" && a.Descriptor().Marker != "" && !markedBy(rec, r.OwnerID, obj) {
			log.FromContext(ctx).Info("Kept record not marked as this resource's", "zone", zone.Name, "fqdn", fqdn, "type", typ, "id", rec.ID, "marker", rec.Marker)
			r.Recorder.Eventf(obj, nil, "Normal", "Kept", "DeleteRecord", "Kept %s %s %s in zone %s: it does not carry this resource's ownership marker", rec.Name, rec.Type, rec.Value, zone.Name)
			continue
		}
		if err := a.Remove(ctx, zone, rec); err != nil {
			return classify("delete record in zone "+zone.Name, err, credentialOf(obj, a))
		}
		log.FromContext(ctx).Info("Deleted record", "zone", zone.Name, "fqdn", fqdn, "type", typ, "id", rec.ID)
		r.Recorder.Eventf(obj, nil, "Normal", "Deleted", "DeleteRecord", "Deleted %s %s %s in zone %s (deletionPolicy Delete)", rec.Name, rec.Type, rec.Value, zone.Name)
	}
	return nil
}

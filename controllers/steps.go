package controllers

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// addressWait is how long a record without an address waits before asking
// again; an address change reaches it sooner through the detector.
const addressWait = time.Minute

// checkConflict stops a record whose name and type another, older
// DynamicDNSRecord already manages, so two resources never fight over one
// DNS name. Sets Stalled/Ready=False with reason Conflict.
func (r *DynamicDNSRecordReconciler) checkConflict(ctx context.Context, obj *ddnsv1.DynamicDNSRecord, _ *syncState) error {
	var peers ddnsv1.DynamicDNSRecordList
	if err := r.List(ctx, &peers, client.MatchingFields{indexDomainKey: domainKey(obj)}); err != nil {
		return fmt.Errorf("list records for %s: %w", obj.Spec.Domain, err)
	}
	for i := range peers.Items {
		peer := &peers.Items[i]
		if peer.UID == obj.UID || !peer.DeletionTimestamp.IsZero() || !olderThan(peer, obj) {
			continue
		}
		return stalled(ddnsv1.ReasonConflict, "%s %s is already managed by DynamicDNSRecord %s/%s; delete one of the two",
			obj.Spec.Domain, obj.RecordType(), peer.Namespace, peer.Name)
	}
	return nil
}

// olderThan orders claims on one name: the earlier creation wins, and the
// namespace/name breaks a tie within the same second.
func olderThan(a, b *ddnsv1.DynamicDNSRecord) bool {
	if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
		return a.CreationTimestamp.Before(&b.CreationTimestamp)
	}
	return a.Namespace+"/"+a.Name < b.Namespace+"/"+b.Name
}

// buildProvider finds the record's account (provider client, request gate
// and zone reads, shared by every record with the same credential), built
// from the Secret read from the API server when the Secret or the options
// changed. Sets Stalled with SecretNotFound, InvalidCredentials or
// UnknownProvider.
func (r *DynamicDNSRecordReconciler) buildProvider(ctx context.Context, obj *ddnsv1.DynamicDNSRecord, st *syncState) error {
	a, err := r.accountFor(ctx, obj)
	if err != nil {
		return err
	}
	st.acct = a
	return nil
}

func (r *DynamicDNSRecordReconciler) accountFor(ctx context.Context, obj *ddnsv1.DynamicDNSRecord) (*account, error) {
	if _, ok := r.Providers[obj.Spec.Provider]; !ok {
		return nil, stalled(ddnsv1.ReasonUnknownProvider, "provider %q is not available in this build of the operator (have %v)", obj.Spec.Provider, r.Providers.Names())
	}
	key := secretOf(obj)
	// Accounts live until the Secret watch sees their Secret change; the
	// Secret's data is read from the API server only to build one.
	if a, ok := r.accounts.get(obj); ok {
		return a, nil
	}
	v, err, _ := r.accounts.building.Do(accountKey(obj), func() (any, error) {
		if a, ok := r.accounts.get(obj); ok {
			return a, nil
		}
		built := r.accounts.current(obj)
		var secret corev1.Secret
		if err := r.APIReader.Get(ctx, key, &secret); err != nil {
			if apierrors.IsNotFound(err) {
				return nil, stalled(ddnsv1.ReasonSecretNotFound, "Secret %s not found; create it with the %s credentials", key, obj.Spec.Provider)
			}
			return nil, fmt.Errorf("read Secret %s: %w", key, err)
		}
		secrets := valuesToScrub(secret.Data)
		p, err := r.Providers.New(obj.Spec.Provider, secret.Data, &obj.Spec)
		err = redactError(err, secrets)
		if err != nil {
			if providers.KindOf(err) == providers.KindCredentials {
				return nil, stalled(ddnsv1.ReasonInvalidCredentials, "Secret %s: %s", key, err)
			}
			return nil, classify("configure provider "+obj.Spec.Provider, err)
		}
		return r.accounts.put(obj, built, p, secrets), nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*account), nil
}

// resolveAddress finds the address to publish (see recordAddress in
// ipsource.go): spec.ipSource (static, service, node, interface, or a named
// source list), else the cluster-wide detector's address of the record's
// family, with spec.ipSource.ipv6Suffix applied. Sets Ready=False and
// Reconciling with AddressUnavailable when no address is known or the
// sources disagree (the provider then keeps its last agreed address), and
// Stalled with AddressUnavailable or InvalidRecord when the source is
// misconfigured.
func (r *DynamicDNSRecordReconciler) resolveAddress(ctx context.Context, obj *ddnsv1.DynamicDNSRecord, st *syncState) error {
	addr, err := r.recordAddress(ctx, obj)
	if err != nil {
		return err
	}
	st.address = addr.String()
	return nil
}

// syncRecord reads the record at the provider (from the zone's snapshot
// where the provider lists whole zones), plans, and applies the plan:
// create or update first, then remove duplicates, so the name never goes
// dark. At a provider with a batch endpoint the plan joins the zone's
// queue instead and the record is woken when it was sent. Writes status
// fqdn, zone, addresses, recordIDs and sync times.
func (r *DynamicDNSRecordReconciler) syncRecord(ctx context.Context, obj *ddnsv1.DynamicDNSRecord, st *syncState) error {
	ctx, cancel := context.WithTimeout(ctx, providerTimeout)
	defer cancel()
	a := st.acct
	fqdn, typ := providers.CanonicalName(obj.Spec.Domain), string(obj.RecordType())
	zone, err := a.findZone(ctx, fqdn, obj.Spec.Zone)
	if err != nil {
		return classify("find zone", err)
	}
	now := metav1.Now()
	obj.Status.FQDN, obj.Status.Zone = fqdn, zone.Name
	key := types.NamespacedName{Namespace: obj.Namespace, Name: obj.Name}
	batch := a.batchFor(zone, r.wake)
	if batch != nil {
		if res, ok := batch.take(key); ok {
			if res.err != nil {
				return classify(res.op, res.err)
			}
			r.reportWrites(ctx, obj, zone, res.plan, res.kept)
			obj.Status.LastUpdateTime = &now
		}
	}
	actual, err := a.records(ctx, zone, fqdn, typ, interval(obj))
	if err != nil {
		return classify("list records in zone "+zone.Name, err)
	}
	obj.Status.LastSyncTime = &now
	if m, ok := foreignOwner(r.OwnerID, actual); ok && !obj.Spec.TakeOwnership {
		return stalled(ddnsv1.ReasonConflict, "%s %s at the provider is marked as managed by %s; set spec.takeOwnership: true to take it over", fqdn, typ, m)
	}

	want := Desired{Name: fqdn, Type: typ, Value: st.address, TTL: ttlOf(obj), Marker: ownerMarker(r.OwnerID, obj)}
	plan := ComputePlan(want, actual, obj.Status.RecordIDs)
	var kept providers.Record
	switch {
	case plan.Empty():
		kept = *plan.Keep
	case batch != nil:
		r.accounts.forgetQueued(key)
		batch.add(change{key: key, typ: typ, plan: plan})
		return errQueued
	default:
		var op string
		kept, op, err = a.applyPlan(ctx, zone, plan)
		if err != nil {
			return classify(op, err)
		}
		r.reportWrites(ctx, obj, zone, plan, kept)
		obj.Status.LastUpdateTime = &now
	}
	obj.Status.Addresses = []string{kept.Value}
	obj.Status.RecordIDs = []string{kept.ID}
	return nil
}

// reportWrites logs a plan's writes and gives each an event.
func (r *DynamicDNSRecordReconciler) reportWrites(ctx context.Context, obj *ddnsv1.DynamicDNSRecord, zone providers.Zone, plan Plan, kept providers.Record) {
	logger := log.FromContext(ctx).WithValues("zone", zone.Name, "fqdn", obj.Status.FQDN, "type", obj.RecordType())
	switch {
	case plan.Create != nil:
		logger.Info("Created record", "value", kept.Value, "id", kept.ID)
		r.Recorder.Eventf(obj, nil, "Normal", "Created", "CreateRecord", "Created %s %s %s in zone %s", kept.Name, kept.Type, kept.Value, zone.Name)
	case plan.Update != nil:
		logger.Info("Updated record", "value", kept.Value, "id", kept.ID)
		r.Recorder.Eventf(obj, nil, "Normal", "Updated", "UpdateRecord", "Updated %s %s to %s in zone %s", kept.Name, kept.Type, kept.Value, zone.Name)
	}
	for _, dup := range plan.Delete {
		logger.Info("Deleted duplicate record", "value", dup.Value, "id", dup.ID)
		r.Recorder.Eventf(obj, nil, "Normal", "Deleted", "DeleteRecord", "Deleted duplicate %s %s %s in zone %s", dup.Name, dup.Type, dup.Value, zone.Name)
	}
}

// ttlOf returns spec.ttl, or 0 for the provider's default.
func ttlOf(obj *ddnsv1.DynamicDNSRecord) int32 {
	if obj.Spec.TTL == nil {
		return 0
	}
	return *obj.Spec.TTL
}

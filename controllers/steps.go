package controllers

import (
	"context"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/internal/access"
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
	// Read only: the cache's own objects, not copies of them (every check
	// asks, and usually finds only obj itself).
	if err := r.List(ctx, &peers, client.MatchingFields{indexDomainKey: domainKey(obj)}, client.UnsafeDisableDeepCopy); err != nil {
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

func (r *DynamicDNSRecordReconciler) accountFor(ctx context.Context, obj *ddnsv1.DynamicDNSRecord) (*access.Account, error) {
	d, env, ok := r.Providers.Lookup(string(obj.Spec.Provider))
	if !ok {
		return nil, stalled(ddnsv1.ReasonUnknownProvider, "provider %q is not available in this build of the operator (have %v)", obj.Spec.Provider, r.Providers.Names())
	}
	key := secretOf(obj)
	// Accounts live until the Secret watch sees their Secret change; the
	// Secret's data is read from the API server only to build one.
	a, err := r.accounts.Account(ctx, access.KeyFor(d, obj), access.Build{
		Descriptor: d,
		Env:        env,
		Spec:       &obj.Spec,
		ReadSecret: func(ctx context.Context) (map[string][]byte, error) {
			var secret corev1.Secret
			if err := r.APIReader.Get(ctx, key, &secret); err != nil {
				if apierrors.IsNotFound(err) {
					return nil, stalled(ddnsv1.ReasonSecretNotFound, "Secret %s not found; create it with the %s keys %s", key, d.Title, keyList(d))
				}
				return nil, fmt.Errorf("read Secret %s: %w", key, err)
			}
			return secret.Data, nil
		},
	})
	if _, ok := isStalled(err); ok || err == nil {
		return a, err
	}
	if providers.KindOf(err) == providers.KindCredentials {
		return nil, stalled(ddnsv1.ReasonInvalidCredentials, "Secret %s: %s", key, err)
	}
	return nil, classify("configure provider "+string(obj.Spec.Provider), err, credentialRef{})
}

// keyList names a provider's Secret keys for a message: the required ones,
// then the optional ones in brackets.
func keyList(d providers.Descriptor) string {
	var req, opt []string
	for _, k := range d.Keys {
		if k.Optional {
			opt = append(opt, k.Name)
		} else {
			req = append(req, k.Name)
		}
	}
	out := strings.Join(req, ", ")
	if len(opt) > 0 {
		out = strings.TrimPrefix(out+" ["+strings.Join(opt, ", ")+"]", " ")
	}
	return out
}

// credentialOf names the Secret and the keys an account's provider read,
// for messages about credentials the provider refused.
func credentialOf(obj *ddnsv1.DynamicDNSRecord, a *access.Account) credentialRef {
	return credentialRef{secret: secretOf(obj).String(), keys: a.KeysUsed()}
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
// where the provider lists whole zones), plans, and has the account carry
// out the plan (see package access for how: at once, or through the zone's
// batch queue, after which the record is woken to report the outcome).
// Writes status fqdn, zone, addresses, recordIds and sync times.
func (r *DynamicDNSRecordReconciler) syncRecord(ctx context.Context, obj *ddnsv1.DynamicDNSRecord, st *syncState) error {
	ctx, cancel := context.WithTimeout(ctx, providerTimeout)
	defer cancel()
	a, cred := st.acct, credentialOf(obj, st.acct)
	fqdn, typ := providers.CanonicalName(obj.Spec.Domain), string(obj.RecordType())
	zone, err := a.FindZone(ctx, fqdn, obj.Spec.Zone)
	if err != nil {
		return classify("find zone", err, cred)
	}
	now := metav1.Now()
	obj.Status.FQDN, obj.Status.Zone = fqdn, zone.Name
	key := types.NamespacedName{Namespace: obj.Namespace, Name: obj.Name}
	if out, ok := a.Applied(zone, key); ok {
		// The change this record queued was sent since its last check.
		if out.Err != nil {
			return classify(out.Op, out.Err, cred)
		}
		if !out.Replan {
			r.reportWrites(ctx, obj, zone, out.Plan, out.Kept)
			obj.Status.LastUpdateTime = &now
		}
		// Replan: the name was taken at the provider before the create
		// went out; the plan below starts from that read.
	}
	actual, err := a.Records(ctx, zone, fqdn, typ, interval(obj))
	if err != nil {
		return classify("list records in zone "+zone.Name, err, cred)
	}
	st.checked = now
	recordLastCheck.WithLabelValues(obj.Namespace, obj.Name).Set(float64(now.Unix()))
	if m, ok := foreignOwner(r.OwnerID, actual); ok && !obj.Spec.TakeOwnership {
		return stalled(ddnsv1.ReasonConflict, "%s %s at the provider is marked as managed by %s; set spec.takeOwnership: true to take it over", fqdn, typ, m)
	}

	want := Desired{Name: fqdn, Type: typ, Value: st.address, TTL: ttlOf(obj)}
	if a.Descriptor().Marker != "" {
		// A provider with no place for the marker is not asked for one:
		// it could never hold it, and the plan would rewrite the record
		// at every check.
		want.Marker = ownerMarker(r.OwnerID, obj)
	}
	plan := ComputePlan(want, actual, obj.ManagedRecordIDs())
	kept := providers.Record{}
	if plan.Keep != nil {
		kept = *plan.Keep
	}
	if !plan.Empty() {
		out, queued := a.Apply(ctx, zone, key, typ, plan)
		if queued {
			return errQueued
		}
		if out.Err != nil {
			return classify(out.Op, out.Err, cred)
		}
		r.reportWrites(ctx, obj, zone, plan, out.Kept)
		obj.Status.LastUpdateTime = &now
		kept = out.Kept
	}
	obj.Status.Addresses = []string{kept.Value}
	obj.SetManagedRecordIDs([]string{kept.ID})
	return nil
}

// reportWrites logs a plan's writes and gives each an event.
func (r *DynamicDNSRecordReconciler) reportWrites(ctx context.Context, obj *ddnsv1.DynamicDNSRecord, zone providers.Zone, plan providers.Plan, kept providers.Record) {
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
	return int32(*obj.Spec.TTL)
}

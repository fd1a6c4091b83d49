package controllers

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/internal/egress"
)

// +kubebuilder:rbac:groups="",resources=services;nodes,verbs=get;list;watch

// Interfaces says how spec.ipSource.interface reads the host's addresses.
type Interfaces struct {
	// IfInet6Path lists IPv6 addresses with their flags;
	// egress.DefaultIfInet6Path when empty (main sets --if-inet6-path).
	IfInet6Path string
	// IPv4Addrs lists an interface's IPv4 addresses; nil means the host's
	// own (tests replace it).
	IPv4Addrs func(iface string) ([]netip.Addr, error)
}

// detectorList says which detector a record follows: "" for the
// cluster-wide one, a list name for spec.ipSource.sources. ok is false for
// records that follow no detector (static, service, node, interface).
func detectorList(rec *ddnsv1.DynamicDNSRecord) (list string, ok bool) {
	src := rec.Spec.IPSource
	switch {
	case src == nil:
		return "", true
	case src.Static != "" || src.Service != nil || src.Node != nil || src.Interface != "":
		return "", false
	default:
		return src.Sources, true
	}
}

// recordAddress finds the address rec publishes: from spec.ipSource when it
// names a source, else from the cluster-wide detector; then joins
// spec.ipSource.ipv6Suffix to it. Errors are stalled (user must act) or
// wait (the address is not known yet, or not confirmed).
func (r *DynamicDNSRecordReconciler) recordAddress(ctx context.Context, obj *ddnsv1.DynamicDNSRecord) (netip.Addr, error) {
	fam := egress.FamilyOf(obj.RecordType())
	src := obj.Spec.IPSource
	if src == nil {
		src = &ddnsv1.IPSource{}
	}
	var suffix *egress.Suffix
	if src.IPv6Suffix != "" {
		s, err := egress.ParseSuffix(src.IPv6Suffix)
		if err != nil || fam != egress.IPv6 {
			return netip.Addr{}, stalled(ddnsv1.ReasonInvalidRecord, "spec.ipSource.ipv6Suffix %q needs type AAAA and an IPv6 suffix such as ::1:2:3:4/64 or a MAC address", src.IPv6Suffix)
		}
		suffix = &s
	}
	addr, err := r.sourceAddress(ctx, obj, src, fam)
	if err != nil || suffix == nil {
		return addr, err
	}
	out, err := suffix.Apply(addr)
	if err == nil {
		err = egress.CheckUsable(out, fam)
	}
	if err != nil {
		return netip.Addr{}, stalled(ddnsv1.ReasonInvalidRecord, "spec.ipSource.ipv6Suffix %s on %s: %s", suffix, addr, err)
	}
	return out, nil
}

// sourceAddress dispatches on the kind of spec.ipSource.
func (r *DynamicDNSRecordReconciler) sourceAddress(ctx context.Context, obj *ddnsv1.DynamicDNSRecord, src *ddnsv1.IPSource, fam egress.Family) (netip.Addr, error) {
	check := egress.CheckGlobal
	if src.AllowPrivate {
		check = egress.CheckUsable
	}
	switch {
	case src.Static != "":
		addr, err := netip.ParseAddr(src.Static)
		if err != nil || !fam.Matches(addr.Unmap()) {
			return netip.Addr{}, stalled(ddnsv1.ReasonInvalidRecord, "spec.ipSource.static %q is not an %s address", src.Static, fam)
		}
		return addr.Unmap(), nil
	case src.Service != nil:
		return r.serviceAddress(ctx, types.NamespacedName{Namespace: obj.Namespace, Name: src.Service.Name}, fam, check)
	case src.Node != nil:
		return r.nodeAddress(ctx, src.Node, fam, check)
	case src.Interface != "":
		s := &egress.InterfaceSource{Interface: src.Interface, IfInet6Path: r.Interfaces.IfInet6Path, IPv4Addrs: r.Interfaces.IPv4Addrs, AllowPrivate: src.AllowPrivate}
		addr, err := s.Lookup(ctx, fam)
		if err != nil {
			return netip.Addr{}, &waitError{reason: ddnsv1.ReasonAddressUnavailable, msg: fmt.Sprintf("no %s address on interface %s: %s", fam, src.Interface, err), after: addressWait}
		}
		return addr, nil
	case src.Sources != "":
		named, ok := r.Addresses.(egress.NamedSources)
		var det egress.AddressSource
		if ok {
			det, ok = named.Named(src.Sources)
		}
		if !ok {
			return netip.Addr{}, stalled(ddnsv1.ReasonAddressUnavailable, "spec.ipSource.sources names %q, which the operator does not configure (--source-list)", src.Sources)
		}
		return detectorAddress(ctx, det, fam, "source list "+src.Sources)
	default:
		return detectorAddress(ctx, r.Addresses, fam, "egress detector")
	}
}

// detectorAddress asks a detector and turns its states into conditions:
// unavailable (no route, no agreement yet) and unconfirmed (sources
// disagree; the last agreed address is kept and nothing new is published).
func detectorAddress(ctx context.Context, det egress.AddressSource, fam egress.Family, what string) (netip.Addr, error) {
	addr, err := det.Address(ctx, fam)
	var agree *egress.AgreementError
	switch {
	case err == nil:
		return addr, nil
	case addr.IsValid() && errors.As(err, &agree):
		return netip.Addr{}, &waitError{reason: ddnsv1.ReasonSourcesDisagree, after: addressWait, msg: fmt.Sprintf(
			"%s: %s; keeping the last agreed address %s and publishing nothing new until the sources agree", what, err, addr)}
	case errors.Is(err, egress.ErrNoRoute):
		return netip.Addr{}, &waitError{reason: ddnsv1.ReasonAddressUnavailable, after: addressWait, msg: fmt.Sprintf(
			"%s: %s is unavailable: the operator has no %s route to the internet (%s)", what, fam, fam, err)}
	default:
		return netip.Addr{}, &waitError{reason: ddnsv1.ReasonAddressUnavailable, after: addressWait, msg: fmt.Sprintf("no %s egress address to publish: %s", fam, err)}
	}
}

// serviceAddress reads a LoadBalancer Service's first ingress IP of fam.
func (r *DynamicDNSRecordReconciler) serviceAddress(ctx context.Context, key types.NamespacedName, fam egress.Family, check func(netip.Addr, egress.Family) error) (netip.Addr, error) {
	var svc corev1.Service
	if err := r.Get(ctx, key, &svc); err != nil {
		if apierrors.IsNotFound(err) {
			return netip.Addr{}, stalled(ddnsv1.ReasonAddressUnavailable, "Service %s not found", key)
		}
		return netip.Addr{}, fmt.Errorf("read Service %s: %w", key, err)
	}
	if svc.Spec.Type != corev1.ServiceTypeLoadBalancer {
		return netip.Addr{}, stalled(ddnsv1.ReasonAddressUnavailable, "Service %s is of type %s, not LoadBalancer", key, svc.Spec.Type)
	}
	var refused []string
	for _, ing := range svc.Status.LoadBalancer.Ingress {
		addr, err := netip.ParseAddr(ing.IP)
		if err != nil || !fam.Matches(addr.Unmap()) {
			continue
		}
		if err := check(addr, fam); err != nil {
			refused = append(refused, err.Error())
			continue
		}
		return addr.Unmap(), nil
	}
	if len(refused) > 0 {
		return netip.Addr{}, stalled(ddnsv1.ReasonAddressUnavailable, "Service %s has no publishable %s LoadBalancer address (%s); set spec.ipSource.allowPrivate to publish a private one", key, fam, strings.Join(refused, "; "))
	}
	return netip.Addr{}, &waitError{reason: ddnsv1.ReasonAddressUnavailable, after: addressWait, msg: fmt.Sprintf("Service %s has no %s LoadBalancer IP yet", key, fam)}
}

// nodeAddress reads the address of the first matching node: Ready nodes
// first, then by name, so the choice is stable.
func (r *DynamicDNSRecordReconciler) nodeAddress(ctx context.Context, src *ddnsv1.NodeAddressSource, fam egress.Family, check func(netip.Addr, egress.Family) error) (netip.Addr, error) {
	sel, err := metav1.LabelSelectorAsSelector(&src.Selector)
	if err != nil {
		return netip.Addr{}, stalled(ddnsv1.ReasonInvalidRecord, "spec.ipSource.node.selector: %s", err)
	}
	var nodes corev1.NodeList
	if err := r.List(ctx, &nodes, client.MatchingLabelsSelector{Selector: sel}); err != nil {
		return netip.Addr{}, fmt.Errorf("list nodes: %w", err)
	}
	if len(nodes.Items) == 0 {
		return netip.Addr{}, stalled(ddnsv1.ReasonAddressUnavailable, "no Node matches spec.ipSource.node.selector %q", sel)
	}
	slices.SortFunc(nodes.Items, func(a, b corev1.Node) int {
		if ra, rb := nodeReady(&a), nodeReady(&b); ra != rb {
			if ra {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	typ := corev1.NodeAddressType(src.AddressType)
	if typ == "" {
		typ = corev1.NodeExternalIP
	}
	var refused []string
	for _, n := range nodes.Items {
		for _, a := range n.Status.Addresses {
			addr, err := netip.ParseAddr(a.Address)
			if a.Type != typ || err != nil || !fam.Matches(addr.Unmap()) {
				continue
			}
			if err := check(addr, fam); err != nil {
				refused = append(refused, n.Name+": "+err.Error())
				continue
			}
			return addr.Unmap(), nil
		}
	}
	if len(refused) > 0 {
		return netip.Addr{}, stalled(ddnsv1.ReasonAddressUnavailable, "no matching Node has a publishable %s %s address (%s); set spec.ipSource.allowPrivate to publish a private one", fam, typ, strings.Join(refused, "; "))
	}
	return netip.Addr{}, stalled(ddnsv1.ReasonAddressUnavailable, "no matching Node has an %s address of type %s", fam, typ)
}

func nodeReady(n *corev1.Node) bool {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// recordsUsingService maps a Service to the records in its namespace that
// publish its LoadBalancer address.
func (r *DynamicDNSRecordReconciler) recordsUsingService(ctx context.Context, o client.Object) []reconcile.Request {
	var list ddnsv1.DynamicDNSRecordList
	if err := r.List(ctx, &list, client.InNamespace(o.GetNamespace()), client.UnsafeDisableDeepCopy); err != nil {
		log.FromContext(ctx).Error(err, "List records for Service", "service", o.GetNamespace()+"/"+o.GetName())
		return nil
	}
	return requestsFor(list.Items, func(rec *ddnsv1.DynamicDNSRecord) bool {
		src := rec.Spec.IPSource
		return src != nil && src.Service != nil && src.Service.Name == o.GetName()
	})
}

// recordsUsingNode maps a Node to the records whose node selector matches
// it. Called for the old and the new object of an update, so a node that
// stops matching also reconciles its former records.
func (r *DynamicDNSRecordReconciler) recordsUsingNode(ctx context.Context, o client.Object) []reconcile.Request {
	var list ddnsv1.DynamicDNSRecordList
	if err := r.List(ctx, &list, client.UnsafeDisableDeepCopy); err != nil {
		log.FromContext(ctx).Error(err, "List records for Node", "node", o.GetName())
		return nil
	}
	set := labels.Set(o.GetLabels())
	return requestsFor(list.Items, func(rec *ddnsv1.DynamicDNSRecord) bool {
		src := rec.Spec.IPSource
		if src == nil || src.Node == nil {
			return false
		}
		sel, err := metav1.LabelSelectorAsSelector(&src.Node.Selector)
		return err == nil && sel.Matches(set)
	})
}

// serviceAddressChanged passes Service events that can change a published
// address: creation, deletion, and updates of type or LoadBalancer status.
func serviceAddressChanged() predicate.Predicate {
	return predicate.Funcs{
		UpdateFunc: func(e event.UpdateEvent) bool {
			o, ok1 := e.ObjectOld.(*corev1.Service)
			n, ok2 := e.ObjectNew.(*corev1.Service)
			return !ok1 || !ok2 || o.Spec.Type != n.Spec.Type || !reflect.DeepEqual(o.Status.LoadBalancer, n.Status.LoadBalancer)
		},
		GenericFunc: func(event.GenericEvent) bool { return false },
	}
}

// nodeAddressChanged passes Node events that can change a published
// address: creation, deletion, and updates of labels, addresses or
// readiness (not the periodic heartbeats).
func nodeAddressChanged() predicate.Predicate {
	return predicate.Funcs{
		UpdateFunc: func(e event.UpdateEvent) bool {
			o, ok1 := e.ObjectOld.(*corev1.Node)
			n, ok2 := e.ObjectNew.(*corev1.Node)
			return !ok1 || !ok2 || !reflect.DeepEqual(o.Labels, n.Labels) ||
				!reflect.DeepEqual(o.Status.Addresses, n.Status.Addresses) || nodeReady(o) != nodeReady(n)
		},
		GenericFunc: func(event.GenericEvent) bool { return false },
	}
}

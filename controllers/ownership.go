package controllers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// Ownership markers. Every record the operator writes carries a marker in
// the provider's comment or remark (a companion TXT record for RFC 2136):
//
//	ddns-operator:<owner-id>:<namespace>/<name>
//
// where owner-id is the installation's identity (--owner-id, by default
// the kube-system namespace's UID) and namespace/name the resource that
// wrote it. A user's spec.cloudflare.comment stays in front of it. The
// reconciler adopts records without a marker, rewrites markers of its own
// installation (checkConflict already keeps two live resources of one
// cluster off one name), refuses records marked by another installation
// unless spec.takeOwnership is set, and under deletionPolicy Delete
// removes only records marked with its own resource.
const (
	markerPrefix = "ddns-operator:"
	// maxMarkerLen is the shortest comment limit among the providers
	// (Cloudflare's Free plan: 100 characters). A longer marker names the
	// resource by a hash.
	maxMarkerLen = 100
)

// ownerMarker returns the marker text obj's records carry.
func ownerMarker(ownerID string, obj *ddnsv1.DynamicDNSRecord) string {
	if ownerID == "" {
		return ""
	}
	m := markerPrefix + ownerID + ":" + resourceOf(obj)
	if len(m) > maxMarkerLen {
		sum := sha256.Sum256([]byte(resourceOf(obj)))
		m = markerPrefix + ownerID + ":sha256-" + hex.EncodeToString(sum[:8])
	}
	if obj.Spec.Cloudflare != nil && obj.Spec.Cloudflare.Comment != "" {
		comment := obj.Spec.Cloudflare.Comment
		if room := maxMarkerLen - len(m) - 1; len(comment) > room {
			comment = strings.TrimSpace(comment[:max(room, 0)])
		}
		if comment != "" {
			m = comment + " " + m
		}
	}
	return m
}

func resourceOf(obj *ddnsv1.DynamicDNSRecord) string { return obj.Namespace + "/" + obj.Name }

// marker is a parsed ownership marker.
type marker struct {
	owner    string
	resource string // namespace/name, or sha256-... for long names
}

// parseMarker finds the marker in a record's comment or remark; ok is
// false for text without one (a record nobody marked).
func parseMarker(text string) (m marker, ok bool) {
	i := strings.LastIndex(text, markerPrefix)
	if i < 0 {
		return m, false
	}
	owner, resource, found := strings.Cut(text[i+len(markerPrefix):], ":")
	if !found || owner == "" || resource == "" {
		return m, false
	}
	return marker{owner: owner, resource: resource}, true
}

// String names the owner for messages.
func (m marker) String() string {
	return "resource " + m.resource + " of ddns-operator installation " + m.owner
}

// foreignOwner returns the first of records marked by another
// installation than ownerID.
func foreignOwner(ownerID string, records []providers.Record) (marker, bool) {
	if ownerID == "" {
		return marker{}, false
	}
	for _, r := range records {
		if m, ok := parseMarker(r.Marker); ok && m.owner != ownerID {
			return m, true
		}
	}
	return marker{}, false
}

// markedBy reports whether r carries the marker obj's records carry.
func markedBy(r providers.Record, ownerID string, obj *ddnsv1.DynamicDNSRecord) bool {
	got, ok := parseMarker(r.Marker)
	want, _ := parseMarker(ownerMarker(ownerID, obj))
	return ok && got == want
}

// +kubebuilder:rbac:groups="",resources=namespaces,verbs=get

// InstallationID returns flag, or else the kube-system namespace's UID,
// which lives as long as the cluster: the owner ID of this installation's
// markers.
func InstallationID(ctx context.Context, r client.Reader, flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	var ns corev1.Namespace
	if err := r.Get(ctx, client.ObjectKey{Name: "kube-system"}, &ns); err != nil {
		return "", fmt.Errorf("read the kube-system namespace's UID as this installation's owner ID (or set --owner-id): %w", err)
	}
	return string(ns.UID), nil
}

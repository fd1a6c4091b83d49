package controllers

import (
	"context"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

const otherOwner = "ddns-operator:9e1d2c3b-other-cluster:home/router"

func TestUnmarkedRecordIsAdoptedAndMarked(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	fqdn := f.d("old", "example.com")
	// Made by hand or by ddns-go before the operator: no marker.
	old := f.mem.Seed("example.com", providers.Record{Name: fqdn, Type: "A", Value: "81.2.69.200", TTL: 300})
	f.record("old", fqdn, nil)
	obj := f.waitReady("old")
	recs := f.mem.Records("example.com", fqdn, "A")
	f.g.Expect(recs).To(HaveLen(1), "adopted, not duplicated")
	f.g.Expect(recs[0].ID).To(Equal(old.ID))
	f.g.Expect(recs[0].Marker).To(Equal("ddns-operator:" + testOwnerID + ":" + f.ns + "/old"))
	f.g.Expect(obj.Status.RecordIDs).To(Equal([]string{old.ID}))
	f.g.Expect(f.mem.Calls("CreateRecord")).To(Equal(0))
}

func TestRecordMarkedByAnotherOwnerIsLeftAloneUntilTakeOwnership(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	fqdn := f.d("theirs", "example.com")
	theirs := f.mem.Seed("example.com", providers.Record{Name: fqdn, Type: "A", Value: "81.2.69.201", TTL: 300, Marker: otherOwner})
	f.record("theirs", fqdn, nil)
	obj := f.waitReason("theirs", ddnsv1.ReasonConflict)
	msg := cond(obj, ddnsv1.ConditionReady).Message
	f.g.Expect(msg).To(ContainSubstring("9e1d2c3b-other-cluster"), "the message names the owner")
	f.g.Expect(msg).To(ContainSubstring("home/router"))
	f.g.Expect(msg).To(ContainSubstring("spec.takeOwnership"))
	f.g.Expect(cond(obj, ddnsv1.ConditionStalled).Status).To(Equal(metav1.ConditionTrue))
	f.g.Expect(f.mem.Writes()).To(Equal(0), "another owner's record is not touched")
	f.g.Expect(f.mem.Records("example.com", fqdn, "A")).To(Equal([]providers.Record{theirs}))

	obj.Spec.TakeOwnership = true
	f.g.Expect(k8s.Update(context.Background(), obj)).To(Succeed())
	obj = f.waitReady("theirs")
	recs := f.mem.Records("example.com", fqdn, "A")
	f.g.Expect(recs).To(HaveLen(1))
	f.g.Expect(recs[0].ID).To(Equal(theirs.ID))
	f.g.Expect(recs[0].Marker).To(HavePrefix("ddns-operator:" + testOwnerID + ":"))
	f.g.Expect(recs[0].Value).To(Equal(obj.Status.Addresses[0]))
}

func TestDeletionRemovesOnlyRecordsCarryingOwnMarker(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	fqdn := f.d("moved", "example.com")
	f.record("moved", fqdn, func(s *ddnsv1.DynamicDNSRecordSpec) { s.DeletionPolicy = ddnsv1.DeletionPolicyDelete })
	obj := f.waitReady("moved")
	recs := f.mem.Records("example.com", fqdn, "A")
	f.g.Expect(recs).To(HaveLen(1))
	// Another installation took the record over meanwhile.
	taken := recs[0]
	taken.Marker = otherOwner
	f.mem.Seed("example.com", taken)

	f.g.Expect(k8s.Delete(context.Background(), obj)).To(Succeed())
	f.g.Eventually(func() bool {
		return apierrors.IsNotFound(k8s.Get(context.Background(), client.ObjectKeyFromObject(obj), &ddnsv1.DynamicDNSRecord{}))
	}, waitTimeout, pollEvery).Should(BeTrue())
	f.g.Expect(f.mem.Records("example.com", fqdn, "A")).To(Equal([]providers.Record{taken}), "a record marked by another owner survives deletionPolicy Delete")
	f.g.Expect(f.mem.Calls("DeleteRecord")).To(Equal(0))
}

func TestMarkerText(t *testing.T) {
	rec := func(ns, name, comment string) *ddnsv1.DynamicDNSRecord {
		o := &ddnsv1.DynamicDNSRecord{}
		o.Namespace, o.Name = ns, name
		if comment != "" {
			o.Spec.Cloudflare = &ddnsv1.CloudflareOptions{Comment: comment}
		}
		return o
	}
	long := strings.Repeat("n", 63)
	for name, tc := range map[string]struct {
		obj   *ddnsv1.DynamicDNSRecord
		owner string
		want  string
	}{
		"plain":               {rec("default", "home", ""), "uid-1", "ddns-operator:uid-1:default/home"},
		"no owner, no marker": {rec("default", "home", ""), "", ""},
		"long names hashed":   {rec(long, long, ""), testOwnerID, "ddns-operator:" + testOwnerID + ":sha256-"},
		"comment kept first":  {rec("default", "home", "home router"), "uid-1", "home router ddns-operator:uid-1:default/home"},
		"long comment cut":    {rec("default", "home", strings.Repeat("c", 120)), "uid-1", strings.Repeat("c", 100-len(" ddns-operator:uid-1:default/home")) + " ddns-operator:uid-1:default/home"},
	} {
		t.Run(name, func(t *testing.T) {
			got := ownerMarker(tc.owner, tc.obj)
			if !strings.HasPrefix(got, tc.want) || (!strings.HasSuffix(tc.want, "sha256-") && got != tc.want) {
				t.Fatalf("ownerMarker = %q, want %q", got, tc.want)
			}
			if len(got) > maxMarkerLen {
				t.Fatalf("marker of %d characters is over the limit of %d", len(got), maxMarkerLen)
			}
			if tc.owner == "" {
				return
			}
			m, ok := parseMarker(got)
			if !ok || m.owner != tc.owner {
				t.Fatalf("parseMarker(%q) = %+v, %v", got, m, ok)
			}
			if !markedBy(providers.Record{Marker: got}, tc.owner, tc.obj) || markedBy(providers.Record{Marker: got}, "other", tc.obj) {
				t.Fatalf("markedBy disagrees with ownerMarker for %q", got)
			}
		})
	}
	for _, text := range []string{"", "home router", "ddns-operator:", "ddns-operator:uid", "ddns-operator::x"} {
		if _, ok := parseMarker(text); ok {
			t.Errorf("parseMarker(%q) found a marker", text)
		}
	}
}

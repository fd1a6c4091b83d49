package controllers

import (
	"context"
	"fmt"
	"net/netip"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/internal/egress"
	"github.com/ddns-operator/ddns-operator/providers/cloudflare/cloudflarefake"
)

// Not parallel: it changes the suite-wide IPv6 address.
//
// The request counts the operator promises, through the real Cloudflare
// package and SDK against the fake API: a check of every record reads each
// zone with one paginated list and writes nothing; an address change writes
// one batch request per zone (up to 200 changes each) and no single-record
// writes, and looks up no zone again.
func TestRequestsPerZoneCheckAndChange(t *testing.T) {
	f := newFixture(t)
	cf := cloudflarefake.New(t, "zone-a.example", "zone-b.example")
	cf.PageSize = 20
	f.secret("cf", map[string]string{"apiToken": cloudflarefake.Token, testEndpointKey: cf.URL})
	perZone := map[string]int{"zone-a.example": 30, "zone-b.example": 12}
	pages := map[string]int{"zone-a.example": 2, "zone-b.example": 1}
	var names []string
	for zone, n := range perZone {
		for i := 0; i < n; i++ {
			name := fmt.Sprintf("%s-%02d", zone[:6], i)
			names = append(names, name)
			f.record(name, fmt.Sprintf("h%02d.%s", i, zone), func(s *ddnsv1.DynamicDNSRecordSpec) {
				s.Type = ddnsv1.RecordTypeAAAA
				s.Provider = ddnsv1.ProviderCloudflare
				s.SecretRef.Name = "cf"
				s.Zone = zone
			})
		}
	}
	for _, n := range names {
		f.waitReady(n)
	}
	counts := func() map[string]int {
		out := map[string]int{}
		for _, op := range []string{"listZones", "getZone", "listRecords", "getRecord", "create", "update", "delete", "batch"} {
			out[op] = cf.Count(op)
		}
		return out
	}
	since := func(before map[string]int) map[string]int {
		out := map[string]int{}
		for op, n := range counts() {
			if d := n - before[op]; d != 0 {
				out[op] = d
			}
		}
		return out
	}
	t.Logf("creating %d records: %v", len(names), counts())

	// An address change: one batch per zone, nothing else.
	before := counts()
	next := netip.MustParseAddr("2a02:2e0:3fe:1001:302::c0de")
	addresses.set(egress.IPv6, next)
	for _, n := range names {
		f.waitFor(n, "pointing at the new address", func(o *ddnsv1.DynamicDNSRecord) bool {
			return len(o.Status.Addresses) == 1 && o.Status.Addresses[0] == next.String() && cond(o, ddnsv1.ConditionReady).Status == metav1.ConditionTrue
		})
	}
	change := since(before)
	t.Logf("address change: %v", change)
	f.g.Expect(change["batch"]).To(Equal(len(perZone)), "one batch request per zone")
	f.g.Expect(change["update"]+change["create"]+change["delete"]).To(Equal(0), "no single-record writes")
	f.g.Expect(change["listZones"]+change["getZone"]).To(Equal(0), "zones are not looked up again")
	f.g.Expect(change["listRecords"]).To(BeNumerically("<=", pages["zone-a.example"]+pages["zone-b.example"]), "at most one list per zone")
	for zone := range perZone {
		for _, r := range cf.Records(zone, "", "") {
			f.g.Expect(r.Value).To(Equal(next.String()), "record %s", r.Name)
		}
		f.g.Expect(cf.Records(zone, "", "")).To(HaveLen(perZone[zone]), "no duplicates in %s", zone)
	}
	f.g.Eventually(func() []string { return f.events(names[0]) }, waitTimeout, pollEvery).Should(ContainElement("Updated"))

	// A check of every record (a changed Secret makes each one look at the
	// provider again): one paginated list per zone, no write.
	first := map[string]float64{}
	for _, n := range names {
		first[n] = f.lastCheck(n)
	}
	time.Sleep(1100 * time.Millisecond) // the check's time has second resolution
	before = counts()
	var s corev1.Secret
	f.g.Expect(k8s.Get(context.Background(), types.NamespacedName{Namespace: f.ns, Name: "cf"}, &s)).To(Succeed())
	s.Labels = map[string]string{"rotated": "yes"}
	f.g.Expect(k8s.Update(context.Background(), &s)).To(Succeed())
	for _, n := range names {
		f.g.Eventually(func() float64 { return f.lastCheck(n) }, waitTimeout, pollEvery).Should(BeNumerically(">", first[n]), "%s checked again", n)
	}
	check := since(before)
	t.Logf("a check of every record: %v", check)
	f.g.Expect(check).To(Equal(map[string]int{"listRecords": pages["zone-a.example"] + pages["zone-b.example"]}), "one paginated list per zone and nothing else")
}

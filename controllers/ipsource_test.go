package controllers

import (
	"context"
	"net/netip"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/internal/egress"
)

// loadBalancer creates a LoadBalancer Service and sets its ingress IPs.
func (f *fixture) loadBalancer(name string, ips ...string) *corev1.Service {
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: f.ns},
		Spec: corev1.ServiceSpec{
			Type:  corev1.ServiceTypeLoadBalancer,
			Ports: []corev1.ServicePort{{Name: "https", Port: 443}},
		},
	}
	f.g.Expect(k8s.Create(context.Background(), svc)).To(Succeed())
	f.setIngress(svc, ips...)
	return svc
}

func (f *fixture) setIngress(svc *corev1.Service, ips ...string) {
	svc.Status.LoadBalancer.Ingress = nil
	for _, ip := range ips {
		svc.Status.LoadBalancer.Ingress = append(svc.Status.LoadBalancer.Ingress, corev1.LoadBalancerIngress{IP: ip})
	}
	f.g.Expect(k8s.Status().Update(context.Background(), svc)).To(Succeed())
}

func (f *fixture) providerValue(name, typ string) func() string {
	return func() string {
		recs := f.mem.Records("example.com", name, typ)
		if len(recs) != 1 {
			return ""
		}
		return recs[0].Value
	}
}

func TestServiceLoadBalancerAddressChangeReachesProvider(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	svc := f.loadBalancer("traefik", "2a02:2e0:3fe:1001::80", "81.2.69.170")
	name := f.d("lb", "example.com")
	f.record("lb", name, func(s *ddnsv1.DynamicDNSRecordSpec) {
		s.IPSource = &ddnsv1.IPSource{Service: &ddnsv1.ServiceAddressSource{Name: "traefik"}}
	})
	obj := f.waitReady("lb")
	f.g.Expect(obj.Status.Addresses).To(Equal([]string{"81.2.69.170"}), "the A record takes the IPv4 ingress, not the IPv6 one")

	// The load balancer gets a new address: the Service watch reconciles
	// the record at once, without waiting for spec.interval (5m).
	f.setIngress(svc, "81.2.69.171")
	f.g.Eventually(f.providerValue(name, "A"), waitTimeout, pollEvery).Should(Equal("81.2.69.171"))
	f.waitFor("lb", "pointing at the new address", func(o *ddnsv1.DynamicDNSRecord) bool {
		return len(o.Status.Addresses) == 1 && o.Status.Addresses[0] == "81.2.69.171"
	})

	// A private address is not published unless allowed.
	f.setIngress(svc, "192.168.1.240")
	obj = f.waitReason("lb", ddnsv1.ReasonAddressUnavailable)
	f.g.Expect(cond(obj, ddnsv1.ConditionReady).Message).To(ContainSubstring("allowPrivate"))
	f.g.Expect(f.providerValue(name, "A")()).To(Equal("81.2.69.171"), "the provider keeps the last good address")
}

func TestMissingServiceStallsUntilCreated(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.record("lb", f.d("later", "example.com"), func(s *ddnsv1.DynamicDNSRecordSpec) {
		s.IPSource = &ddnsv1.IPSource{Service: &ddnsv1.ServiceAddressSource{Name: "later"}}
	})
	obj := f.waitReason("lb", ddnsv1.ReasonAddressUnavailable)
	f.g.Expect(cond(obj, ddnsv1.ConditionStalled).Status).To(Equal(metav1.ConditionTrue))
	f.loadBalancer("later", "81.2.69.172")
	obj = f.waitReady("lb")
	f.g.Expect(obj.Status.Addresses).To(Equal([]string{"81.2.69.172"}))
}

func TestNodeExternalIPBySelector(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	label := map[string]string{"ddns-test/edge": f.ns}
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: f.ns + "-edge", Labels: label}}
	f.g.Expect(k8s.Create(context.Background(), node)).To(Succeed())
	t.Cleanup(func() { _ = k8s.Delete(context.Background(), node) })
	node.Status.Addresses = []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "10.0.0.5"}, {Type: corev1.NodeExternalIP, Address: "81.2.69.180"}}
	f.g.Expect(k8s.Status().Update(context.Background(), node)).To(Succeed())

	name := f.d("node", "example.com")
	f.record("node", name, func(s *ddnsv1.DynamicDNSRecordSpec) {
		s.IPSource = &ddnsv1.IPSource{Node: &ddnsv1.NodeAddressSource{Selector: metav1.LabelSelector{MatchLabels: label}}}
	})
	obj := f.waitReady("node")
	f.g.Expect(obj.Status.Addresses).To(Equal([]string{"81.2.69.180"}))

	node.Status.Addresses[1].Address = "81.2.69.181"
	f.g.Expect(k8s.Status().Update(context.Background(), node)).To(Succeed())
	f.g.Eventually(f.providerValue(name, "A"), waitTimeout, pollEvery).Should(Equal("81.2.69.181"))
}

func TestIPv6SuffixPublishesDetectedPrefixPlusHost(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	nas, printer := f.d("nas", "example.com"), f.d("printer", "example.com")
	f.record("nas", nas, func(s *ddnsv1.DynamicDNSRecordSpec) {
		s.Type = ddnsv1.RecordTypeAAAA
		s.IPSource = &ddnsv1.IPSource{IPv6Suffix: "::1:2:3:4/64"}
	})
	f.record("printer", printer, func(s *ddnsv1.DynamicDNSRecordSpec) {
		s.Type = ddnsv1.RecordTypeAAAA
		s.IPSource = &ddnsv1.IPSource{IPv6Suffix: "02:11:32:aa:bb:cc"}
	})
	f.waitReady("nas")
	f.waitReady("printer")
	// The detected address may change while this runs (another test moves
	// it inside the same /64): compare with the prefix of the current one.
	want := func(host string) string {
		d := addresses.get(egress.IPv6).As16()
		h := netip.MustParseAddr(host).As16()
		copy(h[:8], d[:8])
		return netip.AddrFrom16(h).String()
	}
	f.g.Eventually(f.providerValue(nas, "AAAA"), waitTimeout, pollEvery).Should(Equal(want("::1:2:3:4")))
	f.g.Eventually(f.providerValue(printer, "AAAA"), waitTimeout, pollEvery).Should(Equal(want("::11:32ff:feaa:bbcc")))
}

func TestIPSourceSchemaRules(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	base := func(mut func(*ddnsv1.DynamicDNSRecordSpec)) *ddnsv1.DynamicDNSRecord {
		o := &ddnsv1.DynamicDNSRecord{
			ObjectMeta: metav1.ObjectMeta{GenerateName: "cel-", Namespace: f.ns},
			Spec:       ddnsv1.DynamicDNSRecordSpec{Domain: f.d("cel", "example.com"), Provider: ddnsv1.ProviderCloudflare, SecretRef: ddnsv1.SecretReference{Name: "creds"}},
		}
		mut(&o.Spec)
		return o
	}
	aaaa := func(src ddnsv1.IPSource) func(*ddnsv1.DynamicDNSRecordSpec) {
		return func(s *ddnsv1.DynamicDNSRecordSpec) { s.Type = ddnsv1.RecordTypeAAAA; s.IPSource = &src }
	}
	rejected := map[string]func(*ddnsv1.DynamicDNSRecordSpec){
		"two sources":        aaaa(ddnsv1.IPSource{Interface: "eth0", Sources: "isp2"}),
		"static and service": aaaa(ddnsv1.IPSource{Static: "2a02:2e0:3fe:1001::1", Service: &ddnsv1.ServiceAddressSource{Name: "lb"}}),
		"suffix on an A record": func(s *ddnsv1.DynamicDNSRecordSpec) {
			s.IPSource = &ddnsv1.IPSource{IPv6Suffix: "::1/64"}
		},
		"suffix with static":          aaaa(ddnsv1.IPSource{Static: "2a02:2e0:3fe:1001::1", IPv6Suffix: "::1/64"}),
		"suffix with prefix bits set": aaaa(ddnsv1.IPSource{IPv6Suffix: "2a02::1/64"}),
		"suffix length 0":             aaaa(ddnsv1.IPSource{IPv6Suffix: "::1/0"}),
		"suffix IPv4":                 aaaa(ddnsv1.IPSource{IPv6Suffix: "10.0.0.1/8"}),
		"suffix garbage":              aaaa(ddnsv1.IPSource{IPv6Suffix: "nas"}),
		"bad service name":            aaaa(ddnsv1.IPSource{Service: &ddnsv1.ServiceAddressSource{Name: "Bad_Name"}}),
		"bad interface name":          aaaa(ddnsv1.IPSource{Interface: "eth0; rm -rf"}),
		"bad source list name":        aaaa(ddnsv1.IPSource{Sources: "ISP 2"}),
		"allowPrivate with detector":  aaaa(ddnsv1.IPSource{AllowPrivate: true}),
	}
	for name, mut := range rejected {
		err := k8s.Create(context.Background(), base(mut), strictFieldValidation)
		f.g.Expect(err).To(HaveOccurred(), name)
	}
	for name, mut := range map[string]func(*ddnsv1.DynamicDNSRecordSpec){
		"suffix ::1:2:3:4/64":         aaaa(ddnsv1.IPSource{IPv6Suffix: "::1:2:3:4/64"}),
		"suffix MAC":                  aaaa(ddnsv1.IPSource{IPv6Suffix: "02:11:32:aa:bb:cc"}),
		"interface with suffix":       aaaa(ddnsv1.IPSource{Interface: "eth0", IPv6Suffix: "::5/64"}),
		"service with allowPrivate":   aaaa(ddnsv1.IPSource{Service: &ddnsv1.ServiceAddressSource{Name: "lb"}, AllowPrivate: true}),
		"node with an empty selector": aaaa(ddnsv1.IPSource{Node: &ddnsv1.NodeAddressSource{}}),
	} {
		obj := base(mut)
		obj.Spec.Domain = f.d("ok"+string(rune('a'+len(name)%26)), "example.org")
		err := k8s.Create(context.Background(), obj, strictFieldValidation)
		f.g.Expect(err).NotTo(HaveOccurred(), name)
		_ = k8s.Delete(context.Background(), obj)
	}
}

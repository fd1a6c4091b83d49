package controllers

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestTrimForCacheKeepsWhatTheControllerReads(t *testing.T) {
	mf := []metav1.ManagedFieldsEntry{{Manager: "kubectl"}}
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: "n1", Labels: map[string]string{"role": "edge"}, Annotations: map[string]string{"x": "y"}, ManagedFields: mf},
		Status: corev1.NodeStatus{
			Images:    []corev1.ContainerImage{{Names: []string{"big/image"}}},
			Addresses: []corev1.NodeAddress{{Type: corev1.NodeExternalIP, Address: "81.2.69.160"}},
		},
	}
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "lb", Annotations: map[string]string{"x": "y"}, ManagedFields: mf},
		Status:     corev1.ServiceStatus{LoadBalancer: corev1.LoadBalancerStatus{Ingress: []corev1.LoadBalancerIngress{{IP: "81.2.69.161"}}}},
	}
	for _, o := range []any{node, svc} {
		if _, err := TrimForCache(o); err != nil {
			t.Fatal(err)
		}
	}
	if node.Labels["role"] != "edge" || len(node.Status.Addresses) != 1 || node.Status.Images != nil || node.Annotations != nil || node.ManagedFields != nil {
		t.Errorf("Node kept too much or too little: labels %v, addresses %v, images %v", node.Labels, node.Status.Addresses, node.Status.Images)
	}
	if len(svc.Status.LoadBalancer.Ingress) != 1 || svc.Annotations != nil || svc.ManagedFields != nil {
		t.Errorf("Service kept too much or too little: %+v", svc)
	}
}

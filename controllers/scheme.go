package controllers

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
)

// NewScheme returns the scheme the manager's client, cache and event
// recorder work with: the core API group (the Secrets, Services, Nodes and
// Namespaces the controller reads) and ddns.dev, nothing else. Registering
// every client-go API group (clientgoscheme.AddToScheme) would keep a
// second table of 740 kinds (against 66), about 140 KiB of heap, for the
// manager's lifetime. It links no fewer packages: controller-runtime
// imports client-go's scheme and typed clients itself. Leader election and
// the event sink use those typed clients and client-go's own scheme, so
// they need nothing here.
func NewScheme() (*runtime.Scheme, error) {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{corev1.AddToScheme, ddnsv1.AddToScheme} {
		if err := add(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

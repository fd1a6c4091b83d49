// Package v1alpha1 holds the ddns.dev/v1alpha1 API: the DynamicDNSRecord kind.
//
// +kubebuilder:object:generate=true
// +groupName=ddns.dev
package v1alpha1

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/scheme"
)

var (
	// GroupVersion is the API group and version of every kind in this package.
	GroupVersion = schema.GroupVersion{Group: "ddns.dev", Version: "v1alpha1"}

	// SchemeBuilder registers this package's kinds with a runtime.Scheme.
	SchemeBuilder = (&scheme.Builder{GroupVersion: GroupVersion}).
			Register(&DynamicDNSRecord{}, &DynamicDNSRecordList{})

	// AddToScheme adds this package's kinds to a scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)

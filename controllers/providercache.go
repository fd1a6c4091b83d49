package controllers

import (
	"sync"

	"k8s.io/apimachinery/pkg/types"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// providerCache keeps each record's provider while neither the record's
// spec (its generation) nor its Secret (the resourceVersion in the
// metadata cache) changes. A periodic check then reads no Secret from the
// API server and builds no SDK client, and keeps working through an API
// server outage. The zero value is ready.
type providerCache struct {
	mu sync.Mutex
	m  map[types.NamespacedName]cachedProvider
}

type cachedProvider struct {
	uid        types.UID
	generation int64
	secretRV   string
	p          providers.Provider
}

// get returns the provider built for obj's current generation from the
// Secret at resourceVersion secretRV.
func (c *providerCache) get(obj *ddnsv1.DynamicDNSRecord, secretRV string) (providers.Provider, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[types.NamespacedName{Namespace: obj.Namespace, Name: obj.Name}]
	if !ok || e.uid != obj.UID || e.generation != obj.Generation || e.secretRV != secretRV || secretRV == "" {
		return nil, false
	}
	return e.p, true
}

// put remembers p for obj and the Secret's resourceVersion.
func (c *providerCache) put(obj *ddnsv1.DynamicDNSRecord, secretRV string, p providers.Provider) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[types.NamespacedName]cachedProvider{}
	}
	c.m[types.NamespacedName{Namespace: obj.Namespace, Name: obj.Name}] = cachedProvider{uid: obj.UID, generation: obj.Generation, secretRV: secretRV, p: p}
}

// forget drops the entry of a record that is gone.
func (c *providerCache) forget(key types.NamespacedName) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, key)
}

package controllers

import (
	"encoding/json"
	"sync"

	"golang.org/x/sync/singleflight"
	"k8s.io/apimachinery/pkg/types"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// accountPool keeps one account per credential and provider options, so
// that every record using the same Secret shares one provider client, one
// request gate and one read of each zone. An account lives until its
// Secret changes (secretWatch calls drop) or the Secret watch had to start
// afresh (dropAll): a periodic check then reads no Secret from the API
// server and builds no client, and keeps working through an API server
// outage. The gate lives as long as the credential's name, so a rotated
// Secret does not reset the pacing of requests the provider is still
// counting. The zero value is ready.
type accountPool struct {
	building singleflight.Group // by accountKey
	mu       sync.Mutex
	accounts map[string]*account
	gates    map[string]*gate
	// gens counts the changes seen to each Secret an account was built
	// from; epoch counts restarts of the Secret watch. An account built
	// before either moved is stale.
	gens  map[types.NamespacedName]uint64
	epoch uint64
}

// generation identifies the state of one Secret as the pool knows it.
type generation struct {
	gen, epoch uint64
}

// credentialKey names the credential of obj: its provider and Secret.
func credentialKey(obj *ddnsv1.DynamicDNSRecord) string {
	return obj.Spec.Provider + "/" + obj.Namespace + "/" + obj.Spec.SecretRef.Name
}

// accountKey adds the provider options that shape the client (endpoints,
// regions, lines, defaults for new records) to the credential.
func accountKey(obj *ddnsv1.DynamicDNSRecord) string {
	opts, _ := json.Marshal([]any{obj.Spec.Cloudflare, obj.Spec.Alidns, obj.Spec.TencentCloud, obj.Spec.DNSPod, obj.Spec.RFC2136})
	return credentialKey(obj) + "|" + string(opts)
}

func secretOf(obj *ddnsv1.DynamicDNSRecord) types.NamespacedName {
	return types.NamespacedName{Namespace: obj.Namespace, Name: obj.Spec.SecretRef.Name}
}

// get returns obj's account unless its Secret changed since it was built.
func (c *accountPool) get(obj *ddnsv1.DynamicDNSRecord) (*account, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.accounts[accountKey(obj)]
	if !ok || a.built != (generation{c.gens[secretOf(obj)], c.epoch}) {
		return nil, false
	}
	return a, true
}

// current registers interest in obj's Secret, so changes to it are counted
// from now on, and returns its generation: taken before the Secret is
// read, it makes an account built from data a change overtook stale.
func (c *accountPool) current(obj *ddnsv1.DynamicDNSRecord) generation {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gens == nil {
		c.gens = map[types.NamespacedName]uint64{}
	}
	key := secretOf(obj)
	if _, ok := c.gens[key]; !ok {
		c.gens[key] = 0
	}
	return generation{c.gens[key], c.epoch}
}

// drop makes the accounts built from Secret namespace/name stale. Secrets
// no account was built from are not remembered.
func (c *accountPool) drop(namespace, name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := types.NamespacedName{Namespace: namespace, Name: name}
	if _, ok := c.gens[key]; ok {
		c.gens[key]++
	}
}

// dropAll makes every account stale.
func (c *accountPool) dropAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
}

// put builds and remembers the account for obj around p, replacing one
// built from an older Secret.
func (c *accountPool) put(obj *ddnsv1.DynamicDNSRecord, built generation, p providers.Provider, secrets []string) *account {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.accounts == nil {
		c.accounts, c.gates = map[string]*account{}, map[string]*gate{}
	}
	cred := credentialKey(obj)
	g, ok := c.gates[cred]
	if !ok {
		var l providers.Limits
		if lp, ok := p.(providers.Limited); ok {
			l = lp.RequestLimits()
		}
		g = newGate(l)
		c.gates[cred] = g
	}
	a := newAccount(obj.Spec.Provider, p, secrets, built, g)
	if old, ok := c.accounts[accountKey(obj)]; ok {
		// Zones keep their IDs when a token is rotated; the zone reads
		// start afresh with the new credential.
		old.mu.Lock()
		for q, l := range old.zones {
			a.zones[q] = l
		}
		old.mu.Unlock()
	}
	c.accounts[accountKey(obj)] = a
	return a
}

// forgetQueued drops what every zone batch holds for the record key: its
// queued change and the result not yet reported. Called when the record is
// gone, and before it queues a change, so a change planned for another
// zone or spec is never sent.
func (c *accountPool) forgetQueued(key types.NamespacedName) {
	c.mu.Lock()
	accounts := make([]*account, 0, len(c.accounts))
	for _, a := range c.accounts {
		accounts = append(accounts, a)
	}
	c.mu.Unlock()
	for _, a := range accounts {
		a.mu.Lock()
		batches := make([]*zoneBatch, 0, len(a.batches))
		for _, b := range a.batches {
			batches = append(batches, b)
		}
		a.mu.Unlock()
		for _, b := range batches {
			b.forget(key)
		}
	}
}

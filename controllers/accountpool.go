package controllers

import (
	"encoding/json"
	"sync"

	"golang.org/x/sync/singleflight"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// accountPool keeps one account per credential and provider options, so
// that every record using the same Secret shares one provider client, one
// request gate and one read of each zone. An account lives while its
// Secret's resourceVersion (from the metadata cache) is unchanged: a
// periodic check then reads no Secret from the API server and builds no
// client, and keeps working through an API server outage. The gate lives
// as long as the credential's name, so a rotated Secret does not reset the
// pacing of requests the provider is still counting. The zero value is
// ready.
type accountPool struct {
	building singleflight.Group // by accountKey
	mu       sync.Mutex
	accounts map[string]*account
	gates    map[string]*gate
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

// get returns obj's account if one was built from the Secret at
// resourceVersion secretRV.
func (c *accountPool) get(obj *ddnsv1.DynamicDNSRecord, secretRV string) (*account, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.accounts[accountKey(obj)]
	if !ok || secretRV == "" || a.secretRV != secretRV {
		return nil, false
	}
	return a, true
}

// put builds and remembers the account for obj around p, replacing one
// built from an older Secret.
func (c *accountPool) put(obj *ddnsv1.DynamicDNSRecord, secretRV string, p providers.Provider, secrets []string) *account {
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
	a := newAccount(obj.Spec.Provider, p, secrets, secretRV, g)
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

// size is the number of accounts held, for tests.
func (c *accountPool) size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.accounts)
}

package access

import (
	"context"
	"encoding/json"
	"sync"

	"golang.org/x/sync/singleflight"
	"k8s.io/apimachinery/pkg/types"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// Key identifies an account: the provider, the Secret holding the
// credential, and the provider's options block of the record (as the
// descriptor returns it), so records whose options shape the client
// differently never share one.
type Key struct {
	Provider string
	Secret   types.NamespacedName
	Options  string
}

// KeyFor returns the key of obj's account at provider d.
func KeyFor(d providers.Descriptor, obj *ddnsv1.DynamicDNSRecord) Key {
	k := Key{Provider: d.Name, Secret: types.NamespacedName{Namespace: obj.Namespace, Name: obj.Spec.SecretRef.Name}}
	if d.Options != nil {
		if o := d.Options(&obj.Spec); o != nil {
			raw, _ := json.Marshal(o)
			k.Options = string(raw)
		}
	}
	return k
}

// credential names the credential of k: its provider and Secret. Accounts
// of one credential share its gate.
func (k Key) credential() string { return k.Provider + "/" + k.Secret.String() }

// Pool keeps one Account per Key. The zero value is ready; set Wake before
// records are reconciled to batch writes at providers with a batch
// endpoint (without it, changes are written at once).
type Pool struct {
	// Wake enqueues a record whose queued change was sent.
	Wake func(types.NamespacedName)

	building singleflight.Group // by Key
	mu       sync.Mutex
	accounts map[Key]*Account
	gates    map[string]*gate // by credential
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

// Build says how to make an account: the provider's descriptor, the Env to
// build it with (the pool adds the credential's gate), the spec of a record
// that uses it, and how to read the Secret's data (called only when the
// account must be built).
type Build struct {
	Descriptor providers.Descriptor
	Env        providers.Env
	Spec       *ddnsv1.DynamicDNSRecordSpec
	ReadSecret func(context.Context) (map[string][]byte, error)
}

// Account returns k's account, building it when there is none or its
// Secret changed since it was built. Records asking at once for an account
// being built wait for that one build. Errors from ReadSecret come back as
// they are; an error from the descriptor's New comes back with the
// Secret's credential values scrubbed.
func (p *Pool) Account(ctx context.Context, k Key, b Build) (*Account, error) {
	if a, ok := p.get(k); ok {
		return a, nil
	}
	v, err, _ := p.building.Do(k.Provider+"\x00"+k.Secret.String()+"\x00"+k.Options, func() (any, error) {
		if a, ok := p.get(k); ok {
			return a, nil
		}
		built := p.current(k.Secret)
		data, err := b.ReadSecret(ctx)
		if err != nil {
			return nil, err
		}
		secrets := b.Descriptor.SecretValues(data)
		g := p.gateFor(k, b.Descriptor.Limits)
		env := b.Env
		env.Gate = g
		prov, err := b.Descriptor.New(env, data, b.Spec)
		if err != nil {
			return nil, redactError(err, secrets)
		}
		a := newAccount(k, b.Descriptor, prov, secrets, b.Descriptor.KeysPresent(data), built, g)
		a.pool = p
		p.put(k, a)
		return a, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Account), nil
}

// get returns k's account unless its Secret changed since it was built.
func (p *Pool) get(k Key) (*Account, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	a, ok := p.accounts[k]
	if !ok || a.built != (generation{p.gens[k.Secret], p.epoch}) {
		return nil, false
	}
	return a, true
}

// current registers interest in the Secret, so changes to it are counted
// from now on, and returns its generation: taken before the Secret is
// read, it makes an account built from data a change overtook stale.
func (p *Pool) current(secret types.NamespacedName) generation {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.gens == nil {
		p.gens = map[types.NamespacedName]uint64{}
	}
	if _, ok := p.gens[secret]; !ok {
		p.gens[secret] = 0
	}
	return generation{p.gens[secret], p.epoch}
}

// SecretChanged makes the accounts built from Secret namespace/name stale.
// Secrets no account was built from are not remembered.
func (p *Pool) SecretChanged(namespace, name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := types.NamespacedName{Namespace: namespace, Name: name}
	if _, ok := p.gens[key]; ok {
		p.gens[key]++
	}
}

// SecretsMayHaveChanged makes every account stale: the Secret watch had to
// start afresh and may have missed changes.
func (p *Pool) SecretsMayHaveChanged() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.epoch++
}

// gateFor returns the gate of k's credential, made for limits on first use.
func (p *Pool) gateFor(k Key, limits providers.Limits) *gate {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.gates == nil {
		p.gates = map[string]*gate{}
	}
	g, ok := p.gates[k.credential()]
	if !ok {
		g = newGate(limits)
		// Creating the provider's series shows a provider whose requests
		// never wait with zero waits rather than with no series.
		g.waits = gateWait.WithLabelValues(k.Provider)
		p.gates[k.credential()] = g
	}
	return g
}

// put remembers a, replacing an account built from an older Secret.
func (p *Pool) put(k Key, a *Account) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.accounts == nil {
		p.accounts = map[Key]*Account{}
	}
	if old, ok := p.accounts[k]; ok {
		// Zones keep their IDs when a token is rotated; the zone reads
		// start afresh with the new credential.
		old.mu.Lock()
		for q, l := range old.zones {
			a.zones[q] = l
		}
		old.mu.Unlock()
	}
	p.accounts[k] = a
}

// Forget drops what every zone queue holds for the record: its queued
// change and the outcome not yet taken. Called when the record is gone,
// and by Apply before it queues a change, so a change planned for another
// zone or spec is never sent.
func (p *Pool) Forget(record types.NamespacedName) {
	p.mu.Lock()
	accounts := make([]*Account, 0, len(p.accounts))
	for _, a := range p.accounts {
		accounts = append(accounts, a)
	}
	p.mu.Unlock()
	for _, a := range accounts {
		a.forget(record)
	}
}

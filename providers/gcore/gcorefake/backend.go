package gcorefake

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/rrset"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Backend is the Gcore provider d with this fake, for the operator's
// suites.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		srv := New(t, zones...).View().Server()
		srv.Secret = map[string]string{"apiToken": Token}
		srv.BadSecret = map[string]string{"apiToken": "15087$0000000000000000000000000000000000000000"}
		return srv
	}}
}

// View is the fake as the provider sees it: the values of an RRset have
// no ID of their own, so records carry the provider's (package rrset).
func (f *Fake) View() providertest.SetView[X] {
	return providertest.SetView[X]{Fake: &f.Fake, Assign: rrset.Assign}
}

// Package dyndns2 is the provider for services that speak the dyndns2
// update protocol, the one Dyn published as its "Remote Access API"
// (https://help.dyn.com/remote-access-api/) and No-IP, Dynu, OVHcloud
// DynHost, STRATO, ChangeIP and many others adopted: an HTTP GET of
// /nic/update?hostname=NAME&myip=ADDRESS with basic authentication,
// answered by a one-line text code (good, nochg, badauth, notfqdn,
// nohost, numhost, abuse, badagent, dnserr, 911). Return codes:
// https://help.dyn.com/remote-access-api/return-codes/ and
// https://www.noip.com/integrate/response.
//
// The protocol can only set a host's address. The provider reads what a
// host holds from the host's DNS answer at its zone's authoritative
// servers, and sends an update only when that differs from the address
// wanted (see package updateonly): these services block clients that send
// updates which change nothing ("nochg").
package dyndns2

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/updateonly"
)

// Name is the provider's spec.provider value.
const Name = "dyndns2"

// DefaultUserAgent identifies the operator when the Env sets no agent.
// No-IP and Dyn require "company program/version contact" and may block
// clients that send a library's default.
const DefaultUserAgent = "ddns-operator ddns-operator/dev github.com/ddns-operator/ddns-operator"

// Preset is a dyndns2 service the operator knows.
type Preset struct {
	// Title is the service's name.
	Title string
	// Server is its update URL.
	Server string
	// IPv6Param is the query parameter of an IPv6 address.
	IPv6Param string
	// Query holds extra parameters the service requires.
	Query string
	// Doc is the service's documentation of the protocol.
	Doc string
}

// Presets are the services spec.dyndns2.service names.
var Presets = map[string]Preset{
	// No-IP takes A and AAAA separately, the IPv6 address in myipv6.
	"noip": {Title: "No-IP", Server: "https://dynupdate.no-ip.com/nic/update", IPv6Param: "myipv6", Doc: "https://www.noip.com/integrate/request"},
	// Dynu documents myip and myipv6.
	"dynu":   {Title: "Dynu", Server: "https://api.dynu.com/nic/update", IPv6Param: "myipv6", Doc: "https://www.dynu.com/DynamicDNS/IP-Update-Protocol"},
	"dyndns": {Title: "Dyn (Oracle)", Server: "https://members.dyndns.org/nic/update", IPv6Param: "myip", Doc: "https://help.dyn.com/remote-access-api/perform-update/"},
	// DynHost requires system=dyndns; it takes IPv6 addresses in myip.
	"ovh":      {Title: "OVHcloud DynHost", Server: "https://www.ovh.com/nic/update", IPv6Param: "myip", Query: "system=dyndns", Doc: "https://help.ovhcloud.com/csm/en-dns-dynhost"},
	"strato":   {Title: "STRATO DynDNS", Server: "https://dyndns.strato.com/nic/update", IPv6Param: "myip", Doc: "https://www.strato.de/faq/domains/so-einfach-richten-sie-dyndns-fuer-ihre-domains-ein/"},
	"changeip": {Title: "ChangeIP", Server: "https://nic.changeip.com/nic/update", IPv6Param: "myip", Doc: "https://www.changeip.com/accounts/knowledgebase.php?action=displayarticle&id=34"},
}

// Descriptor declares the dyndns2 provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  Name,
	Title: "dyndns2 protocol (No-IP, Dynu, Dyn, OVHcloud DynHost, STRATO, ChangeIP, …)",
	Keys: []providers.SecretKey{
		// Not secret, so it is not scrubbed, but no message repeats it
		// either: at No-IP it may be the account's e-mail address.
		{Name: UsernameKey, Help: "the update user name (No-IP: the DDNS key's user name or the account e-mail; OVH: the DynHost login)"},
		{Name: PasswordKey, Secret: true, Help: "its password"},
	},
	Options: func(spec *v1alpha1.DynamicDNSRecordSpec) any {
		if spec == nil {
			return nil
		}
		return spec.DynDNS2
	},
	// The protocol documents no request rate, only that unchanged updates
	// and updates after an error lead to a block; one request at a time
	// per account is what every reference client sends.
	Limits:     providers.Limits{Concurrency: 1},
	Marker:     "",
	DefaultTTL: "set by the service",
	New:        newProvider,
}

// newProvider builds the provider for one account.
func newProvider(env providers.Env, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
	creds, err := FromSecretData(secret)
	if err != nil {
		return nil, err
	}
	target, err := targetOf(env, spec)
	if err != nil {
		return nil, err
	}
	ua := env.UserAgentOr(DefaultUserAgent)
	s := &sender{target: target, creds: creds, client: env.HTTP(), userAgent: ua}
	return updateonly.New(updateonly.Config{
		Sender:       s,
		DNS:          &updateonly.Resolver{Nameserver: env.Nameserver, Wait: env.Wait},
		FixedTTL:     true,
		Now:          func() time.Time { return clock() },
		CannotDelete: "the dyndns2 protocol cannot delete a host: remove it in the service's console",
	}), nil
}

// target is where updates go.
type target struct {
	title     string
	server    string
	ipv6Param string
	query     string
}

// targetOf finds the record's service: the preset or custom server of its
// options block, with env.Endpoint (tests, a gateway) in the server's
// place.
func targetOf(env providers.Env, spec *v1alpha1.DynamicDNSRecordSpec) (target, error) {
	var o v1alpha1.DynDNS2Options
	if spec != nil && spec.DynDNS2 != nil {
		o = *spec.DynDNS2
	}
	t := target{title: "the dyndns2 server", server: strings.TrimSpace(o.Server), ipv6Param: o.IPv6Parameter}
	if o.Service != "" {
		p, ok := Presets[o.Service]
		if !ok {
			return t, providers.Errorf(providers.KindInvalid, "", "spec.dyndns2.service %q is not a known service (have noip, dynu, dyndns, ovh, strato, changeip)", o.Service)
		}
		t = target{title: p.Title, server: p.Server, ipv6Param: p.IPv6Param, query: p.Query}
	}
	if env.Endpoint != "" {
		// The endpoint replaces scheme and host; a bare one keeps the
		// service's path (/nic/update).
		path := "/nic/update"
		if u, err := url.Parse(t.server); err == nil && u.Path != "" {
			path = u.Path
		}
		t.server = env.Endpoint
		if u, err := url.Parse(env.Endpoint); err == nil && strings.Trim(u.Path, "/") == "" {
			t.server = strings.TrimSuffix(env.Endpoint, "/") + path
		}
	}
	if t.server == "" {
		return t, providers.Errorf(providers.KindInvalid, "", "provider dyndns2 needs spec.dyndns2.service or spec.dyndns2.server")
	}
	if t.ipv6Param == "" {
		t.ipv6Param = "myip"
	}
	return t, nil
}

// clock is the provider's time, for tests of the protocol's waits.
var clock = time.Now

// sender sends dyndns2 updates.
type sender struct {
	target    target
	creds     Credentials
	client    *http.Client
	userAgent string
}

// ninetyOneWait is how long a 911 or dnserr answer stops updates: No-IP's
// response page says to retry "no sooner than 30 minutes".
const ninetyOneWait = 30 * time.Minute

// blockWait is how long abuse and badagent stop updates. The services ask
// for no retry "without user intervention"; the operator waits a day, or
// until the Secret changes (a user acting builds the account anew).
const blockWait = 24 * time.Hour

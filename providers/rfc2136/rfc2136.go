// Package rfc2136 is the provider for any DNS server that takes dynamic
// updates (RFC 2136) signed with TSIG (RFC 8945): BIND, Knot, PowerDNS,
// Technitium and others. It reads with plain (signed) queries and writes
// each change as one UPDATE message, over TCP, with github.com/miekg/dns.
//
// DNS has no record IDs. A record's ID here names what it stands for:
// "name/type" when it is the only record of its name and type (the usual
// case; the ID then survives a value change), and "name/type/value" when
// several exist and one of them is meant. Updating or deleting a
// "name/type" record replaces or removes that whole set; a
// "name/type/value" record touches that one value only.
//
// DNS has no per-record comment either, so a record's ownership marker
// (providers.Record.Marker) is kept in a companion TXT record, as
// external-dns's TXT registry does. The marker belongs to a name and type,
// not to one value: every record of the name and type lists the same one.
// The companion's name puts the label "_ddns-owner-<type>" (type in
// lowercase) in front of the record's name:
//
//	home.example.com  A     _ddns-owner-a.home.example.com
//	example.com       AAAA  _ddns-owner-aaaa.example.com
//	*.example.com     A     _ddns-owner-a-wildcard.example.com
//
// No label may follow a wildcard's '*', so there the prefix replaces the
// '*' and gains "-wildcard". The TXT holds the marker as one
// character-string, so a marker is at most MaxMarker (255) bytes. It is
// written in the same UPDATE message as the record it describes, so the
// server applies both or neither, and removed in the message that removes
// the last record of its name and type. A wildcard TXT record covering a
// companion's name, should a zone have one, reads as that name's marker.
//
// The provider reads by name and does not implement providers.ZoneReader:
// a zone transfer would need the server to allow AXFR with the update
// key, which many setups do not, and DNS queries have no rate limit to
// save.
package rfc2136

import (
	"encoding/base64"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
)

// Keys of the Secret that spec.secretRef names.
const (
	// KeyTSIGKeyName is the TSIG key's name, as configured on the server.
	KeyTSIGKeyName = "tsigKeyName"
	// KeyTSIGSecret is the key's base64 secret.
	KeyTSIGSecret = "tsigSecret"
	// KeyTSIGAlgorithm is the key's algorithm; DefaultAlgorithm when absent.
	KeyTSIGAlgorithm = "tsigAlgorithm"
)

const (
	// DefaultAlgorithm is the TSIG algorithm used when the Secret names none.
	DefaultAlgorithm = "hmac-sha256"
	// DefaultTTL is written when a record asks for the provider's default.
	DefaultTTL = 300
	// DefaultTimeout bounds one exchange with the server.
	DefaultTimeout = 10 * time.Second
	// defaultPort is the DNS port, used when spec.rfc2136.server has none.
	defaultPort = "53"
)

// Credentials are the TSIG key from the Secret.
type Credentials struct {
	// KeyName is the key's name in canonical form (lowercase, trailing dot).
	KeyName string
	// Secret is the base64 secret.
	Secret string
	// Algorithm is the canonical algorithm name, e.g. "hmac-sha256.".
	Algorithm string
}

// FromSecretData reads and checks the TSIG key from a Secret's data. Errors
// name the key at fault, never its value.
func FromSecretData(data map[string][]byte) (Credentials, error) {
	var c Credentials
	name := strings.TrimSpace(string(data[KeyTSIGKeyName]))
	if name == "" {
		return c, providers.MissingKey(KeyTSIGKeyName)
	}
	if _, ok := dns.IsDomainName(name); !ok {
		return c, providers.MalformedKey(KeyTSIGKeyName, "not a valid key name")
	}
	secret := strings.TrimSpace(string(data[KeyTSIGSecret]))
	if secret == "" {
		return c, providers.MissingKey(KeyTSIGSecret)
	}
	if raw, err := base64.StdEncoding.DecodeString(secret); err != nil || len(raw) == 0 {
		return c, providers.MalformedKey(KeyTSIGSecret, "not base64, as tsig-keygen prints it")
	}
	alg := strings.TrimSpace(string(data[KeyTSIGAlgorithm]))
	if alg == "" {
		alg = DefaultAlgorithm
	}
	canon, ok := algorithmName(alg)
	if !ok {
		return c, providers.MalformedKey(KeyTSIGAlgorithm, "want one of hmac-sha256, hmac-sha512, hmac-sha384, hmac-sha224, hmac-sha1 or hmac-md5")
	}
	return Credentials{KeyName: dns.CanonicalName(name), Secret: secret, Algorithm: canon}, nil
}

// Descriptor declares the RFC 2136 provider to the registry.
var Descriptor = providers.Descriptor{
	Name:  v1alpha1.ProviderRFC2136,
	Title: "RFC 2136 (BIND, Knot, PowerDNS, Technitium...)",
	Keys: []providers.SecretKey{
		{Name: KeyTSIGKeyName, Help: "the TSIG key's name, as the server knows it"},
		{Name: KeyTSIGSecret, Secret: true, Help: "the TSIG key's base64 secret, as tsig-keygen prints it"},
		{Name: KeyTSIGAlgorithm, Optional: true, Help: "the TSIG algorithm, default " + DefaultAlgorithm},
	},
	Options: func(spec *v1alpha1.DynamicDNSRecordSpec) any {
		if spec == nil {
			return nil
		}
		return spec.RFC2136
	},
	// DNS updates have no documented request limit; calls in flight are
	// bounded per key all the same. Records are read by name (a zone
	// transfer would need another grant on the server).
	Marker:     "companion TXT record",
	DefaultTTL: "300",
	New: func(env providers.Env, secret map[string][]byte, spec *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
		creds, err := FromSecretData(secret)
		if err != nil {
			return nil, err
		}
		if spec == nil || spec.RFC2136 == nil || spec.RFC2136.Server == "" {
			return nil, providers.Errorf(providers.KindInvalid, "", "provider rfc2136 needs spec.rfc2136.server")
		}
		return New(spec.RFC2136.Server, creds, env)
	},
}

// Provider talks to one DNS server with one TSIG key.
type Provider struct {
	server  string
	creds   Credentials
	timeout time.Duration
	env     providers.Env
}

// New returns a provider for server ("host", "host:port" or "[v6]:port").
// Each exchange waits for env's gate and times out after env.HTTPClient's
// Timeout when set (DefaultTimeout otherwise): DNS has no HTTP client,
// but one timeout setting serves every provider.
func New(server string, creds Credentials, env providers.Env) (*Provider, error) {
	addr, err := serverAddr(server)
	if err != nil {
		return nil, err
	}
	timeout := DefaultTimeout
	if env.HTTPClient != nil && env.HTTPClient.Timeout > 0 {
		timeout = env.HTTPClient.Timeout
	}
	return &Provider{server: addr, creds: creds, timeout: timeout, env: env}, nil
}

// serverAddr adds the default port to a server without one.
func serverAddr(s string) (string, error) {
	if host, port, err := net.SplitHostPort(s); err == nil {
		if host == "" || port == "" {
			return "", providers.Errorf(providers.KindInvalid, "", "spec.rfc2136.server %q: want host:port", s)
		}
		return s, nil
	}
	host := strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	if host == "" || strings.ContainsAny(host, "[]/ ") {
		return "", providers.Errorf(providers.KindInvalid, "", "spec.rfc2136.server %q: want host:port", s)
	}
	return net.JoinHostPort(host, defaultPort), nil
}

var _ providers.Provider = (*Provider)(nil)

// String names the server, for logs.
func (p *Provider) String() string { return fmt.Sprintf("rfc2136 server %s", p.server) }

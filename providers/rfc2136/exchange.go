package rfc2136

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/ddns-operator/ddns-operator/providers"
)

// fudge is the clock skew TSIG allows between us and the server.
const fudge = 300

// exchange signs m with the TSIG key, sends it over TCP and returns the
// answer once its signature checks out. Answers whose rcode is not
// NOERROR come back with it; rcodeError turns them into errors. op names
// the operation in errors. It waits for the key's gate first.
func (p *Provider) exchange(ctx context.Context, m *dns.Msg, op string) (*dns.Msg, error) {
	if err := p.env.Wait(ctx); err != nil {
		return nil, providers.Transient(op, err)
	}
	m.SetTsig(p.creds.KeyName, p.creds.Algorithm, fudge, time.Now().Unix())
	c := &dns.Client{Net: "tcp", Timeout: p.timeout, TsigProvider: hmacProvider{secret: p.creds.Secret}}
	r, _, err := c.ExchangeContext(ctx, m, p.server)
	if r != nil {
		if t := r.IsTsig(); t != nil && t.Error != dns.RcodeSuccess {
			return nil, tsigError(op, t.Error, strings.TrimSuffix(p.creds.KeyName, "."))
		}
	}
	switch {
	case err == nil:
	case errors.Is(err, dns.ErrAuth) && r != nil:
		// miekg/dns does not verify a NOTAUTH answer and says so; the
		// rcode is what counts, mapped by the caller.
	case errors.Is(err, dns.ErrSig), errors.Is(err, dns.ErrTime), errors.Is(err, dns.ErrKeyAlg):
		return nil, &providers.Error{Kind: providers.KindAuth, Message: op + ": the server's answer fails TSIG verification (" + err.Error() + "); check tsigSecret and tsigAlgorithm", Err: err}
	default:
		return nil, providers.Transient(op, err)
	}
	if r.IsTsig() == nil && r.Rcode == dns.RcodeSuccess {
		// A server that takes the key signs its answers; an unsigned
		// success could come from anyone on the path.
		return nil, providers.Errorf(providers.KindAuth, "", "%s: the server answered without a TSIG signature; is key %q configured on it?", op, strings.TrimSuffix(p.creds.KeyName, "."))
	}
	return r, nil
}

// tsigError maps the TSIG error the server put in its answer.
func tsigError(op string, code uint16, key string) *providers.Error {
	name := dns.RcodeToString[int(code)]
	why := map[uint16]string{
		dns.RcodeBadSig:  "the signature does not match: tsigSecret or tsigAlgorithm is wrong",
		dns.RcodeBadKey:  fmt.Sprintf("the server knows no key %q with that algorithm", key),
		dns.RcodeBadTime: "the clocks of the operator and the server differ by more than 5 minutes",
	}[code]
	if why == "" {
		why = "the server rejected the TSIG key"
	}
	return providers.Errorf(providers.KindAuth, name, "%s: %s", op, why)
}

// rcodeError maps an answer's rcode to a provider error; nil for NOERROR.
// Callers handle the rcodes that mean something for their operation
// (NXDOMAIN for a read, YXRRSET for a guarded create) before this.
func rcodeError(op string, r *dns.Msg) error {
	code := dns.RcodeToString[r.Rcode]
	switch r.Rcode {
	case dns.RcodeSuccess:
		return nil
	case dns.RcodeNotAuth:
		return providers.Errorf(providers.KindAuth, code, "%s: the server is not authoritative for the zone or does not accept the key", op)
	case dns.RcodeRefused:
		return providers.Errorf(providers.KindAuth, code, "%s: the server refused it; its policy (allow-update, update-policy) must grant the key this name", op)
	case dns.RcodeNotZone:
		return providers.Errorf(providers.KindZoneNotFound, code, "%s: the name is not in the zone", op)
	case dns.RcodeFormatError:
		return providers.Errorf(providers.KindInvalid, code, "%s: the server could not parse the request", op)
	case dns.RcodeNotImplemented:
		return providers.Errorf(providers.KindInvalid, code, "%s: the server does not implement dynamic updates", op)
	case dns.RcodeServerFailure:
		return providers.Errorf(providers.KindTransient, code, "%s: the server failed to process it", op)
	}
	if code == "" {
		code = fmt.Sprint(r.Rcode)
	}
	return providers.Errorf(providers.KindTransient, code, "%s: the server answered %s", op, code)
}

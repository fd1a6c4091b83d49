// Package callbackfake is a callback receiver for tests: the kind of small
// HTTP endpoint ddns-go users point their Callback at (a home-made script,
// a DNS host's update hook). It takes /update with the record's fields in
// the query (GET), a JSON body or a form body (POST), authenticated by a
// token in the query or an "Authorization: Bearer" header, and stores what
// it receives as the name's record. There is no documentation page: the
// shapes are the ones docs/providers/callback.md uses.
package callbackfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Token is the token the receiver accepts.
const Token = "cb-7Kq2Zx9Lw4Mv8Np3"

// GetURL is the URL template of a GET callback to a receiver at base.
func GetURL(base, token string) string {
	return base + "/update?token=" + token + "&domain=#{domain}&ip=#{ip}&type=#{recordType}&ttl=#{ttl}"
}

// Fake is a running receiver.
type Fake struct {
	providertest.Fake[struct{}]
}

// New starts a receiver for names in the given zones.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

type wire struct{ f *Fake }

// Operation names the callback, the only call.
func (wire) Operation(r *http.Request, _ []byte) (string, bool) {
	if r.URL.Path == "/update" {
		return "callback", true
	}
	return "", false
}

// Authenticate checks the token of the query or the bearer header.
func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	q, h := r.URL.Query().Get("token"), r.Header.Get("Authorization")
	w.f.Note(q, h, strings.TrimPrefix(h, "Bearer "))
	if q == Token || h == "Bearer "+Token {
		return true
	}
	http.Error(rw, "unauthorized", http.StatusUnauthorized)
	return false
}

// Fault answers as a small web service does.
func (wire) Fault(rw http.ResponseWriter, _ *http.Request, fault providertest.Fault, _ string) bool {
	switch fault {
	case providertest.FaultRateLimited:
		rw.Header().Set("Retry-After", "5")
		http.Error(rw, "slow down", http.StatusTooManyRequests)
	case providertest.FaultRateLimitedNoRetryAfter:
		http.Error(rw, "slow down", http.StatusTooManyRequests)
	case providertest.FaultServerError, providertest.FaultHTTP500:
		http.Error(rw, "internal error", http.StatusInternalServerError)
	case providertest.FaultHTTP502:
		http.Error(rw, "bad gateway", http.StatusBadGateway)
	case providertest.FaultHTTP503:
		http.Error(rw, "unavailable", http.StatusServiceUnavailable)
	case providertest.FaultAuthRejected:
		http.Error(rw, "unauthorized", http.StatusUnauthorized)
	case providertest.FaultZoneNotFound:
		http.Error(rw, "no such domain", http.StatusNotFound)
	default:
		return false
	}
	return true
}

// Serve stores the callback's record: the query of a GET, the JSON or
// form body of a POST.
func (w wire) Serve(rw http.ResponseWriter, r *http.Request, _ string, body []byte) {
	fields := r.URL.Query()
	if r.Method == http.MethodPost {
		switch r.Header.Get("Content-Type") {
		case "application/json":
			var m map[string]any
			if err := json.Unmarshal(body, &m); err != nil {
				http.Error(rw, "bad json", http.StatusBadRequest)
				return
			}
			for k, v := range m {
				fields.Set(k, fmt.Sprint(v))
			}
		default:
			form, err := url.ParseQuery(string(body))
			if err != nil {
				http.Error(rw, "bad form", http.StatusBadRequest)
				return
			}
			for k, v := range form {
				fields[k] = v
			}
		}
	}
	name, typ, ip := strings.ToLower(fields.Get("domain")), fields.Get("type"), fields.Get("ip")
	ttl, _ := strconv.Atoi(fields.Get("ttl"))
	var zone *providertest.Zone[struct{}]
	for _, z := range w.f.Store.Zones() {
		if name == z.Name || strings.HasSuffix(name, "."+z.Name) {
			zone = z
		}
	}
	if zone == nil || (typ != "A" && typ != "AAAA") || ip == "" {
		http.Error(rw, "no such domain, or no type or ip", http.StatusNotFound)
		return
	}
	for _, old := range zone.Select(name, typ) {
		zone.Remove(old.ID)
	}
	w.f.Store.Add(zone, providertest.Rec[struct{}]{Name: name, Type: typ, Value: ip, TTL: ttl})
	fmt.Fprintln(rw, "ok")
}

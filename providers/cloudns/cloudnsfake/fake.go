// Package cloudnsfake is a fake ClouDNS HTTP API for tests, on the
// provider kit (providertest.Fake): zones and records, the API user's and
// sub-user's credentials in the form of every call, and ClouDNS's answers.
//
// Shapes, from ClouDNS's API help (https://www.cloudns.net/wiki/article/41/
// and the method pages it links; https://www.cloudns.net/api-help) and the
// clients that use it (lego's and dnscontrol's cloudns providers, ddns-go's
// dns/cloudns.go):
//   - every method is /dns/<method>.json, its parameters in the query or a
//     form body (GET or POST alike);
//   - a wrong API user answers {"status":"Failed","statusDescription":
//     "Invalid authentication, incorrect auth-id or auth-password."}, a
//     wrong sub-user "Invalid authentication, incorrect sub-auth-id,
//     sub-auth-user or auth-password." (HTTP 200, as every refusal);
//   - get-pages-count.json answers the number of pages of zones;
//     list-zones.json (page and rows-per-page, 10 to 100, required)
//     answers [{"name", "type", "zone", "status"}];
//   - records.json (domain-name, optionally host and type) answers an
//     object keyed by record ID, {"id", "type", "host", "record", "ttl",
//     "status"} with strings for numbers, or [] for none;
//   - add-record.json answers {"status": "Success", "statusDescription",
//     "data": {"id"}}; mod-record.json and delete-record.json a status; an
//     unknown record-id "Invalid record-id param.";
//   - a TTL outside the list ClouDNS takes answers "Invalid TTL. Choose
//     from the list of the values we support."; get-available-ttl.json
//     answers that list.
//
// The description of an unknown zone ("Missing domain-name") and of
// throttling are the fake's own wording: ClouDNS documents neither.
package cloudnsfake

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion/companionfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The credentials the fake accepts: an API user and a sub-user.
const (
	AuthID      = "8123"
	SubAuthID   = "30517"
	SubAuthUser = "ddns-sub"
	Password    = "cloudns-fake-password-7f3e9a"
	SubPassword = "cloudns-fake-sub-password-41c2"
)

// TTLs are the TTLs ClouDNS takes (its wiki, article 188).
var TTLs = []int32{60, 300, 900, 1800, 3600, 21600, 43200, 86400, 172800, 259200, 604800, 1209600, 2419200}

// The refusals of the fake.
const (
	msgAuth    = "Invalid authentication, incorrect auth-id or auth-password."
	msgSubAuth = "Invalid authentication, incorrect sub-auth-id, sub-auth-user or auth-password."
	msgZone    = "Missing domain-name"
	msgRecord  = "Invalid record-id param."
	msgTTL     = "Invalid TTL. Choose from the list of the values we support."
)

// Fake is a running fake ClouDNS API.
type Fake struct {
	providertest.Fake[struct{}]
}

// New starts a fake holding the named zones; it stops when the test ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Store.RecordID = func(n int) string { return strconv.Itoa(5769200 + n) }
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// Backend is the ClouDNS provider d with this fake, for the operator's
// suites.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		s := companionfake.Server(&f.Fake)
		s.Secret = map[string]string{"authId": AuthID, "authPassword": Password}
		s.BadSecret = map[string]string{"authId": AuthID, "authPassword": "cloudns-wrong-password-000000"}
		// The suites write 600 seconds or MinTTL; ClouDNS takes 900,
		// not 600.
		s.MinTTL = 900
		s.Skip = map[string]string{
			providertest.CheckFault(providertest.FaultLostResponse): "the case changes the TTL to 1200 seconds while answers are lost, a TTL ClouDNS does not take (the provider reports InvalidRecord with the list it takes)",
		}
		return s
	}}
}

type wire struct{ f *Fake }

func (wire) Operation(r *http.Request, _ []byte) (string, bool) {
	op := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/dns/"), ".json")
	return op, op == "add-record" || op == "mod-record" || op == "delete-record"
}

// params are the request's parameters, from its query and form body.
func params(r *http.Request) map[string]string {
	_ = r.ParseForm()
	out := map[string]string{}
	for k := range r.Form {
		out[k] = r.Form.Get(k)
	}
	return out
}

func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, _ []byte) bool {
	p := params(r)
	w.f.Note(p["auth-password"])
	switch {
	case p["auth-id"] != "":
		if p["auth-id"] == AuthID && p["auth-password"] == Password {
			return true
		}
		status(rw, "Failed", msgAuth)
	case p["sub-auth-id"] != "" || p["sub-auth-user"] != "":
		if (p["sub-auth-id"] == SubAuthID || p["sub-auth-user"] == SubAuthUser) && p["auth-password"] == SubPassword {
			return true
		}
		status(rw, "Failed", msgSubAuth)
	default:
		status(rw, "Failed", msgAuth)
	}
	return false
}

func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	if sf, ok := providertest.StatusOf(f); ok {
		if sf.Status == http.StatusTooManyRequests {
			// ClouDNS throttles in band, without a wait.
			status(rw, "Failed", "Too many requests. The API is limited to 20 requests per second per IP address.")
			return true
		}
		rw.Header().Set("Content-Type", "text/html")
		rw.WriteHeader(sf.Status)
		_, _ = rw.Write([]byte("<html><body><h1>" + sf.Text + "</h1></body></html>"))
		return true
	}
	switch f {
	case providertest.FaultAuthRejected:
		status(rw, "Failed", msgAuth)
	case providertest.FaultZoneNotFound:
		switch op {
		case "get-pages-count":
			providertest.WriteJSON(rw, http.StatusOK, 0)
		case "list-zones":
			providertest.WriteJSON(rw, http.StatusOK, []any{})
		default:
			status(rw, "Failed", msgZone)
		}
	case providertest.FaultEndlessPages:
		switch op {
		case "get-pages-count":
			providertest.WriteJSON(rw, http.StatusOK, providertest.EndlessTotal)
		case "list-zones":
			w.listZones(rw, 1, w.f.PageSize)
		default:
			return false
		}
	default:
		return false
	}
	return true
}

func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, _ []byte) {
	p := params(r)
	switch op {
	case "get-pages-count":
		rows := w.rows(p)
		providertest.WriteJSON(rw, http.StatusOK, (len(w.f.Store.Zones())+rows-1)/rows)
		return
	case "list-zones":
		page, err := strconv.Atoi(p["page"])
		if err != nil || page < 1 {
			status(rw, "Failed", "Missing required parameter 'page'.")
			return
		}
		w.listZones(rw, page, w.rows(p))
		return
	}
	z := w.f.Store.Zone(p["domain-name"])
	if z == nil {
		status(rw, "Failed", msgZone)
		return
	}
	switch op {
	case "records":
		name := ""
		if h, ok := p["host"]; ok {
			name = providertest.Absolute(h, z.Name)
		}
		recs := z.Select(name, p["type"])
		if len(recs) == 0 {
			providertest.WriteJSON(rw, http.StatusOK, []any{})
			return
		}
		out := map[string]any{}
		for _, rec := range recs {
			out[rec.ID] = map[string]any{
				"id": rec.ID, "type": rec.Type, "host": host(rec.Name, z.Name), "record": rec.Value,
				"failover": "0", "ttl": strconv.Itoa(rec.TTL), "status": 1,
			}
		}
		providertest.WriteJSON(rw, http.StatusOK, out)
	case "get-available-ttl":
		providertest.WriteJSON(rw, http.StatusOK, TTLs)
	case "add-record":
		ttl, ok := ttl(p)
		if !ok {
			status(rw, "Failed", msgTTL)
			return
		}
		rec := w.f.Store.Add(z, providertest.Rec[struct{}]{Name: p["host"], Type: p["record-type"], Value: p["record"], TTL: ttl})
		id, _ := strconv.Atoi(rec.ID)
		providertest.WriteJSON(rw, http.StatusOK, map[string]any{"status": "Success", "statusDescription": "The record was added successfully.", "data": map[string]any{"id": id}})
	case "mod-record":
		rec := z.Record(p["record-id"])
		ttl, ok := ttl(p)
		switch {
		case rec == nil:
			status(rw, "Failed", msgRecord)
		case !ok:
			status(rw, "Failed", msgTTL)
		default:
			rec.Name, rec.Value, rec.TTL = providertest.Absolute(p["host"], z.Name), p["record"], ttl
			status(rw, "Success", "The record was modified successfully.")
		}
	case "delete-record":
		if !z.Remove(p["record-id"]) {
			status(rw, "Failed", msgRecord)
			return
		}
		status(rw, "Success", "The record was deleted successfully.")
	default:
		status(rw, "Failed", "Invalid method.")
	}
}

// rows is the page size a request asks for, as the fake serves it.
func (w wire) rows(p map[string]string) int {
	rows, _ := strconv.Atoi(p["rows-per-page"])
	return max(min(rows, w.f.PageSize), 1)
}

func (w wire) listZones(rw http.ResponseWriter, page, rows int) {
	out := []map[string]any{}
	for _, z := range providertest.Page(w.f.Store.Zones(), page, rows) {
		out = append(out, map[string]any{"name": z.Name, "type": "master", "zone": "domain", "status": "1"})
	}
	providertest.WriteJSON(rw, http.StatusOK, out)
}

// ttl reads the ttl parameter: one of TTLs, or false.
func ttl(p map[string]string) (int, bool) {
	n, err := strconv.Atoi(p["ttl"])
	return n, err == nil && slices.Contains(TTLs, int32(n))
}

// host is name relative to zone as ClouDNS lists it, "" for the apex.
func host(name, zone string) string {
	if h := providers.RelativeName(name, zone); h != "@" {
		return h
	}
	return ""
}

func status(rw http.ResponseWriter, s, desc string) {
	providertest.WriteJSON(rw, http.StatusOK, map[string]string{"status": s, "statusDescription": desc})
}

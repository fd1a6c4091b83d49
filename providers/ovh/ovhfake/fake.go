// Package ovhfake is a fake OVHcloud API (/domain/zone) for tests, on the
// kit in providers/providertest. It speaks the wire format of
// https://eu.api.ovh.com/console/?section=%2Fdomain: GET /auth/time
// (unauthenticated, the server's Unix time); GET /domain/zone (every zone
// name), GET /domain/zone/{zone} and /domain/zone/{zone}/soa; GET
// /domain/zone/{zone}/record (record IDs, ?fieldType and ?subDomain), POST
// the same (a new record), GET, PUT and DELETE .../record/{id}; POST
// /domain/zone/{zone}/refresh (publish the zone). It checks every signed
// request as OVHcloud does (https://help.ovhcloud.com/csm/en-api-getting-started-ovhcloud-api,
// "Signing requests"): X-Ovh-Application, X-Ovh-Consumer, X-Ovh-Timestamp
// and X-Ovh-Signature = "$1$" + SHA-1 of "AS+CK+METHOD+URL+BODY+TIMESTAMP",
// recomputed with the known application secret. Errors are OVHcloud's
// bodies: {"errorCode", "httpCode", "message"} for refused credentials and
// {"class", "message"} otherwise.
//
// The API does not paginate: FaultEndlessPages answers a record listing
// with an ID list far longer than any zone holds, the nearest thing to a
// listing that does not end.
package ovhfake

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Credentials the fake accepts.
const (
	ApplicationKey    = "7kbG7Bk7S9Nt7ZSV"
	ApplicationSecret = "EXEgWIz07P0HYwtQDs7cNIqCiQaWSuHF"
	ConsumerKey       = "MtSwSrPpNjqfVSmJhLbPyr2i45lSwPU1"
)

// MinTTL is the smallest record TTL the fake accepts (0 asks for the
// zone's default).
const MinTTL = 60

// ZoneTTL is every fake zone's default TTL (its SOA's ttl).
const ZoneTTL = 3600

// EndlessIDs is how many IDs a record listing holds under
// FaultEndlessPages.
const EndlessIDs = 100000

// Fake is a running fake OVHcloud API.
type Fake struct {
	providertest.Fake[struct{}]
	failRefreshes int
}

// New starts a fake holding the named zones; it stops when t ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{}
	f.Companions = true
	f.Store.RecordID = func(n int) string { return strconv.Itoa(5088000000 + n) }
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// Refreshes counts the zone refreshes the fake received.
func (f *Fake) Refreshes() int { return f.Count("refreshZone") }

// FailRefreshes makes the next n refreshes answer 503, leaving the
// records' changes saved but unpublished.
func (f *Fake) FailRefreshes(n int) {
	f.Lock()
	defer f.Unlock()
	f.failRefreshes = n
}

type wire struct{ f *Fake }

// route splits /domain/zone/{zone}/{what}/{id}.
func route(r *http.Request) (zone, what, id string) {
	parts := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/1.0"), "/"), "/")
	for i := range parts {
		parts[i], _ = url.PathUnescape(parts[i])
	}
	if len(parts) >= 3 && parts[0] == "domain" && parts[1] == "zone" {
		zone = parts[2]
	}
	if len(parts) >= 4 {
		what = parts[3]
	}
	if len(parts) >= 5 {
		id = parts[4]
	}
	return zone, what, id
}

func (w wire) Operation(r *http.Request, _ []byte) (string, bool) {
	if strings.HasSuffix(r.URL.Path, "/auth/time") {
		return "authTime", false
	}
	zone, what, id := route(r)
	switch {
	case zone == "":
		return "listZones", false
	case what == "":
		return "getZone", false
	case what == "soa":
		return "getSOA", false
	case what == "refresh":
		// Publishes the zone; it changes no record, so it is not counted
		// among the writes (Count("refreshZone") counts it).
		return "refreshZone", false
	case id == "" && r.Method == http.MethodPost:
		return "createRecord", true
	case id == "":
		return "listRecords", false
	case r.Method == http.MethodPut:
		return "updateRecord", true
	case r.Method == http.MethodDelete:
		return "deleteRecord", true
	}
	return "getRecord", false
}

func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, body []byte) bool {
	if strings.HasSuffix(r.URL.Path, "/auth/time") {
		return true
	}
	ak, ck := r.Header.Get("X-Ovh-Application"), r.Header.Get("X-Ovh-Consumer")
	ts, sig := r.Header.Get("X-Ovh-Timestamp"), r.Header.Get("X-Ovh-Signature")
	w.f.Note(ck, sig)
	if ak != ApplicationKey {
		writeAuthError(rw, http.StatusForbidden, "INVALID_KEY", "Invalid application key")
		return false
	}
	if ck != ConsumerKey {
		writeAuthError(rw, http.StatusForbidden, "INVALID_CREDENTIAL", "This credential is not valid")
		return false
	}
	stamp, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || time.Since(time.Unix(stamp, 0)).Abs() > 3*time.Minute {
		writeAuthError(rw, http.StatusBadRequest, "QUERY_TIME_OUT", "Query out of time")
		return false
	}
	target := "http://" + r.Host + r.URL.RequestURI()
	sum := sha1.Sum([]byte(fmt.Sprintf("%s+%s+%s+%s+%s+%s", ApplicationSecret, ck, r.Method, target, body, ts)))
	if sig != "$1$"+hex.EncodeToString(sum[:]) {
		writeAuthError(rw, http.StatusBadRequest, "INVALID_SIGNATURE", "Invalid signature")
		return false
	}
	return true
}

func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	switch f {
	case providertest.FaultRateLimited, providertest.FaultRateLimitedNoRetryAfter:
		writeError(rw, http.StatusTooManyRequests, "Client::TooManyRequests", "Too many requests")
	case providertest.FaultServerError, providertest.FaultHTTP500:
		writeError(rw, http.StatusInternalServerError, "Server::InternalServerError", "Internal server error")
	case providertest.FaultHTTP502:
		writeError(rw, http.StatusBadGateway, "Server::BadGateway", "Bad gateway")
	case providertest.FaultHTTP503:
		writeError(rw, http.StatusServiceUnavailable, "Server::ServiceUnavailable", "Service unavailable")
	case providertest.FaultAuthRejected:
		writeAuthError(rw, http.StatusForbidden, "NOT_GRANTED_CALL", "This call has not been granted")
	case providertest.FaultZoneNotFound:
		switch op {
		case "authTime":
			return false
		case "listZones":
			writeJSON(rw, http.StatusOK, []string{})
		default:
			writeError(rw, http.StatusNotFound, "Client::NotFound", "This service does not exist")
		}
	case providertest.FaultEndlessPages:
		if op != "listRecords" {
			return false
		}
		ids := make([]int64, EndlessIDs)
		for i := range ids {
			ids[i] = int64(6000000000 + i)
		}
		writeJSON(rw, http.StatusOK, ids)
	default:
		return false
	}
	return true
}

func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	f := w.f
	if op == "authTime" {
		writeJSON(rw, http.StatusOK, time.Now().Unix())
		return
	}
	if op == "listZones" {
		names := []string{}
		for _, z := range f.Store.Zones() {
			names = append(names, z.Name)
		}
		writeJSON(rw, http.StatusOK, names)
		return
	}
	zone, _, id := route(r)
	z := f.Store.Zone(zone)
	if z == nil {
		writeError(rw, http.StatusNotFound, "Client::NotFound", "This service does not exist")
		return
	}
	switch op {
	case "getZone":
		writeJSON(rw, http.StatusOK, map[string]any{"name": z.Name, "hasDnsAnycast": false, "dnssecSupported": true,
			"nameServers": []string{"dns10.ovh.net", "ns10.ovh.net"}, "lastUpdate": "2025-10-01T09:00:00+02:00"})
	case "getSOA":
		writeJSON(rw, http.StatusOK, map[string]any{"email": "tech.ovh.net", "expire": 3600000, "nxDomainTtl": 86400,
			"refresh": 86400, "serial": 2025100100, "server": "dns10.ovh.net.", "ttl": ZoneTTL})
	case "refreshZone":
		if f.failRefreshes > 0 {
			f.failRefreshes--
			writeError(rw, http.StatusServiceUnavailable, "Server::ServiceUnavailable", "Service unavailable")
			return
		}
		writeJSON(rw, http.StatusOK, nil)
	case "listRecords":
		q := r.URL.Query()
		ids := []int64{}
		for _, rec := range z.Records {
			if (!q.Has("fieldType") || strings.EqualFold(rec.Type, q.Get("fieldType"))) &&
				(!q.Has("subDomain") || providers.AbsoluteName(q.Get("subDomain"), z.Name) == rec.Name) {
				n, _ := strconv.ParseInt(rec.ID, 10, 64)
				ids = append(ids, n)
			}
		}
		writeJSON(rw, http.StatusOK, ids)
	case "createRecord":
		w.create(rw, z, body)
	default:
		rec := z.Record(id)
		if rec == nil {
			writeError(rw, http.StatusNotFound, "Client::NotFound", "The requested object (id = "+id+") does not exist")
			return
		}
		switch op {
		case "getRecord":
			writeJSON(rw, http.StatusOK, recordJSON(z, rec))
		case "updateRecord":
			w.update(rw, z, rec, body)
		case "deleteRecord":
			z.Remove(id)
			writeJSON(rw, http.StatusOK, nil)
		}
	}
}

type recordIn struct {
	FieldType string  `json:"fieldType"`
	SubDomain *string `json:"subDomain"`
	Target    *string `json:"target"`
	TTL       *int    `json:"ttl"`
}

func (w wire) create(rw http.ResponseWriter, z *providertest.Zone[struct{}], body []byte) {
	var in recordIn
	if err := json.Unmarshal(body, &in); err != nil || in.Target == nil || in.FieldType == "" {
		writeError(rw, http.StatusBadRequest, "Client::BadRequest", "Missing parameter(s): fieldType, target")
		return
	}
	sub, ttl := "", 0
	if in.SubDomain != nil {
		sub = *in.SubDomain
	}
	if in.TTL != nil {
		ttl = *in.TTL
	}
	if msg := check(in.FieldType, *in.Target, ttl); msg != "" {
		writeError(rw, http.StatusBadRequest, "Client::BadRequest", msg)
		return
	}
	rec := w.f.Store.Add(z, providertest.Rec[struct{}]{Name: sub, Type: in.FieldType, Value: *in.Target, TTL: ttl})
	writeJSON(rw, http.StatusOK, recordJSON(z, rec))
}

func (w wire) update(rw http.ResponseWriter, z *providertest.Zone[struct{}], rec *providertest.Rec[struct{}], body []byte) {
	var in recordIn
	if err := json.Unmarshal(body, &in); err != nil {
		writeError(rw, http.StatusBadRequest, "Client::BadRequest", "Invalid JSON")
		return
	}
	target, ttl := rec.Value, rec.TTL
	if in.Target != nil {
		target = *in.Target
	}
	if in.TTL != nil {
		ttl = *in.TTL
	}
	if msg := check(rec.Type, target, ttl); msg != "" {
		writeError(rw, http.StatusBadRequest, "Client::BadRequest", msg)
		return
	}
	rec.Value, rec.TTL = target, ttl
	if in.SubDomain != nil {
		rec.Name = providers.AbsoluteName(*in.SubDomain, z.Name)
	}
	writeJSON(rw, http.StatusOK, nil)
}

// check validates a record as the API does; "" when it is fine.
func check(typ, target string, ttl int) string {
	if ttl != 0 && ttl < MinTTL {
		return fmt.Sprintf("[ttl] Given data (%d) is less than minimum (%d)", ttl, MinTTL)
	}
	switch strings.ToUpper(typ) {
	case "A", "AAAA":
		a, err := netip.ParseAddr(target)
		if err != nil || a.Is4() != strings.EqualFold(typ, "A") {
			return "Invalid target for a record of type " + typ
		}
	case "TXT":
		if target == "" {
			return "[target] Missing"
		}
	}
	return ""
}

func recordJSON(z *providertest.Zone[struct{}], r *providertest.Rec[struct{}]) map[string]any {
	id, _ := strconv.ParseInt(r.ID, 10, 64)
	sub := providers.RelativeName(r.Name, z.Name)
	if sub == "@" {
		sub = ""
	}
	return map[string]any{"id": id, "zone": z.Name, "subDomain": sub, "fieldType": r.Type, "target": r.Value, "ttl": r.TTL}
}

func writeAuthError(rw http.ResponseWriter, status int, code, message string) {
	writeJSON(rw, status, map[string]string{"errorCode": code, "httpCode": fmt.Sprintf("%d %s", status, http.StatusText(status)), "message": message})
}

func writeError(rw http.ResponseWriter, status int, class, message string) {
	writeJSON(rw, status, map[string]string{"class": class, "message": message})
}

func writeJSON(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", "application/json; charset=utf-8")
	rw.Header().Set("X-Ovh-Queryid", "EU.ext-3.68d7a1b2.1234.0f1e2d3c4b5a6978")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(v)
}

// Package cloudflarefake is a stateful fake of the Cloudflare API v4 DNS
// endpoints, for tests: an httptest.Server that speaks the real wire format,
// so any client of the API (the provider, curl, Cloudflare's own SDKs) can
// be pointed at it by its base URL. It is built on the fake-server kit
// (providertest.Fake): this package writes only the wire format and the
// authentication.
//
// Shapes follow the Cloudflare API reference:
//   - envelope, errors and result_info pagination:
//     https://developers.cloudflare.com/fundamentals/api/how-to/make-api-calls/
//   - GET /zones (name filter, page, per_page 5..50, default 20):
//     https://developers.cloudflare.com/api/resources/zones/methods/list/
//   - GET/POST /zones/{zone_id}/dns_records, GET/PATCH/PUT/DELETE
//     /zones/{zone_id}/dns_records/{dns_record_id}, POST .../batch
//     (name / name.exact and type filters, per_page default 100, TTL 1 =
//     automatic or 60..86400, 30 on Enterprise; proxied records are always
//     automatic TTL):
//     https://developers.cloudflare.com/api/resources/dns/subresources/records/
//   - authentication: "Authorization: Bearer <token>", or the Global API
//     Key as X-Auth-Key with X-Auth-Email:
//     https://developers.cloudflare.com/fundamentals/api/get-started/
//   - throttling: HTTP 429 with Retry-After (seconds, rounded up):
//     https://developers.cloudflare.com/fundamentals/api/reference/limits/
//
// The API reference gives no table of error codes; the codes and messages
// used here (9109, 9103, 9106, 6003/6102/6103/6111, 971, 81044, 81058,
// 7003/7000, 1004/9021, 9313) are those the live API sends, as quoted
// verbatim in Cloudflare's own SDK and tooling issue trackers.
package cloudflarefake

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The credentials the fake accepts.
const (
	// Token is the valid API token (Authorization: Bearer Token).
	Token = "fAkEcLoUdFlArEtOkEn0123456789abcdefGHIJ"
	// APIKey is the valid Global API Key (X-Auth-Key), 37 hex digits.
	APIKey = "0123456789abcdef0123456789abcdef01234"
	// Email is the account e-mail that goes with APIKey (X-Auth-Email).
	Email = "dns-admin@example.com"
)

const (
	// DefaultMinTTL is Cloudflare's minimum TTL below Enterprise plans.
	DefaultMinTTL = 60
	// RetryAfter is the Retry-After, in seconds, of FaultRateLimited.
	RetryAfter = 7
	// MaxCommentLength is the longest record comment, in characters, a
	// Free zone accepts (Pro, Business and Enterprise zones take 500):
	// https://developers.cloudflare.com/dns/manage-dns-records/reference/record-attributes/
	MaxCommentLength = 100
)

// Settings are what only Cloudflare keeps on a record.
type Settings struct {
	Proxied bool
	Tags    []string
}

// Record is a DNS record as the fake stores it: Value is its content,
// Marker its comment, TTL 1 automatic.
type Record = providertest.Rec[Settings]

// Fake is a running fake Cloudflare API; URL is the base URL to hand to
// the provider (providers.Env.Endpoint), in place of
// https://api.cloudflare.com/client/v4.
type Fake struct {
	providertest.Fake[Settings]
	// MinTTL is the smallest TTL accepted besides 1 (30 on Enterprise).
	MinTTL int
}

// New starts a fake holding the given empty zones. With t set, the server
// closes when the test ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{MinTTL: DefaultMinTTL}
	f.Store.ZoneID = func(name string, _ int) string { return md5hex("zone:" + name) }
	f.Store.RecordID = func(n int) string { return md5hex(fmt.Sprintf("record:%d", n)) }
	f.Store.Defaults = func(r *Record) {
		if r.TTL == 0 || r.X.Proxied {
			r.TTL = 1 // automatic
		}
	}
	f.Start(t, f)
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Operation names the API call ("listZones", "getZone", "listRecords",
// "getRecord", "create", "update", "delete", "batch"; "" for none).
func (f *Fake) Operation(r *http.Request, _ []byte) (string, bool) {
	p, m, op := strings.Split(strings.Trim(r.URL.Path, "/"), "/"), r.Method, ""
	switch {
	case p[0] != "zones":
	case len(p) == 1 && m == http.MethodGet:
		op = "listZones"
	case len(p) == 2 && m == http.MethodGet:
		op = "getZone"
	case len(p) < 3 || len(p) > 4 || p[2] != "dns_records":
	case len(p) == 3:
		op = map[string]string{"GET": "listRecords", "POST": "create"}[m]
	case p[3] == "batch" && m == http.MethodPost:
		op = "batch"
	default:
		op = map[string]string{"GET": "getRecord", "PATCH": "update", "PUT": "update", "DELETE": "delete"}[m]
	}
	return op, op == "create" || op == "update" || op == "delete" || op == "batch"
}

// Authenticate checks the credentials as Cloudflare does: a Bearer token
// in Authorization wins; otherwise X-Auth-Key and X-Auth-Email must both be
// present, well-formed and match.
func (f *Fake) Authenticate(w http.ResponseWriter, r *http.Request, _ []byte) bool {
	for _, h := range []string{"Authorization", "X-Auth-Key"} {
		v := r.Header.Get(h)
		_, tok, _ := strings.Cut(v, " ")
		f.Note(v, tok)
	}
	if authz := r.Header.Get("Authorization"); authz != "" {
		tok, found := strings.CutPrefix(authz, "Bearer ")
		return check(w, found && wellFormed(tok), http.StatusBadRequest, errBadHeaders(errBadAuthzHeader)) &&
			check(w, tok == Token, http.StatusForbidden, errBadToken)
	}
	key, email := r.Header.Get("X-Auth-Key"), r.Header.Get("X-Auth-Email")
	if !check(w, key != "" || email != "", http.StatusBadRequest, errMissingAuth) {
		return false
	}
	var bad []apiError
	if at := strings.IndexByte(email, '@'); at <= 0 || !wellFormed(email) {
		bad = append(bad, errBadEmailHeader)
	}
	if strings.Trim(key, "0123456789abcdef") != "" || len(key) != len(APIKey) {
		bad = append(bad, errBadKeyHeader)
	}
	return check(w, len(bad) == 0, http.StatusBadRequest, errBadHeaders(bad...)) &&
		check(w, key == APIKey && strings.EqualFold(email, Email), http.StatusForbidden, errUnknownKey)
}

// check answers status with e unless good, and returns good.
func check(w http.ResponseWriter, good bool, status int, e apiError) bool {
	if !good {
		fail(w, status, e)
	}
	return good
}

// wellFormed reports whether s is a non-empty header value of printable
// ASCII without spaces.
func wellFormed(s string) bool {
	return s != "" && strings.IndexFunc(s, func(c rune) bool { return c < 0x21 || c > 0x7e }) < 0
}

// Fault answers as Cloudflare does when throttling (429 with Retry-After),
// failing (5xx), refusing a token (401) or not finding a zone (an empty
// zone list, 7003 elsewhere).
func (f *Fake) Fault(w http.ResponseWriter, r *http.Request, fault providertest.Fault, op string) bool {
	switch fault {
	case providertest.FaultRateLimited, providertest.FaultRateLimitedNoRetryAfter:
		if fault == providertest.FaultRateLimited {
			w.Header().Set("Retry-After", strconv.Itoa(RetryAfter))
		}
		fail(w, http.StatusTooManyRequests, errThrottled)
	case providertest.FaultServerError, providertest.FaultHTTP500:
		fail(w, http.StatusInternalServerError, errInternal)
	case providertest.FaultHTTP502:
		fail(w, http.StatusBadGateway, errBadGateway)
	case providertest.FaultHTTP503:
		fail(w, http.StatusServiceUnavailable, errUnavailable)
	case providertest.FaultAuthRejected:
		fail(w, http.StatusUnauthorized, errAuthentication)
	case providertest.FaultZoneNotFound:
		if op == "listZones" {
			ok(w, []any{}, map[string]int{"page": 1, "per_page": zonesDefaultPerPage, "count": 0, "total_count": 0, "total_pages": 1})
			return true
		}
		fail(w, http.StatusNotFound, errNoObject("/"+strings.Trim(r.URL.Path, "/")), errNoRoute)
	default:
		return false
	}
	return true
}

// Serve answers an authenticated request.
func (f *Fake) Serve(w http.ResponseWriter, r *http.Request, op string, body []byte) {
	path := "/" + strings.Trim(r.URL.Path, "/")
	parts := append(strings.Split(path[1:], "/"), "", "", "") // no index out of range below
	z := f.Store.ZoneByID(parts[1])
	switch {
	case op == "listZones":
		f.listZones(w, r)
	case op == "" && parts[0] == "zones":
		fail(w, http.StatusMethodNotAllowed, errBadMethod)
	case op == "" || z == nil:
		fail(w, http.StatusBadRequest, errNoObject(path), errNoRoute)
	case op == "getZone":
		ok(w, wireZone(z), nil)
	case op == "listRecords":
		f.listRecords(w, r, z)
	case op == "create":
		f.write(w, r, z, nil, body)
	case op == "batch":
		f.batch(w, z, body)
	case z.Record(parts[3]) == nil:
		fail(w, http.StatusNotFound, errNoRecord)
	case op == "getRecord":
		ok(w, wire(z, z.Record(parts[3])), nil)
	case op == "update":
		f.write(w, r, z, z.Record(parts[3]), body)
	case op == "delete":
		z.Remove(parts[3])
		ok(w, map[string]string{"id": parts[3]}, nil)
	}
}

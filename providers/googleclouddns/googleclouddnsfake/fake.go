// Package googleclouddnsfake is a fake Google Cloud DNS API for tests, on
// the kit in providers/providertest, with the two ways Google hands out
// access tokens. It speaks the wire formats of:
//
//   - Cloud DNS v1 (https://cloud.google.com/dns/docs/reference/rest/v1):
//     GET /dns/v1/projects/{project}/managedZones (?dnsName, paginated by
//     pageToken and maxResults), GET .../managedZones/{zone}/rrsets (?name,
//     ?type, paginated) and POST .../managedZones/{zone}/changes, whose
//     deletions must match the sets exactly (else 412 conditionNotMet) and
//     whose additions must not exist (else 409 alreadyExists), applied whole
//     or not at all; TXT data in quotes; errors in Google's format
//     (https://cloud.google.com/apis/design/errors).
//   - the OAuth 2.0 token endpoint for service accounts
//     (https://developers.google.com/identity/protocols/oauth2/service-account#httprest):
//     POST /token with a JWT bearer assertion, whose RS256 signature the fake
//     checks with the service account's public key.
//   - the metadata server of GKE workload identity
//     (https://cloud.google.com/compute/docs/metadata/querying-metadata):
//     GET /computeMetadata/v1/instance/service-accounts/default/token and
//     /computeMetadata/v1/project/project-id, with "Metadata-Flavor: Google".
//
// DNS requests must carry an access token one of the two issued.
package googleclouddnsfake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// Fake is a running fake Cloud DNS API, token endpoint and metadata server.
type Fake struct {
	providertest.Fake[struct{}]
	// private are the zones (by name) whose visibility is private.
	private map[string]bool
	// tokens are the access tokens issued, and whether the metadata
	// server issued them.
	tokens      map[string]bool
	ambientSeen bool
	changes     int
}

// New starts a fake holding the named public zones; it stops when t ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{private: map[string]bool{}, tokens: map[string]bool{}}
	f.Store.RecordIDOf = providertest.SetRecordID[struct{}]
	f.Store.ZoneID = func(name string, n int) string { return "zone-" + strings.ReplaceAll(name, ".", "-") }
	f.Companions = true
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// AddPrivateZone adds a zone whose visibility is private.
func (f *Fake) AddPrivateZone(name string) providers.Zone {
	z := f.AddZone(name)
	f.Lock()
	defer f.Unlock()
	f.private[z.Name] = true
	return z
}

// AmbientSeen reports whether a DNS request carried a token the metadata
// server issued.
func (f *Fake) AmbientSeen() bool {
	f.Lock()
	defer f.Unlock()
	return f.ambientSeen
}

type wire struct{ f *Fake }

// dnsPath splits /dns/v1/projects/{project}/managedZones/{zone}/{what}.
func dnsPath(r *http.Request) (project, zone, what string, ok bool) {
	rest, found := strings.CutPrefix(r.URL.Path, "/dns/v1/projects/")
	if !found {
		return "", "", "", false
	}
	parts := strings.Split(rest, "/")
	for i := range parts {
		parts[i], _ = url.PathUnescape(parts[i])
	}
	if len(parts) < 2 || parts[1] != "managedZones" {
		return parts[0], "", "", true
	}
	project = parts[0]
	if len(parts) >= 3 {
		zone = parts[2]
	}
	if len(parts) >= 4 {
		what = parts[3]
	}
	return project, zone, what, true
}

func (w wire) Operation(r *http.Request, _ []byte) (string, bool) {
	switch p := r.URL.Path; {
	case p == "/token":
		return "token", false
	case strings.HasSuffix(p, "/service-accounts/default/token"):
		return "metadataToken", false
	case strings.HasPrefix(p, "/computeMetadata/"):
		return "metadata", false
	}
	_, zone, what, _ := dnsPath(r)
	switch {
	case zone == "":
		return "listZones", false
	case what == "rrsets":
		return "listRRSets", false
	case what == "changes" && r.Method == http.MethodPost:
		return "createChange", true
	}
	return "unknown", false
}

func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, body []byte) bool {
	f := w.f
	switch op, _ := w.Operation(r, body); op {
	case "token":
		form, _ := url.ParseQuery(string(body))
		f.Note(form.Get("assertion"))
		return true // checked by Serve, as the token endpoint answers in OAuth's format
	case "metadataToken", "metadata":
		if r.Header.Get("Metadata-Flavor") != "Google" {
			rw.WriteHeader(http.StatusForbidden)
			_, _ = rw.Write([]byte("Missing Metadata-Flavor:Google header.\n"))
			return false
		}
		return true
	}
	auth := r.Header.Get("Authorization")
	tok := strings.TrimPrefix(auth, "Bearer ")
	f.Note(auth, tok)
	ambient, ok := f.tokens[tok]
	if !ok || !strings.HasPrefix(auth, "Bearer ") {
		writeError(rw, http.StatusUnauthorized, "UNAUTHENTICATED", "authError",
			"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
		return false
	}
	f.ambientSeen = f.ambientSeen || ambient
	return true
}

func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	if strings.HasPrefix(op, "metadata") || (op == "token" && f != providertest.FaultAuthRejected && f != providertest.FaultServerError) {
		return false // the faults are the DNS API's
	}
	switch f {
	case providertest.FaultRateLimited, providertest.FaultRateLimitedNoRetryAfter:
		writeError(rw, http.StatusTooManyRequests, "RESOURCE_EXHAUSTED", "rateLimitExceeded",
			"Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service 'dns.googleapis.com'.")
	case providertest.FaultServerError, providertest.FaultHTTP500:
		if op == "token" {
			writeJSON(rw, http.StatusInternalServerError, map[string]string{"error": "internal_failure", "error_description": "Backend Error"})
			return true
		}
		writeError(rw, http.StatusInternalServerError, "INTERNAL", "internalError", "Internal error encountered.")
	case providertest.FaultHTTP502:
		writeError(rw, http.StatusBadGateway, "UNAVAILABLE", "backendError", "Bad Gateway")
	case providertest.FaultHTTP503:
		writeError(rw, http.StatusServiceUnavailable, "UNAVAILABLE", "backendError", "The service is currently unavailable.")
	case providertest.FaultAuthRejected:
		if op == "token" {
			writeJSON(rw, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "Invalid grant: account not found"})
			return true
		}
		writeError(rw, http.StatusForbidden, "PERMISSION_DENIED", "forbidden", "Forbidden")
	case providertest.FaultZoneNotFound:
		if op == "listZones" {
			writeJSON(rw, http.StatusOK, map[string]any{"kind": "dns#managedZonesListResponse", "managedZones": []any{}})
			return true
		}
		writeError(rw, http.StatusNotFound, "NOT_FOUND", "notFound", "The 'parameters.managedZone' resource named 'unknown' does not exist.")
	case providertest.FaultEndlessPages:
		if op != "listZones" && op != "listRRSets" {
			return false
		}
		q := r.URL.Query()
		q.Del("pageToken")
		r.URL.RawQuery = q.Encode()
		w.list(rw, r, op, true)
	default:
		return false
	}
	return true
}

func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	f := w.f
	switch op {
	case "token":
		form, _ := url.ParseQuery(string(body))
		if form.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
			writeJSON(rw, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type", "error_description": "Invalid grant_type: " + form.Get("grant_type")})
			return
		}
		c, refused := verifyAssertion(form.Get("assertion"), "http://"+r.Host+"/token")
		if refused != "" {
			writeJSON(rw, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": string(refused)})
			return
		}
		if !strings.Contains(" "+c.Scope+" ", " https://www.googleapis.com/auth/ndev.clouddns.readwrite ") {
			writeJSON(rw, http.StatusBadRequest, map[string]string{"error": "invalid_scope", "error_description": "Invalid OAuth scope or ID token audience provided."})
			return
		}
		w.issue(rw, false)
		return
	case "metadataToken":
		w.issue(rw, true)
		return
	case "metadata":
		switch r.URL.Path {
		case "/computeMetadata/v1/project/project-id":
			rw.Header().Set("Metadata-Flavor", "Google")
			_, _ = rw.Write([]byte(Project))
		default:
			rw.WriteHeader(http.StatusNotFound)
		}
		return
	}
	project, zoneID, _, _ := dnsPath(r)
	if project != Project {
		writeError(rw, http.StatusForbidden, "PERMISSION_DENIED", "forbidden", "The caller does not have permission")
		return
	}
	if op == "listZones" {
		w.list(rw, r, op, false)
		return
	}
	z := f.Store.ZoneByID(zoneID)
	if z == nil {
		writeError(rw, http.StatusNotFound, "NOT_FOUND", "notFound", fmt.Sprintf("The 'parameters.managedZone' resource named '%s' does not exist.", zoneID))
		return
	}
	switch op {
	case "listRRSets":
		w.list(rw, r, op, false)
	case "createChange":
		w.change(rw, z, body)
	default:
		writeError(rw, http.StatusNotFound, "NOT_FOUND", "notFound", "Not Found")
	}
}

// issue answers a token request with a new access token.
func (w wire) issue(rw http.ResponseWriter, ambient bool) {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	tok := "ya29.c." + hex.EncodeToString(b)
	if ambient {
		tok = "ya29.metadata." + hex.EncodeToString(b)
	}
	w.f.tokens[tok] = ambient
	w.f.Note(tok)
	writeJSON(rw, http.StatusOK, map[string]any{"access_token": tok, "expires_in": 3599, "token_type": "Bearer"})
}

// list serves a page of managed zones or record sets; pageToken is the
// offset, and when endless every page is the first with a next one.
func (w wire) list(rw http.ResponseWriter, r *http.Request, op string, endless bool) {
	q := r.URL.Query()
	var items []any
	kind, key := "dns#managedZonesListResponse", "managedZones"
	if op == "listZones" {
		for _, z := range w.f.Store.Zones() {
			if dn := q.Get("dnsName"); dn == "" || providers.CanonicalName(dn) == z.Name {
				items = append(items, w.zoneJSON(z))
			}
		}
	} else {
		kind, key = "dns#resourceRecordSetsListResponse", "rrsets"
		_, zoneID, _, _ := dnsPath(r)
		if z := w.f.Store.ZoneByID(zoneID); z != nil {
			for _, set := range sets(z, q.Get("name"), q.Get("type")) {
				items = append(items, rrsetJSON(set))
			}
		}
	}
	offset, _ := strconv.Atoi(q.Get("pageToken"))
	size, _ := strconv.Atoi(q.Get("maxResults"))
	if size <= 0 || size > w.f.PageSize {
		size = w.f.PageSize
	}
	out := map[string]any{"kind": kind}
	if page := providertest.Slice(items, offset, size); len(page) > 0 {
		out[key] = page
	}
	if endless {
		out["nextPageToken"] = "0"
	} else if offset+size < len(items) {
		out["nextPageToken"] = strconv.Itoa(offset + size)
	}
	writeJSON(rw, http.StatusOK, out)
}

func (w wire) zoneJSON(z *providertest.Zone[struct{}]) map[string]any {
	vis := "public"
	if w.f.private[z.Name] {
		vis = "private"
	}
	return map[string]any{"kind": "dns#managedZone", "name": z.ID, "dnsName": z.Name + ".", "id": "4711" + strconv.Itoa(len(z.ID)),
		"visibility": vis, "description": "", "nameServers": []string{"ns-cloud-a1.googledomains.com."}}
}

func rrsetJSON(s providers.RecordSet) map[string]any {
	data := s.Addresses()
	if s.Type == "TXT" {
		for i, v := range data {
			data[i] = providers.QuoteTXT(v)
		}
	}
	return map[string]any{"kind": "dns#resourceRecordSet", "name": s.Name + ".", "type": s.Type, "ttl": s.TTL, "rrdatas": data}
}

func writeError(rw http.ResponseWriter, status int, canonical, reason, message string) {
	writeJSON(rw, status, map[string]any{"error": map[string]any{"code": status, "message": message, "status": canonical,
		"errors": []map[string]string{{"message": message, "domain": "global", "reason": reason}}}})
}

func writeJSON(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", "application/json; charset=UTF-8")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(v)
}

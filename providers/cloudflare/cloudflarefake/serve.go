package cloudflarefake

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// serve routes one request: count it, apply a fault, authenticate, then
// dispatch on method and path.
func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	path := "/" + strings.Trim(r.URL.Path, "/")
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	op := operation(r.Method, parts)

	f.mu.Lock()
	f.counts["all"]++
	if op != "" {
		f.counts[op]++
	}
	f.noteCredentials(r)
	fault := f.fault
	f.mu.Unlock()
	if providertest.ServeWireFault(w, r, fault) {
		return
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	if f.serveFault(w, r, fault, op) {
		return
	}
	if status, e, ok := authenticate(r); !ok {
		fail(w, status, e)
		return
	}
	if fault == providertest.FaultLostResponse && (op == "create" || op == "update" || op == "delete" || op == "batch") {
		providertest.LoseResponse(w, func(rec http.ResponseWriter) { f.route(rec, r, op, path, parts) })
		return
	}
	f.route(w, r, op, path, parts)
}

// route dispatches an authenticated request on its operation.
func (f *Fake) route(w http.ResponseWriter, r *http.Request, op, path string, parts []string) {

	switch op {
	case "listZones":
		f.listZones(w, r)
	case "getZone":
		f.getZone(w, path, parts[1])
	case "listRecords", "create", "getRecord", "update", "delete", "batch":
		z := f.zoneByID(parts[1])
		if z == nil {
			fail(w, http.StatusBadRequest, errNoObject(path), errNoRoute)
			return
		}
		f.serveRecords(w, r, op, z, parts)
	case "":
		if len(parts) >= 1 && parts[0] == "zones" {
			fail(w, http.StatusMethodNotAllowed, errBadMethod)
			return
		}
		fail(w, http.StatusBadRequest, errNoObject(path), errNoRoute)
	}
}

func (f *Fake) serveRecords(w http.ResponseWriter, r *http.Request, op string, z *zone, parts []string) {
	switch op {
	case "listRecords":
		f.listRecords(w, r, z)
	case "create":
		f.createRecord(w, r, z)
	case "batch":
		f.batch(w, r, z)
	default:
		rec := z.record(parts[3])
		if rec == nil {
			fail(w, http.StatusNotFound, errNoRecord)
			return
		}
		switch op {
		case "getRecord":
			ok(w, wire(z, rec), nil)
		case "update":
			f.updateRecord(w, r, z, rec)
		case "delete":
			f.deleteRecord(w, z, rec)
		}
	}
}

// operation names the API call of method and path parts ("" if none).
func operation(method string, parts []string) string {
	if len(parts) == 0 || parts[0] != "zones" {
		return ""
	}
	switch {
	case len(parts) == 1 && method == http.MethodGet:
		return "listZones"
	case len(parts) == 2 && method == http.MethodGet:
		return "getZone"
	case len(parts) == 3 && parts[2] == "dns_records":
		switch method {
		case http.MethodGet:
			return "listRecords"
		case http.MethodPost:
			return "create"
		}
	case len(parts) == 4 && parts[2] == "dns_records" && parts[3] == "batch" && method == http.MethodPost:
		return "batch"
	case len(parts) == 4 && parts[2] == "dns_records":
		switch method {
		case http.MethodGet:
			return "getRecord"
		case http.MethodPatch, http.MethodPut:
			return "update"
		case http.MethodDelete:
			return "delete"
		}
	}
	return ""
}

// authenticate checks the request's credentials as Cloudflare does: a
// Bearer token in Authorization wins; otherwise X-Auth-Key and X-Auth-Email
// must both be present, well-formed and match. It returns the HTTP status
// and error of a rejection.
func authenticate(r *http.Request) (int, apiError, bool) {
	if authz := r.Header.Get("Authorization"); authz != "" {
		tok, found := strings.CutPrefix(authz, "Bearer ")
		if !found || !wellFormed(tok) {
			return http.StatusBadRequest, errBadHeaders(errBadAuthzHeader), false
		}
		if tok != Token {
			return http.StatusForbidden, errBadToken, false
		}
		return 0, apiError{}, true
	}
	key, email := r.Header.Get("X-Auth-Key"), r.Header.Get("X-Auth-Email")
	if key == "" && email == "" {
		return http.StatusBadRequest, errMissingAuth, false
	}
	var bad []apiError
	if at := strings.IndexByte(email, '@'); at <= 0 || !wellFormed(email) {
		bad = append(bad, errBadEmailHeader)
	}
	if !isHex(key) || len(key) != len(APIKey) {
		bad = append(bad, errBadKeyHeader)
	}
	if len(bad) > 0 {
		return http.StatusBadRequest, errBadHeaders(bad...), false
	}
	if key != APIKey || !strings.EqualFold(email, Email) {
		return http.StatusForbidden, errUnknownKey, false
	}
	return 0, apiError{}, true
}

func wellFormed(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return s != ""
}

// paginate cuts items to the page asked for. per_page is bounded by the
// endpoint's documented range [lo, hi] and then by the fake's page size.
// With endless set (FaultEndlessPages) it serves the first page whatever
// was asked and claims one more page after it.
func paginate[T any](r *http.Request, items []T, def, lo, hi, cap int, endless bool) ([]T, *resultInfo) {
	page := atoiDefault(r.URL.Query().Get("page"), 1)
	if page < 1 {
		page = 1
	}
	asked := page
	if endless {
		page = 1
	}
	per := atoiDefault(r.URL.Query().Get("per_page"), def)
	per = min(max(per, lo), hi, cap)
	total := len(items)
	pages := max((total+per-1)/per, 1) // an empty list still has one (empty) page
	start := min((page-1)*per, total)
	end := min(start+per, total)
	out := items[start:end]
	if endless {
		return out, &resultInfo{Page: asked, PerPage: per, Count: len(out), TotalCount: providertest.EndlessTotal, TotalPages: asked + 1}
	}
	return out, &resultInfo{Page: page, PerPage: per, Count: len(out), TotalCount: total, TotalPages: pages}
}

func atoiDefault(s string, def int) int {
	if s == "" {
		return def
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return def
	}
	return int(n)
}

// serveFault answers as a provider-level fault says (the wire-level ones
// are served before the lock is taken) and reports whether it answered.
func (f *Fake) serveFault(w http.ResponseWriter, r *http.Request, fault providertest.Fault, op string) bool {
	switch fault {
	case providertest.FaultRateLimited, providertest.FaultRateLimitedNoRetryAfter:
		if f.retryAfter > 0 && fault == providertest.FaultRateLimited {
			w.Header().Set("Retry-After", strconv.Itoa(f.retryAfter))
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
			ok(w, []wireZone{}, &resultInfo{Page: 1, PerPage: zonesDefaultPerPage, TotalPages: 1})
			return true
		}
		fail(w, http.StatusNotFound, errNoObject("/"+strings.Trim(r.URL.Path, "/")), errNoRoute)
	default:
		return false
	}
	return true
}

// noteCredentials keeps the credential material a request carried, for
// tests that check it never reaches a log, event or status.
func (f *Fake) noteCredentials(r *http.Request) {
	for _, h := range []string{"Authorization", "X-Auth-Key"} {
		if v := r.Header.Get(h); v != "" {
			f.Note(v)
			if _, tok, found := strings.Cut(v, " "); found {
				f.Note(tok)
			}
		}
	}
}

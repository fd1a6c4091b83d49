// Package route53fake is a fake Amazon Route 53 API for tests, on the kit
// in providers/providertest, with the two credential endpoints a pod's AWS
// identity comes from. It speaks the wire formats of:
//
//   - Route 53's REST-XML API 2013-04-01
//     (https://docs.aws.amazon.com/Route53/latest/APIReference/):
//     ListHostedZones (GET /2013-04-01/hostedzone, marker and maxitems),
//     GetHostedZone, ListResourceRecordSets (GET .../hostedzone/{Id}/rrset,
//     from name and type, sets ordered by name with its labels reversed,
//     then type) and ChangeResourceRecordSets (POST .../rrset), applied
//     whole or refused with InvalidChangeBatch, within the request's limits
//     of 1,000 record elements and 32,000 characters (an UPSERT counting
//     twice); errors as <ErrorResponse>; every request signed with
//     Signature Version 4, which the fake recomputes with the key's secret
//     (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html);
//     with EnforceRate, the account limit of five requests a second,
//     answered with Throttling;
//   - STS AssumeRoleWithWebIdentity (POST / with Action=...,
//     https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html),
//     the exchange behind IRSA, checking the role and the token;
//   - the EC2 instance metadata service, IMDSv2 (PUT /latest/api/token, GET
//     /latest/meta-data/iam/security-credentials/[role],
//     https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-security-credentials.html).
//
// Both credential endpoints issue temporary keys the Route 53 API then
// accepts with their session token.
package route53fake

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// The long-term access key the fake accepts, and the IRSA set-up.
const (
	AccessKeyID      = "AKIAZ7DDNSOPERATOR01"
	SecretAccessKey  = "kJ8/9dDnSoPeRaToRfAkEsEcReTkEy0123456789"
	RoleARN          = "arn:aws:iam::123456789012:role/ddns-operator"
	WebIdentityToken = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImRkbnMifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGRuczpkZG5zLW9wZXJhdG9yIn0.c2lnbmF0dXJl"
	InstanceRole     = "ddns-node-role"
)

// Fake is a running fake Route 53 API, STS and instance metadata service.
type Fake struct {
	providertest.Fake[struct{}]

	private map[string]bool // zone names whose hosted zone is private
	keys    map[string]key  // access key ID -> key
	issued  int
	imdsTok string

	enforceRate  bool
	times        []time.Time // of every Route 53 request
	throttled    int
	ambientSeen  bool
	stsRequests  int
	imdsRequests int
	changes      int
	timesMu      sync.Mutex
}

// key is an access key the fake accepts.
type key struct {
	secret, token string
	ambient       bool
}

// New starts a fake holding the named public hosted zones; it stops when t
// ends.
func New(t testing.TB, zones ...string) *Fake {
	f := &Fake{private: map[string]bool{}, keys: map[string]key{AccessKeyID: {secret: SecretAccessKey}}}
	f.Store.RecordIDOf = providertest.SetRecordID[struct{}]
	f.Store.ZoneID = func(_ string, n int) string { return fmt.Sprintf("Z%019dDDNS", n) }
	f.Companions = true
	f.PageSize = 5
	f.Start(t, wire{f})
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// AddPrivateZone adds a private hosted zone.
func (f *Fake) AddPrivateZone(name string) string {
	z := f.AddZone(name)
	f.Lock()
	defer f.Unlock()
	f.private[z.Name] = true
	return z.ID
}

// EnforceRate makes the fake refuse, with Throttling, a Route 53 request
// that would be the sixth within a second, as Route 53 does.
func (f *Fake) EnforceRate(on bool) {
	f.Lock()
	defer f.Unlock()
	f.enforceRate = on
}

// Throttled counts the requests refused for the rate.
func (f *Fake) Throttled() int {
	f.Lock()
	defer f.Unlock()
	return f.throttled
}

// MaxPerSecond is the most Route 53 requests the fake received within any
// one second.
func (f *Fake) MaxPerSecond() int {
	f.timesMu.Lock()
	defer f.timesMu.Unlock()
	most := 0
	for i := range f.times {
		n := 0
		for j := i; j < len(f.times) && f.times[j].Sub(f.times[i]) < time.Second; j++ {
			n++
		}
		most = max(most, n)
	}
	return most
}

// AmbientSeen reports whether a Route 53 request was signed with a key
// STS or the instance metadata service issued.
func (f *Fake) AmbientSeen() bool {
	f.Lock()
	defer f.Unlock()
	return f.ambientSeen
}

// CredentialRequests counts the requests to STS and to the instance
// metadata service.
func (f *Fake) CredentialRequests() (sts, imds int) {
	f.Lock()
	defer f.Unlock()
	return f.stsRequests, f.imdsRequests
}

// issue makes a temporary key. Caller holds the lock.
func (f *Fake) issue() (id string, k key) {
	f.issued++
	id = fmt.Sprintf("ASIAZ7DDNSTEMP%06d", f.issued)
	k = key{secret: fmt.Sprintf("tEmPsEcReT/%029d", f.issued), token: fmt.Sprintf("IQoJb3JpZ2luX2VjEDDNS%040d", f.issued), ambient: true}
	f.keys[id] = k
	f.Note(k.secret, k.token)
	return id, k
}

type wire struct{ f *Fake }

// zonePath splits /2013-04-01/hostedzone/{id}/{what}.
func zonePath(r *http.Request) (id, what string, ok bool) {
	rest, found := strings.CutPrefix(r.URL.Path, "/2013-04-01/hostedzone")
	if !found {
		return "", "", false
	}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	if len(parts) >= 1 {
		id, _ = url.PathUnescape(parts[0])
	}
	if len(parts) >= 2 {
		what = parts[1]
	}
	return id, what, true
}

func (w wire) Operation(r *http.Request, body []byte) (string, bool) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/latest/"):
		return "imds", false
	case r.URL.Path == "/" && r.Method == http.MethodPost:
		return "sts", false
	}
	id, what, ok := zonePath(r)
	switch {
	case !ok:
		return "unknown", false
	case id == "":
		return "ListHostedZones", false
	case what == "":
		return "GetHostedZone", false
	case r.Method == http.MethodPost:
		return "ChangeResourceRecordSets", true
	}
	return "ListResourceRecordSets", false
}

func (w wire) Authenticate(rw http.ResponseWriter, r *http.Request, body []byte) bool {
	f := w.f
	op, _ := w.Operation(r, body)
	switch op {
	case "sts":
		f.stsRequests++
		form, _ := url.ParseQuery(string(body))
		f.Note(form.Get("WebIdentityToken"))
		return true // unsigned: the web identity token is the credential
	case "imds":
		f.imdsRequests++
		return true
	}
	auth := r.Header.Get("Authorization")
	s, ok := parseSigV4(auth)
	f.Note(auth, s.signature, r.Header.Get("X-Amz-Security-Token"))
	if !ok {
		writeError(rw, http.StatusForbidden, "MissingAuthenticationToken", "Missing Authentication Token")
		return false
	}
	k, known := f.keys[s.accessKey]
	switch {
	case !known:
		writeError(rw, http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid.")
		return false
	case s.service != "route53" || s.region != "us-east-1":
		writeError(rw, http.StatusForbidden, "SignatureDoesNotMatch", "Credential should be scoped to a valid region and to the route53 service.")
		return false
	case k.token != r.Header.Get("X-Amz-Security-Token"):
		writeError(rw, http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid.")
		return false
	}
	if why := verifySigV4(r, body, s, k.secret, time.Now()); why != "" {
		writeError(rw, http.StatusForbidden, "SignatureDoesNotMatch", why)
		return false
	}
	f.ambientSeen = f.ambientSeen || k.ambient
	if over := w.record(); f.enforceRate && over {
		f.throttled++
		writeError(rw, http.StatusBadRequest, "Throttling", "Rate exceeded")
		return false
	}
	return true
}

// record notes the time of a Route 53 request and reports whether it is
// the sixth within a second.
func (w wire) record() bool {
	f := w.f
	f.timesMu.Lock()
	defer f.timesMu.Unlock()
	now := time.Now()
	n := 0
	for i := len(f.times) - 1; i >= 0 && now.Sub(f.times[i]) < time.Second; i-- {
		n++
	}
	f.times = append(f.times, now)
	return n >= 5
}

func (w wire) Fault(rw http.ResponseWriter, r *http.Request, f providertest.Fault, op string) bool {
	if op == "sts" || op == "imds" {
		return false // the faults are Route 53's
	}
	switch f {
	case providertest.FaultRateLimited, providertest.FaultRateLimitedNoRetryAfter:
		writeError(rw, http.StatusBadRequest, "Throttling", "Rate exceeded")
	case providertest.FaultServerError, providertest.FaultHTTP500:
		writeErrorType(rw, http.StatusInternalServerError, "Receiver", "InternalFailure", "An internal error occurred.")
	case providertest.FaultHTTP502:
		writeErrorType(rw, http.StatusBadGateway, "Receiver", "BadGateway", "Bad Gateway")
	case providertest.FaultHTTP503:
		writeErrorType(rw, http.StatusServiceUnavailable, "Receiver", "ServiceUnavailable", "Service is unavailable. Please try again later.")
	case providertest.FaultAuthRejected:
		writeError(rw, http.StatusForbidden, "AccessDenied", "User: arn:aws:iam::123456789012:user/ddns is not authorized to perform: route53:"+op)
	case providertest.FaultZoneNotFound:
		if op == "ListHostedZones" {
			writeXML(rw, http.StatusOK, listHostedZonesXML{NS: ns, MaxItems: 100})
			return true
		}
		id, _, _ := zonePath(r)
		writeError(rw, http.StatusNotFound, "NoSuchHostedZone", "No hosted zone found with ID: "+id)
	case providertest.FaultEndlessPages:
		if op != "ListHostedZones" && op != "ListResourceRecordSets" {
			return false
		}
		q := r.URL.Query()
		for _, k := range []string{"marker", "name", "type", "identifier"} {
			q.Del(k)
		}
		r.URL.RawQuery = q.Encode()
		if op == "ListHostedZones" {
			w.listZones(rw, r, true)
		} else {
			w.listSets(rw, r, true)
		}
	default:
		return false
	}
	return true
}

func (w wire) Serve(rw http.ResponseWriter, r *http.Request, op string, body []byte) {
	switch op {
	case "sts":
		w.sts(rw, body)
	case "imds":
		w.imds(rw, r)
	case "ListHostedZones":
		w.listZones(rw, r, false)
	case "GetHostedZone":
		id, _, _ := zonePath(r)
		z := w.f.Store.ZoneByID(id)
		if z == nil {
			writeError(rw, http.StatusNotFound, "NoSuchHostedZone", "No hosted zone found with ID: "+id)
			return
		}
		writeXML(rw, http.StatusOK, getHostedZoneXML{NS: ns, HostedZone: w.zoneXML(z),
			NameServers: []string{"ns-2048.awsdns-64.com", "ns-2049.awsdns-65.net"}})
	case "ListResourceRecordSets":
		w.listSets(rw, r, false)
	case "ChangeResourceRecordSets":
		w.change(rw, r, body)
	default:
		writeError(rw, http.StatusNotFound, "UnknownOperationException", "Unknown operation")
	}
}

// listZones serves a page of hosted zones: marker is the first zone's
// ID, and when endless every page is the first with more to come.
func (w wire) listZones(rw http.ResponseWriter, r *http.Request, endless bool) {
	zones := w.f.Store.Zones()
	q := r.URL.Query()
	start := 0
	if m := q.Get("marker"); m != "" {
		for i, z := range zones {
			if z.ID == m {
				start = i
			}
		}
	}
	size, _ := strconv.Atoi(q.Get("maxitems"))
	if size <= 0 || size > w.f.PageSize {
		size = w.f.PageSize
	}
	out := listHostedZonesXML{NS: ns, MaxItems: size, Marker: q.Get("marker")}
	for _, z := range providertest.Slice(zones, start, size) {
		out.HostedZones = append(out.HostedZones, w.zoneXML(z))
	}
	if endless && len(zones) > 0 {
		out.IsTruncated, out.NextMarker = true, zones[0].ID
	} else if start+size < len(zones) {
		out.IsTruncated, out.NextMarker = true, zones[start+size].ID
	}
	writeXML(rw, http.StatusOK, out)
}

func (w wire) zoneXML(z *providertest.Zone[struct{}]) hostedZoneXML {
	return hostedZoneXML{ID: "/hostedzone/" + z.ID, Name: z.Name + ".", CallerReference: "ddns-test-" + z.ID,
		Config: configXML{PrivateZone: w.f.private[z.Name]}, ResourceRecordSetCount: len(sets(z))}
}

// writeXML answers v as Route 53 does.
func writeXML(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", "text/xml")
	rw.Header().Set("X-Amzn-Requestid", "5c9a7d4e-1f2b-4c3d-9e8f-0a1b2c3d4e5f")
	rw.WriteHeader(status)
	_, _ = rw.Write([]byte(xml.Header))
	_ = xml.NewEncoder(rw).Encode(v)
}

func writeError(rw http.ResponseWriter, status int, code, message string) {
	writeErrorType(rw, status, "Sender", code, message)
}

func writeErrorType(rw http.ResponseWriter, status int, typ, code, message string) {
	writeXML(rw, status, errorXML{NS: ns, Type: typ, Code: code, Message: message, RequestID: "5c9a7d4e-1f2b-4c3d-9e8f-0a1b2c3d4e5f"})
}

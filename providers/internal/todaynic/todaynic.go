// Package todaynic is the DNS API that the registrars of the Todaynic
// platform share: 时代互联 Now.cn (https://api.now.cn), its international
// brand Eranet (https://www.eranet.com) and TNet (https://www.tnet.hk). The
// providers nowcn, eranet and tnethk are this package with their own
// endpoint and name (Site).
//
// The API is an Alibaba-Cloud-RPC-like signed query API
// (https://www.todaynic.com/docApi/, as ddns-go's dns/nowcn.go,
// dns/eranet.go and dns/tnethk.go call it):
//
//	GET /api/Dns/DescribeRecordIndex?Domain=&Host=&Type=   the domain's records (filters optional)
//	GET /api/Dns/AddDomainRecord?Domain=&Host=&Type=&Value=&Ttl=
//	GET /api/Dns/UpdateDomainRecord?Id=&Domain=&Host=&Type=&Value=&Ttl=
//	GET /api/Dns/DeleteDomainRecord?Id=&Domain=
//
// each carrying AccessInstanceID (the account's API user ID),
// SignatureMethod=HMAC-SHA1, SignatureNonce, Timestamp and Signature, the
// Base64 HMAC-SHA1 of "GET&%2F&" and the escaped canonical query under
// the API key and "&" (signing.RPCSignature). Answers are JSON:
// {"RequestId", "Id", "Data": [records], "error": "..."}, a refusal
// being a non-empty "error".
//
// The API has no call that lists the account's domains, so FindZone asks
// for the records of each suffix of the name in turn (the spec's zone
// first when it sets one) until the API knows one as a domain. A record
// has no remark field: the ownership marker lives in a companion TXT
// record (package companion).
package todaynic

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/companion"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
	"github.com/ddns-operator/ddns-operator/providers/internal/signing"
)

// Secret keys the providers read, named as ddns-go's form labels them.
const (
	// UserIDKey holds the API user ID (auth-userid), sent as
	// AccessInstanceID.
	UserIDKey = "authUserId"
	// APIKeyKey holds the API key (api-key) that signs requests.
	APIKeyKey = "apiKey"
)

// DefaultTTL is the TTL a record gets when the spec sets none, as ddns-go
// creates them.
const DefaultTTL = 600

// Site is one registrar of the platform.
type Site struct {
	// Name is the provider's spec.provider value; Title its name as
	// users know it.
	Name, Title string
	// Endpoint is the site's API base URL.
	Endpoint string
}

// Descriptor declares the provider for site s to the registry.
func Descriptor(s Site) providers.Descriptor {
	return providers.Descriptor{
		Name:  s.Name,
		Title: s.Title,
		Keys: []providers.SecretKey{
			{Name: UserIDKey, Help: "the API user ID (auth-userid), sent as AccessInstanceID"},
			{Name: APIKeyKey, Secret: true, Help: "the API key (api-key) that signs requests"},
		},
		// The API documentation we could read states no request limit;
		// one request a second, one at a time, as ddns-go sends them.
		Limits:     providers.Limits{Requests: 60, Per: time.Minute, Concurrency: 1},
		ZoneList:   true,
		Marker:     "companion TXT record",
		DefaultTTL: strconv.Itoa(DefaultTTL),
		New: func(env providers.Env, secret map[string][]byte, _ *v1alpha1.DynamicDNSRecordSpec) (providers.Provider, error) {
			id, err := providers.SecretValue(secret, UserIDKey)
			if err != nil {
				return nil, err
			}
			key, err := providers.SecretValue(secret, APIKeyKey)
			if err != nil {
				return nil, err
			}
			return companion.New(&api{
				name: s.Name, base: env.EndpointOr(s.Endpoint),
				id: id, key: key, ua: env.UserAgent, hc: env.HTTP(), now: time.Now,
			}, DefaultTTL), nil
		},
	}
}

// api is one account's DNS API without markers (companion.Records).
type api struct {
	name, base, id, key, ua string
	hc                      *http.Client
	now                     func() time.Time
}

// answer is the body of every answer.
type answer struct {
	RequestID string       `json:"RequestId"`
	ID        json.Number  `json:"Id"`
	Error     string       `json:"error"`
	Data      []recordJSON `json:"Data"`
}

// recordJSON is one record of DescribeRecordIndex. Go's decoder matches
// field names without regard to case, as the API's own spelling varies
// ("id" and "Domain").
type recordJSON struct {
	ID    json.Number `json:"id"`
	Host  string      `json:"Host"`
	Type  string      `json:"Type"`
	Value string      `json:"Value"`
	TTL   json.Number `json:"Ttl"`
}

// call signs and sends action with params and decodes the answer; an
// answer whose error is set is a *providers.Error built from that text.
func (a *api) call(ctx context.Context, action string, params url.Values) (answer, error) {
	op := a.name + " " + action
	q := url.Values{}
	for k, v := range params {
		q[k] = v
	}
	nonce := make([]byte, 12)
	_, _ = rand.Read(nonce)
	q.Set("AccessInstanceID", a.id)
	q.Set("SignatureMethod", "HMAC-SHA1")
	q.Set("SignatureNonce", hex.EncodeToString(nonce))
	q.Set("Timestamp", a.now().UTC().Format("2006-01-02T15:04:05Z"))
	q.Set("Signature", signing.RPCSignature(a.key, signing.RPCStringToSign(http.MethodGet, q)))
	req, err := jsonapi.NewRequest(ctx, http.MethodGet, a.base+"/api/Dns/"+action+"?"+signing.Query(q), nil)
	if err != nil {
		return answer{}, providers.Transient(op, err)
	}
	if a.ua != "" {
		req.Header.Set("User-Agent", a.ua)
	}
	resp, err := jsonapi.Do(a.hc, req, op)
	if err != nil {
		return answer{}, err
	}
	var out answer
	decodeErr := jsonapi.Decode(resp, &out, op)
	if resp.Status != http.StatusOK {
		return answer{}, statusError(resp, out, op, a.key)
	}
	if decodeErr != nil {
		return answer{}, decodeErr
	}
	if msg := strings.TrimSpace(out.Error); msg != "" {
		return answer{}, refusal(op, strings.ReplaceAll(msg, a.key, "[redacted]"))
	}
	return out, nil
}

// FindZone returns the domain that holds fqdn: hint when it is set, else
// the longest suffix of fqdn the API knows as a domain of the account,
// asking DescribeRecordIndex for each suffix down to the registrable
// domain (the API lists no domains).
func (a *api) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	fqdn = providers.CanonicalName(fqdn)
	candidates := suffixes(fqdn)
	if hint != "" {
		hint = providers.CanonicalName(hint)
		if _, ok := providers.LongestSuffixZone(fqdn, []providers.Zone{{Name: hint}}); !ok {
			return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "%s: %s is not a name in zone %s", a.name, fqdn, hint)
		}
		candidates = []string{hint}
	}
	for _, name := range candidates {
		_, err := a.call(ctx, "DescribeRecordIndex", url.Values{"Domain": {name}, "Host": {"@"}, "Type": {"A"}})
		if err == nil {
			return providers.Zone{ID: name, Name: name}, nil
		}
		if providers.KindOf(err) != providers.KindZoneNotFound {
			return providers.Zone{}, err
		}
	}
	if hint != "" {
		return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "%s: the account has no domain %s", a.name, hint)
	}
	return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "%s: no domain of the account holds %s (asked for %s)", a.name, fqdn, strings.Join(candidates, ", "))
}

// List returns the domain's records named name (every name when "") of
// type typ (every type when ""): DescribeRecordIndex, filtered by the API
// and again here.
func (a *api) List(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	q := url.Values{"Domain": {zone.Name}}
	if name != "" {
		q.Set("Host", providers.RelativeName(name, zone.Name))
	}
	if typ != "" {
		q.Set("Type", strings.ToUpper(typ))
	}
	ans, err := a.call(ctx, "DescribeRecordIndex", q)
	if err != nil {
		return nil, err
	}
	out := make([]providers.Record, 0, len(ans.Data))
	for _, r := range ans.Data {
		rec := toRecord(zone, r)
		if (name == "" || rec.Name == providers.CanonicalName(name)) && (typ == "" || strings.EqualFold(rec.Type, typ)) {
			out = append(out, rec)
		}
	}
	return out, nil
}

// Create adds r (TTL 0: DefaultTTL) and returns it with the new ID.
func (a *api) Create(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	r.Name, r.Type, r.Value = providers.CanonicalName(r.Name), strings.ToUpper(r.Type), providers.CanonicalValue(r.Value)
	if r.TTL <= 0 {
		r.TTL = DefaultTTL
	}
	ans, err := a.call(ctx, "AddDomainRecord", write(zone, r))
	if err != nil {
		return providers.Record{}, err
	}
	if id := ans.ID.String(); id != "" && id != "0" {
		r.ID = id
		return r, nil
	}
	return providers.Record{}, providers.Errorf(providers.KindTransient, "", "%s AddDomainRecord: the answer holds no record Id", a.name)
}

// Update sets the value and TTL (0: kept) of the record r.ID, read first
// for its name and type; nothing is sent when it holds both already.
func (a *api) Update(ctx context.Context, zone providers.Zone, r providers.Record) (providers.Record, error) {
	found, err := a.List(ctx, zone, r.Name, r.Type)
	if err != nil {
		return providers.Record{}, err
	}
	cur, next, changed, err := companion.Change(found, r, a.name, zone)
	if err != nil || !changed {
		return cur, err
	}
	if next.TTL <= 0 {
		// The API showed no TTL: send the default rather than none.
		next.TTL = DefaultTTL
	}
	q := write(zone, next)
	q.Set("Id", r.ID)
	if _, err := a.call(ctx, "UpdateDomainRecord", q); err != nil {
		return providers.Record{}, err
	}
	return next, nil
}

// Delete removes the record r.ID; one already gone is not an error.
func (a *api) Delete(ctx context.Context, zone providers.Zone, r providers.Record) error {
	_, err := a.call(ctx, "DeleteDomainRecord", url.Values{"Id": {r.ID}, "Domain": {zone.Name}})
	if providers.KindOf(err) == providers.KindNotFound {
		return nil
	}
	return err
}

// write is the query of AddDomainRecord and UpdateDomainRecord for r.
func write(zone providers.Zone, r providers.Record) url.Values {
	return url.Values{
		"Domain": {zone.Name}, "Host": {providers.RelativeName(r.Name, zone.Name)},
		"Type": {strings.ToUpper(r.Type)}, "Value": {r.Value}, "Ttl": {strconv.Itoa(int(r.TTL))},
	}
}

// toRecord converts a listed record of zone.
func toRecord(zone providers.Zone, r recordJSON) providers.Record {
	host := strings.TrimSpace(r.Host)
	if h := providers.CanonicalName(host); h == zone.Name || strings.HasSuffix(h, "."+zone.Name) {
		host = providers.RelativeName(h, zone.Name)
	}
	ttl, _ := strconv.Atoi(r.TTL.String())
	return providers.Record{
		ID: r.ID.String(), Name: providers.AbsoluteName(host, zone.Name), Type: strings.ToUpper(r.Type),
		Value: providers.CanonicalValue(r.Value), TTL: int32(ttl),
	}
}

// suffixes lists fqdn and its parents, longest first, down to its
// registrable domain (example.com, example.co.uk), never a bare top-level
// domain.
func suffixes(fqdn string) []string {
	fqdn = strings.TrimPrefix(fqdn, "*.")
	last, err := publicsuffix.EffectiveTLDPlusOne(fqdn)
	if err != nil {
		last = ""
	}
	var out []string
	for name := fqdn; ; {
		out = append(out, name)
		_, parent, ok := strings.Cut(name, ".")
		if name == last || !ok || !strings.Contains(parent, ".") {
			return out
		}
		name = parent
	}
}

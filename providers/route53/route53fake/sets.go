package route53fake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// sets are the zone's record sets in Route 53's order: by name with its
// labels reversed, then by type.
func sets(z *providertest.Zone[struct{}]) []providers.RecordSet {
	var out []providers.RecordSet
	seen := map[string]bool{}
	for _, r := range z.Records {
		if key := r.Name + " " + r.Type; !seen[key] {
			seen[key] = true
			out = append(out, z.Set(r.Name, r.Type))
		}
	}
	slices.SortFunc(out, func(a, b providers.RecordSet) int {
		if c := strings.Compare(reversed(a.Name), reversed(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.Type, b.Type)
	})
	return out
}

// reversed is name with its labels in reverse order, Route 53's sort key.
func reversed(name string) string {
	labels := strings.Split(name, ".")
	slices.Reverse(labels)
	return strings.Join(labels, ".")
}

// wireName is a name as Route 53 writes it: a trailing dot, '*' as \052.
func wireName(name string) string {
	return strings.ReplaceAll(name, "*", `\052`) + "."
}

// listSets serves a page of the zone's sets from name and type on (when
// endless, always the first page, with more to come).
func (w wire) listSets(rw http.ResponseWriter, r *http.Request, endless bool) {
	id, _, _ := zonePath(r)
	z := w.f.Store.ZoneByID(id)
	if z == nil {
		writeError(rw, http.StatusNotFound, "NoSuchHostedZone", "No hosted zone found with ID: "+id)
		return
	}
	q := r.URL.Query()
	all := sets(z)
	start := 0
	if name := q.Get("name"); name != "" {
		key := reversed(providers.CanonicalName(strings.ReplaceAll(name, `\052`, "*")))
		typ := q.Get("type")
		start = len(all)
		for i, s := range all {
			if c := strings.Compare(reversed(s.Name), key); c > 0 || (c == 0 && s.Type >= typ) {
				start = i
				break
			}
		}
	}
	size, _ := strconv.Atoi(q.Get("maxitems"))
	if size <= 0 || size > w.f.PageSize {
		size = w.f.PageSize
	}
	out := listRRSetsXML{NS: ns, MaxItems: size}
	for _, s := range providertest.Slice(all, start, size) {
		out.Sets = append(out.Sets, setXML(s))
	}
	switch {
	case endless && len(all) > 0:
		out.IsTruncated, out.NextRecordName, out.NextRecordType = true, wireName(all[0].Name), all[0].Type
	case start+size < len(all):
		next := all[start+size]
		out.IsTruncated, out.NextRecordName, out.NextRecordType = true, wireName(next.Name), next.Type
	}
	writeXML(rw, http.StatusOK, out)
}

func setXML(s providers.RecordSet) rrsetXML {
	ttl := int64(s.TTL)
	x := rrsetXML{Name: wireName(s.Name), Type: s.Type, TTL: &ttl}
	for _, v := range s.Values {
		value := v.Value
		if s.Type == "TXT" {
			value = providers.QuoteTXT(value)
		}
		x.Records = append(x.Records, recordXML{Value: value})
	}
	return x
}

// change applies a ChangeResourceRecordSets request whole, checking it as
// Route 53 does, or refuses it with InvalidChangeBatch.
func (w wire) change(rw http.ResponseWriter, r *http.Request, body []byte) {
	id, _, _ := zonePath(r)
	z := w.f.Store.ZoneByID(id)
	if z == nil {
		writeError(rw, http.StatusNotFound, "NoSuchHostedZone", "No hosted zone found with ID: "+id)
		return
	}
	var req changeRequestXML
	if err := xmlUnmarshal(body, &req); err != nil || len(req.Changes) == 0 {
		writeError(rw, http.StatusBadRequest, "InvalidInput", "Invalid XML; the request must hold at least one Change")
		return
	}
	after := map[string]providers.RecordSet{}
	for _, s := range sets(z) {
		after[s.Name+" "+s.Type] = s
	}
	touched := map[string]bool{}
	elements, chars := 0, 0
	var problems []string
	for _, c := range req.Changes {
		set, msg := fromXML(c.Set, z)
		key := set.Name + " " + set.Type
		weight := 1
		if c.Action == "UPSERT" {
			weight = 2
		}
		for _, v := range c.Set.Records {
			elements += weight
			chars += weight * len(v.Value)
		}
		label := fmt.Sprintf("[name='%s', type='%s']", wireName(set.Name), set.Type)
		switch cur, exists := after[key]; {
		case msg != "":
			problems = append(problems, msg)
		case touched[key]:
			problems = append(problems, "The request contains an invalid set of changes for a resource record set '"+set.Type+" "+wireName(set.Name)+"'")
		case c.Action == "CREATE" && exists:
			problems = append(problems, "Tried to create resource record set "+label+" but it already exists")
		case c.Action == "DELETE" && !exists:
			problems = append(problems, "Tried to delete resource record set "+label+" but it was not found")
		case c.Action == "DELETE" && !sameSet(cur, set):
			problems = append(problems, "Tried to delete resource record set "+label+" but the values provided do not match the current values")
		case c.Action == "DELETE":
			delete(after, key)
		case c.Action == "CREATE" || c.Action == "UPSERT":
			after[key] = set
		default:
			problems = append(problems, "Invalid action "+c.Action)
		}
		touched[key] = true
	}
	if elements > 1000 {
		problems = append(problems, "Number of records limit of 1000 exceeded.")
	}
	if chars > 32000 {
		problems = append(problems, "RDATA character limit of 32000 exceeded.")
	}
	if len(problems) > 0 {
		writeXML(rw, http.StatusBadRequest, invalidChangeBatchXML{NS: ns, Messages: problems, RequestID: "5c9a7d4e-1f2b-4c3d-9e8f-0a1b2c3d4e5f"})
		return
	}
	for key := range touched {
		name, typ, _ := strings.Cut(key, " ")
		set, ok := after[key]
		if !ok {
			set = providers.RecordSet{Name: name, Type: typ}
		}
		w.f.Store.ReplaceSet(z, set, struct{}{})
	}
	w.f.changes++
	writeXML(rw, http.StatusOK, changeInfoXML{NS: ns, ID: fmt.Sprintf("/change/C%012dDDNS", w.f.changes), Status: "PENDING",
		SubmittedAt: time.Now().UTC().Format("2006-01-02T15:04:05.000Z"), Comment: req.Comment})
}

// fromXML converts a set of a change, checking it ("" when fine).
func fromXML(x rrsetXML, z *providertest.Zone[struct{}]) (providers.RecordSet, string) {
	name := providers.CanonicalName(strings.ReplaceAll(x.Name, `\052`, "*"))
	set := providers.RecordSet{Name: name, Type: x.Type}
	switch {
	case name != z.Name && !strings.HasSuffix(name, "."+z.Name):
		return set, "RRSet with DNS name " + x.Name + " is not permitted in zone " + z.Name + "."
	case x.AliasTarget != nil || x.SetIdentifier != nil:
		return set, "the fake takes plain record sets only"
	case x.TTL == nil || *x.TTL < 0:
		return set, "Invalid Resource Record: TTL is required and must not be negative"
	case len(x.Records) == 0:
		return set, "Invalid Resource Record: a record set needs at least one ResourceRecord"
	}
	set.TTL = int32(*x.TTL)
	for _, rec := range x.Records {
		v := rec.Value
		switch x.Type {
		case "A", "AAAA":
			if a, err := netip.ParseAddr(v); err != nil || a.Is4() != (x.Type == "A") {
				family := "v6"
				if x.Type == "A" {
					family = "v4"
				}
				return set, fmt.Sprintf("[Invalid Resource Record: 'FATAL problem: %sRRDATAIllegalIP%sAddress (Value is not a valid IP%s address) encountered with '%s'']",
					x.Type, family, family, v)
			}
		case "TXT":
			if !strings.HasPrefix(v, `"`) || !strings.HasSuffix(v, `"`) {
				return set, "[Invalid Resource Record: 'FATAL problem: InvalidCharacterString (Value should be enclosed in quotation marks) encountered with '" + v + "'']"
			}
			v = providers.UnquoteTXT(v)
		}
		set.Values = append(set.Values, providers.SetValue{Value: v})
	}
	return set, ""
}

// sameSet compares a DELETE with the set as it is: TTL and the values in
// any order.
func sameSet(cur, del providers.RecordSet) bool {
	if cur.TTL != del.TTL || len(cur.Values) != len(del.Values) {
		return false
	}
	for _, v := range del.Values {
		if cur.Index(v.Value) < 0 {
			return false
		}
	}
	return true
}

// sts answers AssumeRoleWithWebIdentity for the fake's role and token.
func (w wire) sts(rw http.ResponseWriter, body []byte) {
	form, _ := url.ParseQuery(string(body))
	stsError := func(status int, code, msg string) {
		writeXML(rw, status, stsErrorXML{NS: "https://sts.amazonaws.com/doc/2011-06-15/", Type: "Sender", Code: code, Message: msg,
			RequestID: "c6104cbe-af31-11e0-8154-cbc7ccf896c7"})
	}
	switch {
	case form.Get("Action") != "AssumeRoleWithWebIdentity":
		stsError(http.StatusBadRequest, "InvalidAction", "Could not find operation "+form.Get("Action"))
	case form.Get("RoleArn") != RoleARN:
		stsError(http.StatusForbidden, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")
	case form.Get("WebIdentityToken") != WebIdentityToken:
		stsError(http.StatusBadRequest, "InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider")
	default:
		id, k := w.f.issue()
		writeXML(rw, http.StatusOK, assumeRoleXML{NS: "https://sts.amazonaws.com/doc/2011-06-15/",
			Subject: "system:serviceaccount:ddns:ddns-operator", Audience: "sts.amazonaws.com",
			AssumedRoleArn: "arn:aws:sts::123456789012:assumed-role/ddns-operator/" + form.Get("RoleSessionName"),
			AssumedRoleID:  "AROAZ7DDNSOPERATOR:" + form.Get("RoleSessionName"),
			AccessKeyID:    id, SecretAccessKey: k.secret, SessionToken: k.token,
			Expiration: time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
			Provider:   "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/DDNS",
			RequestID:  "c6104cbe-af31-11e0-8154-cbc7ccf896c7"})
	}
}

// imds answers IMDSv2: a session token first, then the instance role's
// name and credentials with it.
func (w wire) imds(rw http.ResponseWriter, r *http.Request) {
	f := w.f
	if r.URL.Path == "/latest/api/token" {
		if r.Method != http.MethodPut || r.Header.Get("X-Aws-Ec2-Metadata-Token-Ttl-Seconds") == "" {
			rw.WriteHeader(http.StatusBadRequest)
			return
		}
		f.imdsTok = fmt.Sprintf("AQAEAImdsSessionToken%d", f.imdsRequests)
		rw.Header().Set("X-Aws-Ec2-Metadata-Token-Ttl-Seconds", r.Header.Get("X-Aws-Ec2-Metadata-Token-Ttl-Seconds"))
		_, _ = rw.Write([]byte(f.imdsTok))
		return
	}
	if f.imdsTok == "" || r.Header.Get("X-Aws-Ec2-Metadata-Token") != f.imdsTok {
		rw.WriteHeader(http.StatusUnauthorized)
		return
	}
	switch r.URL.Path {
	case "/latest/meta-data/iam/security-credentials/":
		_, _ = rw.Write([]byte(InstanceRole))
	case "/latest/meta-data/iam/security-credentials/" + InstanceRole:
		id, k := f.issue()
		raw, _ := json.Marshal(map[string]string{"Code": "Success", "LastUpdated": time.Now().UTC().Format(time.RFC3339), "Type": "AWS-HMAC",
			"AccessKeyId": id, "SecretAccessKey": k.secret, "Token": k.token, "Expiration": time.Now().Add(6 * time.Hour).UTC().Format(time.RFC3339)})
		_, _ = rw.Write(raw)
	default:
		rw.WriteHeader(http.StatusNotFound)
	}
}

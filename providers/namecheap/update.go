package namecheap

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/internal/jsonapi"
)

// answer is the endpoint's XML reply:
//
//	<interface-response><Command>SETDNSHOST</Command><IP>...</IP>
//	<ErrCount>0</ErrCount><errors/><ResponseCount>0</ResponseCount>
//	<responses/><Done>true</Done></interface-response>
//
// with, on failure, <errors><Err1>...</Err1></errors> and
// <responses><response><Description/><ResponseNumber/><ResponseString/>
// </response></responses>.
type answer struct {
	XMLName   xml.Name `xml:"interface-response"`
	IP        string   `xml:"IP"`
	ErrCount  int      `xml:"ErrCount"`
	Errors    []string `xml:"errors>Err1"`
	Responses []struct {
		Description    string `xml:"Description"`
		ResponseNumber string `xml:"ResponseNumber"`
		ResponseString string `xml:"ResponseString"`
	} `xml:"responses>response"`
	Done string `xml:"Done"`
}

// set sends the update of host (relative, "@" for the apex) in domain to
// ip.
func (u *updater) set(ctx context.Context, host, domain, password, ip string) error {
	const op = "namecheap dynamic DNS update"
	q := url.Values{"host": {host}, "domain": {domain}, "password": {password}, "ip": {ip}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.base+"/update?"+q.Encode(), nil)
	if err != nil {
		// The URL holds the password: say what failed without it.
		return providers.Errorf(providers.KindTransient, "", "%s: cannot build the request", op)
	}
	if u.userAgent != "" {
		req.Header.Set("User-Agent", u.userAgent)
	}
	resp, err := jsonapi.Do(u.client, req, op)
	if err != nil {
		return err
	}
	if resp.Status != http.StatusOK {
		return jsonapi.StatusError(resp, op, "", "")
	}
	var a answer
	if err := decode(resp.Body, &a); err != nil {
		return &providers.Error{Kind: providers.KindTransient, Message: op + ": undecodable answer (HTTP 200)", Err: err}
	}
	if a.ErrCount == 0 && len(a.Errors) == 0 {
		return nil
	}
	return answerError(op, domain, host, a, password)
}

// decode reads the reply. Namecheap declares encoding="utf-16" while
// sending ASCII; the declaration is taken as it is.
func decode(body []byte, a *answer) error {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	return d.Decode(a)
}

// answerError maps a reply with errors. The texts are Namecheap's, with
// the password scrubbed out.
func answerError(op, domain, host string, a answer, password string) error {
	var texts []string
	code := ""
	for _, r := range a.Responses {
		texts = append(texts, strings.TrimSpace(r.Description))
		if code == "" {
			code = strings.TrimSpace(r.ResponseNumber)
		}
	}
	if len(texts) == 0 {
		for _, e := range a.Errors {
			texts = append(texts, strings.TrimSpace(e))
		}
	}
	msg := strings.Join(texts, "; ")
	if password != "" {
		msg = strings.ReplaceAll(msg, password, "[redacted]")
	}
	if msg == "" {
		msg = "update refused"
	}
	lower := strings.ToLower(msg)
	switch {
	case strings.Contains(lower, "password"):
		return providers.Errorf(providers.KindAuth, code, "%s: %s (the password is the Dynamic DNS password of %s, under Advanced DNS → Dynamic DNS, not the account password)", op, msg, domain)
	case strings.Contains(lower, "domain name not found") || strings.Contains(lower, "not found; domain"):
		return providers.Errorf(providers.KindZoneNotFound, code, "%s: %s (is %s in this Namecheap account, with Dynamic DNS on?)", op, msg, domain)
	case strings.Contains(lower, "record not found"):
		return providers.Errorf(providers.KindInvalid, code, "%s: %s (host %q of %s has no \"A + Dynamic DNS Record\": add one in Advanced DNS, any address)", op, msg, host, domain)
	}
	return providers.Errorf(providers.KindInvalid, code, "%s: %s", op, msg)
}

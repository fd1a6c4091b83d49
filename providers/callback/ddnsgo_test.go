package callback_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/callback"
)

// ddnsGoConfig is the part of ddns-go's config file (.ddns_go_config.yaml)
// a Callback entry uses: ddns-go keeps the callback's URL in dns.id and
// its RequestBody in dns.secret.
type ddnsGoConfig struct {
	DNSConf []struct {
		IPv4 struct {
			Enable  bool     `json:"enable"`
			Domains []string `json:"domains"`
		} `json:"ipv4"`
		IPv6 struct {
			Enable  bool     `json:"enable"`
			Domains []string `json:"domains"`
		} `json:"ipv6"`
		DNS struct {
			Name   string `json:"name"`
			ID     string `json:"id"`
			Secret string `json:"secret"`
		} `json:"dns"`
		TTL string `json:"ttl"`
	} `json:"dnsconf"`
}

// record is a DynamicDNSRecord as the migration guide builds it.
type record struct {
	domain, typ string
	ttl         int32 // 0: spec.ttl unset
}

// translate follows docs/providers/callback.md ("Migrating from ddns-go"):
// dns.id becomes the Secret's url, dns.secret its body; each domain of
// ipv4.domains becomes a record of type A and each of ipv6.domains one of
// type AAAA ("sub:example.com" is written sub.example.com); ttl becomes
// spec.ttl, left unset when empty (both default to 600).
func translate(t *testing.T, conf string) (map[string][]byte, []record) {
	t.Helper()
	var c ddnsGoConfig
	if err := yaml.Unmarshal([]byte(conf), &c); err != nil {
		t.Fatal(err)
	}
	entry := c.DNSConf[0]
	if entry.DNS.Name != "callback" {
		t.Fatalf("entry of provider %q", entry.DNS.Name)
	}
	secret := map[string][]byte{"url": []byte(entry.DNS.ID)}
	if entry.DNS.Secret != "" {
		secret["body"] = []byte(entry.DNS.Secret)
	}
	var ttl int32
	if entry.TTL != "" {
		n, err := strconv.Atoi(entry.TTL)
		if err != nil {
			t.Fatal(err)
		}
		ttl = int32(n)
	}
	var records []record
	for typ, domains := range map[string][]string{"A": entry.IPv4.Domains, "AAAA": entry.IPv6.Domains} {
		for _, d := range domains {
			if sub, root, ok := strings.Cut(d, ":"); ok {
				d = sub + "." + root
			}
			records = append(records, record{domain: d, typ: typ, ttl: ttl})
		}
	}
	return secret, records
}

// ddnsGoRequest sends the request ddns-go's Callback sends for one domain
// (dns/callback.go, read at jeessy2/ddns-go 5874c2e): the variables
// replaced in URL and body as plain text, GET without a body and POST
// with one, a "content-type" header of application/json when the
// replaced body is valid JSON and application/x-www-form-urlencoded
// otherwise (GETs included), the URL parsed and printed again, Go's
// default client headers.
func ddnsGoRequest(t *testing.T, urlTmpl, bodyTmpl string, vars map[string]string) {
	t.Helper()
	replace := func(s string) string {
		for k, v := range vars {
			s = strings.ReplaceAll(s, "#{"+k+"}", v)
		}
		return s
	}
	method, body, ctype := "GET", "", "application/x-www-form-urlencoded"
	if bodyTmpl != "" {
		method, body = "POST", replace(bodyTmpl)
		if json.Valid([]byte(body)) {
			ctype = "application/json"
		}
	}
	u, err := url.Parse(replace(urlTmpl))
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(method, u.String(), strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Add("content-type", ctype)
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
}

// rawServer answers every request 200 and hands over its bytes as they
// came over the wire.
func rawServer(t *testing.T) (string, <-chan []byte) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	got := make(chan []byte, 8)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer func() { _ = conn.Close() }()
				_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
				r := bufio.NewReader(conn)
				var raw strings.Builder
				length := 0
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					raw.WriteString(line)
					if v, ok := strings.CutPrefix(strings.ToLower(line), "content-length: "); ok {
						length, _ = strconv.Atoi(strings.TrimSpace(v))
					}
					if line == "\r\n" {
						break
					}
				}
				body := make([]byte, length)
				if _, err := io.ReadFull(r, body); err != nil {
					return
				}
				raw.Write(body)
				got <- []byte(raw.String())
				_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
			}()
		}
	}()
	return "http://" + ln.Addr().String(), got
}

func receive(t *testing.T, got <-chan []byte) string {
	t.Helper()
	select {
	case b := <-got:
		return string(b)
	case <-time.After(10 * time.Second):
		t.Fatal("no request arrived")
		return ""
	}
}

// A ddns-go Callback entry, translated by following the migration guide,
// makes the operator send byte for byte the request ddns-go sends: JSON
// body with every variable, a form body, and a GET.
func TestDDNSGoCallbackTranslates(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	defer callback.SetClock(func() time.Time { return now })()
	base, got := rawServer(t)
	for _, tc := range []struct {
		name, url, body string
	}{
		{"JSON body", base + "/hooks/ddns?token=Zq3x9Lw4&host=#{domain}",
			`{"ip":"#{ip}","domain":"#{domain}","type":"#{recordType}","ttl":#{ttl},"v4":"#{ipv4Addr}","v6":"#{ipv6Addr}","at":#{timestamp}}`},
		{"form body", base + "/nic/update", "hostname=#{domain}&myip=#{ip}&key=Zq3x9Lw4"},
		{"GET", base + "/update?token=Zq3x9Lw4&domain=#{domain}&type=#{recordType}&ip=#{ip}&ttl=#{ttl}", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conf := fmt.Sprintf(`dnsconf:
  - name: home
    ipv4:
      enable: true
      gettype: url
      url: https://myip.ipip.net
      domains:
        - home.example.com
    ipv6:
      enable: true
      gettype: netInterface
      domains:
        - v6:example.com
    dns:
      name: callback
      id: %q
      secret: %q
    ttl: "300"
`, tc.url, tc.body)
			secret, records := translate(t, conf)
			p, err := callback.Descriptor.New(providers.Env{}, secret, nil)
			if err != nil {
				t.Fatalf("the translated Secret is refused: %v", err)
			}
			addr := map[string]string{"A": "81.2.69.160", "AAAA": "2a02:2e0:3fe:1001:302::1"}
			ctx := context.Background()
			for _, typ := range []string{"A", "AAAA"} {
				for _, r := range records {
					if r.typ != typ {
						continue
					}
					z, _ := p.FindZone(ctx, r.domain, "")
					if _, err := p.CreateRecord(ctx, z, providers.Record{Name: r.domain, Type: r.typ, Value: addr[r.typ], TTL: r.ttl}); err != nil {
						t.Fatal(err)
					}
					ours := receive(t, got)
					// ddns-go fills #{ipv4Addr} and #{ipv6Addr} with the
					// addresses it detected; the operator with this
					// record's and the other family's last sent.
					vars := map[string]string{"ip": addr[typ], "domain": r.domain, "recordType": typ, "ttl": "300",
						"ipv4Addr": addr["A"], "ipv6Addr": "", "timestamp": strconv.FormatInt(now.Unix(), 10)}
					if typ == "AAAA" {
						vars["ipv6Addr"] = addr["AAAA"]
					}
					ddnsGoRequest(t, tc.url, tc.body, vars)
					theirs := receive(t, got)
					if ours != theirs {
						t.Fatalf("%s %s: the operator sent\n%s\nddns-go sends\n%s", r.domain, typ, ours, theirs)
					}
				}
			}
		})
	}
}

// With the operator's user agent set, the request differs from ddns-go's
// in the User-Agent line only.
func TestOnlyTheUserAgentDiffers(t *testing.T) {
	base, got := rawServer(t)
	urlTmpl, bodyTmpl := base+"/hook?d=#{domain}", `{"ip":"#{ip}"}`
	p, err := callback.Descriptor.New(providers.Env{UserAgent: "ddns-operator/1.2.3"}, map[string][]byte{"url": []byte(urlTmpl), "body": []byte(bodyTmpl)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.CreateRecord(context.Background(), providers.Zone{Name: "example.com"}, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160"}); err != nil {
		t.Fatal(err)
	}
	ours := receive(t, got)
	ddnsGoRequest(t, urlTmpl, bodyTmpl, map[string]string{"ip": "81.2.69.160", "domain": "home.example.com"})
	theirs := receive(t, got)
	if want := strings.Replace(theirs, "User-Agent: Go-http-client/1.1", "User-Agent: ddns-operator/1.2.3", 1); ours != want {
		t.Fatalf("the operator sent\n%s\nwant ddns-go's request with the operator's user agent\n%s", ours, want)
	}
}

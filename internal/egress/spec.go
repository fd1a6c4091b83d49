package egress

import (
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// SpecDefaults fill in what a source spec leaves out.
type SpecDefaults struct {
	// Timeout of one lookup; DefaultTimeout when zero.
	Timeout time.Duration
	// MaxBytes of an HTTP answer; DefaultMaxBytes when zero.
	MaxBytes int64
	// IfInet6Path for interface sources; DefaultIfInet6Path when empty.
	IfInet6Path string
}

// knownOperators maps hosts (or their last two labels) to who runs them,
// so two front doors of one company count as one vote.
var knownOperators = map[string]string{
	"icanhazip.com":           "cloudflare", // run by Cloudflare since 2021
	"1.1.1.1":                 "cloudflare",
	"1.0.0.1":                 "cloudflare",
	"2606:4700:4700::1111":    "cloudflare",
	"2606:4700:4700::1001":    "cloudflare",
	"one.one.one.one":         "cloudflare",
	"cloudflare.com":          "cloudflare",
	"ipify.org":               "ipify",
	"ifconfig.co":             "ifconfig.co",
	"myip.opendns.com":        "opendns",
	"o-o.myaddr.l.google.com": "google",
}

// operatorFor guesses the operator of an echo service from its host.
func operatorFor(host string) string {
	if op, ok := knownOperators[host]; ok {
		return op
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return host
	}
	labels := strings.Split(host, ".")
	if len(labels) > 2 {
		host = strings.Join(labels[len(labels)-2:], ".")
	}
	if op, ok := knownOperators[host]; ok {
		return op
	}
	return host
}

// ParseSource builds the source a spec string names, for family fam:
//
//	https://api.ipify.org                  plain-text echo service
//	https://1.1.1.1/cdn-cgi/trace#trace    Cloudflare trace format
//	https://ifconfig.co/json#json=ip       a JSON field (dots for nesting)
//	https://example.net/#regex=ip: (\S+)   first capture group of a regex
//	dns:opendns | dns:cloudflare | dns:google
//	dns://127.0.0.1:5353/myip.example?type=TXT&class=CH
//	interface:eth0
//	static:81.2.69.160
//
// HTTP fragments may add options before the format, joined with "&":
// timeout=2s, max=1024, name=NAME, operator=OP (a regex= must come last
// and takes the rest of the fragment). dns:// takes timeout= and
// operator= as query parameters.
func ParseSource(spec string, fam Family, def SpecDefaults) (Source, error) {
	spec = strings.TrimSpace(spec)
	switch {
	case strings.HasPrefix(spec, "http://"), strings.HasPrefix(spec, "https://"):
		return parseHTTPSpec(spec, def)
	case strings.HasPrefix(spec, "dns://"):
		return parseDNSSpec(spec, fam, def)
	case strings.HasPrefix(spec, "dns:"):
		return DNSPreset(strings.TrimPrefix(spec, "dns:"), def.Timeout)
	case strings.HasPrefix(spec, "interface:"):
		name := strings.TrimPrefix(spec, "interface:")
		if name == "" || len(name) > 15 || strings.ContainsAny(name, "/ \t") {
			return nil, fmt.Errorf("source %q: bad interface name", spec)
		}
		return &InterfaceSource{Interface: name, IfInet6Path: def.IfInet6Path}, nil
	case strings.HasPrefix(spec, "static:"):
		addr, err := netip.ParseAddr(strings.TrimPrefix(spec, "static:"))
		if err != nil || CheckFamily(addr, fam) != nil {
			return nil, fmt.Errorf("source %q: not an %s address", spec, fam)
		}
		if fam == IPv4 {
			return StaticSource{V4: addr.Unmap()}, nil
		}
		return StaticSource{V6: addr}, nil
	}
	return nil, fmt.Errorf("source %q: want an http(s) URL, dns:NAME, dns://SERVER/NAME, interface:NAME or static:ADDRESS", spec)
}

// ParseSources parses a comma-separated list of specs for fam.
func ParseSources(list string, fam Family, def SpecDefaults) ([]Source, error) {
	var out []Source
	for spec := range strings.SplitSeq(list, ",") {
		if strings.TrimSpace(spec) == "" {
			continue
		}
		src, err := ParseSource(spec, fam, def)
		if err != nil {
			return nil, fmt.Errorf("%s sources: %w", fam, err)
		}
		out = append(out, src)
	}
	return out, nil
}

func parseHTTPSpec(spec string, def SpecDefaults) (Source, error) {
	raw, frag, _ := strings.Cut(spec, "#")
	opts := HTTPOptions{URL: raw, Timeout: def.Timeout, MaxBytes: def.MaxBytes}
	for frag != "" {
		var item string
		if strings.HasPrefix(frag, "regex=") {
			item, frag = frag, ""
		} else {
			item, frag, _ = strings.Cut(frag, "&")
		}
		key, value, _ := strings.Cut(item, "=")
		var err error
		switch key {
		case FormatPlain, FormatTrace:
			opts.Format = key
		case FormatJSON:
			opts.Format, opts.JSONField = FormatJSON, value
		case FormatRegex:
			opts.Format, opts.Regex = FormatRegex, value
		case "timeout":
			opts.Timeout, err = time.ParseDuration(value)
		case "max":
			opts.MaxBytes, err = strconv.ParseInt(value, 10, 64)
		case "name":
			opts.Name = value
		case "operator":
			opts.Operator = value
		default:
			err = fmt.Errorf("unknown option %q", key)
		}
		if err != nil {
			return nil, fmt.Errorf("source %q: %w", spec, err)
		}
	}
	if opts.Operator == "" {
		if u, err := url.Parse(raw); err == nil {
			opts.Operator = operatorFor(u.Hostname())
		}
	}
	return NewHTTPSourceWith(opts)
}

func parseDNSSpec(spec string, fam Family, def SpecDefaults) (Source, error) {
	u, err := url.Parse(spec)
	if err != nil || u.Host == "" || len(u.Path) < 2 {
		return nil, fmt.Errorf("source %q: want dns://IP:PORT/NAME", spec)
	}
	q := u.Query()
	opts := DNSOptions{
		Name: spec, Operator: q.Get("operator"), Question: strings.TrimPrefix(u.Path, "/"),
		Servers: map[Family]string{fam: u.Host}, Types: map[Family]uint16{fam: dns.TypeA}, Timeout: def.Timeout,
	}
	if fam == IPv6 {
		opts.Types[fam] = dns.TypeAAAA
	}
	if t := q.Get("type"); t != "" {
		opts.Types[fam] = dns.StringToType[strings.ToUpper(t)]
	}
	switch strings.ToUpper(q.Get("class")) {
	case "", "IN":
	case "CH":
		opts.Class = dns.ClassCHAOS
	default:
		return nil, fmt.Errorf("source %q: class must be IN or CH", spec)
	}
	if t := q.Get("timeout"); t != "" {
		if opts.Timeout, err = time.ParseDuration(t); err != nil {
			return nil, fmt.Errorf("source %q: %w", spec, err)
		}
	}
	if opts.Operator == "" {
		opts.Operator = operatorFor(strings.TrimSuffix(opts.Question, "."))
		if opts.Operator == strings.TrimSuffix(opts.Question, ".") {
			opts.Operator = u.Host
		}
	}
	return NewDNSSource(opts)
}
